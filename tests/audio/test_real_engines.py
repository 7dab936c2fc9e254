"""The real engines on a short prompt: Piper (the default) and espeak-ng (the fallback)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from backbeat.audio.chime import ChimeEngine
from backbeat.audio.espeak_engine import EspeakEngine
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.tts import EngineUnavailable
from backbeat.audio.voice import PromptVoice, choose_voice
from backbeat.audio.voice_cache import VoiceCache
from tests.audio.helpers import RATE, at_voice_loudness


def _piper_or_skip() -> PiperEngine:
    engine = PiperEngine()
    try:
        engine.check()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    return engine


def test_piper_speaks_a_prompt_deterministically(tmp_path: Path) -> None:
    engine = _piper_or_skip()
    raw_a, rate = engine.synthesize("Move to the next spot.")
    raw_b, _ = engine.synthesize("Move to the next spot.")
    assert rate == 22050
    assert np.array_equal(raw_a, raw_b)  # noise scales at zero
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    samples = voice.synthesize_now("Move to the next spot.")
    assert 0.6 < len(samples) / RATE < 3.0
    assert at_voice_loudness(samples)
    # speech energy starts within 50 ms: the voice begins at the cue's time
    window = round(0.05 * RATE)
    assert np.sqrt(np.mean(samples[:window] ** 2)) > 0.005


def test_the_default_voice_here_is_piper(tmp_path: Path) -> None:
    _piper_or_skip()
    _, status = choose_voice(cache_dir=tmp_path)
    assert status.engine == "piper"


def test_a_missing_piper_model_is_reported_as_unavailable(tmp_path: Path) -> None:
    engine = PiperEngine(model_path=tmp_path / "missing.onnx")
    with pytest.raises(EngineUnavailable, match="missing"):
        engine.check()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_speaks_a_prompt() -> None:
    samples, rate = EspeakEngine().synthesize("Halfway through the session.")
    assert rate == 22050 and len(samples) / rate > 0.8
    assert np.max(np.abs(samples)) > 0.1


def test_a_missing_espeak_is_reported_as_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="not installed"):
        EspeakEngine(executable="espeak-ng-that-is-not-there").check()


def test_a_piper_model_that_does_not_load_is_not_announced_as_the_voice(tmp_path: Path) -> None:
    pytest.importorskip("piper")
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"this is not an onnx model")
    Path(f"{model}.json").write_text('{"audio": {"sample_rate": 22050}}')
    engine = PiperEngine(model_path=model)
    with pytest.raises(EngineUnavailable, match="could not be loaded"):
        engine.check()
    _, status = choose_voice(engines=[engine, ChimeEngine()], cache_dir=tmp_path)
    assert status.engine == "chime" and "could not be loaded" in status.message
    assert "Reinstall Backbeat with piper-tts" not in status.message  # Piper is installed


def test_a_cancelled_piper_prompt_stops_and_none_follows(tmp_path: Path) -> None:
    engine = _piper_or_skip()
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    long_text = " ".join(["Keep the pressure light and move slowly along the muscle."] * 12)
    voice.prepare([long_text, "Ready."])
    voice.close(timeout=30)  # generous: the point is that the worker ends, not how fast
    assert not voice.worker_running
    assert voice.samples_for(long_text) is None
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(EngineUnavailable):
        engine.synthesize("Ready.")
