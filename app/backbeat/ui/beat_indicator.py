"""A disc that flashes on every click and fades until the next one.

Its phase comes from the engine's position, whose clock follows the audio stream, so
the flash and the click heard happen together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
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


#: The disc at rest is this share of the widget's side (it swells to 1 on a click).
REST_SIZE = 0.82
DISC_PEN = 3.0


@dataclass(frozen=True)
class TextBox:
    """A line of the disc's words: where it is drawn (centred) and in what type."""

    rect: QRectF
    text: str
    pixel_size: int
    bold: bool


def _fits_disc(metrics: QFontMetrics, text: str, rect: QRectF, centre: QPointF, r: float) -> bool:
    """Whether the ink of ``text``, centred in ``rect``, lies inside the circle."""
    width, height = metrics.horizontalAdvance(text), metrics.height()
    left = rect.center().x() - width / 2
    top = rect.center().y() - height / 2
    corners = ((left, top), (left + width, top), (left, top + height), (left + width, top + height))
    return all(math.hypot(x - centre.x(), y - centre.y()) <= r for x, y in corners)


def text_boxes(font: QFont, box: QRectF, state: BeatState) -> list[TextBox]:
    """The number and the words under it, in the largest type that keeps every line
    inside the disc at rest (the smallest the disc gets)."""
    side = box.width()
    centre = box.center()
    radius = side * REST_SIZE / 2 - DISC_PEN
    number = str(state.rhythm) if state.rhythm else "–"
    lines = ("per min",) if state.metronome_on else ("per min", "silent")
    probe = QFont(font)
    for shrink in range(0, 40):
        number_px = max(8, round(side * 0.28 * (1 - shrink * 0.02)))
        unit_px = max(7, round(side * 0.12 * (1 - shrink * 0.02)))
        probe.setPixelSize(number_px)
        probe.setBold(True)
        number_h = QFontMetrics(probe).height()
        probe.setPixelSize(unit_px)
        probe.setBold(False)
        unit_metrics = QFontMetrics(probe)
        line_h = unit_metrics.height()
        block = number_h + line_h * len(lines)
        top = centre.y() - block / 2
        boxes = [TextBox(QRectF(box.left(), top, side, number_h), number, number_px, True)]
        y = top + number_h
        for line in lines:
            boxes.append(TextBox(QRectF(box.left(), y, side, line_h), line, unit_px, False))
            y += line_h
        if all(_box_fits(font, b, centre, radius) for b in boxes):
            return boxes
    return boxes


def _box_fits(font: QFont, box: TextBox, centre: QPointF, radius: float) -> bool:
    probe = QFont(font)
    probe.setPixelSize(box.pixel_size)
    probe.setBold(box.bold)
    return _fits_disc(QFontMetrics(probe), box.text, box.rect, centre, radius)


class BeatIndicator(PaintedView[BeatState]):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, BeatState(), parent)
        self._layouts: dict[tuple[object, ...], list[TextBox]] = {}
        self._pictures: dict[tuple[object, ...], QPixmap] = {}  # by look, at this size
        self.setMinimumSize(110, 110)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def _looks(self, state: BeatState) -> object:
        # The flash fades within ~40 % of the beat and the disc then rests: most frames
        # look the same and cost nothing.
        return _looks(state)

    def disc_box(self) -> QRectF:
        side = min(self.width(), self.height()) - 8
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def text_boxes(self) -> list[TextBox]:
        """What the disc says and where (worked out once per size and words: measuring
        text at every flash was most of the disc's cost)."""
        s, box = self._state, self.disc_box()
        key = (box.width(), s.rhythm, s.metronome_on, self.font().family())
        if key not in self._layouts:
            self._layouts[key] = text_boxes(self.font(), box, s)
        return self._layouts[key]

    def set_theme(self, theme: Theme) -> None:
        self._pictures.clear()
        super().set_theme(theme)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._pictures.clear()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # A flash has FLASH_LEVELS looks: each is drawn once (antialiased, translucent:
        # the costliest paint of the page) and then only copied.
        key = _looks(self._state)
        picture = self._pictures.get(key)
        if picture is None:
            picture = self._pictures[key] = self._draw_picture()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, picture)
        painter.end()

    def _draw_picture(self) -> QPixmap:
        t, s = self._theme, self._state
        ratio = self.devicePixelRatioF()
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(t.color("background"))
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.disc_box()
        level = round(flash_strength(s.beat_phase) * FLASH_LEVELS) if s.running else 0
        strength = level / FLASH_LEVELS
        # The disc swells a little on the click; under reduced motion only its colour changes.
        grow = REST_SIZE + (1 - REST_SIZE) * strength if s.animate else 1.0
        disc = QRectF(box)
        inset = box.width() * (1 - grow) / 2
        disc.adjust(inset, inset, -inset, -inset)
        painter.setPen(QPen(t.color("accent"), DISC_PEN))
        painter.setBrush(t.color("accent", round(40 + 215 * strength)))
        painter.drawEllipse(disc)
        painter.setPen(t.color("accent_text") if strength > 0.5 else t.color("text"))
        font = QFont(self.font())
        for line in self.text_boxes():
            font.setPixelSize(line.pixel_size)
            font.setBold(line.bold)
            painter.setFont(font)
            painter.drawText(line.rect, Qt.AlignmentFlag.AlignCenter, line.text)
        painter.end()
        return picture
