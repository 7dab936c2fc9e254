"""The live session through a real PulseAudio server (started here, for this test only):
the terminal coach driven by keys through tmux, what the sink really got recorded with
parec. Pauses must not replay or lose a click; a server that dies and comes back is
reported, timed through, and heard again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backbeat.cli.terminal_coach import KEYS_HELP
from tests.e2e.pulse_capture import (
    RATE,
    PulseSetup,
    click_onsets,
    pulse_setup,
    read_capture,
    recording,
)

pytestmark = [pytest.mark.pulse, pytest.mark.slow]

#: One technique at 120 movements a minute: a click every half second.
BEAT_PROTOCOL = """\
id: beat-120
title: Beat test
description: One block at 120 a minute.
default_mode: stimulating
blocks:
  - id: rubbing
    title: Rubbing
    duration: 60s
    techniques:
      - id: sawing
        title: Sawing
        how: The edges of your hands saw to and fro.
        hands: both
        path: straight
        direction: across-muscle
        zones: [sides]
        pressure: light
        rhythm: {relaxing: 60, stimulating: 120}
"""
INTERVAL = RATE // 2
SECONDS = 20
PAUSES = 6
#: When to press Space, after a click as recorded: the pause then falls in the quiet
#: (a click rings 62 ms; the pause took effect some 25 ms after the press, measured).
PRESS_AFTER_CLICK = 0.2


@pytest.fixture
def pulse_server() -> Iterator[PulseSetup]:
    with pulse_setup() as (setup, reason):
        if setup is None:
            pytest.skip(reason)
        yield setup


@pytest.fixture
def beat_file(tmp_path: Path) -> Path:
    path = tmp_path / "beat.yaml"
    path.write_text(BEAT_PROTOCOL, encoding="utf-8")
    return path


def heard_clicks(samples: np.ndarray) -> np.ndarray:
    """Onsets of the clicks a listener hears as clicks: at least half the loudness of a
    whole click (the tail of a click cut by a pause, faded back in, is not one)."""
    onsets = np.array(click_onsets(samples))
    peaks = np.array([np.abs(samples[o : o + RATE // 50].astype(int)).max() for o in onsets])
    return onsets[peaks >= 0.5 * np.median(peaks)]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_pauses_through_tmux_neither_replay_nor_lose_a_click(
    pulse_server: PulseSetup, beat_file: Path, tmp_path: Path
) -> None:
    env = {**os.environ, **pulse_server.env, "BACKBEAT_AUDIO_OUTPUT": "portaudio"}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")  # the debug log, for the underruns
    session = f"backbeat-test-{os.getpid()}"
    done = tmp_path / "exit-status"
    command = (
        f"{sys.executable} -m backbeat run {beat_file} --no-gui --no-voice --for {SECONDS}s"
        f" > {tmp_path / 'out.txt'} 2> {tmp_path / 'err.txt'}; echo $? > {done}"
    )
    capture = tmp_path / "capture.raw"
    tmux = ["tmux", "-L", session]
    with recording(capture, pulse_server.env):
        subprocess.run(
            [*tmux, "new-session", "-d", "-s", session, "-x", "160", "-y", "10", command],
            env=env,
            check=True,
        )
        try:
            # Keys once the coach is listening for them (it says so), as a user would.
            _wait_for_text(tmp_path / "out.txt", KEYS_HELP, 30)
            time.sleep(1.0)
            for index in range(PAUSES):
                _when_between_clicks(capture)
                subprocess.run([*tmux, "send-keys", "-t", session, "Space"], check=True)
                time.sleep(0.6 + 0.1 * index)
                subprocess.run([*tmux, "send-keys", "-t", session, "Space"], check=True)
                time.sleep(1.1 + 0.07 * index)
            deadline = time.monotonic() + 60
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert done.exists(), _what_the_coach_said(tmp_path, screen)
    assert done.read_text().strip() == "0", _what_the_coach_said(tmp_path, screen)
    assert "Sound output: PortAudio" in (tmp_path / "out.txt").read_text()
    assert (tmp_path / "err.txt").read_text() == ""  # no ALSA or PortAudio lines
    clicks = np.array(click_onsets(read_capture(capture)))  # every onset, however faint
    assert len(clicks) == SECONDS * 2  # the plan's number: nothing twice, nothing lost
    gaps = np.diff(clicks)
    paused = gaps > INTERVAL + RATE // 4
    assert paused.sum() == PAUSES  # each pause is one longer gap ...
    off_grid = np.abs(gaps[~paused] - INTERVAL) > 1
    # ... and the rest is on the grid, to the sample, wherever the sound kept up. A busy
    # machine may underrun, and silence is played in place of what came late: PortAudio
    # tells the app (its debug log counts them), the server's own only its log
    # (one event may be in both: the sum bounds them).
    log = tmp_path / "state" / "backbeat" / "log" / "backbeat.log"
    underruns = log.read_text().count("output underflow") if log.exists() else 0
    underruns += pulse_server.underruns()
    assert off_grid.sum() <= underruns, (gaps[~paused][off_grid], underruns)
    # Silence played in place only delays: a click early would be one replayed or skipped.
    assert (gaps[~paused] >= INTERVAL - 2).all(), gaps[~paused]


def _when_between_clicks(capture: Path, after: float = PRESS_AFTER_CLICK) -> None:
    """Return ``after`` seconds past a click, as the recording hears it (it lags the
    speaker a little, and the pause then takes a tick and the output's latency): so the
    pause falls in the quiet between two clicks. A pause inside a click is exact too (the
    resume goes on from that sample, tests/audio), but the rest of a cut click, heard
    after the pause, cannot be told from a click by ear or by this count."""
    tail_bytes = 2 * RATE * 2  # the last second: two clicks at least
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        size = capture.stat().st_size
        with capture.open("rb") as recorded:
            recorded.seek(max(0, size - tail_bytes) // 2 * 2)
            tail = np.frombuffer(recorded.read(), dtype="<i2")
        onsets = click_onsets(tail)
        if onsets:
            since = (len(tail) - onsets[-1]) / RATE
            if since <= after:
                time.sleep(after - since)
                return
            if since < INTERVAL / RATE:  # past the moment: wait for the next click
                time.sleep(INTERVAL / RATE - since + 0.005)
                continue
        time.sleep(0.005)
    raise AssertionError("no click recorded for 10 s")


def _wait_for_text(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in {path.name} within {timeout} s")


def _what_the_coach_said(folder: Path, screen: str) -> str:
    """Its output, errors, terminal and debug log: why it did not end as it should."""
    parts = [f"screen:\n{screen}"]
    for name in ("out.txt", "err.txt"):
        if (folder / name).exists():
            parts.append(f"{name}:\n{(folder / name).read_text(errors='replace')[-3000:]}")
    for log in (folder / "state").rglob("*.log"):
        parts.append(f"debug log:\n{log.read_text(errors='replace')[-3000:]}")
    return "\n".join(parts)


def test_a_sound_server_that_dies_is_reported_timed_through_and_heard_again(
    pulse_server: PulseSetup, beat_file: Path, tmp_path: Path
) -> None:
    env = {**os.environ, **pulse_server.env, "BACKBEAT_AUDIO_OUTPUT": "portaudio"}
    limit = 16
    began = time.monotonic()
    coach = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backbeat",
            "run",
            str(beat_file),
            "--no-gui",
            "--no-voice",
            "--for",
            f"{limit}s",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4.0)
        pulse_server.kill_server()
        time.sleep(3.0)
        assert pulse_server.start_server() == ""
        capture = tmp_path / "after.raw"
        with recording(capture, pulse_server.env):
            time.sleep(2.0)
        out, err = coach.communicate(timeout=60)
    finally:
        if coach.poll() is None:
            coach.kill()
    took = time.monotonic() - began
    assert coach.returncode == 0, err
    lost = [line for line in out.splitlines() if line.startswith("Sound lost (")]
    assert len(lost) == 1 and lost[0].endswith("Still timing the session; trying to reconnect.")
    assert any(line.startswith("Sound is back") for line in out.splitlines())
    assert "ALSA lib" not in err and "Expression '" not in err and "Traceback" not in err
    # The session kept its clock: it ends on time (a new stream of a just-restarted
    # null sink waits up to ~2 s before it takes frames: allowed for).
    assert took < limit + 1.5 + 2.5, took
    assert len(heard_clicks(read_capture(capture))) >= 2  # the sound is back
