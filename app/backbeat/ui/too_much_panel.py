"""Shown after Esc: the session is paused until the user chooses to go on more lightly
or to end it. It takes the whole body of the session page, so its words stay whole."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from backbeat.ui.session_scale import TypeScale

TOO_MUCH_TITLE = "Too much? Stop for a moment."
TOO_MUCH_TEXT = "It must never hurt. Ease off now: lighten the pressure, or end the session here."
LIGHTER_LABEL = "Continue more lightly    [Space or L]"
END_LABEL = "End the session    [E, or Esc twice]"
PADDING = (32, 24)  # the panel's inner margins at scale 1
BUTTON_PADDING = 14  # above and below a button's words


class TooMuchPanel(QFrame):
    continue_lighter_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tooMuch")
        self._layout = QVBoxLayout(self)
        self.title = QLabel(TOO_MUCH_TITLE)
        self.title.setObjectName("tooMuchTitle")
        self.text = QLabel(TOO_MUCH_TEXT)
        self.text.setObjectName("tooMuchText")
        for label in (self.title, self.text):
            label.setWordWrap(True)
        self.lighter = QPushButton(LIGHTER_LABEL)
        self.end = QPushButton(END_LABEL)
        self._layout.addStretch(1)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.text)
        for button in (self.lighter, self.end):
            button.setObjectName("tooMuchButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its keys are the window's
            self._layout.addWidget(button)
        self._layout.addStretch(1)
        self.lighter.clicked.connect(self.continue_lighter_requested)
        self.end.clicked.connect(self.end_requested)
        self.set_scale(TypeScale(1.0))

    def set_scale(self, scale: TypeScale) -> None:
        pad_x, pad_y = (round(p * scale.factor) for p in PADDING)
        self._layout.setContentsMargins(pad_x, pad_y, pad_x, pad_y)
        self._layout.setSpacing(round(16 * scale.factor))
        self.title.setFont(scale.font("too_much_title"))
        self.text.setFont(scale.font("too_much_text"))
        for button in (self.lighter, self.end):
            button.setFont(scale.font("too_much_button"))
            # The stylesheet's padding stays; the height follows the type.
            button.setMinimumHeight(QFontMetrics(button.font()).height() + 2 * BUTTON_PADDING)

    def needed_height(self, scale: TypeScale, width: int) -> int:
        """The height the panel needs at ``scale`` in ``width`` (measured, not laid out)."""
        pad_x, pad_y = (round(p * scale.factor) for p in PADDING)
        inner = max(1, width - 2 * pad_x)
        total = 2 * pad_y + 3 * round(16 * scale.factor)
        for role, text in (("too_much_title", TOO_MUCH_TITLE), ("too_much_text", TOO_MUCH_TEXT)):
            total += wrapped_height(scale, role, text, inner)
        button = QFontMetrics(scale.font("too_much_button"))
        total += 2 * (button.height() + 2 * BUTTON_PADDING)
        return total

    def needed_width(self, scale: TypeScale) -> int:
        """The buttons' words do not wrap: the panel needs at least their width."""
        metrics = QFontMetrics(scale.font("too_much_button"))
        widest = max(metrics.horizontalAdvance(t) for t in (LIGHTER_LABEL, END_LABEL))
        return widest + 2 * 28 + 2 * round(PADDING[0] * scale.factor)


def wrapped_height(scale: TypeScale, role: str, text: str, width: int) -> int:
    if not text:
        return 0
    metrics = QFontMetrics(scale.font(role, italic=role == "caption"))
    flags = int(Qt.TextFlag.TextWordWrap)
    return metrics.boundingRect(0, 0, max(1, width), 100_000, flags, text).height()
