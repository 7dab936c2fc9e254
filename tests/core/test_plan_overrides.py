"""Duration overrides on a session plan, and the plan as JSON."""

from __future__ import annotations

import json
import math

import pytest

from backbeat.core.durations import MAX_DURATION_SECONDS
from backbeat.core.model import Mode
from backbeat.core.plan import PlanError, PlanOverrides, SessionPlan, build_plan
from tests.core.factories import block, home_massage, protocol, technique

MODES = [Mode.RELAXING, Mode.STIMULATING]


@pytest.fixture(params=MODES, ids=lambda m: m.value)
def plan(request: pytest.FixtureRequest) -> SessionPlan:
    mode: Mode = request.param
    return build_plan(home_massage(), mode)


# -- overrides --------------------------------------------------------------------------


def test_setting_a_block_changes_only_that_block() -> None:
    plan = build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"kneading": 480.0}))
    assert plan.protocol.block("kneading").duration == 480.0
    assert plan.protocol.block("stroking").duration == 180.0
    assert plan.total == 1080.0
    steps = {s.technique.id: s for s in plan.steps}
    assert steps["longitudinal-kneading"].duration == pytest.approx(360.0)  # still 3 : 1
    assert steps["collar-kneading"].duration == pytest.approx(120.0)


def test_scaling_to_a_total_keeps_every_proportion() -> None:
    plan = build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=900.0))
    assert plan.total == pytest.approx(900.0)
    original = {b.id: b.duration for b in home_massage().blocks}
    for b in plan.protocol.blocks:
        assert b.duration == pytest.approx(original[b.id] * 0.75)


def test_a_set_block_and_a_total_together() -> None:
    overrides = PlanOverrides({"kneading": 300.0}, total=900.0)
    plan = build_plan(home_massage(), Mode.RELAXING, overrides)
    assert plan.total == pytest.approx(900.0)
    assert plan.protocol.block("kneading").duration == 300.0
    # The other 600 s of the original become 600 s too: 180 : 240 : 90 : 90 kept.
    assert plan.protocol.block("stroking").duration == pytest.approx(180.0)
    assert plan.protocol.block("rubbing").duration == pytest.approx(240.0)


def test_every_block_set_and_a_matching_total_is_accepted() -> None:
    every = {b.id: 200.0 for b in home_massage().blocks}
    plan = build_plan(home_massage(), Mode.RELAXING, PlanOverrides(every, total=1000.0))
    assert plan.total == 1000.0
    with pytest.raises(PlanError, match="every block has a set duration"):
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides(every, total=1200.0))


def test_an_unknown_block_is_refused_with_the_known_ones() -> None:
    with pytest.raises(PlanError) as caught:
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"kneeding": 300.0}))
    message = str(caught.value)
    assert "'kneeding'" in message
    assert "stroking, rubbing, kneading, vibration, closing" in message


@pytest.mark.parametrize("seconds", [0.0, -60.0, math.nan, math.inf])
def test_a_block_duration_must_be_above_zero(seconds: float) -> None:
    with pytest.raises(PlanError, match="'kneading' needs a duration above zero"):
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"kneading": seconds}))


@pytest.mark.parametrize("total", [0.0, -1200.0, math.nan])
def test_a_total_must_be_above_zero(total: float) -> None:
    with pytest.raises(PlanError, match="total must be a duration above zero"):
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=total))


def test_set_blocks_longer_than_the_total_are_refused() -> None:
    with pytest.raises(
        PlanError, match=r"already take 15m, .* in a 10m session; ask for a longer total"
    ):
        build_plan(
            home_massage(),
            Mode.RELAXING,
            PlanOverrides({"kneading": 600.0, "rubbing": 300.0}, total=600.0),
        )
    with pytest.raises(PlanError, match="leaves no time"):
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"kneading": 1000.0}, total=900.0))


def test_a_session_longer_than_the_longest_allowed_is_refused() -> None:
    near_limit = PlanOverrides({"kneading": MAX_DURATION_SECONDS - 60})
    with pytest.raises(PlanError, match="longest allowed is 4h"):
        build_plan(home_massage(), Mode.RELAXING, near_limit)
    assert build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=MAX_DURATION_SECONDS))


