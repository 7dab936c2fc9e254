"""The list of keys, laid over the window on ? or F1: what each key does on the page
that is showing, and the keys that work everywhere."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

#: Per page: (keys, what they do). The start page's letters are its mnemonics (Alt+…).
PAGE_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "start": (
        ("Space or Enter", "Start the massage (Enter while typing in a field)"),
        ("Alt+P", "Choose the protocol (then ↑ ↓)"),
        ("Alt+R / Alt+T", "Relaxing / stimulating rhythm"),
        ("Alt+O", "Type a total session length"),
        ("Alt+B", "Reset the times to the protocol's"),
        ("Alt+I", "Type a name, then Alt+A: save as my protocol"),
        ("Alt+N", "Tick: none of the health problems applies"),
        ("Tab / Shift+Tab", "Go to the next / previous control"),
    ),
    "session": (
        ("Space or Enter", "Pause / go on"),
        ("→ / ←", "Next / previous technique (→ twice on the last one finishes)"),
        ("Esc", "Too much: ease off (on that page, Esc twice ends the session)"),
        ("L", "Continue more lightly (after Esc)"),
        ("S", "Stay here: 30 s more on this technique (the session grows)"),
        ("End twice", "End the session"),
        ("M / V", "Metronome / voice on or off"),
        ("+ / −", "Louder / quieter"),
        ("Page Down / Page Up", "Next / previous, for foot pedals"),
    ),
    "summary": (("Space or Enter", "Back to the start"),),
}
EVERYWHERE = (
    ("? or F1", "Show or hide this list"),
    ("Ctrl+,", "Settings"),
    ("F11", "Full screen, and back"),
    ("Ctrl+Q", "Quit (twice during a session)"),
)
PAGE_TITLES = {"start": "Start page", "session": "During the massage", "summary": "Summary"}


class HelpOverlay(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("help")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(28, 20, 28, 20)
        self._page = ""
        self._content: QWidget | None = None
        self.hide()

    def page(self) -> str:
        return self._page

    def show_for(self, page: str) -> None:
        if page != self._page:
            self._page = page
            self._fill(page)
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        area = parent.rect()
        hint = self.sizeHint()
        width = min(area.width() - 24, max(hint.width(), area.width() * 2 // 3))
        self._layout.activate()
        needed = self._layout.heightForWidth(width) if self._layout.hasHeightForWidth() else -1
        height = min(area.height() - 24, max(needed, hint.height()))
        self.setGeometry(
            QRect(area.center().x() - width // 2, area.center().y() - height // 2, width, height)
        )

    def _fill(self, page: str) -> None:
        if self._content is not None:
            self._content.deleteLater()
        self._content = content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(f"Keys — {PAGE_TITLES.get(page, page)}")
        title.setObjectName("heading")
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        rows = (*PAGE_KEYS.get(page, ()), None, *EVERYWHERE)
        for row, entry in enumerate(rows):
            if entry is None:
                grid.setRowMinimumHeight(row, 10)
                continue
            keys, meaning = entry
            cap = QLabel(keys)
            cap.setObjectName("keycap")
            words = QLabel(meaning)
            words.setWordWrap(True)
            grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(words, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        close = QLabel("Press ? or F1 again, or any other key, to close this list.")
        close.setObjectName("hint")
        close.setWordWrap(True)
        layout.addWidget(close)
        self._layout.addWidget(content)
