"""Durations as people write them: parsing, refusals with a clear message, printing."""

from __future__ import annotations

import math

import pytest

from backbeat.core.durations import (
    MAX_DURATION_SECONDS,
    DurationError,
    format_clock,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90.0),
        ("4m", 240.0),
        ("2m30s", 150.0),
        ("1h", 3600.0),
        ("1h15m", 4500.0),
        ("1.5m", 90.0),
        ("90", 90.0),
        ("0.5", 0.5),
        ("2m 30s", 150.0),
        ("  45s  ", 45.0),
        ("4M", 240.0),
        ("2M30S", 150.0),
        ("1H", 3600.0),
        (90, 90.0),
        (12.5, 12.5),
        ("4h", MAX_DURATION_SECONDS),
    ],
)
def test_parses_what_people_write(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["0", "0s", "0m", "-5", "-5s", "- 2m", 0, -3, -0.5])
def test_zero_and_negative_durations_are_refused(text: str | float) -> None:
    with pytest.raises(DurationError, match="must be more than zero"):
        parse_duration(text)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "nan", "NaN", "inf", "1e3", "m", "5x", "1h30", "--5", "2s30m"]
)
def test_non_durations_are_refused_with_an_example_of_what_works(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert "such as 90s, 4m, 2m30s" in message
    assert repr(text) in message


@pytest.mark.parametrize("value", [math.nan, True])
def test_numbers_that_are_not_durations_are_refused(value: float) -> None:
    with pytest.raises(DurationError, match="expected a duration"):
        parse_duration(value)


@pytest.mark.parametrize("text", ["5h", "4h0m1s", "300m", math.inf, 10**400])
def test_absurdly_long_durations_are_refused(text: str | float) -> None:
    with pytest.raises(DurationError, match="too long: a duration is at most 4h"):
        parse_duration(text)


def test_a_duration_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_duration("soon")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (45, "45s"),
        (90, "1m30s"),
        (240, "4m"),
        (3600, "1h"),
        (3725, "1h2m5s"),
        (0, "0s"),
        (90.5, "1m30.5s"),
        (0.25, "0.25s"),
        (59.9996, "1m"),
    ],
)
def test_format_duration_writes_protocol_file_style(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [1.0, 45.0, 90.5, 150.0, 337.125, 3600.0, 3725.25, 14400.0])
def test_format_then_parse_gives_the_duration_back(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (5, "0:05"),
        (59, "0:59"),
        (60, "1:00"),
        (150, "2:30"),
        (1200, "20:00"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (-3, "0:00"),
        # A countdown shows the second it is in: 4.2 s left reads 0:05.
        (4.2, "0:05"),
        # ... but a time that is a whole second give or take rounding stays on it.
        (150.0000000001, "2:30"),
    ],
)
def test_format_clock(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text
