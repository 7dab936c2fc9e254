"""Where the zone diagram's marker is at a moment of the beat, for each kind of movement.

Pure geometry, no Qt: a "lane" is the strip of the back one hand works along. Positions
come back in lane units: ``across`` and ``along`` in ``[-1, 1]``, ``along = 1`` being the
end the movement heads for. One movement lasts one beat (phase 0 → 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backbeat.core.model import Direction, Path

#: How many beats a circling or tapping hand takes to creep the length of its lane.
CREEP_BEATS = 6


@dataclass(frozen=True)
class MarkerPoint:
    across: float
    along: float
    size: float = 1.0  # tapping: the hand lands (1.0) and lifts (smaller)


def _creep(beat_index: int, phase: float) -> float:
    """-0.7 → 0.7 along the lane over CREEP_BEATS beats, then start again."""
    return -0.7 + 1.4 * (((beat_index + phase) % CREEP_BEATS) / CREEP_BEATS)


def _triangle(x: float) -> float:
    """A triangle wave between -1 and 1 with period 1."""
    return 4 * abs(x - math.floor(x + 0.5)) - 1


#: The movements whose marker (and guide) also depend on which beat it is (they creep along
#: the lane, or tap a fresh spot); the others repeat the same shape on every beat.
BEAT_DEPENDENT_PATHS = frozenset({Path.CIRCULAR, Path.SPIRAL, Path.TAPPING})


def marker_point(path: Path, phase: float, beat_index: int = 0) -> MarkerPoint:
    phase = min(max(phase, 0.0), 1.0)
    angle = 2 * math.pi * phase
    if path is Path.STRAIGHT:
        return MarkerPoint(0.0, -0.85 + 1.7 * phase)
    if path is Path.CIRCULAR:
        return MarkerPoint(
            0.45 * math.cos(angle), _creep(beat_index, phase) + 0.3 * math.sin(angle)
        )
    if path is Path.SPIRAL:
        radius = 0.15 + 0.35 * phase
        return MarkerPoint(
            radius * math.cos(angle), _creep(beat_index, phase) + radius * math.sin(angle)
        )
    if path is Path.FIGURE_EIGHT:
        return MarkerPoint(0.6 * math.sin(angle), 0.35 * math.sin(2 * angle))
    if path is Path.ZIGZAG:
        return MarkerPoint(0.5 * _triangle(3 * phase), -0.85 + 1.7 * phase)
    # Tapping: the hand lands on the beat and lifts, moving to a fresh spot each time.
    spot = (beat_index % 5) / 4
    return MarkerPoint(0.0, -0.8 + 1.6 * spot, size=1.0 - 0.55 * math.sin(math.pi * phase))


def trace(path: Path, beat_index: int = 0, samples: int = 48) -> list[MarkerPoint]:
    """The shape one movement draws, for the faint guide under the marker."""
    return [marker_point(path, i / samples, beat_index) for i in range(samples + 1)]


def heads_back_and_forth(direction: Direction) -> bool:
    """Along or across the muscle goes both ways: odd beats run backwards."""
    return direction in (Direction.ALONG_MUSCLE, Direction.ACROSS_MUSCLE)


def is_vertical(direction: Direction) -> bool:
    return direction in (Direction.BOTTOM_UP, Direction.TOP_DOWN, Direction.ALONG_MUSCLE)
