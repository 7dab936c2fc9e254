"""Piper's decoder in overlapping chunks: the same waveform as the decoder over the whole
sentence, weights at half precision that speak as the whole model does, the whole model
again (with its own cache key) when the split is missing or damaged, a prompt still stops
when cancelled, and the split set-up makes is used without another in the cache."""

from __future__ import annotations

import itertools
import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backbeat.audio import piper_chunked, voice_setup
from backbeat.audio.piper_chunked import ChunkedDecoderSession, split_directory
from backbeat.audio.piper_engine import PiperEngine, _CancellableSession
from backbeat.audio.piper_split import DECODER_FILE
from backbeat.audio.tts import EngineUnavailable
from backbeat.audio.voice import PromptVoice
from backbeat.audio.voice_cache import VoiceCache

#: One sentence of ~10 s: nine chunks of the decoder.
LONG_SENTENCE = (
    "Now slowly glide both palms up along either side of the spine, keep the pressure "
    "even and steady, and let your hands follow the shape of the back until they reach "
    "the shoulders."
)
#: Inaudible: float rounding is ~1e-7 with the overlap the app uses.
TOLERANCE = 1e-5


@pytest.fixture(autouse=True)
def no_installed_split(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The environment's split (``./dev setup`` makes one) is not seen: each test says
    where its split is, and a damaged one removed is never the environment's."""
    installed = tmp_path_factory.mktemp("installed")
    monkeypatch.setattr(piper_chunked, "installed_splits_dir", lambda: installed)
    return installed


class _Session:
    """A model stand-in: a fixed function of its input, like onnxruntime's ``run``."""

    def __init__(self, function: Any, input_name: str, output_name: str) -> None:
        self._function = function
        self._input = input_name
        self._output = output_name

    def get_inputs(self) -> list[Any]:
        return [type("Value", (), {"name": self._input})]

    def get_outputs(self) -> list[Any]:
        return [type("Value", (), {"name": self._output})]

    def run(self, names: Any, feed: dict[str, Any], options: Any = None) -> list[Any]:
        return [self._function(feed[self._input])]


def _local_decoder(z: Any) -> Any:
    """Each frame's 4 samples depend on the frames up to 3 away (zeros beyond the ends)."""
    padded = np.pad(z.sum(axis=1), ((0, 0), (3, 3)))
    mixed = sum(padded[:, k : k + z.shape[-1]] * (k + 1) for k in range(7))
    return np.repeat(mixed, 4, axis=-1)[:, None, None, :].astype(np.float32)


def test_chunks_with_enough_overlap_make_exactly_the_whole_output() -> None:
    z = np.random.default_rng(1).standard_normal((1, 3, 437)).astype(np.float32)
    front = _Session(lambda _: z, "input", "z")
    session = ChunkedDecoderSession(front, _Session(_local_decoder, "z", "output"), None)
    (audio,) = session.run(None, {"input": np.zeros(1)})
    whole = _local_decoder(z)
    assert audio.shape == whole.shape and audio.dtype == whole.dtype
    np.testing.assert_allclose(audio, whole, rtol=0, atol=1e-4)


def test_a_model_that_cannot_be_split_is_reported_and_left_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("onnx")
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger=piper_chunked.__name__):
        assert split_directory(model, tmp_path / "cache") is None
    assert "runs whole" in caplog.text
    assert not list((tmp_path / "cache").glob("piper-split-*"))


def test_without_onnx_the_model_is_left_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"model")
    monkeypatch.setattr(piper_chunked, "_SPLITTING_PACKAGES", ("no-such-package-here",))
    assert split_directory(model, tmp_path / "cache") is None


