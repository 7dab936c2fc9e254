"""Beat timing as recorded from a PulseAudio null sink: Backbeat's one pre-rendered stream
(through PortAudio and through simpleaudio) versus a naive player that makes one play
call per click, side by side in one run.

Both play the first two minutes of the home back massage in stimulating mode (60-80
clicks a minute, across technique changes), each into its own null sink, recorded at the
same time. Each recorded interval between clicks is compared with the plan's interval.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np

from _pulse import RATE, REPO, TimedCapture, click_onsets, pulse_or_exit

PROTOCOL = REPO / "protocols" / "home-back-massage.yaml"
MODE = "stimulating"


def _plan_beats(seconds: float) -> np.ndarray:
    from backbeat.core.model import Mode
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import load_protocol

    plan = build_plan(load_protocol(PROTOCOL), Mode(MODE))
    return np.array([b.time for b in plan.beats_between(0, seconds)])


def naive_player(seconds: float) -> None:
    """One simpleaudio.play_buffer per click, each started when the clock says so."""
    import simpleaudio

    from backbeat.audio.clicks import make_click

    click = np.round(make_click("wood", RATE) * 0.7 * 32767).astype(np.int16)
    playing = []
    start = time.monotonic()
    for beat in _plan_beats(seconds):
        delay = start + beat - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        playing.append(simpleaudio.play_buffer(click, 1, 2, RATE))
        playing = [p for p in playing if p.is_playing()]
    time.sleep(0.5)


def stats(name: str, onsets: np.ndarray, planned: np.ndarray) -> None:
    if len(onsets) != len(planned):
        first = (onsets[:3] - onsets[0]) / RATE, planned[:3]
        last = (onsets[-3:] - onsets[0]) / RATE, planned[-3:]
        print(f"{name}: found {len(onsets)} clicks, planned {len(planned)} - cannot compare")
        print(f"  first (found, planned) {first}, last {last}")
        return
    found = onsets / RATE
    errors_ms = (np.diff(found) - np.diff(planned)) * 1000
    abs_err = np.abs(errors_ms)
    lateness = (found - found[0]) - (planned - planned[0])
    slope = np.polyfit(planned, lateness, 1)[0]  # seconds late per second played
    print(
        f"{name:<22} clicks {len(found):4d}  interval error ms: mean {errors_ms.mean():+.4f}  "
        f"std {errors_ms.std():.4f}  p99 |err| {np.percentile(abs_err, 99):.4f}  "
        f"max |err| {abs_err.max():.4f}  drift {slope * 60_000:+.3f} ms/min  "
        f"end offset {lateness[-1] * 1000:+.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive_player(args.seconds)
        return
    env = pulse_or_exit(extra_sinks=("cap2", "cap3"))
    base = {
        **os.environ,
        **env,
        "PYTHONPATH": str(REPO / "app"),
        "BACKBEAT_AUDIO_OUTPUT": "portaudio",
    }
    stream_cmd = [sys.executable, "-m", "backbeat", "run", str(PROTOCOL), "--no-gui"]
    stream_cmd += ["--no-voice", "--mode", MODE, "--for", f"{args.seconds}s"]
    naive_cmd = [sys.executable, __file__, "--naive", "--seconds", str(args.seconds)]
    print(f"recording {args.seconds:.0f} s from three null sinks ...", flush=True)
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL}
    simple_env = {**base, "PULSE_SINK": "cap3", "BACKBEAT_AUDIO_OUTPUT": "simpleaudio"}
    with TimedCapture("cap") as ours, TimedCapture("cap2") as naive, TimedCapture("cap3") as simple:
        players = [
            subprocess.Popen(stream_cmd, env=base, **quiet),  # type: ignore[call-overload]
            subprocess.Popen(
                naive_cmd, env={**base, "PULSE_SINK": "cap2"}, cwd=REPO / "benchmarks"
            ),
            subprocess.Popen(stream_cmd, env=simple_env, **quiet),  # type: ignore[call-overload]
        ]
        for player in players:
            player.wait()
    planned = _plan_beats(args.seconds)
    stats("one stream, PortAudio", np.array(click_onsets(ours.samples(), 20)), planned)
    stats("one stream, simpleaudio", np.array(click_onsets(simple.samples(), 20)), planned)
    stats("one call per click", np.array(click_onsets(naive.samples(), 20)), planned)


if __name__ == "__main__":
    main()
