"""Large messages laid over the session, readable from two metres: "Paused", the
on-screen display after M, V, + or −, and "Press → again to finish".

They are plain labels that the session view places and sizes; none of them takes the
focus or the mouse, so the keys keep going to the window.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

#: How long the on-screen display stays after a change.
OSD_SECONDS = 1.5
#: How long a "press again" waits for the second press.
CONFIRM_SECONDS = 3.0


class Overlay(QLabel):
    """A centred, word-wrapped message on a rounded panel; hidden until shown."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def place(self, area: QRect, font: QFont, *, width_share: float, top_share: float) -> None:
        """Centre it in ``area`` at ``width_share`` of its width, ``top_share`` down."""
        self.setFont(font)
        margin = max(12, font.pixelSize() // 2)
        self.setContentsMargins(margin, margin // 2, margin, margin // 2)
        width = round(area.width() * width_share)
        height = min(area.height(), self.heightForWidth(width))
        x = area.left() + (area.width() - width) // 2
        y = area.top() + round((area.height() - height) * top_share)
        self.setGeometry(x, y, width, height)

    def show_text(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)
        if not self.isVisible():
            self.show()
        self.raise_()


class TimedOverlay(Overlay):
    """An overlay that hides itself ``seconds`` after it was last shown."""

    expired = Signal()

    def __init__(self, name: str, parent: QWidget, seconds: float) -> None:
        super().__init__(name, parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(round(seconds * 1000))
        self._timer.timeout.connect(self.hide)
        self._timer.timeout.connect(self.expired)

    def flash(self, text: str) -> None:
        self.show_text(text)
        self._timer.start()

    def hide_now(self) -> None:
        self._timer.stop()
        self.hide()


class ConfirmGate:
    """ "Press it again to do it": the first press arms the gate and shows what a second
    one will do; a second press of the same key within a few seconds confirms."""

    def __init__(self, overlay: TimedOverlay) -> None:
        self._overlay = overlay
        self._armed = ""
        overlay.expired.connect(self.disarm)

    @property
    def armed(self) -> str:
        return self._armed

    def press(self, action: str, message: str) -> bool:
        """True when this press confirms ``action``; else it arms and shows ``message``."""
        if self._armed == action and self._overlay.isVisible():
            self.disarm()
            return True
        self._armed = action
        self._overlay.flash(message)
        return False

    def disarm(self) -> None:
        self._armed = ""
        self._overlay.hide_now()
