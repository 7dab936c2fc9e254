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


def _click_peaks(samples: np.ndarray, plan: SessionPlan) -> np.ndarray:
    """Peak of each click: the 200 samples from its beat."""
    return np.array(
        [
            np.max(np.abs(samples[at : at + 200].astype(np.float64)))
            for at in (round(b.time * RATE) for b in plan.beats_between(0, plan.total))
        ]
    )


def test_the_full_mix_has_clicks_and_voice_and_ducks_clicks_under_speech(
    protocol_file: Path, tmp_path: Path
) -> None:
    full, voice_only, clicks_only = (tmp_path / f"{n}.wav" for n in ("full", "voice", "clicks"))
    result = backbeat("export", protocol_file, "-o", full)
    assert result.returncode == 0, result.stderr
    # Which voice spoke is said once every prompt is made, never before.
    lines = result.stderr.splitlines()
    told = [i for i, line in enumerate(lines) if line.startswith("Using the ")]
    assert len(told) == 1, result.stderr
    assert lines.index("Preparing the voice: 100%") < told[0] < lines.index("Rendering: 100%")
    for args, out in (("--no-metronome", voice_only), ("--no-voice", clicks_only)):
        other = backbeat("export", protocol_file, "-o", out, args)
        assert other.returncode == 0, other.stderr
    mix, voice, clicks = (
        read_wav(path)[0].astype(np.float64) for path in (full, voice_only, clicks_only)
    )
    plan = _plan(protocol_file)
    ends = min(len(mix), len(voice), len(clicks))
    # The mix is the sum of its parts: what is left without the voice is the clicks as heard.
    heard = _click_peaks(mix[:ends] - voice[:ends], plan)
    alone = _click_peaks(clicks[:ends], plan)
    assert heard.min() > 1000  # every click is heard, ducked or not
    ratio = heard / alone
    beats = [round(b.time * RATE) for b in plan.beats_between(0, plan.total)]
    quiet = round(0.2 * RATE)
    under = [
        i
        for i, at in enumerate(beats)
        if any(0.1 <= (at / RATE - c.time) <= 1.0 for c in plan.cues)
    ]
    clear = [i for i, at in enumerate(beats) if not voice[max(0, at - quiet) : at + quiet].any()]
    assert under and clear  # every prompt here lasts over a second
    assert ratio[under] == pytest.approx(10 ** (-10 / 20), abs=0.02)  # 10 dB down under speech
    assert ratio[clear] == pytest.approx(1.0, abs=0.01)  # full level in a silent stretch


def test_the_cue_sheet_may_not_overwrite_the_wav(protocol_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    result = backbeat("export", protocol_file, "-o", out, "--cues", tmp_path / "." / "a.wav")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "same file" in result.stderr and not out.exists()


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


@pytest.mark.parametrize("where", ["missing-folder", "folder", "unknown-format"])
def test_an_output_that_cannot_be_written_is_reported(
    protocol_file: Path, tmp_path: Path, where: str
) -> None:
    target = {
        "missing-folder": tmp_path / "nope" / "out.wav",
        "folder": tmp_path,
        "unknown-format": tmp_path / "out.aac",
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
