"""Human durations such as ``90s``, ``4m`` or ``2m30s``, parsed and printed."""

from __future__ import annotations

import math
import re

_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$"
)

#: No single block or session is allowed to be longer than this (a typo guard).
MAX_DURATION_SECONDS = 4 * 3600.0

DURATION_HELP = "a duration such as 90s, 4m, 2m30s or 1h (plain numbers are seconds)"


class DurationError(ValueError):
    """A text that is not a duration, or a duration outside the allowed range."""


def parse_duration(text: str | int | float) -> float:
    """Return the number of seconds in ``text``.

    Accepts ``90``, ``90s``, ``4m``, ``2m30s``, ``1h15m`` and ``1.5m``. Raises
    :class:`DurationError` with a message a person can act on.
    """
    if isinstance(text, bool):
        raise DurationError(f"expected {DURATION_HELP}, got {text!r}")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        compact = text.strip().lower().replace(" ", "")
        match = _DURATION.match(compact)
        if not compact or match is None or not any(match.groupdict().values()):
            try:
                seconds = float(compact)
            except ValueError:
                raise DurationError(f"expected {DURATION_HELP}, got {text!r}") from None
        else:
            parts = match.groupdict()
            seconds = (
                float(parts["h"] or 0) * 3600 + float(parts["m"] or 0) * 60 + float(parts["s"] or 0)
            )
    if not math.isfinite(seconds) or seconds <= 0:
        raise DurationError(f"a duration must be more than zero, got {text!r}")
    if seconds > MAX_DURATION_SECONDS:
        raise DurationError(
            f"{format_duration(seconds)} is too long: a duration is at most "
            f"{format_duration(MAX_DURATION_SECONDS)}"
        )
    return seconds


def format_duration(seconds: float) -> str:
    """Print seconds the way the protocol files write them: ``2m30s``, ``4m``, ``45s``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes:
        text += f"{minutes}m"
    if secs or not text:
        text += f"{secs}s"
    return text


def format_clock(seconds: float) -> str:
    """Print seconds as a clock reading, ``m:ss`` (or ``h:mm:ss``), for tables and displays."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
