"""End to end through a PulseAudio virtual microphone: "coach, next" is played into a
null sink whose monitor is the coach's input device, while ``run --no-gui
--voice-commands`` plays the session into another sink; the coach prints ``heard: next``
and its status line moves on to the second technique, and the sound is never lost."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backbeat.core.durations import format_clock
from backbeat.core.plan import build_plan
from backbeat.core.protocol_io import load_protocol
from tests.conftest import PROTOCOLS_DIR
from tests.e2e.pulse_capture import pulse
from tests.listen.corpus import Synthesiser, padded

pytestmark = [pytest.mark.pulse, pytest.mark.slow]

BACKBEAT = [sys.executable, "-m", "backbeat"]
HOME = PROTOCOLS_DIR / "home-back-massage.yaml"
MIC_SINK = "voicemic"


@pytest.fixture(scope="module")
def synth(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Synthesiser:
    pytest.importorskip("piper")
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("backbeat-voice-corpus") if cache else tmp_path_factory.mktemp("c")
    return Synthesiser(Path(folder) / "speech")


@pytest.fixture(scope="module")
def pulse_env() -> Iterator[dict[str, str]]:
    with pulse() as (env, reason):
        if env is None:
            pytest.skip(reason)
        full = {**os.environ, **env}
        loaded = subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={MIC_SINK}"],
            env=full,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if loaded.returncode != 0:
            pytest.skip(f"no second null sink: {loaded.stderr.strip()}")
        yield {**env, "PULSE_SOURCE": f"{MIC_SINK}.monitor"}


def _write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(samples.astype("<i2").tobytes())


class LineReader:
    """The coach's stdout, line by line, read in a thread (so waits have timeouts)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines):
                if text in line:
                    return index
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not printed in {timeout} s: {self.lines}")


def test_coach_next_spoken_into_the_microphone_moves_on(
    pulse_env: dict[str, str], tmp_path: Path, synth: Synthesiser
) -> None:
    said = tmp_path / "coach-next.wav"
    _write_wav(said, padded(synth.speak("Coach, next.", "piper-joe", "normal"), 0.3, 0.8))
    protocol = load_protocol(HOME)
    first, second = build_plan(protocol, protocol.default_mode).steps[:2]
    # The coach's debug log (underruns, device losses) in the test's folder, to show.
    env = {**os.environ, **pulse_env, "XDG_STATE_HOME": str(tmp_path / "state")}
    coach = subprocess.Popen(
        [
            *BACKBEAT,
            "run",
            str(HOME),
            "--no-gui",
            "--voice-commands",
            "--input-device",
            "pulse",
            # Longer than the jump: "next" from 12 s goes to 45 s, and a jump past the
            # --for limit ends the session there (what the last run saw: no new line).
            "--for",
            "60s",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        out = LineReader(coach)
        listening = out.wait_for("Listening for voice commands", 30)
        started = out.wait_for(f" · {first.technique.title} · ", 30)
        # Between the first technique's prompts (0-9 s) and the next (41 s): while the
        # coach speaks, the microphone is not listened to.
        time.sleep(12.0)
        heard = _say_until_heard(said, out, env, tmp_path)
        moved = out.wait_for(f" · {second.technique.title} · ", 5)
        assert listening < started < heard < moved
        # Moved there by the command, some 14 s into the session: at the second
        # technique's start (not carried there by the clock, 30 s later).
        assert f"session {format_clock(second.start)}/" in out.lines[moved], out.lines[moved]
        lost = [line for line in out.lines if "Sound lost" in line]
        assert not lost, _debug_log(tmp_path)
    finally:
        coach.terminate()
        coach.wait(20)


def _say_until_heard(said: Path, out: LineReader, env: dict[str, str], folder: Path) -> int:
    """Say the command, and again (twice at most, as someone not heard would) when the
    coach did not take it; the index of its "heard" line."""
    for _ in range(3):
        subprocess.run(
            ["paplay", f"--device={MIC_SINK}", str(said)], env=env, check=True, timeout=20
        )
        with contextlib.suppress(AssertionError):
            return out.wait_for("heard: next", 6)
    raise AssertionError(f"'heard: next' never printed: {out.lines}\n{_debug_log(folder)}")


def _debug_log(folder: Path) -> str:
    logs = list((folder / "state").rglob("*.log"))
    return "\n".join(path.read_text(errors="replace")[-3000:] for path in logs)
