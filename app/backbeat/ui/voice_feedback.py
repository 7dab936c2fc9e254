"""What the window shows of voice commands: a small listening indicator in the session's
header (a microphone and its live level), and what was heard, in large type, for 2 s."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.ui.painted_view import PaintedView
from backbeat.ui.theme import Theme

#: How long "Heard: next" stays on screen.
HEARD_SECONDS = 2.0
#: The level meter's bars, and the range they span (dB full scale): a quiet room lights
#: none, speech at arm's length most of them.
LEVEL_BARS = 5
QUIET_DBFS, LOUD_DBFS = -60.0, -15.0


def lit_bars(level: float) -> int:
    """How many of the meter's bars an RMS ``level`` (0..1) lights."""
    if level <= 0:
        return 0
    db = 20 * math.log10(level)
    share = (db - QUIET_DBFS) / (LOUD_DBFS - QUIET_DBFS)
    return max(0, min(LEVEL_BARS, math.ceil(share * LEVEL_BARS)))


def heard_text(label: str) -> str:
    return f"Heard: {label}"


class ListeningIndicator(PaintedView[float]):
    """A microphone and a bar meter of its level; repainted only when a bar changes."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, 0.0, parent)
        self.setObjectName("listening")
        self.setAccessibleName("Listening for voice commands")
        self.setToolTip("Listening for voice commands (nothing is recorded)")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        height = max(18, self.fontMetrics().height())
        return QSize(round(height * 2.6), height)

    def fit_to(self, font: QFont) -> None:
        """As tall as the header's words in ``font`` (the session's type scale)."""
        height = max(18, QFontMetrics(font).height())
        self.setFixedSize(round(height * 2.6), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _looks(self, state: float) -> object:
        return lit_bars(state)

    def paintEvent(self, event: QPaintEvent) -> None:
        t = self._theme
        painter = QPainter(self)
        painter.fillRect(self.rect(), t.color("background"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        h = float(self.height())
        # The microphone: a capsule on a short stand.
        painter.setBrush(t.color("accent"))
        capsule = QRectF(h * 0.30, h * 0.08, h * 0.34, h * 0.58)
        painter.drawRoundedRect(capsule, h * 0.17, h * 0.17)
        painter.drawRect(QRectF(h * 0.44, h * 0.66, h * 0.06, h * 0.18))
        painter.drawRect(QRectF(h * 0.30, h * 0.84, h * 0.34, h * 0.08))
        # The meter: bars rising left to right, lit up to the level.
        lit = lit_bars(self._state)
        left, width = h * 1.0, (self.width() - h * 1.0) / LEVEL_BARS
        for index in range(LEVEL_BARS):
            tall = h * (0.35 + 0.6 * (index + 1) / LEVEL_BARS)
            colour = t.color("accent") if index < lit else t.color("border")
            painter.setBrush(colour)
            bar = QRectF(left + index * width, h - tall, width * 0.6, tall)
            painter.drawRoundedRect(bar, 1.5, 1.5)
        painter.end()
