"""The back seen from behind: active zones lit, the spine marked never-touch, gentle areas
outlined, an arrow for the direction and a marker that moves with the beat.

The shapes come from ``assets/back-zones.svg`` (see :mod:`backbeat.ui.svg_shapes`); the
widget only recolours them according to the :class:`ZoneDiagramState` it is given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QRegion,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.core.model import Direction, Path
from backbeat.core.zones import SPINE, GentleArea, Zone
from backbeat.ui.motion_paths import (
    BEAT_DEPENDENT_PATHS,
    heads_back_and_forth,
    is_vertical,
    marker_point,
    trace,
)
from backbeat.ui.session_scale import TypeScale
from backbeat.ui.svg_shapes import SvgShapes
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import ZoneDiagramState
from backbeat.ui.zone_lanes import SPINE_X, Lane, lanes_for

MARKER_RADIUS = 11.0
GUIDE_JUMP = 24.0  # SVG units between two guide points that are not joined by a line
TRAIL = 4  # fading dots behind the marker
TRAIL_SPACING = 0.05  # of a beat, between two trail dots
#: Marker positions per beat: a slow stroke (30/min, 2 s a beat) moves it 12 times a
#: second, not at every 25 Hz frame; from 63/min on every frame moves it.
MARKER_STEPS_PER_BEAT = 24
#: Pictures kept (a movement along or across the muscle shows two: one each way), and
#: marker positions kept (24 a beat; a movement that creeps has new ones every beat).
STILLS_KEPT = 2
MARKERS_KEPT = 256

Dots = list[tuple[QPointF, float, int]]


class ZoneDiagram(QWidget):
    def __init__(self, shapes: SvgShapes, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shapes = shapes
        self._theme = theme
        self._state = ZoneDiagramState()
        self._scale = TypeScale(1.0)
        self._lanes: list[Lane] = []  # in SVG units, one per hand
        self._lane_cache: dict[frozenset[str], list[Lane]] = {}
        self._still: QPixmap | None = None  # the picture without the marker
        # The pictures drawn for this technique by what they show (the guide of a movement
        # that repeats is the same at every beat: drawing it again cost ~8 ms a beat).
        self._stills: dict[tuple[object, ...], QPixmap] = {}
        self._dots: Dots = []  # the marker, worked out once per state
        self._dots_region = QRegion()  # the area under it
        self._markers: dict[tuple[object, ...], tuple[Dots, QRegion]] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 200)

    def sizeHint(self) -> QSize:
        return QSize(380, 600)

    def state(self) -> ZoneDiagramState:
        return self._state

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._forget_pictures()
        self.update()

    def set_scale(self, scale: TypeScale) -> None:
        """The legend's type follows the session's."""
        if scale != self._scale:
            self._scale = scale
            self._forget_pictures()
            self.update()

    def _forget_pictures(self) -> None:
        """The look, the size or the legend changed: every picture is drawn anew."""
        self._still = None
        self._stills.clear()
        self._markers.clear()

    def _legend_height(self) -> int:
        return round(self._scale.px("legend") * 1.9)

    def set_state(self, state: ZoneDiagramState) -> None:
        state = _on_marker_step(state)
        if state == self._state:
            return  # most frames of a slow rhythm: the marker has not reached its next step
        before, before_region = self._dots, self._dots_region
        if state.active_zones != self._state.active_zones:
            self._lanes = self._lanes_for(state.active_zones)
            self._markers.clear()
        new_picture = False
        if _still_part(state) != _still_part(self._state):
            if still_key(state)[:-1] != still_key(self._state)[:-1]:
                self._stills.clear()  # another technique: its pictures are not seen again
            still = self._stills.get(still_key(state))
            new_picture = still is None or still is not self._still
            self._still = still
        self._state = state
        self._dots, self._dots_region = self._marker_for(state)
        if new_picture or self._still is None:
            self.update()
            return
        # Only the marker moves: repaint the little area it leaves and enters.
        if self._dots != before:
            self.update(before_region.united(self._dots_region))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._forget_pictures()
        super().resizeEvent(event)

    def _marker_for(self, state: ZoneDiagramState) -> tuple[Dots, QRegion]:
        """The marker's dots and the area under them, worked out once per position."""
        key = marker_key(state)
        found = self._markers.get(key)
        if found is None:
            if len(self._markers) >= MARKERS_KEPT:
                self._markers.clear()
            dots = self._marker_dots(state)
            found = self._markers[key] = (dots, self._dirty_region(dots))
        return found

    def _lanes_for(self, zones: frozenset[str]) -> list[Lane]:
        """One lane per side of the spine, inside the active zones (traced once per set)."""
        if zones not in self._lane_cache:
            self._lane_cache[zones] = lanes_for(self._shapes.get(zone) for zone in sorted(zones))
        return self._lane_cache[zones]

    # -- drawing ----------------------------------------------------------------------
    def _transform(self, area: QRectF) -> QTransform:
        box = self._shapes.view_box
        scale = min(area.width() / box.width(), area.height() / box.height())
        dx = area.left() + (area.width() - box.width() * scale) / 2 - box.left() * scale
        dy = area.top() + (area.height() - box.height() * scale) / 2 - box.top() * scale
        return QTransform(scale, 0, 0, scale, dx, dy)

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        if self._still is None or self._still.size() != self.size() * ratio:
            self._still = self._paint_still(ratio)
            while len(self._stills) >= STILLS_KEPT:
                self._stills.pop(next(iter(self._stills)))
            self._stills[still_key(self._state)] = self._still
        painter = QPainter(self)
        # Only the squares the marker left and entered, each copied on its own: a whole
        # pixmap drawn through a clip of two rectangles costs ~1 ms a frame.
        for rect in cast(Iterable[QRect], event.region()):  # the stubs miss __iter__
            source = QRectF(
                rect.x() * ratio, rect.y() * ratio, rect.width() * ratio, rect.height() * ratio
            )
            painter.drawPixmap(QRectF(rect), self._still, source)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self._transform(self._figure_area()))
        self._draw_markers(painter)
        painter.end()

    def _figure_area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(6, 6, -6, -6 - self._legend_height())

    def _forwards(self) -> bool:
        s = self._state
        return not (
            s.direction is not None and heads_back_and_forth(s.direction) and s.beat_index % 2
        )

    def _paint_still(self, ratio: float) -> QPixmap:
        """Everything but the moving marker; redrawn only when it changes (not per frame)."""
        t, s = self._theme, self._state
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(t.color("background"))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self._transform(self._figure_area()))
        edge = QPen(t.color("zone_edge"), 1.5)
        edge.setCosmetic(True)
        painter.setPen(edge)
        painter.setBrush(t.color("body_fill"))
        for shape_id in ("head", "body"):
            painter.drawPath(self._shapes.get(shape_id))
        for zone in Zone:
            active = zone.value in s.active_zones
            painter.setBrush(t.color("accent", 215) if active else t.color("zone_fill"))
            painter.setPen(QPen(t.color("accent") if active else t.color("zone_edge"), 0))
            painter.drawPath(self._shapes.get(zone.value))
        self._draw_gentle(painter)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(t.color("danger"), Qt.BrushStyle.SolidPattern))
        painter.drawPath(self._shapes.get(SPINE))
        self._draw_direction(painter)
        painter.resetTransform()
        self._draw_legend(painter)
        painter.end()
        return pixmap

    def _draw_gentle(self, painter: QPainter) -> None:
        t = self._theme
        for area in GentleArea:
            near = area.value in self._state.gentle_near
            pen = QPen(t.color("warning"), 3.0 if near else 2.0, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(t.color("warning", 90) if near else Qt.BrushStyle.NoBrush)
            painter.drawPath(self._shapes.get(area.value))

    def _lane_point(
        self,
        lane: Lane,
        across: float,
        along: float,
        forwards: bool,
        direction: Direction | None = None,
    ) -> QPointF:
        direction = direction or self._state.direction or Direction.BOTTOM_UP
        return lane.point(across, along if forwards else -along, direction)

    def _draw_direction(self, painter: QPainter) -> None:
        s, t = self._state, self._theme
        if not self._lanes or s.direction is None:
            return
        forwards = _forwards(s)
        for lane in self._lanes:
            self._draw_arrow(painter, lane)
            if s.path is None:
                continue
            guide = QPainterPath()
            previous: QPointF | None = None
            for point in trace(s.path, s.beat_index):
                p = self._lane_point(lane, point.across, point.along, forwards)
                # Where the lane jumps from one zone to another, the guide jumps too
                # instead of drawing a line over the back between them.
                jump = previous is None or (p - previous).manhattanLength() > GUIDE_JUMP
                guide.moveTo(p) if jump else guide.lineTo(p)
                previous = p
            pen = QPen(t.color("text", 110), 2.0, Qt.PenStyle.DotLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(guide)

    def _marker_dots(self, state: ZoneDiagramState) -> Dots:
        """The marker and its fading trail: (point in SVG units, radius, steps back)."""
        if not state.animate or state.path is None or state.direction is None:
            return []
        forwards = _forwards(state)
        dots = []
        for lane in self._lanes:
            for k in range(TRAIL, -1, -1):
                phase = state.beat_phase - k * TRAIL_SPACING
                if phase < 0:
                    continue
                point = marker_point(state.path, phase, state.beat_index)
                p = self._lane_point(lane, point.across, point.along, forwards, state.direction)
                dots.append((p, MARKER_RADIUS * point.size * (1.0 - k / (TRAIL + 2)), k))
        return dots

    def _dirty_region(self, dots: Dots) -> QRegion:
        """The area under the given dots, one rectangle per side of the spine (the two
        hands' lanes lie far apart, and a rectangle across both would be mostly idle)."""
        transform = self._transform(self._figure_area())
        sides: dict[bool, QRectF] = {}
        for p, radius, _ in dots:
            margin = radius + 4
            box = QRectF(p.x() - margin, p.y() - margin, 2 * margin, 2 * margin)
            left = p.x() < SPINE_X
            sides[left] = sides[left].united(box) if left in sides else box
        region = QRegion()
        for box in sides.values():
            region = region.united(transform.mapRect(box).toAlignedRect().adjusted(-2, -2, 2, 2))
        return region

    def _draw_markers(self, painter: QPainter) -> None:
        s, t = self._state, self._theme
        for p, radius, k in self._dots:
            alpha = 255 if k == 0 else 60
            painter.setPen(QPen(t.color("surface", alpha), 2.5) if k == 0 else Qt.PenStyle.NoPen)
            painter.setBrush(t.color("warning" if s.path is Path.TAPPING else "text", alpha))
            painter.drawEllipse(p, radius, radius)

    def _draw_arrow(self, painter: QPainter, lane: Lane) -> None:
        direction = self._state.direction
        assert direction is not None
        both_ways = heads_back_and_forth(direction)
        box = lane.box
        centre = box.center()
        # Beside the marker's lane, not on top of it: a straight line the length of the lane.
        if is_vertical(direction):
            x = centre.x() + lane.side * box.width() * 0.42
            low, high = (
                QPointF(x, box.bottom() - 0.08 * box.height()),
                QPointF(x, box.top() + 0.08 * box.height()),
            )
            start, end = (high, low) if direction is Direction.TOP_DOWN else (low, high)
        else:
            y = centre.y() + box.height() * 0.42
            inner = QPointF(centre.x() - lane.side * box.width() * 0.36, y)
            outer = QPointF(centre.x() + lane.side * box.width() * 0.36, y)
            start, end = inner, outer
        # Drawn over the accent-filled zone: the text colour on a halo of the surface
        # keeps the arrow at 3:1 or more against whatever lies under it.
        heads = ((end, start), (start, end)) if both_ways else ((end, start),)
        for colour, width in (
            (self._theme.color("surface"), 8.0),
            (self._theme.color("text"), 4.0),
        ):
            pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLine(start, end)
            painter.setBrush(colour)
            for tip, tail in heads:
                painter.drawPolygon(_arrow_head(tip, tail, 14.0))

    def _draw_legend(self, painter: QPainter) -> None:
        t = self._theme
        size = self._scale.px("legend")
        y = self.height() - self._legend_height() + (self._legend_height() - size) / 2
        items = (
            ("accent", "Work here", Qt.PenStyle.NoPen),
            ("danger", "Spine: never", Qt.PenStyle.NoPen),
            ("warning", "Gently", Qt.PenStyle.DashLine),
        )
        font = painter.font()
        for px in range(size, 7, -1):  # the largest type that fits the width
            font.setPixelSize(px)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            box = round(px * 1.1)
            widths = [box + 6 + metrics.horizontalAdvance(label) for _, label, _ in items]
            if sum(widths) + 16 * (len(items) - 1) <= self.width() - 8:
                break
        x = (self.width() - sum(widths) - 16 * (len(items) - 1)) / 2
        for (colour, label, style), width in zip(items, widths, strict=True):
            swatch = QRectF(x, y, box, px)
            if style is Qt.PenStyle.DashLine:
                painter.setPen(QPen(t.color(colour), 2, style))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(t.color(colour))
            painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(t.color("text"))
            painter.drawText(QPointF(x + box + 6, y + metrics.ascent() - 1), label)
            x += width + 16


def _forwards(state: ZoneDiagramState) -> bool:
    """Along or across the muscle, odd beats run back the other way."""
    back_and_forth = state.direction is not None and heads_back_and_forth(state.direction)
    return not (back_and_forth and state.beat_index % 2)


def _on_marker_step(state: ZoneDiagramState) -> ZoneDiagramState:
    """``state`` with the beat phase moved back to the marker's last step."""
    if state.rhythm <= 0 or not state.animate:
        return state
    steps = MARKER_STEPS_PER_BEAT
    phase = math.floor(state.beat_phase * steps + 1e-9) / steps
    return replace(state, beat_phase=phase) if phase != state.beat_phase else state


def _still_part(state: ZoneDiagramState) -> tuple[object, ...]:
    """What the picture under the marker depends on (the guide creeps once per beat)."""
    return (
        state.active_zones,
        state.gentle_near,
        state.direction,
        state.path,
        state.beat_index,
    )


def _beat_part(state: ZoneDiagramState) -> tuple[object, ...]:
    """What of the beat index the marker and the guide show: the way it runs, and for a
    movement that creeps or taps somewhere new, the beat itself."""
    creeps = state.path in BEAT_DEPENDENT_PATHS
    return (_forwards(state), state.beat_index if creeps else None)


def still_key(state: ZoneDiagramState) -> tuple[object, ...]:
    """What the picture under the marker shows (the beat's part last)."""
    return (state.active_zones, state.gentle_near, state.direction, state.path, _beat_part(state))


def marker_key(state: ZoneDiagramState) -> tuple[object, ...]:
    """What the marker's place depends on (with the zones: the lanes)."""
    return (state.animate, state.path, state.direction, state.beat_phase, _beat_part(state))


def _arrow_head(tip: QPointF, tail: QPointF, size: float) -> QPolygonF:
    angle = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
    right = QPointF(
        tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45)
    )
    return QPolygonF([tip, left, right])
