"""Long and random runs of the engine: it ends exactly where plain arithmetic says.

The expected session time is worked out here step by step from the protocol's numbers,
independently of the engine, and compared after every action.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbeat.core.clock import FakeClock
from backbeat.core.engine import CueDue, EngineState, Event, Finished, SessionEngine
from backbeat.core.model import Mode, Protocol
from backbeat.core.plan import PlanOverrides, SessionPlan, build_plan
from tests.core.factories import home_massage

TWO_HOURS = 7200.0
ACTIONS = ["pause", "resume", "toggle", "next", "previous", "seek", "advance"]


def step_starts(protocol: Protocol) -> list[float]:
    """Where each technique begins: blocks back to back, each shared by weight."""
    starts, block_start = [], 0.0
    for block in protocol.blocks:
        weights = sum(t.share for t in block.techniques)
        done = 0.0
        for technique in block.techniques:
            starts.append(block_start + block.duration * done / weights)
            done += technique.share
        block_start += block.duration
    return starts


@dataclass
class ExpectedSession:
    """The session as the issue describes it, in a few lines of arithmetic."""

    starts: list[float]
    total: float
    time: float = 0.0
    heard: float = 0.0
    state: EngineState = EngineState.RUNNING
    log: list[str] = field(default_factory=list)

    def step(self) -> int:
        return max(i for i, start in enumerate(self.starts) if start <= self.time)

    def wait(self, seconds: float) -> None:
        if self.state is EngineState.RUNNING:
            played = min(seconds, self.total - self.time)
            self.heard += played
            self.time += played

    def act(self, action: str, target: float) -> None:
        self.log.append(action)
        if self.state is EngineState.FINISHED:
            return
        if action == "pause" and self.state is EngineState.RUNNING:
            self.state = EngineState.PAUSED
        elif action == "resume" and self.state is EngineState.PAUSED:
            self.state = EngineState.RUNNING
        elif action == "toggle":
            running = self.state is EngineState.RUNNING
            self.state = EngineState.PAUSED if running else EngineState.RUNNING
        elif action == "next":
            if self.step() == len(self.starts) - 1:
                self.state = EngineState.FINISHED
            else:
                self.time = self.starts[self.step() + 1]
        elif action == "previous":
            self.time = self.starts[max(0, self.step() - 1)]
        elif action == "seek":
            self.time = min(max(0.0, target), self.total)
        elif action == "advance" and self.time >= self.total:
            self.state = EngineState.FINISHED


def perform(engine: SessionEngine, action: str, target: float) -> list[Event]:
    commands = {
        "pause": engine.pause,
        "resume": engine.resume,
        "toggle": engine.toggle_pause,
        "next": engine.next_step,
        "previous": engine.previous_step,
    }
    if action == "seek":
        engine.seek(target)
    elif action == "advance":
        return engine.advance()
    else:
        commands[action]()
    return []


def two_hour_plan() -> SessionPlan:
    return build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=TWO_HOURS))


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_a_two_hour_session_with_hundreds_of_actions_ends_where_arithmetic_says(
    seed: int,
) -> None:
    plan = two_hour_plan()
    assert plan.total == pytest.approx(TWO_HOURS)
    rng = random.Random(seed)
    clock = FakeClock(1_000_000.0)
    engine = SessionEngine(plan, clock)
    engine.start()
    expected = ExpectedSession(step_starts(plan.protocol), plan.total)
    finishes = actions_while_live = 0
    for _ in range(800):
        seconds = rng.choice([0.0, rng.uniform(0, 1), rng.uniform(0, 40)])
        clock.advance(seconds)
        expected.wait(seconds)
        action = rng.choices(ACTIONS, weights=[4, 4, 2, 1, 2, 2, 5])[0]
        # Seeks stay clear of the end so that the session lives through the whole run.
        target = rng.uniform(-100, plan.total - 600)
        events = perform(engine, action, target)
        expected.act(action, target)
        finishes += sum(isinstance(e, Finished) for e in events)
        actions_while_live += expected.state is not EngineState.FINISHED
        assert engine.session_time() == pytest.approx(expected.time, abs=1e-6), expected.log[-5:]
        assert engine.state is expected.state, expected.log[-5:]
    assert finishes <= 1
    assert actions_while_live >= 500  # the seed keeps the session going for long enough
    assert engine.summary().total_seconds == pytest.approx(expected.heard, abs=1e-6)
    if engine.state is not EngineState.FINISHED:
        # Play out the rest without touching anything: it ends on the dot.
        engine.resume()
        clock.advance(plan.total)
        finishes += sum(isinstance(e, Finished) for e in engine.advance())
        assert engine.session_time() == plan.total
    assert finishes == 1
    assert engine.state is EngineState.FINISHED
    assert engine.advance() == []


actions = st.lists(
    st.tuples(
        st.floats(0, 120, allow_nan=False),
        st.sampled_from(ACTIONS),
        st.floats(-50, TWO_HOURS + 50, allow_nan=False),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(actions)
def test_any_sequence_of_actions_matches_the_arithmetic(
    steps: list[tuple[float, str, float]],
) -> None:
    plan = two_hour_plan()
    clock = FakeClock(12.5)
    engine = SessionEngine(plan, clock)
    engine.start()
    expected = ExpectedSession(step_starts(plan.protocol), plan.total)
    for seconds, action, target in steps:
        clock.advance(seconds)
        expected.wait(seconds)
        perform(engine, action, target)
        expected.act(action, target)
        assert engine.session_time() == pytest.approx(expected.time, abs=1e-6)
        assert engine.state is expected.state
    assert engine.summary().total_seconds == pytest.approx(expected.heard, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 400, allow_nan=False), st.sampled_from(["pause", "resume", "advance"])
        ),
        max_size=80,
    )
)
def test_without_skips_every_cue_is_reported_once_in_order(
    steps: list[tuple[float, str]],
) -> None:
    plan = build_plan(home_massage(), Mode.STIMULATING)
    clock = FakeClock()
    engine = SessionEngine(plan, clock)
    engine.start()
    events: list[Event] = []
    for seconds, action in steps:
        clock.advance(seconds)
        events += perform(engine, action, 0.0)
    engine.resume()
    # Past the end: (clock + total) - clock is not always total in floating point, and
    # the session time is clamped to the total anyway.
    clock.advance(plan.total + 1.0)
    events += engine.advance()
    assert [e.cue for e in events if isinstance(e, CueDue)] == list(plan.cues)
    assert [e for e in events if isinstance(e, Finished)] == [Finished(stopped_early=False)]
