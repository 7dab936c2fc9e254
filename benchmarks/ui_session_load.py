"""CPU and resident memory of the window while a session runs.

A child process opens the window as ``backbeat`` does (real ``SessionAudio`` rendering
clicks and voice, real voice synthesis, the 25 Hz UI timer, every widget painting),
ticks the health check and starts the default protocol. The parent samples the child's
``/proc/PID/stat`` and ``/proc/PID/status`` once a second, so every thread counts.

    python benchmarks/ui_session_load.py [--seconds 300] [--output null|auto]
        [--platform offscreen|xcb] [--cold-cache] [--old COMMIT]
``--cold-cache``: an empty voice cache (a temporary ``XDG_CACHE_HOME``), so the voice
makes every prompt beside the running session. ``--old COMMIT``: that commit's ``app/``
is measured too, alternating with this checkout. The peak is the kernel's high-water mark
(``VmHWM``) of the window and of any child process it started, summed.
Targets: at most 2 % of one core on average, under 250 MB resident.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

CPU_TARGET_PERCENT = 2.0
RSS_TARGET_MB = 250.0
WARM_UP_SECONDS = 15.0  # the voice synthesises the session's prompts first


def child() -> int:
    from PySide6.QtCore import QTimer

    from backbeat.ui.app import SoundChoice, build_window, open_sound_later

    parts = build_window()
    parts.window.show()
    opener = open_sound_later(parts.controller, SoundChoice())

    parts.controller.session_started.connect(lambda: print("started", flush=True))

    def start() -> None:
        parts.window.start_view.acknowledge.setChecked(True)
        # Starts now, or as soon as the sound is open (a start waits for it).
        parts.controller.start_session()

    QTimer.singleShot(500, start)
    status = int(parts.app.exec())
    opener.close()
    return status


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def old_checkout(commit: str, into: Path) -> Path:
    """That commit's ``app/`` with the protocols and assets it finds beside it."""
    root = Path(__file__).resolve().parent.parent
    archive = into / "old.tar"
    folders = ["app", "assets", "protocols"]
    subprocess.run(["git", "-C", str(root), "archive", "-o", str(archive), commit, *folders])
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "app"


def high_water_mb(pid: int) -> float:
    """The process's peak resident memory plus its children's (a helper counts)."""
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for each in [pid, *(int(c) for c in children.read_text().split())]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="session time to measure")
    parser.add_argument("--output", default="null", help="null (no device needed) or auto")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--cold-cache", action="store_true", help="start with no voice cache")
    parser.add_argument("--old", metavar="COMMIT", help="also measure this commit's app/")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    apps = {"this checkout": Path(__file__).resolve().parent.parent / "app"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.old:
            apps[f"old ({args.old})"] = old_checkout(args.old, Path(tmp))
        for label, app in apps.items():
            print(f"== {label}", flush=True)
            measure(args, app)
    return 0


def measure(args: argparse.Namespace, app: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "BACKBEAT_SETTINGS_FILE": str(Path(tmp) / "settings.ini"),
            "BACKBEAT_AUDIO_OUTPUT": args.output,
            "PYTHONPATH": str(app),
        }
        if args.cold_cache:
            env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        process = subprocess.Popen(
            [sys.executable, __file__, "--child"], env=env, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "started":
            process.kill()
            raise SystemExit("the child did not start a session")
        pid = process.pid
        began, cpu_began = time.monotonic(), cpu_seconds(pid)
        samples: list[tuple[float, float, float]] = []  # (elapsed, cpu s, rss MB)
        high_water = 0.0
        try:
            while (elapsed := time.monotonic() - began) < args.seconds:
                samples.append((elapsed, cpu_seconds(pid) - cpu_began, rss_mb(pid)))
                high_water = max(high_water, high_water_mb(pid))
                time.sleep(1.0)
            samples.append((time.monotonic() - began, cpu_seconds(pid) - cpu_began, rss_mb(pid)))
        finally:
            process.kill()
            process.wait()
    total_time, total_cpu, _ = samples[-1]
    steady = [s for s in samples if s[0] >= WARM_UP_SECONDS]
    peak = max(s[2] for s in samples)
    print(f"{total_time:.0f} s of session, output {args.output}, platform {args.platform}")
    print(f"CPU, whole run: {100 * total_cpu / total_time:.2f} % of one core")
    if len(steady) >= 2:
        (t0, c0, _), (t1, c1, _) = steady[0], steady[-1]
        print(
            f"CPU after the first {WARM_UP_SECONDS:.0f} s (voice ready): "
            f"{100 * (c1 - c0) / (t1 - t0):.2f} % of one core (target < {CPU_TARGET_PERCENT} %)"
        )
    marks = [s for s in samples if round(s[0]) % 60 == 0 or s is samples[-1]]
    print("resident memory: " + ", ".join(f"{s[2]:.0f} MB at {s[0]:.0f} s" for s in marks))
    print(f"peak resident memory, sampled: {peak:.0f} MB (target < {RSS_TARGET_MB:.0f} MB)")
    print(f"peak resident memory, high-water mark with children: {high_water:.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
