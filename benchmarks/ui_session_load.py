"""CPU and resident memory of the window while a session runs.

A child process opens the window as ``backbeat`` does (real ``SessionAudio`` rendering
clicks and voice, real voice synthesis, the paced UI frames, every widget painting),
ticks the health check and starts the default protocol. The parent samples the child's
``/proc/PID/stat`` and ``/proc/PID/status`` once a second, so every thread counts.

    python benchmarks/ui_session_load.py [--seconds 300] [--output null|auto]
        [--platform offscreen|xcb] [--runs N] [--old COMMIT] [--cold-cache]
``--old COMMIT``: that commit's ``app/`` (taken with ``git archive``, with the assets and
protocols beside it) runs too, one run of each in turn, and the medians are printed side by
side. ``--cold-cache``: an empty voice cache (a temporary ``XDG_CACHE_HOME``), so the voice
makes every prompt beside the running session. Memory: the resident size sampled each
second, and the kernel's high-water mark (``VmHWM``) of the window and of any child process
it started, summed.
Targets: at most 2 % of one core on average, under 250 MB resident.
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


def high_water_mb(pid: int) -> float:
    """The process's peak resident memory plus its children's (a helper counts)."""
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for each in [pid, *(int(c) for c in children.read_text().split())]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def old_app(commit: str, into: Path) -> Path:
    """``commit``'s ``app/`` (with the assets and protocols it finds beside it) unpacked
    under ``into``: what PYTHONPATH points at to run it."""
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", commit, "app", "assets", "protocols"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "app"


def measure(args: argparse.Namespace, app_dir: Path | None) -> dict[str, float]:
    """One session in a child: CPU over the whole run and after the warm-up, memory."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": args.platform,
            "BACKBEAT_SETTINGS_FILE": str(Path(tmp) / "settings.ini"),
            "BACKBEAT_AUDIO_OUTPUT": args.output,
        }
        if app_dir is not None:
            env["PYTHONPATH"] = str(app_dir)
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
    steady = [s for s in samples if s[0] >= WARM_UP_SECONDS] or samples[-2:]
    (t0, c0, _), (t1, c1, _) = steady[0], steady[-1]
    return {
        "cpu": 100 * total_cpu / total_time,
        "steady": 100 * (c1 - c0) / max(t1 - t0, 1e-9),
        "peak": max(s[2] for s in samples),
        "high_water": high_water,
        "late": samples[-1][2],
    }


def compare(args: argparse.Namespace) -> int:
    results: dict[str, list[dict[str, float]]] = {"new": [], "old": []}
    with tempfile.TemporaryDirectory() as tmp:
        old = old_app(args.old, Path(tmp)) if args.old else None
        for run in range(args.runs):
            for name, app_dir in (("new", None), ("old", old)):
                if name == "old" and old is None:
                    continue
                result = measure(args, app_dir)
                results[name].append(result)
                print(
                    f"run {run + 1} {name}: {result['steady']:.2f} % after "
                    f"{WARM_UP_SECONDS:.0f} s, {result['cpu']:.2f} % whole run, "
                    f"peak {result['peak']:.0f} MB sampled, {result['high_water']:.0f} MB "
                    f"high-water with children, load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    print(
        f"medians of {args.runs} runs of {args.seconds:.0f} s, output {args.output}, "
        f"platform {args.platform}, voice cache {'cold' if args.cold_cache else 'as found'}, "
        f"load average now {os.getloadavg()}"
    )
    print(f"targets: CPU < {CPU_TARGET_PERCENT} % of one core, memory < {RSS_TARGET_MB:.0f} MB")
    for key, label in (
        ("steady", "CPU after warm-up %"),
        ("cpu", "CPU whole run %"),
        ("peak", "peak MB, sampled"),
        ("high_water", "peak MB, high-water"),
        ("late", "resident at end MB"),
    ):
        row = [
            f"{statistics.median(r[key] for r in results[n]):.2f}" for n in results if results[n]
        ]
        print(f"{label:24} " + "  ".join(row) + ("   (new  old)" if args.old else ""))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="session time to measure")
    parser.add_argument("--output", default="null", help="null (no device needed) or auto")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--runs", type=int, default=1, help="runs of each, alternated")
    parser.add_argument("--old", default="", help="also run this commit's app/ (git archive)")
    parser.add_argument("--cold-cache", action="store_true", help="start with no voice cache")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    return compare(args)


if __name__ == "__main__":
    raise SystemExit(main())
