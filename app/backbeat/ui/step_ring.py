"""Time left in the current technique, as a ring that empties, with the clock inside."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.ui.painted_view import PaintedView
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import RingState


def _fraction(state: RingState) -> float:
    if state.step_duration <= 0:
        return 0.0
    return min(1.0, max(0.0, state.step_left / state.step_duration))


#: The arc moves in steps of 2° at most...
ARC_STEPS = 180


def _looks(state: RingState) -> tuple[object, ...]:
    # ... and at most once a second (with the clock inside it): a short step in 2° steps
    # would repaint the ring several times a second for a change nobody sees.
    steps = max(1, min(ARC_STEPS, round(state.step_duration)))
    return (round(_fraction(state) * steps), state.label, state.paused)


class StepRing(PaintedView[RingState]):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, RingState(), parent)
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(230, 230)

    def _looks(self, state: RingState) -> object:
        return _looks(state)

    def paintEvent(self, event: QPaintEvent) -> None:
        t, s = self._theme, self._state
        painter = QPainter(self)
        painter.fillRect(self.rect(), t.color("background"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        width = max(8.0, side * 0.09)
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        ring = box.adjusted(width / 2, width / 2, -width / 2, -width / 2)
        painter.setPen(QPen(t.color("surface_alt"), width))
        painter.drawEllipse(ring)
        fraction = _fraction(s)
        colour = t.color("muted") if s.paused else t.color("accent")
        painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock: start at 12.
        painter.drawArc(ring, 90 * 16, round(fraction * 360 * 16))
        painter.setPen(t.color("text"))
        font = painter.font()
        font.setPixelSize(max(14, round(side * 0.27)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            box.adjusted(0, -side * 0.08, 0, -side * 0.08), Qt.AlignmentFlag.AlignCenter, s.label
        )
        font.setPixelSize(max(12, round(side * 0.13)))
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(t.color("warning") if s.paused else t.color("muted"))
        below = QRectF(box.left(), box.center().y() + side * 0.11, side, side * 0.2)
        painter.drawText(below, Qt.AlignmentFlag.AlignCenter, "paused" if s.paused else "left")
        painter.end()
