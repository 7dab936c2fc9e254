"""Human durations such as ``90s``, ``4m`` or ``2m30s``, parsed and printed."""

from __future__ import annotations

import math
import re

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$",
    re.ASCII,  # "٣m" or "１０s" would otherwise be read as durations by float()
)

#: No single block or session is allowed to be longer than this (a typo guard).
MAX_DURATION_SECONDS = 4 * 3600.0

#: Plain numbers are seconds; ``float()`` alone would also take "nan", "inf" and "1e3".
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$", re.ASCII)

DURATION_HELP = "a duration such as 90s, 4m, 2m30s or 1h (plain numbers are seconds)"


class DurationError(ValueError):
    """A text that is not a duration, or a duration outside the allowed range."""


def parse_duration(text: str | int | float) -> float:
    """Return the number of seconds in ``text``.

    Accepts ``90``, ``90s``, ``4m``, ``2m30s``, ``1h15m``, ``1.5m`` and ``2m 30s`` (any
    case). Raises :class:`DurationError` with a message a person can act on.
    """
    if isinstance(text, bool):
        raise DurationError(f"expected {DURATION_HELP}, got {text!r}")
    if isinstance(text, int | float):
        seconds = _number_of_seconds(text)
    else:
        compact = text.strip().lower().replace(" ", "")
        # A minus sign is read so that "-5m" is told it must be above zero, not that it
        # is gibberish.
        sign = -1.0 if compact.startswith("-") else 1.0
        compact = compact.removeprefix("-")
        match = _DURATION.match(compact)
        if match is not None and any(match.groupdict().values()):
            parts = match.groupdict()
            seconds = sign * (
                float(parts["h"] or 0) * 3600 + float(parts["m"] or 0) * 60 + float(parts["s"] or 0)
            )
        elif _PLAIN_NUMBER.match(compact):
            seconds = sign * float(compact)
        else:
            raise DurationError(f"expected {DURATION_HELP}, got {text!r}")
    if seconds <= 0:
        raise DurationError(f"a duration must be more than zero, got {text!r}")
    if not math.isfinite(seconds) or seconds > MAX_DURATION_SECONDS:
        raise DurationError(
            f"{text!r} is too long: a duration is at most {format_duration(MAX_DURATION_SECONDS)}"
        )
    return seconds


def _number_of_seconds(value: int | float) -> float:
    # float() of a huge int overflows, and NaN compares false with everything: both are
    # turned into the same clear message as any other non-duration.
    try:
        seconds = float(value)
    except OverflowError:
        return math.inf
    if math.isnan(seconds):
        raise DurationError(f"expected {DURATION_HELP}, got {value!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """Print seconds the way the protocol files write them: ``2m30s``, ``4m``, ``45s``.

    Fractions of a second are kept to the millisecond (``1m0.5s``), so that
    ``parse_duration(format_duration(x))`` gives ``x`` back for such durations.
    """
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, fraction = divmod(rest, 1000)
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes:
        text += f"{minutes}m"
    if rest or not text:
        secs = f"{whole}.{fraction:03d}".rstrip("0").rstrip(".") if fraction else f"{whole}"
        text += f"{secs}s"
    return text


def format_at_least(seconds: float) -> str:
    """How long something would have to last, for advice: "at least 4m", or "over 4h
    (more than allowed)" when no allowed duration would do (a small share can ask for
    years, or overflow to infinity)."""
    if not math.isfinite(seconds) or seconds > MAX_DURATION_SECONDS:
        return f"over {format_duration(MAX_DURATION_SECONDS)} (more than allowed)"
    return f"at least {format_duration(math.ceil(seconds))}"


def format_clock(seconds: float) -> str:
    """Print seconds as a clock reading, ``m:ss`` (or ``h:mm:ss``), for tables and displays."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
