"""The large strip that says the sound is gone (and, for a moment, that it is back):
readable from two metres, because the user may not notice the silence at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

#: Window heights below this get the banner's compact form: the session page under it
#: must still fit its time ring, rhythm and caption.
COMPACT_BELOW_HEIGHT = 800


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
        self._compact = False
        self.setVisible(False)

    def fit_window_height(self, height: int) -> None:
        """Still large (22 px bold) on a short window, but with less space around it."""
        compact = height < COMPACT_BELOW_HEIGHT
        if compact != self._compact:
            self._compact = compact
            self._restyle()

    def show_notice(self, text: str, *, lost: bool) -> None:
        """A loss stays until the sound is back; "back" shows until :meth:`clear`."""
        self.lost = lost
        self._restyle()
        self.label.setText(text)
        self.setVisible(True)

    def _restyle(self) -> None:
        colours = (
            "background: #b3261e; color: white;"
            if self.lost
            else "background: #1e6b3a; color: white;"
        )
        size, pad_x, pad_y = (22, 14, 6) if self._compact else (26, 20, 14)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(pad_x, pad_y, pad_x, pad_y)
        self.setStyleSheet(
            f"#soundBanner {{ {colours} border-radius: 8px; }}"
            f"#soundBanner QLabel {{ font-size: {size}px; font-weight: 700; color: white; }}"
        )

    def clear(self) -> None:
        self.lost = False
        self.setVisible(False)
