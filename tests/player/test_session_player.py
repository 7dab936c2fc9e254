"""The session player: the transport rules, the "too much" state, --for, and what it
tells the front ends, on a fake clock with the memory output."""

from __future__ import annotations

import numpy as np
import pytest

from backbeat.audio.clicks import ClickBank
from backbeat.audio.mixer import SoundSettings, render_window, voice_clips
from backbeat.audio.output import MemoryOutput, SoundNotice
from backbeat.audio.session_audio import SessionAudio
from backbeat.audio.tts import to_int16
from backbeat.audio.voice import PromptVoice
from backbeat.core import prompts
from backbeat.core.clock import FakeClock
from backbeat.player.session_player import (
    LIGHTER_CAPTION,
    PlayerFrame,
    PlayerState,
    SessionPlayer,
    spoken_duration,
)
from tests.audio.helpers import FakeEngine, short_plan


def _player(
    clock: FakeClock, *, limit: float | None = None, voice: PromptVoice | None = None
) -> tuple[SessionPlayer, MemoryOutput]:
    output = MemoryOutput(clock)
    voice = voice or PromptVoice([FakeEngine()], None)
    audio = SessionAudio(short_plan(), output, voice, SoundSettings())
    assert voice.wait_ready(10)
    return SessionPlayer(short_plan(), audio, limit=limit), output


def _run(player: SessionPlayer, clock: FakeClock, seconds: float) -> list[PlayerFrame]:
    frames = []
    left = seconds
    while left > 1e-9:
        step = min(0.04, left)
        clock.advance(step)
        frames.append(player.frame())
        left -= step
    return frames


def test_pause_and_resume_move_the_engine_and_the_sound_together() -> None:
    clock = FakeClock()
    player, output = _player(clock)
    player.start()
    _run(player, clock, 3.0)
    player.pause()
    assert player.state is PlayerState.PAUSED and output.transport.paused
    at = player.position().session_time
    clock.advance(20.0)
    assert player.frame().position.session_time == at
    player.toggle_pause()
    _run(player, clock, 1.0)
    assert player.position().session_time == pytest.approx(at + 1.0)
    assert player.audio.session_time() == pytest.approx(player.position().session_time)


def test_for_ends_exactly_at_the_limit_whatever_came_before() -> None:
    clock = FakeClock()
    player, _ = _player(clock, limit=20.0)
    player.start()
    _run(player, clock, 2.0)
    for _ in range(6):  # six pauses, and skips forwards and back
        player.pause()
        clock.advance(1.7)
        player.resume()
        _run(player, clock, 0.9)
    player.next()
    _run(player, clock, 0.5)
    player.previous()
    frames = _run(player, clock, 40.0)
    ended = [f for f in frames if f.stopped_early is not None]
    assert len(ended) == 1 and ended[0].stopped_early is False  # reached, not cut short
    assert ended[0].state is PlayerState.FINISHED
    assert ended[0].position.session_time == pytest.approx(20.0, abs=1e-6)


def test_too_much_pauses_speaks_and_a_second_press_ends() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    _run(player, clock, 2.0)
    player.too_much()
    assert player.state is PlayerState.TOO_MUCH
    assert player.caption == prompts.EASE_OFF
    player.next()  # ignored while asking to ease off
    assert player.position().step.index == 0
    player.too_much()
    assert player.state is PlayerState.FINISHED


def test_continue_lighter_shows_until_the_next_technique() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    _run(player, clock, 2.0)
    player.too_much()
    player.toggle_pause()  # Space after "too much": on, lighter
    frame = player.frame()
    assert frame.state is PlayerState.RUNNING and frame.lighter
    assert frame.caption == LIGHTER_CAPTION
    frames = _run(player, clock, 9.0)  # the next technique begins at 10 s
    assert frames[-1].lighter is False
    assert any(f.step_changed == 1 for f in frames)


def test_the_next_technique_from_the_last_one_ends_the_session() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    for _ in range(len(player.plan.steps)):
        player.next()
    frame = player.frame()
    assert frame.state is PlayerState.FINISHED and frame.stopped_early is True


def test_a_lost_and_returned_device_is_told_once_each() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    player.audio.notices.append(SoundNotice("Sound lost (gone).", lost=True))
    lost = player.frame()
    assert lost.notices == ("Sound lost (gone).",) and lost.sound_lost
    assert player.frame().notices == () and player.frame().sound_lost
    player.audio.notices.append(SoundNotice("Sound is back.", lost=False))
    assert not player.frame().sound_lost


