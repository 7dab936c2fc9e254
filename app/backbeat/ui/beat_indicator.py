"""A disc that flashes on every click and fades until the next one.

Its phase comes from the engine's position, whose clock follows the audio stream, so
the flash and the click heard happen together.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backbeat.ui.painted_view import PaintedView
from backbeat.ui.theme import Theme
from backbeat.ui.view_state import BeatState

#: Below this the flash is over (reached at about 0.63 of the beat).
FLASH_FLOOR = 0.05
#: Distinct brightness steps drawn during a flash; more would not be seen.
FLASH_LEVELS = 16


def flash_strength(phase: float) -> float:
    """1 on the click, fading fast to 0 by two thirds of the beat: then the disc rests."""
    rest = min(max(phase, 0.0), 1.0)
    return max(0.0, ((1.0 - rest) ** 3 - FLASH_FLOOR) / (1.0 - FLASH_FLOOR))


def _looks(state: BeatState) -> tuple[object, ...]:
    strength = flash_strength(state.beat_phase) if state.running else 0.0
    return (
        round(strength * FLASH_LEVELS),
        state.rhythm,
        state.metronome_on,
        state.animate,
        state.running,
    )


class BeatIndicator(PaintedView[BeatState]):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, BeatState(), parent)
        self.setMinimumSize(110, 110)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def _looks(self, state: BeatState) -> object:
        # The flash fades within ~40 % of the beat and the disc then rests: most frames
        # look the same and cost nothing.
        return _looks(state)

    def paintEvent(self, event: QPaintEvent) -> None:
        t, s = self._theme, self._state
        painter = QPainter(self)
        painter.fillRect(self.rect(), t.color("background"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        strength = flash_strength(s.beat_phase) if s.running else 0.0
        # The disc swells a little on the click; under reduced motion only its colour changes.
        grow = 0.82 + 0.18 * strength if s.animate else 1.0
        disc = QRectF(box)
        inset = side * (1 - grow) / 2
        disc.adjust(inset, inset, -inset, -inset)
        painter.setPen(QPen(t.color("accent"), 3))
        painter.setBrush(t.color("accent", round(40 + 215 * strength)))
        painter.drawEllipse(disc)
        text_colour = t.color("accent_text") if strength > 0.5 else t.color("text")
        painter.setPen(text_colour)
        font = painter.font()
        font.setPixelSize(max(12, round(side * 0.30)))
        font.setBold(True)
        painter.setFont(font)
        number = QRectF(box.left(), box.top() + side * 0.16, side, side * 0.45)
        painter.drawText(number, Qt.AlignmentFlag.AlignCenter, str(s.rhythm) if s.rhythm else "–")
        font.setBold(False)
        # The words stay inside the disc: the chord at that height is ~80 % of the side.
        lines = ("per min",) if s.metronome_on else ("per min", "silent")
        room = side * 0.62
        size = max(10, round(side * 0.13))
        font.setPixelSize(size)
        painter.setFont(font)
        while size > 9 and max(painter.fontMetrics().horizontalAdvance(x) for x in lines) > room:
            size -= 1
            font.setPixelSize(size)
            painter.setFont(font)
        unit = QRectF(box.left(), box.top() + side * 0.58, side, side * 0.26)
        painter.drawText(
            unit, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "\n".join(lines)
        )
        painter.end()
