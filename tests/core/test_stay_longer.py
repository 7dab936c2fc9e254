""" "Stay here": a technique made longer during a session keeps every rule of the plan,
checked on generated protocols (the player's side is in tests/player)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backbeat.core.cues import MAX_ANNOUNCE_LEAD
from backbeat.core.model import Mode, Protocol
from backbeat.core.plan import CueKind, PlanError, SessionPlan, build_plan
from backbeat.core.prompts import estimate_speech_seconds
from tests.core.test_plan_properties import modes, opening_end, protocols


def _longer(
    plan: SessionPlan, pick: float, where: float, seconds: float
) -> tuple[SessionPlan, float, float, int]:
    index = min(len(plan.steps) - 1, int(pick * len(plan.steps)))
    step = plan.steps[index]
    at = step.start + where * step.duration
    after = at + 1.0
    longer, added = plan.with_step_longer(
        index, seconds, after=after, speech_seconds=estimate_speech_seconds
    )
    return longer, added, min(after, step.end), index


@settings(max_examples=60, deadline=None)
@given(protocols, modes, st.floats(0, 0.999), st.floats(0, 0.999), st.floats(5.0, 90.0))
def test_a_longer_technique_keeps_the_plan_valid(
    proto: Protocol, mode: Mode, pick: float, where: float, seconds: float
) -> None:
    plan = build_plan(proto, mode)
    longer, added, after, index = _longer(plan, pick, where, seconds)
    old, new = plan.steps[index], longer.steps[index]
    # The session grows by a whole number of the step's beats, about the time asked for.
    assert abs(added - seconds) <= old.beat_interval / 2 + 1e-9
    assert longer.total == pytest.approx(plan.total + added, abs=1e-9)
    assert longer.protocol.total_duration == pytest.approx(longer.total, abs=1e-6)
    assert new.start == old.start and new.duration == pytest.approx(old.duration + added)
    assert new.tempo == pytest.approx(old.tempo, rel=1e-12)
    # Contiguous, nothing lost: every later step is the old one, later by `added`.
    assert longer.steps[0].start == 0.0
    for before, following in itertools.pairwise(longer.steps):
        assert following.start == before.end
    for was, now in zip(plan.steps[index + 1 :], longer.steps[index + 1 :], strict=True):
        assert now.technique == was.technique and now.beats == was.beats
        assert now.start == pytest.approx(was.start + added, abs=1e-9)
    # The beat runs on: the clicks before the change are the old ones, every step keeps
    # one even grid, and the extended step's grid is the old one continued.
    assert [b.time for b in longer.beats_between(0, after)] == pytest.approx(
        [b.time for b in plan.beats_between(0, after)], abs=1e-9
    )
    grid = [b.time for b in longer.beats_between(new.start, new.end)]
    gaps = [b - a for a, b in itertools.pairwise(grid)]
    assert all(g == pytest.approx(old.beat_interval, abs=1e-9) for g in gaps)
    assert len(grid) == new.beats
    # What was heard stays as it was; everything else stays in its window.
    assert [c for c in longer.cues if c.time < after] == [c for c in plan.cues if c.time < after]
    assert [c.time for c in longer.cues] == sorted(c.time for c in longer.cues)
    assert longer.cues[-1].kind is CueKind.END and longer.cues[-1].time == longer.total
    _check_windows(longer, after)


def _check_windows(plan: SessionPlan, after: float) -> None:
    starts = {c.time for c in plan.cues if c.kind is CueKind.START}
    assert all(s.start in starts for s in plan.steps)
    announces = [c.time for c in plan.cues if c.kind is CueKind.ANNOUNCE]
    for step, following in itertools.pairwise(plan.steps):
        low = max(step.start, following.start - MAX_ANNOUNCE_LEAD)
        if following.start > after:  # announced (again) before the new change
            assert any(low <= t < following.start and t >= min(after, low) for t in announces)
    spots = [c.time for c in plan.cues if c.kind is CueKind.SPOT]
    for step in plan.steps:
        if step.spot_limit:
            moves = [step.start, *(t for t in spots if step.start < t < step.end), step.end]
            assert moves[1] - moves[0] <= max(step.spot_limit, opening_end(plan, step)) + 1e-9
            assert max(b - a for a, b in itertools.pairwise(moves[1:])) <= step.spot_limit + 1e-9
    for kind in (CueKind.HALFWAY, CueKind.FINAL):
        assert sum(c.kind is kind for c in plan.cues) <= 1


def test_the_session_cannot_grow_past_the_longest_allowed() -> None:
    from tests.core.factories import block, protocol, technique

    plan = build_plan(
        protocol(block("long", 4 * 3600.0 - 10, technique("t", stimulating=60))), Mode.STIMULATING
    )
    with pytest.raises(PlanError, match="longer than"):
        plan.with_step_longer(0, 30.0, after=5.0, speech_seconds=estimate_speech_seconds)
