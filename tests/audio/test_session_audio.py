"""The live stream: what is heard on play, pause, resume, skip and settings changes,
with an in-memory output on a fake clock (it keeps every frame it delivered)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from backbeat.audio.clicks import ClickBank
from backbeat.audio.export import export_session
from backbeat.audio.mixer import SoundSettings, render_window, voice_clips
from backbeat.audio.output import MemoryOutput
from backbeat.audio.session_audio import (
    LOOKAHEAD_SECONDS,
    MAX_FILL_PER_TICK_SECONDS,
    RERENDER_AT_ONCE_SECONDS,
    SAFETY_SECONDS,
    SessionAudio,
)
from backbeat.audio.transport import FADE_SECONDS
from backbeat.audio.tts import to_int16
from backbeat.audio.voice import PromptVoice
from backbeat.audio.voice_cache import VoiceCache
from backbeat.core.clock import FakeClock
from backbeat.core.engine import SessionEngine
from tests.audio.helpers import RATE, FakeEngine, short_plan

#: Every start, resume and jump fades in over this many frames.
FADE = round(FADE_SECONDS * RATE)


def _run(audio: SessionAudio, clock: FakeClock, seconds: float, tick: float = 0.04) -> None:
    left = seconds
    while left > 1e-9:
        step = min(tick, left)
        clock.advance(step)
        audio.tick()
        left -= step


@pytest.fixture
def voice(tmp_path: Path) -> PromptVoice:
    return PromptVoice([FakeEngine()], VoiceCache(tmp_path))


def _ready(audio: SessionAudio) -> SessionAudio:
    """Every prompt made before the fake clock runs: the background voice thread must not
    race the test's clock (the constructor has already asked for them)."""
    assert audio.voice.wait_ready(10)
    return audio


def _expected(audio: SessionAudio, start: float, count: int) -> np.ndarray:
    """``count`` samples of the session from ``start``, rendered independently."""
    clips, _ = voice_clips(audio.plan, audio.settings, audio.voice.samples_for, RATE)
    bank = ClickBank(audio.settings.click_sound, RATE)
    mixed = render_window(audio.plan, round(start * RATE), count, audio.settings, clips, bank)
    return to_int16(mixed)


def test_one_stream_carries_the_whole_run_across_technique_changes(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    audio.play_from(0.0)
    _run(audio, clock, 25.0)  # two technique changes (10 s and 25 s)
    assert output.transport.generation == 1  # one program all along
    heard = output.delivered()
    assert len(heard) == 25 * RATE
    expected = _expected(audio, 0.0, 25 * RATE)
    assert np.array_equal(heard[FADE:], expected[FADE:])  # after the fade-in: to the sample


def test_the_buffer_is_kept_rendered_ahead_but_not_all_at_once(voice: PromptVoice) -> None:
    plan = short_plan()
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(plan, output, voice))
    audio.play_from(0.0)
    stream = audio._stream
    assert stream is not None and stream.filled == 2 * RATE  # only the start
    _run(audio, clock, 0.2)  # five ticks, each rendering at most its share
    assert stream.filled == round((2.0 + 5 * MAX_FILL_PER_TICK_SECONDS) * RATE)
    _run(audio, clock, 10.0)  # then no further than the look-ahead (or the end)
    assert stream.filled == min(stream.frames, round((10.2 + LOOKAHEAD_SECONDS) * RATE))


def test_the_engine_on_the_audio_clock_follows_the_stream(voice: PromptVoice) -> None:
    clock = FakeClock(100.0)
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    engine = SessionEngine(audio.plan, audio.clock)
    engine.start()
    clock.advance(5.0)  # time passes before the stream starts: not heard, not counted
    audio.play_from(engine.session_time())
    _run(audio, clock, 3.0)
    assert engine.session_time() == pytest.approx(3.0)


