"""Plan rules that must hold for any protocol, checked on generated ones."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from backbeat.core import prompts
from backbeat.core.cues import CUE_GAP, MAX_ANNOUNCE_LEAD
from backbeat.core.model import Block, Mode, Pressure, Protocol
from backbeat.core.plan import CueKind, SessionPlan, Step, build_plan
from backbeat.core.zones import Zone
from tests.core.factories import protocol, technique

techniques = st.builds(
    lambda index, share, relaxing, stimulating, spot, zones, pressure: technique(
        f"t{index}",
        share=share,
        relaxing=relaxing,
        stimulating=stimulating,
        spot_limit=spot,
        zones=zones,
        pressure=pressure,
    ),
    st.integers(0, 99),
    st.floats(1.0, 3.0),
    st.integers(12, 30),
    st.integers(40, 120),
    st.one_of(st.none(), st.floats(5.0, 15.0)),
    st.lists(st.sampled_from(list(Zone)), min_size=1, max_size=3, unique=True).map(tuple),
    st.sampled_from(list(Pressure)),
)
blocks = st.builds(
    lambda index, duration, techs: Block(f"b{index}", f"Block {index}", duration, tuple(techs)),
    st.integers(0, 99),
    st.floats(120.0, 900.0),
    st.lists(techniques, min_size=1, max_size=3),
)
protocols = st.lists(blocks, min_size=1, max_size=5).map(lambda bs: protocol(*bs))
modes = st.sampled_from(list(Mode))


@settings(max_examples=80, deadline=None)
@given(protocols, modes)
def test_steps_are_contiguous_and_add_up_exactly(proto: Protocol, mode: Mode) -> None:
    plan = build_plan(proto, mode)
    assert plan.steps[0].start == 0.0
    for before, after in itertools.pairwise(plan.steps):
        assert after.start == before.end
    assert plan.total == proto.total_duration
    for block in proto.blocks:
        steps = [s for s in plan.steps if s.block == block]
        weights = sum(t.share for t in block.techniques)
        for step in steps:
            share = block.duration * step.technique.share / weights
            assert abs(step.duration - share) < 1e-9 * block.duration


@settings(max_examples=80, deadline=None)
@given(protocols, modes, st.floats(0, 4000), st.floats(0, 600))
def test_beats_in_any_window_are_the_step_grids(
    proto: Protocol, mode: Mode, begin: float, length: float
) -> None:
    plan = build_plan(proto, mode)
    every = [b for s in plan.steps for b in plan.beats_between(s.start, s.end)]
    for step in plan.steps:
        grid = [b.time for b in every if b.step_index == step.index]
        assert grid[0] == step.start
        gaps = [b - a for a, b in itertools.pairwise(grid)]
        assert all(abs(g - 60.0 / step.tempo) < 1e-9 for g in gaps)
        assert grid[-1] < step.end <= grid[-1] + 60.0 / step.tempo + 1e-9
    end = begin + length
    assert plan.beats_between(begin, end) == [b for b in every if begin <= b.time < end]


def opening_end(plan: SessionPlan, step: Step) -> float:
    """Seconds from the step's start to the end of its start prompt and caution, plus the
    gap a following prompt keeps."""
    opening = [
        c
        for c in plan.cues
        if step.start <= c.time < step.end and c.kind in (CueKind.START, CueKind.CAUTION)
    ]
    return (
        max(c.time + prompts.estimate_speech_seconds(c.text) for c in opening)
        + CUE_GAP
        - step.start
    )


def check_cue_windows(plan: SessionPlan) -> None:
    announces = [c for c in plan.cues if c.kind is CueKind.ANNOUNCE]
    assert len(announces) == len(plan.steps) - 1
    for cue, (step, following) in zip(announces, itertools.pairwise(plan.steps), strict=True):
        assert max(step.start, following.start - MAX_ANNOUNCE_LEAD) <= cue.time < following.start
    spots = [c.time for c in plan.cues if c.kind is CueKind.SPOT]
    for step in plan.steps:
        if step.spot_limit:
            moves = [step.start, *(t for t in spots if step.start < t < step.end), step.end]
            # The first reminder may wait for the step's opening words (start prompt and
            # caution) to end; every other stretch keeps the limit.
            assert moves[1] - moves[0] <= max(step.spot_limit, opening_end(plan, step)) + 1e-9
            assert max(b - a for a, b in itertools.pairwise(moves[1:])) <= step.spot_limit + 1e-9
    for cue in plan.cues:
        if cue.kind is CueKind.CAUTION:
            step = plan.step_at(cue.time)
            assert step.technique.pressure is not Pressure.LIGHT
            assert cue.time + prompts.estimate_speech_seconds(cue.text) <= step.end


@settings(max_examples=80, deadline=None)
@given(protocols, modes)
def test_cues_stay_in_their_windows(proto: Protocol, mode: Mode) -> None:
    plan = build_plan(proto, mode)
    check_cue_windows(plan)
    assert [c.time for c in plan.cues] == sorted(c.time for c in plan.cues)
    assert plan.cues[-1].kind is CueKind.END and plan.cues[-1].time == plan.total