def test_the_player_says_so_when_the_voice_changes_during_the_session() -> None:
    clock = FakeClock()
    piper = FakeEngine("piper")
    voice = PromptVoice([piper, FakeEngine("espeak-ng")], None)
    player, _ = _player(clock, voice=voice)
    player.start()
    assert _run(player, clock, 0.5)[-1].notices == ()  # told once at the start, not again
    piper.fails = True
    voice.synthesize_now("Stroking, once more.")  # Piper fails while speaking
    notices = [n for f in _run(player, clock, 1.0) for n in f.notices]
    assert notices == ["Using the espeak-ng voice because piper: piper crashed."]


def test_how_long_is_said_in_words() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    _run(player, clock, 2.0)
    assert player.time_left_text() == "8 seconds left in this technique, 38 seconds in the session."
    assert spoken_duration(150) == "2 minutes 30 seconds" and spoken_duration(60) == "1 minute"


def _heard_as_planned(player: SessionPlayer, heard: np.ndarray) -> bool:
    """``heard`` is the player's (new) plan rendered in one go, sample for sample."""
    audio = player.audio
    clips, _ = voice_clips(audio.plan, audio.settings, audio.voice.samples_for, audio.rate)
    bank = ClickBank(audio.settings.click_sound, audio.rate)
    expected = to_int16(render_window(audio.plan, 0, len(heard), audio.settings, clips, bank))
    return bool(np.array_equal(heard, expected))


def test_stay_longer_grows_the_session_and_the_sound_plays_on_unbroken() -> None:
    clock = FakeClock()
    player, output = _player(clock)
    player.start()
    _run(player, clock, 3.0)
    before = player.position()
    assert player.stay_longer(30.0)
    after = player.position()
    assert after.session_time == before.session_time  # no jump
    assert after.step_left == pytest.approx(before.step_left + 30.0)  # 30 beats at 60/min
    assert player.plan.total == pytest.approx(70.0) and player.engine.plan is player.plan
    assert player.caption == "Staying 30 seconds longer on Planar stroking."
    frames = _run(player, clock, 80.0)
    assert output.transport.generation == 1  # one program: no restart, no repeat
    changes = [(f.step_changed, f.position.session_time) for f in frames if f.step_changed]
    assert changes[0][0] == 1 and changes[0][1] == pytest.approx(40.0, abs=0.05)
    ended = [f for f in frames if f.stopped_early is not None]
    assert len(ended) == 1 and ended[0].stopped_early is False
    summary = player.summary()
    assert [round(r.seconds, 6) for r in summary.steps] == [40.0, 15.0, 15.0]
    assert all(r.completed for r in summary.steps)
    heard = output.delivered()
    assert _heard_as_planned(player, heard[: round(72.0 * player.audio.rate)])


def test_stay_longer_after_a_step_back_keeps_what_was_heard_in_its_place() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    _run(player, clock, 12.0)  # 2 s into the second technique
    player.previous()  # back to the first one's start
    player.pause()
    assert player.stay_longer(30.0)  # also while paused
    player.resume()
    _run(player, clock, 45.0)
    records = player.summary().steps
    assert records[0].seconds == pytest.approx(10.0 + 40.0)  # heard twice, now 40 s long
    assert records[1].seconds == pytest.approx(2.0 + 5.0)  # the 2 s heard first moved with it
    assert player.audio.session_time() == pytest.approx(player.position().session_time)


def test_stay_longer_lets_run_for_go_past_the_old_end() -> None:
    clock = FakeClock()
    player, _ = _player(clock, limit=50.0)  # longer than the 40 s session
    player.start()
    _run(player, clock, 1.0)
    assert player.limit == 40.0
    player.stay_longer(30.0)
    assert player.limit == 50.0
    frames = _run(player, clock, 60.0)
    ended = [f for f in frames if f.stopped_early is not None]
    assert ended[0].position.session_time == pytest.approx(50.0, abs=1e-6)


def test_stay_longer_does_nothing_before_the_start_after_the_end_or_when_too_much() -> None:
    clock = FakeClock()
    player, _ = _player(clock)
    assert not player.stay_longer()
    player.start()
    player.too_much()
    assert not player.stay_longer()
    player.end()
    assert not player.stay_longer() and player.plan.total == 40.0


def test_stay_here_said_aloud_makes_the_technique_longer_and_says_so() -> None:
    from backbeat.listen.session_monitor import SessionSoundMonitor
    from backbeat.player.voice_commands import PlayerVoiceControls

    clock = FakeClock()
    player, _ = _player(clock)
    player.start()
    _run(player, clock, 2.0)
    controls = PlayerVoiceControls(player, SessionSoundMonitor(player.audio))
    controls.stay_longer(30.0)
    assert player.plan.total == pytest.approx(70.0)
    assert controls.notices == ["Staying 30 seconds longer on Planar stroking."]