def test_a_step_left_with_fewer_than_three_movements_is_refused() -> None:
    # Closing stroking runs at 16/min in relaxing mode: 3 movements need 11.25 s.
    with pytest.raises(PlanError) as caught:
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"closing": 10.0}))
    message = str(caught.value)
    assert "closing/closing-stroking" in message
    assert "at least 3" in message
    assert "give block 'closing' at least 12s" in message
    # The suggested duration does work, and the faster mode gets by with less.
    build_plan(home_massage(), Mode.RELAXING, PlanOverrides({"closing": 12.0}))
    build_plan(home_massage(), Mode.STIMULATING, PlanOverrides({"closing": 10.0}))


def test_scaling_down_too_far_is_refused_too() -> None:
    with pytest.raises(PlanError, match="needs at least 3"):
        build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=60.0))


def test_the_minimum_follows_the_technique_share() -> None:
    # The 1-share technique of a 1 : 3 block gets a quarter: 3 movements at 20/min = 9 s,
    # so the block needs 36 s.
    small = technique("small", relaxing=20, share=1.0)
    big = technique("big", relaxing=20, share=3.0)
    with pytest.raises(PlanError, match="at least 36s"):
        build_plan(protocol(block("a", 30, small, big)), Mode.RELAXING)
    assert build_plan(protocol(block("a", 36, small, big)), Mode.RELAXING).steps[0].duration == 9.0


def test_a_protocol_without_techniques_has_no_plan() -> None:
    with pytest.raises(PlanError, match="no techniques"):
        build_plan(protocol(block("empty", 60)), Mode.RELAXING)


def test_the_plan_does_not_change_its_protocol() -> None:
    original = home_massage()
    build_plan(original, Mode.RELAXING, PlanOverrides({"kneading": 300.0}, total=900.0))
    assert original == home_massage()


# -- JSON -------------------------------------------------------------------------------


def test_to_json_has_exactly_the_documented_shape(plan: SessionPlan) -> None:
    data = json.loads(json.dumps(plan.to_json()))
    assert list(data) == ["protocol", "mode", "total", "steps", "cues"]
    assert data["protocol"] == "home-test"
    assert data["mode"] == plan.mode.value
    assert data["total"] == 1200.0
    assert len(data["steps"]) == len(plan.steps)
    for item, step in zip(data["steps"], plan.steps, strict=True):
        assert list(item) == [
            "block",
            "technique",
            "start",
            "duration",
            "rhythm",
            "zones",
            "spot_limit",
        ]
        assert item["block"] == step.block.id
        assert item["technique"] == step.technique.id
        assert item["start"] == pytest.approx(step.start, abs=1e-3)
        assert item["duration"] == pytest.approx(step.duration, abs=1e-3)
        # The clicked tempo: the technique's rhythm, nudged to hold whole movements.
        assert item["rhythm"] == pytest.approx(step.tempo, rel=1e-6)
        assert abs(item["rhythm"] - step.rhythm) <= 30 / step.duration + 1e-6
        assert item["zones"] == [z.value for z in step.zones]
        assert item["spot_limit"] == step.spot_limit
    assert data["steps"][0]["spot_limit"] is None
    assert data["steps"][2]["spot_limit"] == 10.0
    assert len(data["cues"]) == len(plan.cues)
    for item, cue in zip(data["cues"], plan.cues, strict=True):
        assert list(item) == ["time", "kind", "text"]
        assert item["time"] == pytest.approx(cue.time, abs=1e-3)
        assert item["kind"] == cue.kind.value
        assert item["text"] == cue.text


def test_plans_are_pure_functions_of_their_inputs() -> None:
    first = build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=1000.0))
    second = build_plan(home_massage(), Mode.RELAXING, PlanOverrides(total=1000.0))
    assert first.to_json() == second.to_json()


def test_the_advice_covers_every_technique_of_the_block_not_just_the_first() -> None:
    # Equal shares; the slow second technique needs more than the fast first one.
    fast = technique("fast", relaxing=60)  # 3 movements in 3 s: block needs 6 s
    slow = technique("slow", relaxing=12)  # 3 movements in 15 s: block needs 30 s
    with pytest.raises(PlanError, match="at least 30s"):
        build_plan(protocol(block("a", 4, fast, slow)), Mode.RELAXING)
    assert build_plan(protocol(block("a", 30, fast, slow)), Mode.RELAXING)
