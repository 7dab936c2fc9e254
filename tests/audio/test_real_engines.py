"""The real engines on a short prompt: Piper (the default) and espeak-ng (the fallback)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from backbeat.audio.chime import ChimeEngine
from backbeat.audio.espeak_engine import EspeakEngine
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.tts import EngineUnavailable, as_floats
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
    assert np.sqrt(np.mean(as_floats(samples[:window]) ** 2)) > 0.005


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


def test_a_model_that_loaded_before_is_not_loaded_again_to_be_checked(tmp_path: Path) -> None:
    _piper_or_skip()
    first = PiperEngine(proof_dir=tmp_path)
    first.check()  # loads it and notes that it loads
    assert first._voice is not None
    again = PiperEngine(proof_dir=tmp_path)
    again.check()
    assert again._voice is None  # the first prompt not in the cache loads it
    raw, rate = again.synthesize("Ready.")
    assert rate == 22050 and len(raw) > 0


def test_a_model_that_stops_loading_is_checked_again_and_given_up(tmp_path: Path) -> None:
    engine = _piper_or_skip()
    model, config = engine._paths()
    copy = tmp_path / "voice.onnx"
    copy.write_bytes(model.read_bytes())
    Path(f"{copy}.json").write_bytes(config.read_bytes())
    PiperEngine(model_path=copy, proof_dir=tmp_path / "cache").check()
    copy.write_bytes(b"x" * copy.stat().st_size)  # the same size, broken
    changed = PiperEngine(model_path=copy, proof_dir=tmp_path / "cache")
    with pytest.raises(EngineUnavailable, match="could not be loaded"):
        changed.check()  # its time changed: checked again


def test_a_noted_model_that_fails_at_its_first_prompt_gives_way(tmp_path: Path) -> None:
    """The note is kept next to the cache; a model broken behind it (same size and time)
    fails at the first prompt not cached: the voice falls back and forgets the note. (The
    split made next to the cache from the good model is broken the same way: else the
    voice would speak from it without the whole model.)"""
    engine = _piper_or_skip()
    model, config = engine._paths()
    copy = tmp_path / "voice.onnx"
    copy.write_bytes(model.read_bytes())
    Path(f"{copy}.json").write_bytes(config.read_bytes())
    cache = tmp_path / "cache"
    PiperEngine(model_path=copy, proof_dir=cache).check()
    info = copy.stat()
    copy.write_bytes(b"x" * info.st_size)
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))
    for part in cache.glob("piper-split-*/*.onnx"):
        part.write_bytes(b"x" * part.stat().st_size)
    noted = PiperEngine(model_path=copy, proof_dir=cache)
    voice, status = choose_voice(engines=[noted, ChimeEngine()], cache_dir=cache)
    assert status.engine == "piper"
    voice.synthesize_now("Ready.")
    assert voice.status.engine == "chime" and "could not be loaded" in voice.status.message
    with pytest.raises(EngineUnavailable, match="could not be loaded"):
        PiperEngine(model_path=copy, proof_dir=cache).check()
