"""The hostile values the fuzzer found, one test each: every one is a problem with a
position, never an exception, and nothing that validates holds a NaN or a control
character."""

from __future__ import annotations

import json
import math

import pytest

from backbeat.core.model import Mode
from backbeat.core.plan import build_plan
from backbeat.core.protocol_io import parse_protocol
from tests.core.protocol_text import VALID, problem_at, problems_of, where

INLINE = "        share: 2\n"


@pytest.mark.parametrize("share", ["5.0e-324", "1.0e+308", "0.001", "101", ".nan", ".inf"])
def test_a_share_outside_its_range_is_refused(share: str) -> None:
    text = VALID.replace(INLINE, f"        share: {share}\n")
    message = problem_at(text, share)
    assert "share" in message and ("from 0.01 to 100" in message or "finite" in message)


def test_the_largest_shares_still_plan_with_finite_times() -> None:
    text = VALID.replace(INLINE, "        share: 100\n").replace(
        "      - use: planar-stroking\n      - id: fingertip",
        "      - use: planar-stroking\n        share: 100\n      - id: fingertip",
    )
    plan = build_plan(parse_protocol(text), Mode.RELAXING)
    assert all(math.isfinite(s.start) and math.isfinite(s.end) for s in plan.steps)
    json.dumps(plan.to_json(), allow_nan=False)


def test_a_short_technique_with_a_tiny_share_gets_advice_not_an_overflow() -> None:
    text = VALID.replace(INLINE, "        share: 0.01\n").replace("rhythm: 60", "rhythm: 1")
    message = problems_of(text)[0][2]
    assert "too short" in message and "over 4h (more than allowed)" in message


@pytest.mark.parametrize("tagged", ["!!int ''", "!!float ''", "!!int '-'", "!!float '.'"])
def test_an_explicit_number_tag_on_a_bad_text(tagged: str) -> None:
    text = VALID.replace(INLINE, f"        share: {tagged}\n")
    assert "share must be a number" in problem_at(text, tagged)
    text = VALID.replace("rhythm: 60", f"rhythm: {tagged}")
    assert "must be a" in problem_at(text, tagged)


@pytest.mark.parametrize(
    ("escaped", "what"),
    [
        ("\\ud800", "lone surrogate U+D800"),
        ("\\0", "NUL"),
        ("\\e]0;PWNED\\a\\e[2J", "U+001B"),
        ("\\u202e", "U+202E"),
        ("\\r", "U+000D"),
    ],
)
def test_a_title_with_a_character_that_cannot_be_shown(escaped: str, what: str) -> None:
    text = VALID.replace("title: Fingertip circles", f'title: "Fingertip{escaped} circles"')
    message = problem_at(text, '"Fingertip')
    assert message.startswith("title holds") and what in message and "remove it" in message


def test_a_line_break_is_refused_in_a_title_and_allowed_in_a_description() -> None:
    text = VALID.replace("title: Fingertip circles", 'title: "Fingertip\\ncircles"')
    assert "must be on one line" in problem_at(text, '"Fingertip')
    two_lines = VALID.replace("  A short protocol", "  Two lines\n  A short protocol")
    assert parse_protocol(two_lines).description.count("\n") == 1


@pytest.mark.parametrize(
    ("needle", "field", "limit"),
    [
        ("title: Fingertip circles", "title", 80),
        ("how: Small circles", "how", 200),
        ('cautions: ["Keep off', "a caution", 200),
    ],
)
def test_every_shown_or_spoken_text_has_a_maximum_length(
    needle: str, field: str, limit: int
) -> None:
    key, _, rest = needle.partition(": ")
    text = VALID.replace(needle, f"{key}: {rest[:1]}{'x' * 27_000}{rest[1:]}")
    message = problems_of(text)[0][2]
    assert message.startswith(f"{field} is 27") and f"at most {limit}" in message


def test_a_long_description_is_refused() -> None:
    text = VALID.replace("  A short protocol", "  " + "word " * 300 + "A short protocol")
    assert "description is" in problems_of(text)[0][2]


@pytest.mark.parametrize("duration", ["\u0663m", "\uff11\uff10s", "0x10", "1_000", "59:59"])
def test_durations_take_ascii_digits_only(duration: str) -> None:
    text = VALID.replace("duration: 2m", f"duration: {duration}")
    assert "duration" in problems_of(text)[0][2]


@pytest.mark.parametrize("count", ["1", "2", "101", "99999999999999999999"])
def test_min_repetitions_is_from_3_to_100(count: str) -> None:
    text = VALID.replace(INLINE, f"{INLINE}        min_repetitions: {count}\n")
    (line, column, message), *_ = problems_of(text)
    assert line == where(text, f"min_repetitions: {count}")[0] and column == 26
    assert message.startswith("min_repetitions must be from 3 to 100")
