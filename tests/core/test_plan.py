"""The session plan: timed steps, the metronome grid, spoken cues and duration overrides."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest

from backbeat.core import prompts
from backbeat.core.cues import CUE_GAP, MAX_ANNOUNCE_LEAD
from backbeat.core.model import Mode, Pressure
from backbeat.core.plan import (
    Cue,
    CueKind,
    SessionPlan,
    Step,
    build_plan,
)
from backbeat.core.zones import Zone, gentle_areas_for
from tests.core.factories import block, home_massage, protocol, technique

MODES = [Mode.RELAXING, Mode.STIMULATING]


def speech_end(cue: Cue) -> float:
    return cue.time + prompts.estimate_speech_seconds(cue.text)


def cues_of(plan: SessionPlan, kind: CueKind) -> list[Cue]:
    return [c for c in plan.cues if c.kind is kind]


def beat_grid(step: Step) -> list[float]:
    """The clicks a step should have, worked out here by hand: one at its start, then one
    every 60/tempo seconds while still inside the step."""
    interval = 60.0 / step.tempo
    times: list[float] = []
    for k in itertools.count():
        t = step.start + k * interval
        if k > 0 and t >= step.end - 1e-9:
            return times
        times.append(t)
    raise AssertionError("unreachable")


@pytest.fixture(params=MODES, ids=lambda m: m.value)
def plan(request: pytest.FixtureRequest) -> SessionPlan:
    mode: Mode = request.param
    return build_plan(home_massage(), mode)


# -- steps ------------------------------------------------------------------------------


def test_steps_follow_the_protocol_order(plan: SessionPlan) -> None:
    expected = [(b.id, t.id) for b in home_massage().blocks for t in b.techniques]
    assert [(s.block.id, s.technique.id) for s in plan.steps] == expected
    assert [s.index for s in plan.steps] == list(range(len(expected)))


def test_steps_are_contiguous_with_no_gaps(plan: SessionPlan) -> None:
    assert plan.steps[0].start == 0.0
    for before, after in itertools.pairwise(plan.steps):
        assert after.start == before.end  # exactly: a massage has no pauses
        assert before.duration > 0


def test_total_is_the_sum_of_the_block_durations(plan: SessionPlan) -> None:
    assert plan.total == sum(b.duration for b in home_massage().blocks) == 1200.0


def test_awkward_durations_still_give_contiguous_steps_and_an_exact_total() -> None:
    thirds = [technique(f"t{i}", share=1.0 + i / 7) for i in range(3)]
    odd = protocol(
        block("a", 100.1, *thirds),
        block("b", 33.3, technique("u")),
        block("c", 0.7e2, technique("v")),
    )
    plan = build_plan(odd, Mode.STIMULATING)
    assert plan.total == odd.total_duration
    for before, after in itertools.pairwise(plan.steps):
        assert after.start == before.end


def test_techniques_share_the_block_by_their_weights(plan: SessionPlan) -> None:
    by_id = {s.technique.id: s for s in plan.steps}
    assert by_id["planar-stroking"].duration == pytest.approx(120.0)
    assert by_id["grasping-stroking"].duration == pytest.approx(60.0)
    assert by_id["longitudinal-kneading"].duration == pytest.approx(450.0)
    assert by_id["collar-kneading"].duration == pytest.approx(150.0)


@pytest.mark.parametrize("mode", MODES)
def test_each_step_uses_the_rhythm_of_the_mode(mode: Mode) -> None:
    plan = build_plan(home_massage(), mode)
    for step in plan.steps:
        rhythm = step.technique.rhythm
        assert step.rhythm == (rhythm.relaxing if mode is Mode.RELAXING else rhythm.stimulating)
    assert plan.mode is mode


def test_step_at_a_time() -> None:
    plan = build_plan(home_massage(), Mode.RELAXING)
    assert plan.step_at(0.0).index == 0
    assert plan.step_at(119.999).index == 0
    assert plan.step_at(120.0).index == 1  # a boundary belongs to the step it starts
    assert plan.step_at(-5.0).index == 0
    assert plan.step_at(plan.total).index == len(plan.steps) - 1
    assert plan.step_index_at(plan.total + 100) == len(plan.steps) - 1


# -- beats ------------------------------------------------------------------------------


def test_clicks_start_each_step_and_follow_its_rhythm(plan: SessionPlan) -> None:
    for step in plan.steps:
        beats = plan.beats_between(step.start, step.end)
        times = [b.time for b in beats]
        assert times == pytest.approx(beat_grid(step), abs=1e-9)
        assert times[0] == step.start
        assert all(step.start <= t < step.end for t in times)
        assert [b.index_in_step for b in beats] == list(range(len(beats)))
        assert {b.step_index for b in beats} == {step.index}
        assert len(beats) == step.beat_count


def test_a_step_that_is_not_a_whole_number_of_beats_has_its_tempo_nudged() -> None:
    # 10 s at 24/min is 4 whole movements of 2.5 s; 11 s at 24/min would be 4.4, so it
    # holds 4 movements of 2.75 s (21.8/min) and the beat runs on without a short one.
    plan = build_plan(
        protocol(block("a", 10, technique("x")), block("b", 11, technique("y"))), Mode.RELAXING
    )
    assert [b.time for b in plan.beats_between(0, plan.total)] == pytest.approx(
        [0, 2.5, 5, 7.5, 10, 12.75, 15.5, 18.25]
    )
    assert [s.rhythm for s in plan.steps] == [24, 24]
    assert [s.tempo for s in plan.steps] == pytest.approx([24, 60 * 4 / 11])
    assert [item["rhythm"] for item in plan.to_json()["steps"]] == [24, 21.818182]  # type: ignore[index]
    assert [b.number for b in plan.beats_between(0, plan.total)] == list(range(8))


@pytest.mark.parametrize(
    ("begin", "end"),
    [
        (0, 1200),
        (100, 200),
        (119.0, 121.0),
        (170.5, 430.25),
        (599.99, 600.01),
        (1195, 1300),
        (-10, 3),
    ],
)
def test_beats_between_any_window_is_the_union_of_the_step_grids(
    plan: SessionPlan, begin: float, end: float
) -> None:
    every = [t for step in plan.steps for t in beat_grid(step)]
    assert [b.time for b in plan.beats_between(begin, end)] == pytest.approx(
        [t for t in every if begin <= t < end], abs=1e-9
    )


def test_beats_between_an_empty_window_is_empty(plan: SessionPlan) -> None:
    assert plan.beats_between(50, 50) == []
    assert plan.beats_between(60, 50) == []


# -- cues -------------------------------------------------------------------------------


def test_cues_are_in_time_order_and_inside_the_session(plan: SessionPlan) -> None:
    times = [c.time for c in plan.cues]
    assert times == sorted(times)
    assert all(0.0 <= t <= plan.total for t in times)


def test_a_start_cue_names_each_technique_as_it_begins(plan: SessionPlan) -> None:
    starts = cues_of(plan, CueKind.START)
    assert [c.time for c in starts] == [s.start for s in plan.steps]
    for cue, step in zip(starts, plan.steps, strict=True):
        assert step.technique.title in cue.text


def test_every_change_of_technique_is_announced_in_time(plan: SessionPlan) -> None:
    announces = cues_of(plan, CueKind.ANNOUNCE)
    assert len(announces) == len(plan.steps) - 1
    for cue, (step, following) in zip(announces, itertools.pairwise(plan.steps), strict=True):
        change = following.start
        assert following.technique.title.lower() in cue.text
        assert change - MAX_ANNOUNCE_LEAD <= cue.time < change
        assert speech_end(cue) <= change  # said in full before the hands must change
        start_cue = next(c for c in plan.cues if c.kind is CueKind.START and c.time == step.start)
        assert cue.time >= speech_end(start_cue)


def test_announce_names_the_block_when_the_block_changes(plan: SessionPlan) -> None:
    texts = [c.text for c in cues_of(plan, CueKind.ANNOUNCE)]
    assert texts[0] == "Next: grasping stroking."
    assert texts[1] == "Next, rubbing: fingertip circles."


def test_spot_cues_keep_every_stretch_within_the_spot_limit(plan: SessionPlan) -> None:
    spots = cues_of(plan, CueKind.SPOT)
    limited = [s for s in plan.steps if s.spot_limit]
    assert limited, "the test protocol must have spot-limited steps"
    for step in plan.steps:
        inside = [c.time for c in spots if step.start < c.time < step.end]
        if not step.spot_limit:
            assert inside == []
            continue
        moves = [step.start, *inside, step.end]
        assert max(b - a for a, b in itertools.pairwise(moves)) <= step.spot_limit + 1e-9
    assert all(c.text in prompts.SPOT_PHRASES for c in spots)
    assert all(any(s.start < c.time < s.end for s in limited) for c in spots)


LONG_HOW = "Small firm circles with the fingertips, working slowly outwards from the spine. " * 2


@pytest.mark.parametrize("how", ["Circles.", LONG_HOW], ids=["short-how", "long-how"])
@pytest.mark.parametrize("duration", [10.0, 10.5, 25.0, 31.0, 59.9])
def test_spot_stretches_for_awkward_step_lengths(duration: float, how: str) -> None:
    # A long start prompt crowds the first spot cue: it waits for the words to end (the
    # listener stays on the first spot meanwhile), and every later stretch keeps the limit.
    rubbing = technique("rubbing", how=how, relaxing=60, spot_limit=10.0)
    plan = build_plan(protocol(block("r", duration, rubbing)), Mode.RELAXING)
    moves = [0.0, *(c.time for c in cues_of(plan, CueKind.SPOT)), duration]
    assert moves == sorted(moves)
    (start,) = cues_of(plan, CueKind.START)
    assert moves[1] - moves[0] <= max(10.0, speech_end(start) + CUE_GAP) + 1e-9
    assert max((b - a for a, b in itertools.pairwise(moves[1:])), default=0) <= 10.0 + 1e-9
    needed = math.ceil(duration / 10.0)
    assert len(moves) - 1 <= needed + 1  # one more at most, for the long words
    if how == "Circles.":
        assert len(moves) - 1 == needed


def test_a_caution_follows_its_start_prompt_and_the_spot_reminders_go_around_it() -> None:
    chopping = technique(
        "chopping", zones=(Zone.LUMBAR,), relaxing=100, spot_limit=10.0, pressure=Pressure.DEEP
    )
    plan = build_plan(protocol(block("c", 30.0, chopping)), Mode.RELAXING)
    (start,) = cues_of(plan, CueKind.START)
    (caution,) = cues_of(plan, CueKind.CAUTION)
    assert 0 <= caution.time - speech_end(start) <= 1.0
    spoken = sorted(plan.cues, key=lambda c: c.time)
    for a, b in itertools.pairwise(spoken):
        assert speech_end(a) + CUE_GAP <= b.time + 1e-9 or b.kind is CueKind.END
    spots = [c.time for c in cues_of(plan, CueKind.SPOT)]
    assert spots and spots[0] >= speech_end(caution)
    moves = [*spots, 30.0]
    assert max(b - a for a, b in itertools.pairwise(moves)) <= 10.0 + 1e-9


def test_spot_reminders_are_never_the_same_twice_in_a_row(plan: SessionPlan) -> None:
    texts = [c.text for c in cues_of(plan, CueKind.SPOT)]
    assert len(set(texts)) == len(prompts.SPOT_PHRASES)
    assert all(a != b for a, b in itertools.pairwise(texts))


def test_a_caution_for_firm_pressure_over_gentle_areas(plan: SessionPlan) -> None:
    cautions = cues_of(plan, CueKind.CAUTION)
    wanted = [
        s
        for s in plan.steps
        if gentle_areas_for(s.zones) and s.technique.pressure is not Pressure.LIGHT
    ]
    assert [s.technique.id for s in wanted] == [
        "fingertip-circles",
        "longitudinal-kneading",
        "collar-kneading",
    ]
    assert len(cautions) == len(wanted)
    for cue, step in zip(cautions, wanted, strict=True):
        assert step.start <= cue.time < step.end
    assert "kidneys" in cautions[0].text
    assert "kidneys" in cautions[1].text and "heart area" in cautions[1].text
    assert "neck" in cautions[2].text


def test_light_pressure_over_gentle_areas_needs_no_caution() -> None:
    light = technique(
        "stroking", zones=(Zone.LUMBAR, Zone.CERVICAL_COLLAR), pressure=Pressure.LIGHT
    )
    firm_elsewhere = technique("kneading", zones=(Zone.SIDES,), pressure=Pressure.DEEP)
    plan = build_plan(protocol(block("a", 120, light, firm_elsewhere)), Mode.RELAXING)
    assert cues_of(plan, CueKind.CAUTION) == []


def test_a_techniques_own_cautions_are_spoken_during_it_whatever_the_pressure() -> None:
    # Light patting over the kidneys: no generated reminder, but the author's warning.
    patting = replace(
        technique("patting", zones=(Zone.LOWER_THORACIC,), relaxing=50, spot_limit=10.0),
        cautions=("Only a light touch over the last two ribs.",),
    )
    stroking = technique("stroking")
    plan = build_plan(protocol(block("a", 120, stroking, patting)), Mode.RELAXING)
    (caution,) = cues_of(plan, CueKind.CAUTION)
    assert caution.text == "Only a light touch over the last two ribs."
    step = plan.steps[1]
    assert step.start <= caution.time < step.end


def test_halfway_final_and_end(plan: SessionPlan) -> None:
    (halfway,) = cues_of(plan, CueKind.HALFWAY)
    (final,) = cues_of(plan, CueKind.FINAL)
    (end,) = cues_of(plan, CueKind.END)
    assert plan.total / 2 <= halfway.time <= plan.total / 2 + 30
    assert plan.total - 60 <= final.time < plan.total - 10
    assert end.time == plan.total
    assert plan.cues[-1] == end


def test_spoken_cues_do_not_talk_over_each_other_when_there_is_room(plan: SessionPlan) -> None:
    for cue, following in itertools.pairwise(plan.cues):
        assert speech_end(cue) <= following.time, (cue, following)


def test_a_crowded_step_still_gets_its_cues_inside_it() -> None:
    # A 3-second step cannot hold an announcement after its start cue; it is kept inside.
    quick = technique("quick", how="", relaxing=60)
    plan = build_plan(protocol(block("a", 3, quick), block("b", 60, technique("b"))), Mode.RELAXING)
    (announce,) = cues_of(plan, CueKind.ANNOUNCE)
    assert 0.0 <= announce.time < 3.0
