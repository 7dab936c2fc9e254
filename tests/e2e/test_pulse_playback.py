"""The terminal coach through a real PulseAudio null sink: what the sound card would get,
recorded with parec, has its clicks at the planned intervals."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backbeat.core.plan import build_plan
from backbeat.core.protocol_io import load_protocol
from tests.conftest import PROTOCOLS_DIR
from tests.e2e.pulse_capture import (
    RATE,
    PulseSetup,
    click_onsets,
    pulse_setup,
    read_capture,
    recording,
)

pytestmark = [pytest.mark.pulse, pytest.mark.slow]

BACKBEAT = [sys.executable, "-m", "backbeat"]
HOME = PROTOCOLS_DIR / "home-back-massage.yaml"


@pytest.fixture(scope="module")
def pulse_server() -> Iterator[PulseSetup]:
    with pulse_setup() as (setup, reason):
        if setup is None:
            pytest.skip(reason)
        yield setup


@pytest.mark.parametrize(
    ("output", "seconds"),
    [("portaudio", 20), ("simpleaudio", 10)],
    ids=["portaudio", "simpleaudio"],
)
def test_clicks_recorded_from_the_sound_server_keep_the_planned_intervals(
    pulse_server: PulseSetup, tmp_path: Path, output: str, seconds: int
) -> None:
    pulse_env = pulse_server.env
    server_underruns = pulse_server.underruns()  # the server's log is the module's
    capture = tmp_path / "capture.raw"
    with recording(capture, pulse_env):
        result = subprocess.run(
            [*BACKBEAT, "run", str(HOME), "--no-gui", "--no-voice", "--for", f"{seconds}s"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={
                **os.environ,
                **pulse_env,
                "BACKBEAT_AUDIO_OUTPUT": output,
                "XDG_STATE_HOME": str(tmp_path / "state"),  # its debug log counts underruns
            },
        )
    assert result.returncode == 0, result.stderr
    assert "No sound" not in result.stdout
    label = {"portaudio": "PortAudio", "simpleaudio": "simpleaudio"}[output]
    assert result.stdout.startswith(f"Sound output: {label}")  # which output, said once
    protocol = load_protocol(HOME)
    plan = build_plan(protocol, protocol.default_mode)
    planned = np.array([b.time for b in plan.beats_between(0, seconds)])
    found = np.array(click_onsets(read_capture(capture))) / RATE
    assert len(found) == len(planned), (found, planned)
    errors = np.diff(found) - np.diff(planned)
    # One stream: every interval exact to the sample (a sample is 0.023 ms), wherever the
    # sound kept up. A busy machine may underrun, and silence is played in place of what
    # came late: PortAudio tells the app (its debug log counts them), the server's own
    # underruns only its log (one event may be in both: the sum bounds them).
    log = tmp_path / "state" / "backbeat" / "log" / "backbeat.log"
    underruns = log.read_text().count("output underflow") if log.exists() else 0
    underruns += pulse_server.underruns() - server_underruns
    assert np.sum(np.abs(errors) > 1.5 / RATE) <= underruns, (errors, underruns)
