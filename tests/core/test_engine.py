"""The session engine over a fake clock: commands, events, position and summary."""

from __future__ import annotations

import itertools

import pytest

from backbeat.core.clock import FakeClock
from backbeat.core.engine import (
    CueDue,
    EngineState,
    Event,
    Finished,
    SessionEngine,
    StepChanged,
)
from backbeat.core.model import Mode
from backbeat.core.plan import CueKind, SessionPlan, build_plan
from tests.core.factories import home_massage

#: The fake clock does not start at zero, so that clock time and session time differ.
CLOCK_START = 5000.0


@pytest.fixture
def plan() -> SessionPlan:
    return build_plan(home_massage(), Mode.RELAXING)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CLOCK_START)


@pytest.fixture
def engine(plan: SessionPlan, clock: FakeClock) -> SessionEngine:
    return SessionEngine(plan, clock)


def cues_in(events: list[Event]) -> list[float]:
    return [e.cue.time for e in events if isinstance(e, CueDue)]


def step_changes(events: list[Event]) -> list[tuple[int | None, int]]:
    return [(e.previous, e.current) for e in events if isinstance(e, StepChanged)]


# -- play, pause, resume ----------------------------------------------------------------


def test_a_new_engine_is_ready_at_the_beginning(engine: SessionEngine, clock: FakeClock) -> None:
    clock.advance(100)
    assert engine.state is EngineState.READY
    assert engine.session_time() == 0.0
    assert engine.advance() == []
    assert engine.position().step.index == 0


def test_start_runs_the_session_time_with_the_clock(
    engine: SessionEngine, clock: FakeClock
) -> None:
    engine.start()
    assert engine.state is EngineState.RUNNING
    clock.advance(42.5)
    assert engine.session_time() == 42.5
    engine.start()  # already running: no effect
    assert engine.session_time() == 42.5


def test_pause_freezes_time_and_resume_goes_on(engine: SessionEngine, clock: FakeClock) -> None:
    engine.start()
    clock.advance(10)
    engine.pause()
    assert engine.state is EngineState.PAUSED
    clock.advance(300)
    assert engine.session_time() == 10
    engine.pause()  # already paused
    engine.resume()
    assert engine.state.value == "running"  # (a plain `is` check confuses mypy's narrowing)
    clock.advance(5)
    engine.resume()  # already running
    assert engine.session_time() == 15


def test_toggle_pause_starts_pauses_and_resumes(engine: SessionEngine, clock: FakeClock) -> None:
    states = []
    for _ in range(4):
        engine.toggle_pause()
        states.append(engine.state)
        clock.advance(1)
    assert states == [
        EngineState.RUNNING,
        EngineState.PAUSED,
        EngineState.RUNNING,
        EngineState.PAUSED,
    ]
    assert engine.session_time() == 2


def test_start_at_a_later_time(engine: SessionEngine, clock: FakeClock) -> None:
    engine.start(at=300.0)
    clock.advance(1)
    assert engine.session_time() == 301.0
    events = engine.advance()
    assert step_changes(events) == [(None, 3)]
    assert cues_in(events) == [300.0]  # the start cue of the step begun on


