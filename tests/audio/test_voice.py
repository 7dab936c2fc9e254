"""The prompt voice: background synthesis, the disk cache and the fallback chain."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from backbeat.audio.chime import ChimeEngine
from backbeat.audio.tts import EngineUnavailable
from backbeat.audio.voice import (
    PromptVoice,
    choose_voice,
    prepare_speech,
)
from backbeat.audio.voice_cache import VoiceCache, cache_key
from tests.audio.helpers import RATE, FakeEngine, at_voice_loudness


def test_speech_is_trimmed_resampled_and_brought_to_the_voice_loudness() -> None:
    raw = np.concatenate([np.zeros(2205), 0.2 * np.sin(np.arange(22050) / 5.0), np.zeros(2205)])
    out = prepare_speech(raw.astype(np.float32), 22050, RATE)
    assert at_voice_loudness(out)
    assert len(out) == pytest.approx(2 * 22050, abs=2 * 0.005 * RATE + 64)
    assert np.max(np.abs(out[:300])) > 0.01  # the voice begins (almost) at once


def test_prompts_are_made_in_the_background_and_ready_after_wait(tmp_path: Path) -> None:
    engine = FakeEngine()
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    assert voice.samples_for("Hello there.") is None
    voice.prepare(["Hello there.", "Next: kneading.", "Hello there."])
    assert voice.wait_ready(10)
    hello = voice.samples_for("Hello there.")
    assert hello is not None and at_voice_loudness(hello)
    assert engine.calls == ["Hello there.", "Next: kneading."]


def test_a_second_start_reads_the_disk_cache_instead_of_synthesising(tmp_path: Path) -> None:
    first_engine = FakeEngine()
    first = PromptVoice([first_engine], VoiceCache(tmp_path))
    made = first.synthesize_now("Move to the next spot.")
    second_engine = FakeEngine()
    cache = VoiceCache(tmp_path)
    second = PromptVoice([second_engine], cache)
    again = second.synthesize_now("Move to the next spot.")
    assert second_engine.calls == [] and cache.hits == 1
    assert np.array_equal(made, again)  # what was heard is what the cache holds
    assert len(list(tmp_path.glob("*.wav"))) == 1
    assert not list(tmp_path.glob("*.part"))  # written atomically


def test_the_cache_key_changes_with_engine_voice_settings_and_text() -> None:
    base = cache_key("piper", "joe", "noise=0", RATE, "Halfway.")
    assert base == cache_key("piper", "joe", "noise=0", RATE, "Halfway.")
    others = {
        cache_key("espeak-ng", "joe", "noise=0", RATE, "Halfway."),
        cache_key("piper", "amy", "noise=0", RATE, "Halfway."),
        cache_key("piper", "joe", "noise=1", RATE, "Halfway."),
        cache_key("piper", "joe", "noise=0", 48000, "Halfway."),
        cache_key("piper", "joe", "noise=0", RATE, "Halfway!"),
    }
    assert base not in others and len(others) == 5


def test_a_different_engine_does_not_reuse_another_engines_prompt(tmp_path: Path) -> None:
    PromptVoice([FakeEngine("piper")], VoiceCache(tmp_path)).synthesize_now("Stroking.")
    espeak = FakeEngine("espeak-ng")
    PromptVoice([espeak], VoiceCache(tmp_path)).synthesize_now("Stroking.")
    assert espeak.calls == ["Stroking."]


def test_a_damaged_cache_file_is_made_again(tmp_path: Path) -> None:
    engine = FakeEngine()
    PromptVoice([engine], VoiceCache(tmp_path)).synthesize_now("Stroking.")
    for path in tmp_path.glob("*.wav"):
        path.write_bytes(b"garbage")
    PromptVoice([engine], VoiceCache(tmp_path)).synthesize_now("Stroking.")
    assert engine.calls == ["Stroking.", "Stroking."]


def test_piper_is_used_when_it_works(tmp_path: Path) -> None:
    _, status = choose_voice(
        engines=[FakeEngine("piper"), FakeEngine("espeak-ng")], cache_dir=tmp_path
    )
    assert status.engine == "piper" and status.message == "Using the Piper voice."


def test_a_missing_fallback_engine_does_not_worry_a_piper_user(tmp_path: Path) -> None:
    _, status = choose_voice(
        engines=[FakeEngine("piper"), FakeEngine("espeak-ng", available=False)],
        cache_dir=tmp_path,
    )
    assert status.engine == "piper" and status.message == "Using the Piper voice."


def test_without_piper_espeak_speaks_and_the_user_is_told_why(tmp_path: Path) -> None:
    espeak = FakeEngine("espeak-ng")
    voice, status = choose_voice(
        engines=[FakeEngine("piper", available=False), espeak], cache_dir=tmp_path
    )
    assert status.engine == "espeak-ng"
    assert "piper is not installed" in status.message
    voice.synthesize_now("Stroking.")
    assert espeak.calls == ["Stroking."]


def test_without_any_engine_a_chime_sounds_and_the_text_is_shown(tmp_path: Path) -> None:
    voice, status = choose_voice(
        engines=[FakeEngine("piper", available=False), FakeEngine("espeak-ng", available=False)],
        cache_dir=tmp_path,
    )
    assert status.engine == "chime"
    assert "text is shown" in status.message and "espeak-ng is not installed" in status.message
    chime = voice.synthesize_now("Stroking.")
    assert at_voice_loudness(chime)
    assert voice.synthesize_now("Kneading.") is not None
    assert not list(tmp_path.glob("*.wav"))  # the chime is not worth caching


def test_an_engine_that_fails_while_speaking_falls_back_to_the_next(tmp_path: Path) -> None:
    espeak = FakeEngine("espeak-ng")
    voice, status = choose_voice(
        engines=[FakeEngine("piper", fails=True), espeak], cache_dir=tmp_path
    )
    assert status.engine == "piper"
    voice.prepare(["Stroking."])
    assert voice.wait_ready(10)
    assert voice.samples_for("Stroking.") is not None
    assert voice.status.engine == "espeak-ng" and "piper crashed" in voice.status.message


def test_prefer_puts_an_engine_first(tmp_path: Path) -> None:
    _, status = choose_voice(
        "espeak-ng", engines=[FakeEngine("piper"), FakeEngine("espeak-ng")], cache_dir=tmp_path
    )
    assert status.engine == "espeak-ng"


def test_close_drops_the_queued_prompts(tmp_path: Path) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    voice.prepare(["One.", "Two.", "Three."])
    gate.set()
    voice.close()
    assert len(engine.calls) <= 2


def test_chime_engine_is_always_available() -> None:
    engine = ChimeEngine()
    engine.check()
    samples, rate = engine.synthesize("anything")
    assert rate == RATE and 0.5 * RATE < len(samples) < 2 * RATE


class _OneAtATime(FakeEngine):
    """Counts how many threads are inside the engine at once."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__(gate=gate)
        self.entered = threading.Event()
        self.inside = 0
        self.most_inside = 0
        self._count = threading.Lock()

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        with self._count:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.entered.set()
        try:
            return super().synthesize(text)
        finally:
            with self._count:
                self.inside -= 1


