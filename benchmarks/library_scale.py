"""``backbeat list`` and the window's first paint with 500 protocols in the user folder.

Each figure is one fresh process, timed from start to its output (``list``) or to the
window's first paint event (``ui_startup.py --child``), with the user's protocol cache
empty ("cold", the first run after the files changed) and then filled ("warm").
``--old CHECKOUT`` runs the same against another checkout's ``app/`` (e.g. a
``git worktree`` of the commit before), side by side.

    python benchmarks/library_scale.py [--count 500] [--old /path/to/old/checkout]
Target: list under 1 s, and the window as fast as with an empty folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP = ROOT / "benchmarks" / "ui_startup.py"


def make_folder(data_home: Path, count: int) -> None:
    folder = data_home / "backbeat" / "protocols"
    folder.mkdir(parents=True)
    bundled = sorted((ROOT / "protocols").glob("*.yaml"))
    for number in range(count):
        text = bundled[number % len(bundled)].read_text(encoding="utf-8")
        lines = [
            f"id: user-{number}" if line.startswith("id: ") else line for line in text.splitlines()
        ]
        (folder / f"user-{number}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], env: dict[str, str], until: str | None = None) -> float:
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if until is not None and line.strip() == until:
            elapsed = time.perf_counter() - began
            break
    else:
        elapsed = time.perf_counter() - began
    process.stdout.close()
    process.wait(timeout=120)
    return elapsed


def measure(app_dir: Path, data_home: Path, tmp: Path) -> dict[str, float]:
    cache = tmp / f"cache-{abs(hash(app_dir))}"
    env = {
        **os.environ,
        "PYTHONPATH": str(app_dir),
        "XDG_DATA_HOME": str(data_home),
        "XDG_CACHE_HOME": str(cache),
        "QT_QPA_PLATFORM": "offscreen",
        "BACKBEAT_SETTINGS_FILE": str(tmp / "settings.ini"),
        "BACKBEAT_AUDIO_OUTPUT": "null",
    }
    listing = [sys.executable, "-m", "backbeat", "list"]
    window = [sys.executable, str(STARTUP), "--child"]
    figures = {}
    shutil.rmtree(cache, ignore_errors=True)
    figures["list, cold"] = timed(listing, env)
    figures["list, warm"] = timed(listing, env)
    shutil.rmtree(cache, ignore_errors=True)
    figures["window first paint, cold"] = timed(window, env, "painted")
    figures["window first paint, warm"] = timed(window, env, "painted")
    empty = {**env, "XDG_DATA_HOME": str(tmp / "empty"), "XDG_CACHE_HOME": str(cache) + "-empty"}
    timed(window, empty, "painted")  # its own cache, warmed once
    figures["window first paint, empty folder"] = timed(window, empty, "painted")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--old", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        make_folder(tmp / "data", args.count)
        new = measure(ROOT / "app", tmp / "data", tmp)
        old = measure(args.old / "app", tmp / "data", tmp) if args.old else None
    print(f"{args.count} user protocols, one process per figure (seconds)")
    print(f"{'':34} {'this checkout':>14}" + (f" {'old':>8}" if old else ""))
    for label, value in new.items():
        print(f"{label:34} {value:14.2f}" + (f" {old[label]:8.2f}" if old else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