def test_the_session_time_stops_at_the_end(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start()
    clock.advance(plan.total + 500)
    assert engine.session_time() == plan.total
    assert engine.position().progress == 1.0


# -- next, previous, seek, stop ---------------------------------------------------------


def test_next_goes_to_the_start_of_the_next_technique(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start()
    clock.advance(30)
    engine.advance()
    engine.next_step()
    assert engine.session_time() == plan.steps[1].start
    assert engine.state is EngineState.RUNNING
    clock.advance(0.5)
    events = engine.advance()
    assert step_changes(events) == [(0, 1)]
    assert cues_in(events) == [plan.steps[1].start]  # nothing from the skipped stretch


def test_next_on_the_last_technique_finishes(
    engine: SessionEngine, plan: SessionPlan, clock: FakeClock
) -> None:
    engine.start(at=plan.steps[-1].start + 5)
    engine.advance()
    clock.advance(10)
    engine.next_step()
    assert engine.state is EngineState.FINISHED
    assert engine.session_time() == plan.steps[-1].start + 15
    assert engine.advance() == [Finished(stopped_early=True)]
    assert engine.advance() == []


def test_previous_goes_back_a_technique_and_restarts_the_first(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start(at=plan.steps[3].start + 20)
    engine.advance()
    engine.previous_step()
    assert engine.session_time() == plan.steps[2].start
    assert step_changes(engine.advance()) == [(3, 2)]
    engine.previous_step()
    engine.previous_step()
    assert engine.session_time() == 0.0
    clock.advance(7)
    engine.previous_step()  # on the first step: start it again
    assert engine.session_time() == 0.0
    clock.advance(0.1)
    events = engine.advance()
    assert step_changes(events) == [(2, 0)]  # the last step reported was 2
    assert cues_in(events) == [0.0]  # its start cue is said again


def test_seek_moves_without_speaking_what_was_jumped_over(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start()
    engine.advance()
    engine.seek(500.0)
    clock.advance(2)
    events = engine.advance()
    assert engine.session_time() == 502.0
    assert step_changes(events) == [(0, 4)]
    assert cues_in(events) == []
    engine.seek(-50)
    assert engine.session_time() == 0.0
    engine.seek(plan.total + 50)
    assert engine.session_time() == plan.total


def test_seek_while_paused_stays_paused(engine: SessionEngine, clock: FakeClock) -> None:
    engine.start()
    engine.pause()
    engine.seek(200.0)
    clock.advance(60)
    assert engine.state is EngineState.PAUSED
    assert engine.session_time() == 200.0
    assert step_changes(engine.advance()) == [(None, 2)]


def test_seek_before_starting_moves_the_starting_point(
    engine: SessionEngine, clock: FakeClock
) -> None:
    engine.next_step()
    engine.next_step()
    assert engine.state is EngineState.READY
    assert engine.session_time() == 180.0
    engine.start()
    clock.advance(1)
    assert engine.session_time() == 181.0
    assert cues_in(engine.advance()) == [180.0]


def test_stop_ends_the_session_early(engine: SessionEngine, clock: FakeClock) -> None:
    engine.start()
    clock.advance(90)
    engine.stop()
    clock.advance(90)
    assert engine.state is EngineState.FINISHED
    assert engine.session_time() == 90.0
    assert engine.advance() == [Finished(stopped_early=True)]
    for command in (
        engine.resume,
        engine.toggle_pause,
        engine.next_step,
        engine.previous_step,
        engine.stop,
    ):
        command()
    engine.seek(10)
    engine.start()
    assert engine.session_time() == 90.0
    assert engine.state is EngineState.FINISHED
    assert engine.advance() == []


def test_a_paused_session_can_be_stopped(engine: SessionEngine, clock: FakeClock) -> None:
    engine.start()
    clock.advance(12)
    engine.pause()
    engine.stop()
    assert engine.session_time() == 12.0
    assert engine.advance() == [Finished(stopped_early=True)]


# -- events -----------------------------------------------------------------------------


def run_to_the_end(engine: SessionEngine, clock: FakeClock, poll_every: float) -> list[Event]:
    events: list[Event] = []
    engine.start()
    while engine.state is not EngineState.FINISHED:
        events += engine.advance()
        clock.advance(poll_every)
    return events + engine.advance()


@pytest.mark.parametrize("poll_every", [0.05, 0.37, 2.5, 61.0, 5000.0])
def test_a_full_run_reports_every_cue_once_in_order(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan, poll_every: float
) -> None:
    events = run_to_the_end(engine, clock, poll_every)
    assert [e.cue for e in events if isinstance(e, CueDue)] == list(plan.cues)
    expected_changes = [(None, 0), *((i, i + 1) for i in range(len(plan.steps) - 1))]
    assert step_changes(events) == expected_changes
    assert [e for e in events if isinstance(e, Finished)] == [Finished(stopped_early=False)]
    assert events[-1] == Finished(stopped_early=False)
    assert events[-2] == CueDue(plan.cues[-1]) and plan.cues[-1].kind is CueKind.END
    assert engine.advance() == []


def test_events_come_in_time_order_with_the_step_change_before_its_cues(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    events = run_to_the_end(engine, clock, 5000.0)  # one poll crosses everything
    times = []
    for event in events:
        if isinstance(event, StepChanged):
            times.append(plan.steps[event.current].start)
        elif isinstance(event, CueDue):
            times.append(event.cue.time)
    assert times == sorted(times)
    for index, event in enumerate(events):
        if isinstance(event, StepChanged):
            following = events[index + 1]
            assert isinstance(following, CueDue)
            assert following.cue.kind is CueKind.START
            assert following.cue.time == plan.steps[event.current].start


def test_pauses_do_not_lose_or_repeat_cues(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    events: list[Event] = []
    engine.start()
    for pause_at in itertools.count(start=7.3, step=13.1):
        clock.advance(3.3)
        events += engine.advance()
        engine.pause()
        clock.advance(pause_at)  # the longer the pause, the less it matters
        events += engine.advance()
        engine.resume()
        if engine.session_time() >= plan.total:
            break
    events += engine.advance()
    assert [e.cue for e in events if isinstance(e, CueDue)] == list(plan.cues)
    assert events[-1] == Finished(stopped_early=False)


def test_reaching_the_end_while_paused_finishes(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start(at=plan.total - 1)
    clock.advance(5)
    engine.pause()
    events = engine.advance()
    assert engine.state is EngineState.FINISHED
    assert events[-1] == Finished(stopped_early=False)
    assert cues_in(events)[-1] == plan.total


# -- position ---------------------------------------------------------------------------


def test_position_within_a_step(engine: SessionEngine, plan: SessionPlan) -> None:
    step = plan.steps[1]  # 120 s to 180 s at 20/min: a click every 3 s
    engine.seek(step.start + 7.5)
    position = engine.position()
    assert position.step == step
    assert position.session_time == 127.5
    assert position.step_elapsed == 7.5
    assert position.step_left == 52.5
    assert position.beat_index == 2
    assert position.beat_phase == pytest.approx(0.5)
    assert position.progress == 127.5 / plan.total


def test_the_beat_phase_is_zero_on_every_click(engine: SessionEngine, plan: SessionPlan) -> None:
    for beat in plan.beats_between(0.0, plan.total):
        engine.seek(beat.time)
        position = engine.position()
        assert position.step.index == beat.step_index
        assert position.beat_index == beat.index_in_step
        assert position.beat_phase == pytest.approx(0.0, abs=1e-6)


def test_the_beat_phase_rises_between_clicks(engine: SessionEngine, plan: SessionPlan) -> None:
    step = plan.steps[0]  # a click every 2.5 s
    phases = []
    for k in range(1, 10):
        engine.seek(step.start + 2.5 + k * 0.25)
        phases.append(engine.position().beat_phase)
    assert phases == sorted(phases)
    assert phases[0] > 0.0 and phases[-1] < 1.0


def test_position_at_the_end(engine: SessionEngine, clock: FakeClock, plan: SessionPlan) -> None:
    engine.start()
    clock.advance(plan.total + 10)
    engine.advance()
    position = engine.position()
    assert position.step == plan.steps[-1]
    assert position.step_left == 0.0
    assert position.progress == 1.0
    assert 0.0 <= position.beat_phase <= 1.0
