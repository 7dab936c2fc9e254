"""The coach's sentences: generated from the protocol, short, and in plain words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backbeat.core import prompts
from backbeat.core.model import Pressure
from backbeat.core.zones import GentleArea
from tests.core.factories import block, technique


def test_start_names_the_technique_and_says_how() -> None:
    kneading = technique("cross-kneading", title="Cross kneading", how="Knead across the muscle.")
    assert prompts.start_text(kneading) == "Cross kneading. Knead across the muscle."


def test_start_without_a_how_line_is_just_the_name() -> None:
    assert prompts.start_text(technique("sawing", title="Sawing", how="  ")) == "Sawing."


def test_announce_within_a_block_names_the_next_technique() -> None:
    planar = technique("planar", title="Planar stroking")
    grasping = technique("grasping", title="Grasping stroking")
    stroking = block("stroking", 120, planar, grasping, title="Stroking")
    assert prompts.announce_text(stroking, stroking, grasping) == "Next: grasping stroking."


def test_announce_into_a_new_block_names_the_block_too() -> None:
    stroking = block("stroking", 60, technique("planar"), title="Stroking")
    circles = technique("circles", title="Fingertip circles")
    rubbing = block("rubbing", 60, circles, title="Rubbing")
    assert prompts.announce_text(stroking, rubbing, circles) == "Next, rubbing: fingertip circles."


@pytest.mark.parametrize(
    ("areas", "text"),
    [
        ((GentleArea.KIDNEYS,), "Ease the pressure near the kidneys."),
        (
            (GentleArea.KIDNEYS, GentleArea.HEART_AREA),
            "Ease the pressure near the kidneys and the heart area.",
        ),
        (
            (GentleArea.KIDNEYS, GentleArea.HEART_AREA, GentleArea.NECK_BASE),
            "Ease the pressure near the kidneys, the heart area and the base of the neck.",
        ),
    ],
)
def test_caution_lists_the_gentle_areas(areas: tuple[GentleArea, ...], text: str) -> None:
    assert prompts.caution_text(areas) == text


def test_a_techniques_own_cautions_are_what_the_coach_says() -> None:
    knuckles = replace(
        technique("knuckles", pressure=Pressure.DEEP),
        cautions=("Rest the hand on the thumb", "Soften over the kidneys."),
    )
    text = prompts.technique_caution_text(knuckles, (GentleArea.KIDNEYS,))
    assert text == "Rest the hand on the thumb. Soften over the kidneys."


def test_without_its_own_cautions_firm_hands_near_gentle_areas_get_a_reminder() -> None:
    firm = technique("kneading", pressure=Pressure.MEDIUM)
    light = technique("stroking", pressure=Pressure.LIGHT)
    kidneys = (GentleArea.KIDNEYS,)
    assert prompts.technique_caution_text(firm, kidneys) == "Ease the pressure near the kidneys."
    assert prompts.technique_caution_text(light, kidneys) is None
    assert prompts.technique_caution_text(firm, ()) is None


def test_caution_needs_an_area() -> None:
    with pytest.raises(ValueError, match="at least one"):
        prompts.caution_text(())


def test_speech_estimate_grows_with_the_text() -> None:
    short = prompts.estimate_speech_seconds("Sawing.")
    long = prompts.estimate_speech_seconds(prompts.END)
    assert 0 < short < long
    # A rough check against a real voice: about 15 characters a second.
    assert 3.0 < long < 8.0


@pytest.mark.parametrize("text", [prompts.SPOT, prompts.HALFWAY, prompts.FINAL, prompts.END])
def test_fixed_prompts_are_short_spoken_sentences(text: str) -> None:
    assert text[0].isupper()
    assert text.endswith(".")
    assert len(text.split()) <= 16
