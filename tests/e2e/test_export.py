"""``backbeat export``: the exported WAV analysed against the plan, as a listener hears it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from backbeat.audio.wav import read_wav
from backbeat.core.plan import SessionPlan, build_plan
from backbeat.core.protocol_io import load_protocol
from tests.audio.helpers import RATE, onsets
from tests.e2e.session_files import backbeat, write_short_protocol


@pytest.fixture(scope="module")
def protocol_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_short_protocol(tmp_path_factory.mktemp("protocol"))


def _plan(path: Path) -> SessionPlan:
    protocol = load_protocol(path)
    return build_plan(protocol, protocol.default_mode)


def test_every_click_is_on_the_plans_grid_to_the_sample(
    protocol_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "clicks.wav"
    result = backbeat("export", protocol_file, "-o", out, "--no-voice")
    assert result.returncode == 0, result.stderr
    samples, rate = read_wav(out)
    assert rate == 44100
    plan = _plan(protocol_file)
    planned = [round(b.time * RATE) for b in plan.beats_between(0, plan.total)]
    found = onsets(samples, 30)
    assert len(found) == len(planned) == 12 + 24
    assert max(abs(a - b) for a, b in zip(found, planned, strict=True)) <= 1
    assert len(samples) >= plan.total * RATE


def test_the_voice_begins_where_each_prompt_is_due(protocol_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "voice.wav"
    cues = tmp_path / "plan.json"
    result = backbeat("export", protocol_file, "-o", out, "--no-metronome", "--cues", cues)
    assert result.returncode == 0, result.stderr
    samples, _ = read_wav(out)
    sheet = json.loads(cues.read_text())
    assert sheet["total"] == 30.0 and [s["technique"] for s in sheet["steps"]] == [
        "planar-stroking",
        "sawing",
    ]
    x = samples.astype(np.float64) / 32768
    assert np.max(np.abs(x)) == pytest.approx(10 ** (-3 / 20), abs=0.01)  # peaks at -3 dBFS
    for cue in sheet["cues"]:
        at = round(cue["time"] * RATE)
        speech = x[at : at + round(0.3 * RATE)]
        assert np.sqrt(np.mean(speech**2)) > 0.02, cue  # speaking from the cue on
    first = round(sheet["cues"][1]["time"] * RATE)  # before a prompt that follows a gap
    previous_end = np.nonzero(np.abs(x[:first]) > 0.003)[0]
    gap_start = previous_end[-1] if len(previous_end) else 0
    assert gap_start < first - 0.2 * RATE


def test_the_full_mix_has_clicks_and_voice(protocol_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.wav"
    result = backbeat("export", protocol_file, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Using the Piper voice" in result.stderr or "voice" in result.stderr
    assert "Rendering: 100%" in result.stderr
    samples, _ = read_wav(out)
    plan = _plan(protocol_file)
    # a click during a silent stretch is at full level, a click under speech is ducked
    levels = []
    for beat in plan.beats_between(0, plan.total):
        at = round(beat.time * RATE)
        levels.append(np.max(np.abs(samples[at : at + 200].astype(np.float64))))
    assert min(levels) > 1000  # every click is heard


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "nothing=2m"], "no block 'nothing'"),
        (["--set", "stroking"], "write it as BLOCK=DURATION"),
        (["--total", "soon"], "--total 'soon'"),
        (["--no-voice", "--no-metronome"], "only silence"),
    ],
)
def test_bad_arguments_get_a_clear_message(
    protocol_file: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.wav"
    result = backbeat("export", protocol_file, "-o", out, *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_protocol_file_is_reported(tmp_path: Path) -> None:
    result = backbeat("export", tmp_path / "none.yaml", "-o", tmp_path / "x.wav")
    assert result.returncode == 1 and "none.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_output_option_is_a_usage_error(protocol_file: Path) -> None:
    result = backbeat("export", protocol_file)
    assert result.returncode == 2 and "-o/--output" in result.stderr


@pytest.mark.parametrize("where", ["missing-folder", "folder", "not-wav"])
def test_an_output_that_cannot_be_written_is_reported(
    protocol_file: Path, tmp_path: Path, where: str
) -> None:
    target = {
        "missing-folder": tmp_path / "nope" / "out.wav",
        "folder": tmp_path,
        "not-wav": tmp_path / "out.mp3",
    }[where]
    result = backbeat("export", protocol_file, "-o", target, "--no-voice")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(target) in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_folder_is_reported(protocol_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    result = backbeat("export", protocol_file, "-o", folder / "out.wav", "--no-voice")
    assert result.returncode == 1 and "permission denied" in result.stderr
