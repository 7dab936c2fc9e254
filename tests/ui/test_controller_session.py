"""A whole short session driven by a fake clock, with the real session audio in memory:
the screen follows the engine, and the sound stays in step through pause, resume, skip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from backbeat.audio.output import MemoryOutput
from backbeat.core import prompts
from backbeat.core.clock import FakeClock
from backbeat.core.engine import EngineState
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import WindowParts
from backbeat.ui.settings import SettingsStore
from tests.ui.conftest import advance, short_test_window, start_session


def heard_session_time(parts: WindowParts) -> float:
    player = parts.controller.player
    assert player is not None
    return player.audio.session_time()


def engine_time(parts: WindowParts) -> float:
    assert parts.controller.engine is not None
    return parts.controller.engine.session_time()


def test_a_full_session_runs_to_the_summary(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    changes: list[int] = []
    parts.controller.technique_changed.connect(changes.append)
    with qtbot.waitSignal(parts.controller.session_started, timeout=1000):
        start_session(parts)
    view = parts.window.session_view
    assert view.state().technique_title == "Planar stroking"
    assert view.state().block_title == "Stroking"
    assert view.state().next_up.startswith("Next: Spreading")
    advance(parts, fake_clock, 25.0)
    assert view.state().technique_title == "Spreading"
    assert view.state().zones.active_zones == {"shoulder-blades"}
    advance(parts, fake_clock, 30.0)
    assert view.state().technique_title == "Fingertip circles"
    assert view.state().block_title == "Rubbing"
    assert "kidneys" in view.state().cautions
    assert view.state().zones.gentle_near == {"kidneys"}
    assert view.state().caption  # a spoken cue is shown as text
    finished: list[bool] = []
    parts.controller.session_finished.connect(finished.append)
    advance(parts, fake_clock, 70.0)
    assert finished == [False]
    assert changes == [0, 1, 2]
    assert parts.window.current_page() == "summary"
    summary = parts.window.summary_view.state()
    assert summary.total.startswith("2:00 of massage, 3 of 3 techniques done")
    assert [(r.title, r.spent) for r in summary.blocks] == [
        ("Stroking", "0:40"),
        ("Rubbing", "1:20"),
    ]
    assert {r.status for r in summary.techniques} == {"done"}
    assert parts.window.summary_view.techniques.rowCount() == 3


def test_the_screen_shows_the_engine_position(parts: WindowParts, fake_clock: FakeClock) -> None:
    start_session(parts)
    # 20/min over a 20 s step is 6.7 movements: nudged to 7 whole ones, a beat every 20/7 s.
    advance(parts, fake_clock, 7.5)
    state = parts.window.session_view.state()
    assert state.ring.label == "0:13"  # 20 s step, 7.5 s in
    assert state.beat.beat_index == 2
    assert state.beat.beat_phase == pytest.approx(0.625)
    assert state.zones.beat_phase == pytest.approx(0.625)
    assert state.timeline.session_time == pytest.approx(7.5)
    assert state.session_clock == "0:08 of 2:00"


def test_pause_and_resume_keep_sound_and_engine_in_step(
    parts: WindowParts, fake_clock: FakeClock, output: MemoryOutput
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 4.0)
    assert heard_session_time(parts) == pytest.approx(engine_time(parts))
    parts.controller.toggle_pause()
    assert output.transport.paused  # silent from the next frame on
    paused_at = engine_time(parts)
    fake_clock.advance(30.0)  # a long pause: nothing moves
    parts.controller.refresh()
    assert engine_time(parts) == pytest.approx(paused_at)
    assert heard_session_time(parts) == pytest.approx(paused_at)
    tail = len(output.delivered())
    fake_clock.advance(1.0)
    assert not output.delivered()[tail:].any()  # silence while paused
    parts.controller.toggle_pause()
    assert not output.transport.paused  # the same program goes on where it stopped
    advance(parts, fake_clock, 2.0)
    assert engine_time(parts) == pytest.approx(paused_at + 2.0)
    assert heard_session_time(parts) == pytest.approx(engine_time(parts))


def test_skipping_restarts_the_sound_at_the_new_technique(
    parts: WindowParts, fake_clock: FakeClock, output: MemoryOutput
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 3.0)
    first = output.transport.generation
    parts.controller.next_technique()
    plan = parts.controller.plan
    assert plan is not None
    assert engine_time(parts) == pytest.approx(plan.steps[1].start)
    assert heard_session_time(parts) == pytest.approx(plan.steps[1].start)
    assert output.transport.generation == first + 1  # a new program, crossfaded in
    advance(parts, fake_clock, 1.5)
    assert heard_session_time(parts) == pytest.approx(engine_time(parts))
    parts.controller.previous_technique()
    assert engine_time(parts) == pytest.approx(0.0)
    assert heard_session_time(parts) == pytest.approx(0.0)


def test_skipping_while_paused_stays_silent(
    parts: WindowParts, fake_clock: FakeClock, output: MemoryOutput
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 3.0)
    parts.controller.toggle_pause()
    parts.controller.next_technique()
    assert parts.controller.engine is not None
    assert parts.controller.engine.state is EngineState.PAUSED
    tail = len(output.delivered())
    fake_clock.advance(1.0)
    assert not output.delivered()[tail + 1000 :].any()  # past the fade: silence
    parts.controller.toggle_pause()
    plan = parts.controller.plan
    assert plan is not None
    assert heard_session_time(parts) == pytest.approx(plan.steps[1].start)


def test_too_much_speaks_while_the_session_is_paused(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock, output: MemoryOutput
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 3.0)
    parts.controller.too_much()
    assert parts.controller.engine is not None
    assert parts.controller.engine.state is EngineState.PAUSED
    tail = len(output.delivered())

    def prompt_heard() -> bool:
        # The voice makes the prompt on its own thread (at once when it made it before):
        # frames go on until it is said, over the paused session.
        advance(parts, fake_clock, 0.25)
        return bool(output.delivered()[tail + 1000 :].any())

    qtbot.waitUntil(prompt_heard, timeout=10000)
    assert parts.controller.engine.session_time() == pytest.approx(3.0, abs=0.01)


def test_skipping_past_the_last_technique_ends_the_session(
    parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    for _ in range(3):
        parts.controller.next_technique()
    assert parts.window.current_page() == "summary"
    statuses = [r.status for r in parts.window.summary_view.state().techniques]
    assert statuses == ["skipped", "skipped", "skipped"]


def test_reduced_motion_keeps_the_marker_still(parts: WindowParts, fake_clock: FakeClock) -> None:
    from dataclasses import replace

    parts.controller.update_settings(replace(parts.controller.settings, reduced_motion=True))
    start_session(parts)
    advance(parts, fake_clock, 1.5)
    zones = parts.window.session_view.state().zones
    assert not zones.animate
    assert zones.beat_phase == 0.0
    assert not parts.window.session_view.state().beat.animate


def test_settings_reach_the_sound_while_it_plays(parts: WindowParts) -> None:
    from dataclasses import replace

    start_session(parts)
    parts.controller.update_sound(
        replace(parts.controller.settings.sound, click_sound="tick", metronome_volume=0.3)
    )
    player = parts.controller.player
    assert player is not None
    assert player.audio.settings.click_sound == "tick"
    assert player.audio.settings.metronome_volume == pytest.approx(0.3)


def test_turning_the_voice_on_mid_session_prepares_the_ease_off_prompt(
    qtbot: QtBot,
    settings_store: SettingsStore,
    sound: SoundSystem,
    library_dirs: tuple[Path, Path],
) -> None:
    stored = settings_store.load()
    settings_store.save(stored.with_sound(replace(stored.sound, voice_on=False)))
    built = short_test_window(library_dirs, settings_store, sound)
    qtbot.addWidget(built.window)
    start_session(built)
    assert sound.voice.samples_for(prompts.EASE_OFF) is None  # voice off: nothing made
    built.controller.update_sound(replace(built.controller.settings.sound, voice_on=True))
    # Made in the background now, so Esc later does not make it on the UI thread.
    assert sound.voice.wait_for([prompts.EASE_OFF], timeout=10)
    built.controller.shutdown()
