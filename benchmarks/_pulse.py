"""Shared by the PulseAudio benchmarks: the null sinks and a capture that knows when
each recorded sample arrived (to turn capture positions into wall-clock times)."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "app")]

from tests.e2e.pulse_capture import (  # noqa: E402
    PRE_ROLL_SECONDS,
    RATE,
    click_onsets,
    ensure_pulse,
    keep_sink_awake,
)

__all__ = ["PRE_ROLL_SECONDS", "RATE", "REPO", "TimedCapture", "click_onsets", "pulse_or_exit"]


def pulse_or_exit(extra_sinks: tuple[str, ...] = ()) -> dict[str, str]:
    env, reason = ensure_pulse()
    if env is None:
        print(f"skipped: {reason}")
        raise SystemExit(0)
    os.environ.update(env)  # pactl, parec and the players reach this private server
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True)
    for sink in extra_sinks:
        if sink not in sinks.stdout.split():
            subprocess.run(
                ["pactl", "load-module", "module-null-sink", f"sink_name={sink}"],
                capture_output=True,
                check=True,
            )
        _keep_alive(sink)
    if extra_sinks:
        time.sleep(2.5)  # their first long block passes
    return env


def _keep_alive(sink: str) -> None:
    atexit.register(keep_sink_awake(sink, {}).kill)


class TimedCapture:
    """parec on a sink's monitor, read in 5 ms pieces; the arrival time of each piece
    gives the wall-clock (time.monotonic) time of every sample, to within the capture
    latency (the earliest-arriving piece is used, so the estimate is never too early
    by more than one piece)."""

    def __init__(self, sink: str) -> None:
        self.sink = sink
        self._chunks: list[bytes] = []
        self._arrivals: list[tuple[float, int]] = []  # (monotonic time, samples so far)
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> TimedCapture:
        self._proc = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{self.sink}.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=5",
            ],
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        time.sleep(PRE_ROLL_SECONDS)
        return self

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        total = 0
        while True:
            data = self._proc.stdout.read(441)
            if not data:
                return
            now = time.monotonic()
            self._chunks.append(data)
            total += len(data)
            self._arrivals.append((now, total // 2))

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)
        assert self._proc is not None and self._thread is not None
        self._proc.terminate()
        self._proc.wait(10)
        self._thread.join(5)

    def samples(self) -> npt.NDArray[np.int16]:
        data = b"".join(self._chunks)
        return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16)

    def wall_time(self, sample: int) -> float:
        """When ``sample`` came out of the sound server (time.monotonic seconds)."""
        offset = min(t - n / RATE for t, n in self._arrivals)
        return offset + sample / RATE
