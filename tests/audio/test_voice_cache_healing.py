"""The voice cache checks every entry and heals damaged ones; one text an engine cannot
say costs that prompt alone its voice."""

from __future__ import annotations

import os
import struct
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from backbeat.audio.tts import EngineUnavailable
from backbeat.audio.voice import PromptVoice, speakable
from backbeat.audio.voice_cache import VoiceCache
from tests.audio.helpers import FakeEngine

TEXT = "Stroking."


def _made_once(cache_dir: Path) -> tuple[FakeEngine, npt.NDArray[np.float32], Path]:
    engine = FakeEngine()
    first = PromptVoice([engine], VoiceCache(cache_dir)).synthesize_now(TEXT)
    (entry,) = cache_dir.glob("*.wav")
    return engine, first, entry


def _damage_cut(entry: Path, size: int) -> None:
    entry.write_bytes(entry.read_bytes()[:size])


def _damage_half(entry: Path) -> None:
    _damage_cut(entry, len(entry.read_bytes()) // 2)


def _damage_channels(entry: Path) -> None:
    blob = bytearray(entry.read_bytes())
    blob[22:24] = struct.pack("<H", 0)
    entry.write_bytes(bytes(blob))


def _damage_one_sample(entry: Path) -> None:
    blob = bytearray(entry.read_bytes())
    blob[1000] ^= 0xFF
    entry.write_bytes(bytes(blob))


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: _damage_cut(e, 30),
        lambda e: _damage_cut(e, 44),
        _damage_half,
        _damage_channels,
        _damage_one_sample,
        lambda e: e.write_bytes(b""),
    ],
    ids=["30-bytes", "44-bytes", "half", "zero-channels", "one-sample", "empty"],
)
def test_a_damaged_entry_is_made_again_and_replaced(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    engine, first, entry = _made_once(tmp_path)
    damage(entry)
    cache = VoiceCache(tmp_path)
    again = PromptVoice([engine], cache).synthesize_now(TEXT)
    assert engine.calls == [TEXT, TEXT] and cache.healed == 1
    assert np.array_equal(first, again)
    healed = VoiceCache(tmp_path)
    assert np.array_equal(PromptVoice([engine], healed).synthesize_now(TEXT), first)
    assert healed.hits == 1 and engine.calls == [TEXT, TEXT]  # the replacement is whole
    assert [p.name for p in tmp_path.iterdir()] == [entry.name]  # no temporary files


def test_a_fifo_in_the_cache_is_skipped_without_opening_it(tmp_path: Path) -> None:
    engine, first, entry = _made_once(tmp_path)
    entry.unlink()
    os.mkfifo(entry)
    result: list[npt.NDArray[np.float32]] = []
    worker = threading.Thread(
        target=lambda: result.append(
            PromptVoice([engine], VoiceCache(tmp_path)).synthesize_now(TEXT)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(10)
    assert result and np.array_equal(result[0], first)  # it did not hang on the FIFO


def test_a_folder_in_the_cache_is_left_alone_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    engine, first, entry = _made_once(tmp_path)
    entry.unlink()
    entry.mkdir()
    assert np.array_equal(PromptVoice([engine], VoiceCache(tmp_path)).synthesize_now(TEXT), first)
    assert entry.is_dir() and [p.name for p in tmp_path.iterdir()] == [entry.name]


class _NoNul(FakeEngine):
    """Like Piper, which cannot say a text holding NUL; every other text works."""

    def synthesize(self, text: str) -> tuple[npt.NDArray[np.float32], int]:
        if "\0" in text or "bad" in text:
            self.calls.append(text)
            raise EngineUnavailable(f"{self.name} cannot say that")
        return super().synthesize(text)


def test_a_text_one_engine_cannot_say_degrades_that_prompt_only(tmp_path: Path) -> None:
    piper, espeak = _NoNul("piper"), FakeEngine("espeak-ng")
    voice = PromptVoice([piper, espeak], VoiceCache(tmp_path))
    assert voice.synthesize_now("A bad title.") is not None
    assert espeak.calls == ["A bad title."]
    voice.synthesize_now("Kneading.")
    assert piper.calls[-1] == "Kneading." and espeak.calls == ["A bad title."]
    assert voice.status.engine == "piper"


def test_control_characters_are_cleaned_before_any_engine_hears_them() -> None:
    assert speakable("Fingertip\0 circles\x1b[2J.\ud800\n Next") == "Fingertip circles [2J. Next"
    assert speakable("\0") == "."
