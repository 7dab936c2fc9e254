"""The large strip that says the sound is gone (and, for a moment, that it is back):
readable from two metres, because the user may not notice the silence at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class SoundBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("soundBanner")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self.lost = False
        self.setVisible(False)

    def show_notice(self, text: str, *, lost: bool) -> None:
        """A loss stays until the sound is back; "back" shows until :meth:`clear`."""
        self.lost = lost
        colours = (
            "background: #b3261e; color: white;" if lost else "background: #1e6b3a; color: white;"
        )
        self.setStyleSheet(
            f"#soundBanner {{ {colours} border-radius: 8px; }}"
            "#soundBanner QLabel { font-size: 26px; font-weight: 700; color: white; }"
        )
        self.label.setText(text)
        self.setVisible(True)

    def clear(self) -> None:
        self.lost = False
        self.setVisible(False)
