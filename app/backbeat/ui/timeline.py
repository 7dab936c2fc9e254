"""The whole session as a bar split into its blocks, filled up to now."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.ui.painted_view import PaintedView
from backbeat.ui.session_scale import TypeScale
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import TimelineState

BAR_HEIGHT = 40  # at scale 1


def _current(state: TimelineState) -> int:
    """The index of the block being worked on, or -1."""
    return next(
        (
            i
            for i, b in enumerate(state.blocks)
            if b.start <= state.session_time < b.start + b.duration
        ),
        -1,
    )


class SessionTimeline(PaintedView[TimelineState]):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, TimelineState(), parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._scale = TypeScale(1.0)
        self.setFixedHeight(BAR_HEIGHT)

    def sizeHint(self) -> QSize:
        return QSize(800, self.height_for(self._scale))

    def height_for(self, scale: TypeScale) -> int:
        return max(28, round(BAR_HEIGHT * scale.factor))

    def set_scale(self, scale: TypeScale) -> None:
        if scale != self._scale:
            self._scale = scale
            self.setFixedHeight(self.height_for(scale))
            self.update()

    def set_state(self, state: TimelineState) -> None:
        """Mostly only the line at "now" creeps on: repaint the strip it moved across."""
        old = self._state
        if self._looks(state) == self._looks(old):
            self._state = state
            return
        self._state = state
        if (old.blocks, old.total, _current(old)) != (state.blocks, state.total, _current(state)):
            self.update()  # another block is current: its name turns bold
            return
        left, right = sorted((self._now_x(old), self._now_x(state)))
        self.update(QRect(int(left) - 4, 0, int(right - left) + 9, self.height()))

    def _now_x(self, state: TimelineState) -> float:
        bar = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        total = state.total if state.total > 0 else 1.0
        return bar.left() + state.session_time * bar.width() / total

    def _looks(self, state: TimelineState) -> tuple[object, ...]:
        total = state.total if state.total > 0 else 1.0
        pixel = round(state.session_time / total * self.width() * 2)
        return (state.blocks, state.total, pixel)

    def paintEvent(self, event: QPaintEvent) -> None:
        t, s = self._theme, self._state
        painter = QPainter(self)
        painter.fillRect(self.rect(), t.color("background"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        clip = QPainterPath()
        clip.addRoundedRect(bar, 10, 10)
        painter.setClipPath(clip)
        painter.fillRect(bar, t.color("surface_alt"))
        total = s.total if s.total > 0 else 1.0
        scale = bar.width() / total
        done = QRectF(bar.left(), bar.top(), s.session_time * scale, bar.height())
        painter.fillRect(done, t.color("accent_soft"))
        font = self._scale.font("timeline")
        painter.setFont(font)
        # Mostly only a strip around "now" is repainted: the blocks whose words cannot
        # reach into it are left alone (laying out every label was most of the cost).
        repainted = QRectF(event.rect()).adjusted(-4, 0, 4, 0)
        for i, block in enumerate(s.blocks):
            segment = QRectF(
                bar.left() + block.start * scale, bar.top(), block.duration * scale, bar.height()
            )
            current = block.start <= s.session_time < block.start + block.duration
            if i:
                painter.setPen(QPen(t.color("background"), 3))
                painter.drawLine(segment.topLeft(), segment.bottomLeft())
            # The current block's words may spill over both neighbours (see below).
            reach = (
                segment.adjusted(-segment.width(), 0, segment.width(), 0) if current else segment
            )
            if not reach.intersects(repainted):
                continue
            font.setBold(current)
            painter.setFont(font)
            # Text on the filled part and on the empty part both keep 4.5:1 (WCAG AA).
            painter.setPen(t.color("text"))
            room = max(0, round(segment.width()) - 12)
            label = block.title
            if current and painter.fontMetrics().horizontalAdvance(label) > room:
                # The current block's name matters most: it may spill over its
                # neighbours' space rather than be cut.
                wide = segment.adjusted(-segment.width(), 0, segment.width(), 0)
                segment = wide.intersected(bar)
                room = round(segment.width()) - 12
            label = painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, room)
            painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, label)
        painter.setClipping(False)
        x = bar.left() + s.session_time * scale
        painter.setPen(QPen(t.color("accent"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(round(x), round(bar.top() + 2), round(x), round(bar.bottom() - 2))
        painter.end()
