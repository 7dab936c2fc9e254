"""What the engine tells afterwards: the time heard in each step and block."""

from __future__ import annotations

import pytest

from backbeat.core.clock import FakeClock
from backbeat.core.engine import SessionEngine
from backbeat.core.model import Mode
from backbeat.core.plan import SessionPlan, build_plan
from tests.core.factories import home_massage
from tests.core.test_engine import run_to_the_end


@pytest.fixture
def plan() -> SessionPlan:
    return build_plan(home_massage(), Mode.RELAXING)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(5000.0)


@pytest.fixture
def engine(plan: SessionPlan, clock: FakeClock) -> SessionEngine:
    return SessionEngine(plan, clock)


def test_summary_counts_seconds_heard_and_skipped_steps(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    engine.start()
    clock.advance(50)
    engine.pause()
    clock.advance(1000)  # pauses are not counted
    engine.resume()
    clock.advance(70)  # step 0 (120 s) heard in full, across a pause
    engine.advance()
    clock.advance(20)
    engine.next_step()  # step 1: 20 of its 60 s, then skipped
    clock.advance(30)  # step 2: 30 s so far, still running
    summary = engine.summary()
    assert [r.seconds for r in summary.steps[:4]] == [120.0, 20.0, 30.0, 0.0]
    assert [r.completed for r in summary.steps[:4]] == [True, False, False, False]
    assert summary.total_seconds == 170.0
    assert summary.block_seconds()[:3] == [
        ("stroking", "Stroking", 140.0),
        ("rubbing", "Rubbing", 30.0),
        ("kneading", "Kneading", 0.0),
    ]
    assert [block_id for block_id, _, _ in summary.block_seconds()] == [
        b.id for b in plan.protocol.blocks
    ]


def test_a_step_heard_in_pieces_counts_as_completed(
    engine: SessionEngine, clock: FakeClock
) -> None:
    engine.start()
    clock.advance(60)
    engine.seek(90)  # skip 30 s of step 0 ...
    clock.advance(40)
    assert not engine.summary().steps[0].completed
    engine.previous_step()  # ... now in step 1, go back to step 0 and hear it all
    clock.advance(130)
    engine.stop()
    records = engine.summary().steps
    assert records[0].completed and not records[1].completed
    assert records[0].seconds == 60 + 30 + 120  # time heard, repeats included
    assert records[1].seconds == 10 + 10


def test_a_full_run_completes_every_step(
    engine: SessionEngine, clock: FakeClock, plan: SessionPlan
) -> None:
    run_to_the_end(engine, clock, 7.0)
    summary = engine.summary()
    assert all(r.completed for r in summary.steps)
    assert summary.total_seconds == pytest.approx(plan.total)
    for record in summary.steps:
        assert record.seconds == pytest.approx(record.step.duration)


def test_an_engine_needs_a_plan_with_steps(plan: SessionPlan, clock: FakeClock) -> None:
    empty = SessionPlan(plan.protocol, plan.mode, (), ())
    with pytest.raises(ValueError, match="at least one step"):
        SessionEngine(empty, clock)
