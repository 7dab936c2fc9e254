"""Time from launching the window's process to its first painted frame.

Each run starts a fresh Python process (``--child``) that builds the window exactly as
``backbeat`` does and exits on the first paint event; the parent times from ``Popen`` to
the child's "painted" line, so interpreter start, imports and the first layout count.
The sound opens after the first paint (as in the app) and is not included.

    python benchmarks/ui_startup.py [--runs 7] [--platform offscreen|xcb]
Target: the window within 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 1.5


def child() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from backbeat.ui.app import build_window

    parts = build_window()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                QTimer.singleShot(0, parts.app.quit)
            return False

    spy = FirstPaint()
    parts.window.installEventFilter(spy)
    parts.window.show()
    return int(parts.app.exec())


def one_run(env: dict[str, str]) -> float:
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "painted":
            elapsed = time.perf_counter() - began
            break
    else:
        raise SystemExit(f"the window never painted (exit {process.wait()})")
    process.wait(timeout=30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "BACKBEAT_SETTINGS_FILE": str(Path(tmp) / "settings.ini"),
            "BACKBEAT_AUDIO_OUTPUT": "null",
        }
        one_run(env)  # warm the file cache, as a second launch of the app would
        times = [one_run(env) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"platform {args.platform}, {args.runs} launches after one warm-up")
    print(
        f"launch -> first painted window: median {median:.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s (target <= {TARGET_SECONDS} s)"
    )
    print("within target" if max(times) <= TARGET_SECONDS else "OVER TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