def test_pause_fades_out_and_resume_fades_in_from_the_same_frame(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    engine = SessionEngine(audio.plan, audio.clock)
    engine.start()
    audio.play_from(engine.session_time())
    _run(audio, clock, 7.3)
    audio.pause()
    engine.pause()
    assert output.transport.paused
    paused_at = engine.session_time()
    assert paused_at == pytest.approx(7.3, abs=1 / RATE)
    assert audio.session_time() == pytest.approx(paused_at, abs=1 / RATE)
    clock.advance(30.0)  # a long pause: the session does not move
    assert engine.session_time() == paused_at
    engine.resume()
    audio.resume()
    _run(audio, clock, 4.0)
    heard = output.delivered()
    cut = round(paused_at * RATE)
    expected = _expected(audio, 0.0, cut + 4 * RATE)
    assert np.array_equal(heard[FADE:cut], expected[FADE:cut])  # up to the pause, exactly
    assert not heard[cut + FADE : cut + 30 * RATE].any()  # the fade, then silence
    resumed = heard[cut + 30 * RATE :]
    assert np.array_equal(resumed[FADE : 4 * RATE], expected[cut + FADE : cut + 4 * RATE])
    assert engine.session_time() == pytest.approx(paused_at + 4.0)


def test_skipping_starts_a_program_on_the_next_techniques_first_click(
    voice: PromptVoice,
) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = SessionAudio(short_plan(), output, voice, SoundSettings(voice_on=False))
    engine = SessionEngine(audio.plan, audio.clock)
    engine.start()
    audio.play_from(engine.session_time())
    _run(audio, clock, 2.0)
    audio.clock.hold()
    engine.next_step()
    audio.play_from(engine.session_time())
    assert engine.session_time() == pytest.approx(10.0)
    _run(audio, clock, 1.0)
    assert engine.session_time() == pytest.approx(11.0)
    heard = output.delivered()[2 * RATE :]
    expected = _expected(audio, 10.0, RATE)
    assert np.array_equal(heard[FADE:RATE], expected[FADE:])  # the new place, after the fade
    audio.clock.hold()
    engine.previous_step()
    audio.play_from(engine.session_time())
    assert engine.session_time() == pytest.approx(0.0)


def test_turning_the_metronome_off_rerenders_what_is_ahead(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = SessionAudio(short_plan(), output, voice, SoundSettings(voice_on=False))
    audio.play_from(0.0)
    _run(audio, clock, 2.0)
    audio.set_settings(SoundSettings(voice_on=False, metronome_on=False))
    _run(audio, clock, 6.0)
    heard = output.delivered()
    assert heard[: 2 * RATE].any()  # clicks before the change
    assert not heard[round(2.4 * RATE) :].any()  # silence soon after it


def test_after_a_settings_change_the_sound_equals_a_fresh_render(voice: PromptVoice) -> None:
    """A volume step re-renders only a short stretch at once (the UI thread waits for
    it); tick() renders the rest again, and what is heard is the new settings' sound."""
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    audio.play_from(0.0)
    _run(audio, clock, 12.0)  # the look-ahead is full: the rest of the short session
    stream = audio._stream
    assert stream is not None and stream.filled > round(20.0 * RATE)
    audio.set_settings(SoundSettings(metronome_volume=0.35, voice_volume=0.6))
    changed_from = round((12.0 + SAFETY_SECONDS) * RATE)
    assert stream.filled == changed_from + round(RERENDER_AT_ONCE_SECONDS * RATE)
    _run(audio, clock, 20.0)
    heard = output.delivered()
    fresh = _expected(audio, 0.0, len(heard))  # the new settings, rendered from scratch
    assert np.array_equal(heard[changed_from:], fresh[changed_from:])
    before = slice(FADE, changed_from)  # the old, louder settings until the change
    assert np.abs(heard[before].astype(float)).max() > np.abs(fresh[before].astype(float)).max()


def test_a_prompt_that_was_late_is_mixed_in_once_it_is_ready(tmp_path: Path) -> None:
    gate = threading.Event()
    voice = PromptVoice([FakeEngine(gate=gate)], VoiceCache(tmp_path))
    clock = FakeClock()
    output = MemoryOutput(clock)
    plan = short_plan()
    audio = SessionAudio(plan, output, voice, SoundSettings(metronome_on=False))
    audio.play_from(3.0)  # nothing is synthesised and the first cue is at 10 s
    _run(audio, clock, 1.0)
    gate.set()
    assert voice.wait_ready(10)
    _run(audio, clock, 10.0)
    heard = output.delivered()
    cue = next(c for c in plan.cues if c.time >= 4.0)
    at = round((cue.time - 3.0) * RATE)
    assert not heard[: at - RATE // 10].any()
    assert np.abs(heard[at : at + RATE // 10].astype(float)).max() > 1000


def test_speak_now_is_mixed_in_just_ahead_of_the_play_head(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice, SoundSettings(metronome_on=False)))
    audio.play_from(3.0)  # the first prompt (0 - 2.1 s) is over, the next is due at 6.5 s
    _run(audio, clock, 1.0)
    audio.speak_now("Too much? Stop now.")
    assert voice.wait_ready(10)  # made in the background; the next tick mixes it in
    _run(audio, clock, 1.0)
    heard = output.delivered()
    onset = np.nonzero(np.abs(heard.astype(float)) > 100)[0][0]
    assert onset / RATE == pytest.approx(1.35, abs=0.05)


def test_speak_now_while_paused_plays_the_prompt_without_moving_the_clock(
    voice: PromptVoice,
) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    audio.play_from(0.0)
    _run(audio, clock, 1.0)
    audio.pause()
    before = audio.clock.now()
    audio.speak_now("Stop.")
    assert voice.wait_ready(10)
    audio.tick()
    clock.advance(2.0)
    assert audio.clock.now() == before
    assert output.delivered()[RATE + FADE :].any()  # the prompt, over the paused session


def test_a_new_plan_restarts_at_the_same_session_time(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    audio.play_from(0.0)
    _run(audio, clock, 5.0)
    audio.set_plan(short_plan())
    assert output.transport.generation == 2
    assert audio.session_time() == pytest.approx(5.0)


def test_playing_from_the_end_plays_nothing(voice: PromptVoice) -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = _ready(SessionAudio(short_plan(), output, voice))
    audio.play_from(audio.plan.total)
    assert output.transport.generation == 0
    audio.tick()
    audio.close()


class _WaitSpy(PromptVoice):
    """A voice whose prompts never come, recording how long a start would wait for them."""

    def __init__(self) -> None:
        super().__init__([FakeEngine(gate=threading.Event())], None)
        self.waits: list[float] = []

    def wait_for(self, texts: Iterable[str], timeout: float) -> bool:
        self.waits.append(timeout)
        return False


def test_a_start_waits_only_briefly_on_the_ui_thread_for_its_first_words() -> None:
    voice = _WaitSpy()
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = SessionAudio(short_plan(), output, voice)
    audio.play_from(0.0)  # the first prompt is due at once and is not ready
    assert voice.waits and max(voice.waits) <= 0.15
    assert output.transport.generation == 1  # the stream started anyway
    voice.close(timeout=0)


def test_the_live_stream_and_the_export_end_at_the_same_sample(
    voice: PromptVoice, tmp_path: Path
) -> None:
    plan = short_plan()
    audio = _ready(SessionAudio(plan, MemoryOutput(FakeClock()), voice))
    audio.play_from(0.0)
    stream = audio._stream
    assert stream is not None
    exported = export_session(plan, tmp_path / "session.wav", voice).frames
    assert audio._origin + stream.frames == exported
    closing = voice.samples_for(plan.cues[-1].text)
    assert closing is not None  # the closing words fit, then one second of padding
    assert exported == round(plan.cues[-1].time * RATE) + len(closing) + RATE


def test_a_first_prompt_ready_after_its_time_is_heard_whole_not_cut(tmp_path: Path) -> None:
    gate = threading.Event()
    voice = PromptVoice([FakeEngine(gate=gate)], VoiceCache(tmp_path))
    clock = FakeClock()
    output = MemoryOutput(clock)
    plan = short_plan()
    audio = SessionAudio(plan, output, voice, SoundSettings(metronome_on=False))
    audio.play_from(0.0)  # the first prompt is due at once and is not ready
    _run(audio, clock, 0.5)
    gate.set()
    assert voice.wait_ready(10)
    _run(audio, clock, 4.0)
    heard = output.delivered()
    spoken = voice.samples_for(plan.cues[0].text)
    assert spoken is not None
    expected = spoken  # a prompt is played as its 16-bit samples, untouched
    start = int(np.nonzero(heard)[0][0]) - int(np.nonzero(expected)[0][0])
    assert start > round(0.5 * RATE)  # after it became ready, not at its time
    assert np.array_equal(heard[start : start + len(expected)], expected)  # from its first word


def test_speak_now_never_waits_for_the_voice_and_speaks_once_it_is_made(
    tmp_path: Path,
) -> None:
    gate = threading.Event()  # the engine is stuck until the test lets it go
    voice = PromptVoice([FakeEngine(gate=gate)], VoiceCache(tmp_path))
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = SessionAudio(short_plan(), output, voice, SoundSettings(metronome_on=False))
    audio.play_from(3.0)
    audio.pause()
    audio.speak_now("Ease off.")  # returns at once, with nothing made yet
    audio.tick()
    clock.advance(1.0)
    assert not output.delivered().any()
    gate.set()
    assert voice.wait_ready(10)
    audio.tick()
    clock.advance(1.0)
    assert output.delivered()[RATE:].any()  # the prompt, over the paused session


def test_a_prompt_asked_for_before_a_resume_is_dropped(tmp_path: Path) -> None:
    gate = threading.Event()
    voice = PromptVoice([FakeEngine(gate=gate)], VoiceCache(tmp_path))
    clock = FakeClock()
    output = MemoryOutput(clock)
    audio = SessionAudio(short_plan(), output, voice, SoundSettings(metronome_on=False))
    audio.play_from(3.0)  # no prompt in the next second
    audio.pause()
    audio.speak_now("Ease off.")
    audio.resume()  # the user went on before the words were made: they no longer apply
    gate.set()
    assert voice.wait_ready(10)
    _run(audio, clock, 1.0)
    assert not output.delivered()[FADE * 4 :].any()