def test_synthesize_now_waits_for_the_worker_instead_of_using_the_engine_alongside_it(
    tmp_path: Path,
) -> None:
    gate = threading.Event()
    engine = _OneAtATime(gate)
    voice = PromptVoice([engine], VoiceCache(tmp_path))
    voice.prepare(["One."])
    assert engine.entered.wait(10)  # the worker is inside the engine
    made: list[np.ndarray] = []
    caller = threading.Thread(target=lambda: made.append(voice.synthesize_now("Two.")))
    caller.start()
    caller.join(0.3)  # room for the caller to (wrongly) enter the engine too
    gate.set()
    caller.join(10)
    assert voice.wait_ready(10)
    assert engine.most_inside == 1
    assert len(made) == 1 and voice.samples_for("One.") is not None


def test_two_threads_falling_back_at_once_drop_only_the_failed_engine(tmp_path: Path) -> None:
    gate = threading.Event()
    piper = FakeEngine("piper", fails=True, gate=gate)
    espeak = FakeEngine("espeak-ng")
    voice = PromptVoice([piper, espeak, ChimeEngine()], VoiceCache(tmp_path))
    voice.prepare(["One."])
    caller = threading.Thread(target=voice.synthesize_now, args=("Two.",))
    caller.start()
    caller.join(0.3)
    gate.set()
    caller.join(10)
    assert voice.wait_ready(10)
    assert voice.engine is espeak and voice.status.engine == "espeak-ng"
    assert sorted(espeak.calls) == ["One.", "Two."]


