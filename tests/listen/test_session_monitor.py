"""The gate knows what the session plays: its prompts where SessionAudio placed them,
speak_now() prompts once made, and overlays, at the time the output sounds them."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from backbeat.audio.mixer import SoundSettings
from backbeat.audio.output import MemoryOutput
from backbeat.audio.session_audio import SPEAK_NOW_LEAD_SECONDS, SessionAudio
from backbeat.audio.voice import PromptVoice
from backbeat.audio.voice_cache import VoiceCache
from backbeat.core.clock import FakeClock
from backbeat.listen.session_monitor import SessionSoundMonitor
from tests.audio.helpers import FakeEngine, short_plan


def _run(audio: SessionAudio, clock: FakeClock, seconds: float, tick: float = 0.05) -> None:
    for _ in range(round(seconds / tick)):
        clock.advance(tick)
        audio.tick()


def _session(tmp_path: Path, engine: FakeEngine | None = None) -> tuple[SessionAudio, FakeClock]:
    clock = FakeClock(1000.0)
    voice = PromptVoice([engine or FakeEngine()], VoiceCache(tmp_path))
    audio = SessionAudio(short_plan(), MemoryOutput(clock), voice, SoundSettings())
    if engine is None or engine.gate is None:
        assert voice.wait_ready(10)
    return audio, clock


def _audible_now(monitor: SessionSoundMonitor, clock: FakeClock) -> bool:
    return monitor.voice_audible(clock.now() - 0.1, clock.now())


def test_the_plans_prompts_close_the_gate_while_they_sound(tmp_path: Path) -> None:
    audio, clock = _session(tmp_path)
    monitor = SessionSoundMonitor(audio, clock.now)
    audio.play_from(0.0)
    first, second = audio.own_sounds().voice[:2]
    assert first[0] == pytest.approx(0.0, abs=0.2)
    _run(audio, clock, (first[0] + first[1]) / 2)
    assert _audible_now(monitor, clock)
    _run(audio, clock, (first[1] + second[0]) / 2 - audio.session_time())
    assert not _audible_now(monitor, clock)
    audio.pause()
    _run(audio, clock, second[0] - audio.session_time() + 0.5)
    assert not _audible_now(monitor, clock)  # paused: the next prompt does not sound


def test_a_prompt_asked_for_closes_the_gate_when_it_sounds_not_when_asked(
    tmp_path: Path,
) -> None:
    made = threading.Event()
    engine = FakeEngine(gate=made)
    audio, clock = _session(tmp_path, engine)
    made.set()
    assert audio.voice.wait_ready(10)
    made.clear()  # the next prompt is slow to make
    monitor = SessionSoundMonitor(audio, clock.now)
    audio.play_from(3.0)  # between the first two prompts
    _run(audio, clock, 0.5)
    audio.speak_now("How long: five minutes left.")
    _run(audio, clock, 1.0)
    assert not _audible_now(monitor, clock)  # not made yet: nothing sounds
    made.set()
    assert audio.voice.wait_ready(10)
    audio.tick()
    asked_at = audio.session_time()
    _run(audio, clock, SPEAK_NOW_LEAD_SECONDS - 0.15)
    assert not _audible_now(monitor, clock)  # placed, but not at the speaker yet
    _run(audio, clock, 0.5)
    assert _audible_now(monitor, clock)
    assert any(
        s == pytest.approx(asked_at + SPEAK_NOW_LEAD_SECONDS, abs=0.06)
        for s, _ in audio.own_sounds().voice
    )


def test_an_overlay_closes_the_gate_while_paused(tmp_path: Path) -> None:
    audio, clock = _session(tmp_path)
    monitor = SessionSoundMonitor(audio, clock.now)
    audio.play_from(3.0)
    _run(audio, clock, 0.5)
    audio.pause()
    _run(audio, clock, 1.0)
    assert not _audible_now(monitor, clock)
    audio.speak_now("Stop.")
    assert audio.voice.wait_ready(10)
    audio.tick()  # made: said on this tick, over the paused session
    clock.advance(0.1)
    assert _audible_now(monitor, clock)
    _run(audio, clock, 2.0)
    assert not _audible_now(monitor, clock)


def test_the_clicks_are_the_plans_beats_while_the_metronome_sounds(tmp_path: Path) -> None:
    audio, clock = _session(tmp_path)
    monitor = SessionSoundMonitor(audio, clock.now)
    assert monitor.clicks_between(clock.now(), clock.now() + 5.0) == []  # nothing plays
    audio.play_from(3.0)
    _run(audio, clock, 0.5)
    now, heard = clock.now(), audio.session_time()
    clicks = monitor.clicks_between(now, now + 2.0)
    beats = audio.plan.beats_between(heard, heard + 2.0)
    assert [s - now for s, _ in clicks] == pytest.approx([b.time - heard for b in beats])
    assert clicks and all(0.03 < e - s < 0.2 for s, e in clicks)
    audio.set_settings(replace(audio.settings, metronome_on=False))
    assert monitor.clicks_between(now, now + 2.0) == []
    audio.set_settings(replace(audio.settings, metronome_on=True))
    audio.pause()
    assert monitor.clicks_between(now, now + 2.0) == []