@pytest.fixture(scope="module")
def split_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A voice cache where the bundled model is split (made once: ~2 s)."""
    pytest.importorskip("onnx")
    engine = PiperEngine()
    try:
        engine.check()
    except EngineUnavailable as error:
        pytest.skip(str(error))
    cache = tmp_path_factory.mktemp("voice")
    nowhere = tmp_path_factory.mktemp("no-installed-split")
    if split_directory(engine.model_file(), cache, installed_dir=nowhere) is None:
        pytest.fail("the bundled model could not be split")
    return cache


def _whole(text: str) -> Any:
    return PiperEngine().synthesize(text)[0]


def test_the_chunked_decoder_matches_the_decoder_over_the_whole_sentence(
    split_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = PiperEngine(proof_dir=split_cache)
    chunked, rate = engine.synthesize(LONG_SENTENCE + " Ready.")
    assert isinstance(engine._voice.session, ChunkedDecoderSession)
    monkeypatch.setattr(piper_chunked, "CHUNK_FRAMES", 10**6)  # one chunk: the whole z
    whole, _ = engine.synthesize(LONG_SENTENCE + " Ready.")
    assert rate == 22050 and chunked.shape == whole.shape and chunked.dtype == whole.dtype
    assert float(np.max(np.abs(chunked - whole))) < TOLERANCE


def _band_levels(audio: Any, rate: int) -> Any:
    """The level (dB) of 24 bands, 100 Hz to 8 kHz, over the whole utterance."""
    power = np.abs(np.fft.rfft(audio)) ** 2
    hertz = np.fft.rfftfreq(len(audio), 1 / rate)
    edges = np.geomspace(100, 8000, 25)
    bands = [power[(hertz >= lo) & (hertz < hi)].mean() for lo, hi in itertools.pairwise(edges)]
    return 10 * np.log10(np.array(bands))


def test_the_split_at_half_precision_speaks_as_the_whole_model_does(
    split_cache: Path,
) -> None:
    engine = PiperEngine(proof_dir=split_cache)
    half, rate = engine.synthesize(LONG_SENTENCE)
    assert engine.settings_id.endswith(",weights=half")
    whole = _whole(LONG_SENTENCE)
    # A phoneme may last one frame (256 samples) longer or shorter, no more.
    assert abs(len(half) - len(whole)) <= 2 * 256
    assert np.max(np.abs(_band_levels(half, rate) - _band_levels(whole, rate))) < 1.0
    level = 20 * np.log10(np.sqrt(np.mean(half**2)) / np.sqrt(np.mean(whole**2)))
    assert abs(level) < 0.2


def test_a_damaged_split_gives_way_to_the_whole_model(
    split_cache: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "voice"
    shutil.copytree(split_cache, cache)
    (split,) = cache.glob("piper-split-*")
    decoder = split / DECODER_FILE
    decoder.write_bytes(b"x" * decoder.stat().st_size)
    engine = PiperEngine(proof_dir=cache)
    with caplog.at_level(logging.WARNING, logger=piper_chunked.__name__):
        audio, _ = engine.synthesize("Ready.")
    assert isinstance(engine._voice.session, _CancellableSession)
    assert "would not load" in caplog.text
    assert not split.exists()  # made again at the next load
    assert float(np.max(np.abs(audio - _whole("Ready.")))) < TOLERANCE
    # The whole model's prompts are cached apart from the half-precision split's.
    assert engine.settings_id == PiperEngine().settings_id


def test_a_cancelled_chunked_prompt_stops_and_none_follows(
    split_cache: Path, tmp_path: Path
) -> None:
    engine = PiperEngine(proof_dir=split_cache)
    engine.check()
    assert isinstance(engine._voice.session, ChunkedDecoderSession)
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    long_text = " ".join([LONG_SENTENCE] * 6)
    voice.prepare([long_text, "Ready."])
    voice.close(timeout=30)  # generous: the point is that the worker ends, not how fast
    assert not voice.worker_running
    assert voice.samples_for(long_text) is None
    with pytest.raises(EngineUnavailable):
        engine.synthesize("Ready.")


def test_the_split_set_up_made_is_used_and_none_is_made_in_the_cache(
    split_cache: Path, tmp_path: Path
) -> None:
    (made,) = split_cache.glob("piper-split-*")
    installed = tmp_path / "installed"
    shutil.copytree(made, installed / made.name)
    cache = tmp_path / "voice"
    model = PiperEngine().model_file()
    assert split_directory(model, cache, installed_dir=installed) == installed / made.name
    assert not cache.exists()


def test_set_up_splits_the_model_into_the_environment(
    no_installed_split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("onnx")
    stale = no_installed_split / "piper-split-1-0123456789abcdef"
    stale.mkdir()  # a split of an older model or onnx: removed
    assert voice_setup.main() == 0
    (split,) = no_installed_split.glob("piper-split-*")
    assert split != stale and sorted(p.name for p in split.iterdir()) == sorted(
        [DECODER_FILE, "front.onnx"]
    )
    assert str(split) in capsys.readouterr().out
