"""Time from launching the window's process to its first painted frame.

Each run starts a fresh Python process (``--child``) that builds the window exactly as
``backbeat`` does and exits on the first paint event; the parent times from ``Popen`` to
the child's "painted" line, so interpreter start, imports and the first layout count.
The sound opens after the first paint (as in the app) and is not included.

With ``--user-protocols N`` the user's folder holds N protocols (in a temporary
``XDG_DATA_HOME``), and each launch is timed twice: "cold" with the protocol cache
emptied first (the first launch after the files changed), "warm" with it filled. The
child then also waits until the user's protocols are listed ("listed": the same as the
first paint for code that reads them before painting). ``--old COMMIT`` runs the same
launches against that commit's ``app/`` (taken with ``git archive``), alternating with
this checkout's, side by side.

    python benchmarks/ui_startup.py [--runs 7] [--platform offscreen|xcb] [--old COMMIT]
    python benchmarks/ui_startup.py --user-protocols 500 --runs 3 [--old 74c5f71]
Target (issue 11): the first paint within 0.5 s, with or without a user folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAINT_TARGET_SECONDS = 0.5


def child(wait_for_list: bool) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from backbeat.ui.app import build_window

    parts = build_window()
    view = parts.window.start_view
    painted = []

    def listed() -> bool:  # the old code has no note: its list is full before painting
        note = getattr(view, "library_note", None)
        return note is None or not note.text()

    def quit_once_listed() -> None:
        if listed():
            print("listed", flush=True)
            parts.app.quit()
        else:
            QTimer.singleShot(5, quit_once_listed)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
                print("painted", flush=True)
                QTimer.singleShot(0, quit_once_listed if wait_for_list else parts.app.quit)
            return False

    spy = FirstPaint()
    parts.window.installEventFilter(spy)
    parts.window.show()
    status = int(parts.app.exec())
    parts.controller.shutdown()
    return status


def one_run(env: dict[str, str], wait_for_list: bool = False) -> dict[str, float]:
    """Seconds from launch to "painted" (and to "listed" when asked)."""
    command = [sys.executable, __file__, "--child"] + (["--wait-for-list"] if wait_for_list else [])
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    times: dict[str, float] = {}
    for line in process.stdout:
        times[line.strip()] = time.perf_counter() - began
        if "painted" in times and ("listed" in times or not wait_for_list):
            break
    process.stdout.close()
    status = process.wait(timeout=120)
    if "painted" not in times:
        raise SystemExit(f"the window never painted (exit {status})")
    return times


def old_app(commit: str, into: Path) -> Path:
    """That commit's ``app/`` folder, unpacked from git into ``into``."""
    archive = into / "old.tar"
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), commit, "app"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "app"


def make_user_folder(data_home: Path, count: int) -> None:
    folder = data_home / "backbeat" / "protocols"
    folder.mkdir(parents=True)
    bundled = sorted((ROOT / "protocols").glob("*.yaml"))
    for number in range(count):
        text = bundled[number % len(bundled)].read_text(encoding="utf-8")
        lines = [f"id: user-{number}" if ln.startswith("id: ") else ln for ln in text.splitlines()]
        (folder / f"user-{number}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def with_user_folder(args: argparse.Namespace, base_env: dict[str, str], tmp: Path) -> None:
    make_user_folder(tmp / "data", args.user_protocols)
    apps = {"this checkout": ROOT / "app"}
    if args.old:
        apps[f"old ({args.old})"] = old_app(args.old, tmp)
    print(f"{args.user_protocols} user protocols, platform {args.platform}, {args.runs} runs each")
    print(f"{'':30} {'cold paint':>11} {'cold listed':>12} {'warm paint':>11} {'warm listed':>12}")
    for label, app in apps.items():
        cache = tmp / f"cache-{len(label)}"
        env = {
            **base_env,
            "PYTHONPATH": str(app),
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CACHE_HOME": str(cache),
        }
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(one_run(env, wait_for_list=True))
            warm.append(one_run(env, wait_for_list=True))
        row = [
            statistics.median(run[key] for run in runs)
            for runs in (cold, warm)
            for key in ("painted", "listed")
        ]
        print(f"{label:30} " + " ".join(f"{v:10.3f}s" for v in row))
    print(f"(medians; first-paint target <= {FIRST_PAINT_TARGET_SECONDS} s cold and warm)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--user-protocols", type=int, default=0, metavar="N")
    parser.add_argument("--old", metavar="COMMIT", help="also time this commit's app/")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--wait-for-list", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.wait_for_list)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "BACKBEAT_SETTINGS_FILE": str(tmp / "settings.ini"),
            "BACKBEAT_AUDIO_OUTPUT": "null",
        }
        if args.user_protocols:
            with_user_folder(args, env, tmp)
            return 0
        apps = {"this checkout": ROOT / "app"}
        if args.old:
            apps[f"old ({args.old})"] = old_app(args.old, tmp)
        times: dict[str, list[float]] = {label: [] for label in apps}
        for app in apps.values():  # warm the file cache, as a second launch would
            one_run({**env, "PYTHONPATH": str(app)})
        for _ in range(args.runs):  # alternating, so both see the same load
            for label, app in apps.items():
                times[label].append(one_run({**env, "PYTHONPATH": str(app)})["painted"])
    print(f"platform {args.platform}, {args.runs} launches each after one warm-up, alternating")
    for label, runs in times.items():
        print(
            f"{label}: launch -> first painted window: median {statistics.median(runs):.3f} s, "
            f"min {min(runs):.3f} s, max {max(runs):.3f} s "
            f"(target <= {FIRST_PAINT_TARGET_SECONDS} s)"
        )
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
