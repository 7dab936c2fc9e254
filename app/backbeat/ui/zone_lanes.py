"""The strips of the back that each hand works along, traced inside the active zones.

A lane is one side of the spine (one hand). It is made of horizontal runs: for each row
of the diagram, the stretch of that row that lies inside the active zones, from the bottom
of the back to the top. The marker is placed on a run, so it never leaves the highlighted
area, even when the zones are curved (the sides), narrow (between the shoulder blades) or
apart from each other (shoulders and buttocks: the marker goes from one to the other).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

from backbeat.core.model import Direction

#: x of the spine's middle in the asset; a lane never crosses it.
SPINE_X = 200.0
SPINE_CLEARANCE = 9.0
#: Sampling steps, in SVG units (the body is 400 wide): fine enough for the narrowest zone.
ROW_STEP = 3.0
COLUMN_STEP = 2.0
#: A run narrower than this is a sliver at a zone's edge, not somewhere a hand works.
MIN_RUN_WIDTH = 6.0
#: How far from the centre of its run the marker may go (1 = the run's edge), and how much
#: of the lane's length a movement covers: both keep it off the outline.
ACROSS_REACH = 0.72
ALONG_REACH = 0.84


@dataclass(frozen=True)
class Run:
    y: float
    left: float
    right: float

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def half_width(self) -> float:
        return (self.right - self.left) / 2


@dataclass(frozen=True)
class Lane:
    side: int  # -1 left of the spine, +1 right
    runs: tuple[Run, ...]  # bottom row first

    @property
    def box(self) -> QRectF:
        left = min(r.left for r in self.runs)
        right = max(r.right for r in self.runs)
        top, bottom = self.runs[-1].y, self.runs[0].y
        return QRectF(left, top, right - left, max(bottom - top, ROW_STEP))

    def _run_at(self, fraction: float) -> Run:
        """The run ``fraction`` of the way up the lane (0 bottom, 1 top)."""
        fraction = min(max(fraction, 0.0), 1.0)
        return self.runs[round(fraction * (len(self.runs) - 1))]

    def point(self, across: float, along: float, direction: Direction) -> QPointF:
        """Where a hand is, in lane units (see :mod:`backbeat.ui.motion_paths`)."""
        if direction in (Direction.BOTTOM_UP, Direction.TOP_DOWN, Direction.ALONG_MUSCLE):
            up = along if direction is not Direction.TOP_DOWN else -along
            run = self._run_at(0.5 + up * ALONG_REACH / 2)
            return QPointF(run.centre + across * ACROSS_REACH * run.half_width, run.y)
        # Sideways (outwards from the spine, or across the muscle): along runs over a row.
        run = self._run_at(0.5 - across * ALONG_REACH / 2)
        return QPointF(run.centre + self.side * along * ACROSS_REACH * run.half_width, run.y)


def lanes_for(shapes: Iterable[QPainterPath]) -> list[Lane]:
    """One lane per side of the spine that the given shapes cover."""
    boxed = [(path, path.boundingRect()) for path in shapes]
    if not boxed:
        return []
    box = QRectF()
    for _, path_box in boxed:
        box = box.united(path_box)
    lanes = []
    for side in (-1, 1):
        runs = _runs(boxed, box, side)
        if runs:
            lanes.append(Lane(side, tuple(runs)))
    return lanes


#: A shape and its bounding box (asked once, not per sample).
_Boxed = tuple[QPainterPath, QRectF]


def _runs(paths: list[_Boxed], box: QRectF, side: int) -> list[Run]:
    """Bottom to top, the stretch of each row inside the shapes on this side; where a row
    has several, the one nearest the run below it, so the lane stays one strip."""
    near, far = SPINE_X + side * SPINE_CLEARANCE, box.left() if side < 0 else box.right()
    low, high = min(near, far), max(near, far)
    runs: list[Run] = []
    y = box.bottom() - ROW_STEP / 2
    while y > box.top():
        candidates = _row_runs(paths, y, low, high)
        if candidates:
            previous = runs[-1].centre if runs else None
            runs.append(
                max(candidates, key=lambda r: r.right - r.left)
                if previous is None
                else min(candidates, key=lambda r: abs(r.centre - previous))
            )
        y -= ROW_STEP
    return runs


def _row_runs(paths: list[_Boxed], y: float, low: float, high: float) -> list[Run]:
    # Only the shapes this row crosses are asked, and only over the width they span.
    crossing = [(p, box) for p, box in paths if box.top() <= y <= box.bottom()]
    if not crossing:
        return []
    low = max(low, min(box.left() for _, box in crossing))
    high = min(high, max(box.right() for _, box in crossing))
    runs: list[Run] = []
    start: float | None = None
    x = low
    while x <= high:
        point = QPointF(x, y)
        inside = any(box.left() <= x <= box.right() and p.contains(point) for p, box in crossing)
        if inside and start is None:
            start = x
        elif not inside and start is not None:
            runs.append(Run(y, start, x - COLUMN_STEP))
            start = None
        x += COLUMN_STEP
    if start is not None:
        runs.append(Run(y, start, high))
    return [r for r in runs if r.right - r.left >= MIN_RUN_WIDTH]
