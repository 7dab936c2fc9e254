"""The whole session as a bar split into its blocks, filled up to now."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.ui.painted_view import PaintedView
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import TimelineState


class SessionTimeline(PaintedView[TimelineState]):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, TimelineState(), parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(48)

    def sizeHint(self) -> QSize:
        return QSize(800, 48)

    def set_theme(self, theme: Theme) -> None:
        self.setFixedHeight(round(44 * theme.text_scale))
        super().set_theme(theme)

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
        painter.fillRect(done, t.color("accent", 120))
        font = painter.font()
        font.setPixelSize(t.px(14))
        painter.setFont(font)
        for i, block in enumerate(s.blocks):
            segment = QRectF(
                bar.left() + block.start * scale, bar.top(), block.duration * scale, bar.height()
            )
            current = block.start <= s.session_time < block.start + block.duration
            if i:
                painter.setPen(QPen(t.color("background"), 3))
                painter.drawLine(segment.topLeft(), segment.bottomLeft())
            font.setBold(current)
            painter.setFont(font)
            painter.setPen(t.color("text") if current else t.color("muted"))
            label = painter.fontMetrics().elidedText(
                block.title, Qt.TextElideMode.ElideRight, max(0, round(segment.width()) - 12)
            )
            painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, label)
        painter.setClipping(False)
        x = bar.left() + s.session_time * scale
        painter.setPen(QPen(t.color("accent"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(round(x), round(bar.top() + 2), round(x), round(bar.bottom() - 2))
        painter.end()