def test_wait_for_returns_once_the_asked_prompts_are_ready(tmp_path: Path) -> None:
    gate = threading.Event()
    voice = PromptVoice([FakeEngine(gate=gate)], VoiceCache(tmp_path))
    voice.prepare(["One.", "Two."])
    assert not voice.wait_for(["One."], 0.05)  # gated: not made yet
    gate.set()
    assert voice.wait_for(["One.", "Two."], 10)


class _BrokenModel(FakeEngine):
    def check(self) -> None:
        raise EngineUnavailable(
            "the Piper voice could not be loaded (bad model)", "Reinstalling restores it."
        )


def test_the_fallback_message_is_worded_by_the_actual_reason(tmp_path: Path) -> None:
    _, status = choose_voice(
        engines=[_BrokenModel("piper"), FakeEngine("espeak-ng")], cache_dir=tmp_path
    )
    assert status.engine == "espeak-ng"
    assert "could not be loaded (bad model)" in status.message
    assert "Reinstalling restores it." in status.message
    assert "piper-tts" not in status.message  # Piper is installed: no advice to install it


def test_the_engine_lets_go_of_its_model_once_every_prompt_is_made(tmp_path: Path) -> None:
    engine = FakeEngine("piper")
    voice, _ = choose_voice(engines=[engine], cache_dir=tmp_path)
    voice.prepare(["Stroking.", "Kneading."])
    assert voice.wait_ready(10)
    assert engine.releases == 1
    assert voice.samples_for("Kneading.") is not None  # made prompts stay in memory
    voice.prepare(["Vibration."])  # a prompt asked for later loads the model again
    assert voice.wait_ready(10)
    assert engine.calls == ["Stroking.", "Kneading.", "Vibration."]
    assert engine.releases == 2
    voice.close()


def test_piper_really_frees_its_model_on_release() -> None:
    pytest.importorskip("piper")
    from backbeat.audio.piper_engine import PiperEngine

    engine = PiperEngine()
    try:
        engine.check()
    except Exception as error:  # pragma: no cover - only where the voice is not installed
        pytest.skip(f"the Piper voice is not usable here: {error}")
    first, _ = engine.synthesize("Move to the next spot.")
    engine.release()
    assert engine._voice is None
    again, _ = engine.synthesize("Move to the next spot.")
    np.testing.assert_array_equal(first, again)  # reloading gives the same voice


def test_close_stops_a_slow_prompt_and_keeps_no_part_of_it(tmp_path: Path) -> None:
    engine = FakeEngine(gate=threading.Event())  # never opened: the prompt would take 10 s
    cache = VoiceCache(tmp_path)
    voice = PromptVoice([engine], cache)
    voice.prepare(["One.", "Two."])
    voice.close()
    assert engine.cancelled.is_set()
    assert not voice.worker_running
    assert voice.samples_for("One.") is None and engine.calls == []
    assert list(tmp_path.iterdir()) == []  # nothing half made reached the disk
    assert voice.status.engine == "piper"  # being stopped is not a failure of the engine


def test_close_keeps_the_prompts_made_before_it_whole(tmp_path: Path) -> None:
    voice = PromptVoice([FakeEngine()], VoiceCache(tmp_path))
    voice.prepare(["One."])
    assert voice.wait_ready(10)
    voice.close()
    voice.prepare(["Two."])  # after close nothing more is made
    assert not voice.worker_running and voice.samples_for("Two.") is None
    again = PromptVoice([FakeEngine()], VoiceCache(tmp_path))
    entries = list(tmp_path.iterdir())
    assert len(entries) == 1
    key = entries[0].stem
    loaded = again.cache.load(key, RATE) if again.cache else None
    assert loaded is not None and np.array_equal(loaded, voice.samples_for("One."))
