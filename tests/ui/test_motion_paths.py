"""Where the marker is through one beat, for each kind of movement."""

from __future__ import annotations

import math

import pytest

from backbeat.core.model import Path
from backbeat.ui.motion_paths import BEAT_DEPENDENT_PATHS, marker_point, trace


def test_a_straight_stroke_runs_the_lane_once_per_beat() -> None:
    start, middle, end = (marker_point(Path.STRAIGHT, p) for p in (0.0, 0.5, 1.0))
    assert start.along < middle.along < end.along
    assert start.across == middle.across == end.across == 0.0


@pytest.mark.parametrize("path", [Path.CIRCULAR, Path.FIGURE_EIGHT])
def test_loops_come_back_to_where_they_began(path: Path) -> None:
    a, b = marker_point(path, 0.0), marker_point(path, 1.0)
    assert a.across == pytest.approx(b.across, abs=1e-9)
    if path is Path.FIGURE_EIGHT:
        assert a.along == pytest.approx(b.along, abs=1e-9)


def test_circles_creep_along_the_lane_beat_after_beat() -> None:
    first = marker_point(Path.CIRCULAR, 0.0, beat_index=0)
    later = marker_point(Path.CIRCULAR, 0.0, beat_index=3)
    assert later.along > first.along


def test_a_spiral_widens_through_the_beat() -> None:
    def radius(phase: float) -> float:
        centre = marker_point(Path.SPIRAL, phase)
        return math.hypot(centre.across, 0.0) if phase in (0.0, 0.5) else 0.0

    assert abs(marker_point(Path.SPIRAL, 0.5).across) > abs(marker_point(Path.SPIRAL, 0.0).across)
    assert radius(0.5) > radius(0.0)


def test_zigzag_swings_side_to_side_while_advancing() -> None:
    points = trace(Path.ZIGZAG, samples=30)
    assert min(p.across for p in points) < -0.4 and max(p.across for p in points) > 0.4
    alongs = [p.along for p in points]
    assert alongs == sorted(alongs)


def test_tapping_lands_on_the_beat_and_lifts_between() -> None:
    assert marker_point(Path.TAPPING, 0.0).size == pytest.approx(1.0)
    assert marker_point(Path.TAPPING, 0.5).size < 0.5
    assert marker_point(Path.TAPPING, 0.0, 1).along != marker_point(Path.TAPPING, 0.0, 2).along


def test_every_position_stays_inside_the_lane() -> None:
    for path in Path:
        for beat in range(8):
            for point in trace(path, beat, samples=40):
                assert -1.0 <= point.across <= 1.0 and -1.0 <= point.along <= 1.0


@pytest.mark.parametrize("path", [p for p in Path if p not in BEAT_DEPENDENT_PATHS])
def test_a_movement_not_listed_as_beat_dependent_repeats_on_every_beat(path: Path) -> None:
    """The zone diagram reuses the picture and the marker places of such a movement."""
    for phase in (0.0, 0.13, 0.5, 0.99):
        first = marker_point(path, phase, 0)
        assert all(marker_point(path, phase, beat) == first for beat in (1, 2, 5, 7, 601))
        assert trace(path, 0) == trace(path, 3)
