"""The longest stall of the window's event loop while the start page is edited.

A child process opens the real window offscreen and drives its widgets as a user would,
with key presses sent through the event loop at typing pace (one every 150 ms). A 1 ms
probe timer runs all along; a stall is the gap between two of its ticks, less 1 ms, so
anything that holds up the UI thread (a plan rebuilt, a folder read, a list refilled)
shows. Three scenes, each followed by 1.5 s of quiet so a delayed rebuild is counted:

- "minutes": a 4-hour block with a 2-second spot limit (7 200 cues); its minutes field
  is cleared and "180", then "200", are typed;
- "total": the same protocol; "150", then "90", typed as the session length;
- "save-as": 500 protocols in the user's folder (their cache warm), the list filled,
  then "Save as my protocol" pressed;
- "while reading": the same 500 protocols with the cache empty, "15" typed as the
  session length of the default protocol while the folder is still being read (this
  checkout only: the old code read the folder before it showed the window).

The voice is off (its settings file says so) unless ``--voice`` is given: with it on, the
voice makes the plan's prompts on a thread of its own, whose numpy and scipy work holds
the interpreter lock, and that is the voice's cost, not the start page's.
``--switch-interval MS`` sets the interpreter's switch interval in the child after the
window is made (the app sets 0.5 ms; Python's default is 5 ms).

``--old COMMIT`` runs the same against that commit's ``app/`` (``git archive``), side by
side with this checkout. Target: no stall longer than 50 ms.

    python benchmarks/ui_start_edits.py [--old 74c5f71] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_startup import ROOT, make_user_folder, old_app

TARGET_MS = 50.0
SCENES = ("minutes", "total", "save-as", "while-reading")
KEY_GAP_MS = 150
QUIET_MS = 1500
FOUR_HOURS = """\
id: four-hours
title: Four hours of rubbing
description: A stress test for the start page.
default_mode: stimulating
blocks:
  - id: rubbing
    title: Rubbing
    duration: 4h
    techniques:
      - id: rub
        title: Rubbing
        how: Rub quickly.
        hands: both
        path: straight
        direction: bottom-up
        zones: [lumbar]
        pressure: medium
        rhythm: {relaxing: 60, stimulating: 90}
        spot_limit: 2s
"""


def child(scene: str, protocol: Path | None, switch_ms: float | None) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from backbeat.ui.app import build_window

    parts = build_window(protocol)
    if switch_ms is not None:
        sys.setswitchinterval(switch_ms / 1000)
    parts.window.resize(1280, 800)
    parts.window.show()
    view = parts.window.start_view
    gaps: list[float] = []
    last = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000.0 - 1.0)
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(probe)
    actions: list[Callable[[], None]] = []

    def type_into(edit: object, *texts: str) -> None:
        for text in texts:
            actions.append(lambda: (edit.setFocus(), edit.selectAll()))  # type: ignore[attr-defined]
            actions.append(lambda: QTest.keyClick(edit, Qt.Key.Key_Backspace))  # type: ignore[arg-type]
            for char in text:
                actions.append(lambda c=char: QTest.keyClicks(edit, c))  # type: ignore[arg-type]

    if scene == "while-reading":
        type_into(view.total_edit, "15", "12")
    elif scene == "minutes":
        type_into(next(iter(view._row_widgets.values()))[0], "180", "200")
    elif scene == "total":
        type_into(view.total_edit, "150", "90")
    else:
        actions.append(lambda: view.save_title.setText("Bench copy"))
        actions.append(lambda: view.save_button.click())

    def listed() -> bool:
        note = getattr(view, "library_note", None)
        return note is None or not note.text()

    def run_next() -> None:
        if actions:
            actions.pop(0)()
            QTimer.singleShot(KEY_GAP_MS, run_next)
        else:
            QTimer.singleShot(QUIET_MS, finish)

    def finish() -> None:
        ticker.stop()
        shown = view.state()
        print(json.dumps({"max_ms": max(gaps), "total": shown.total_label}), flush=True)
        parts.app.quit()

    def begin() -> None:
        if (
            not listed() and scene != "while-reading"
        ):  # the user's folder first (read off the UI thread now)
            QTimer.singleShot(20, begin)
            return
        last[0] = time.perf_counter()
        ticker.start()
        QTimer.singleShot(300, run_next)

    QTimer.singleShot(500, begin)
    status = int(parts.app.exec())
    parts.controller.shutdown()
    return status


def run_scene(
    app: Path, scene: str, tmp: Path, voice: bool = False, switch_ms: float | None = None
) -> dict[str, object]:
    settings = tmp / ("settings-voice.ini" if voice else "settings.ini")
    if not voice:
        settings.write_text("[preferences]\nvoice_on=false\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(app),
        "QT_QPA_PLATFORM": "offscreen",
        "BACKBEAT_SETTINGS_FILE": str(settings),
        "BACKBEAT_AUDIO_OUTPUT": "null",
        "XDG_CACHE_HOME": str(tmp / f"cache-{abs(hash(app))}-{scene}"),
        "XDG_DATA_HOME": str(tmp / ("empty" if scene in ("minutes", "total") else "data")),
    }
    command = [sys.executable, __file__, "--child", scene]
    if switch_ms is not None:
        command += ["--switch-interval", str(switch_ms)]
    if scene in ("minutes", "total"):
        command += ["--protocol", str(tmp / "four-hours.yaml")]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    lines = [ln for ln in output.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SystemExit(f"{scene}: the child failed\n{output.stderr[-2000:]}")
    result: dict[str, object] = json.loads(lines[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", metavar="COMMIT", help="also measure this commit's app/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--voice", action="store_true", help="with the voice on")
    parser.add_argument("--switch-interval", type=float, metavar="MS")
    parser.add_argument("--child", metavar="SCENE", help=argparse.SUPPRESS)
    parser.add_argument("--protocol", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.protocol, args.switch_interval)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "four-hours.yaml").write_text(FOUR_HOURS, encoding="utf-8")
        make_user_folder(tmp / "data", 500)
        apps = {"this checkout": ROOT / "app"}
        if args.old:
            apps[f"old ({args.old})"] = old_app(args.old, tmp)
        voice = "voice on" if args.voice else "voice off"
        print(f"longest event-loop stall, ms, {voice} (median of {args.runs}; target {TARGET_MS})")
        print(f"{'':24} {'minutes':>9} {'total':>9} {'save-as':>9} {'while reading':>14}")
        for label, app in apps.items():
            figures = []
            for scene in SCENES if app == ROOT / "app" else SCENES[:3]:
                runs = []
                for number in range(args.runs):
                    if scene == "save-as":  # a fresh copy to save each time
                        for saved in (tmp / "data" / "backbeat" / "protocols").glob("bench*"):
                            saved.unlink()
                    if scene == "save-as" and number == 0:
                        run_scene(app, scene, tmp, args.voice)  # fills the protocol cache
                    if scene == "while-reading":
                        shutil.rmtree(tmp / f"cache-{abs(hash(app))}-{scene}", ignore_errors=True)
                    measured = run_scene(app, scene, tmp, args.voice, args.switch_interval)
                    runs.append(float(measured["max_ms"]))  # type: ignore[arg-type]
                figures.append(statistics.median(runs))
            print(f"{label:24} " + " ".join(f"{v:9.1f}" for v in figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
