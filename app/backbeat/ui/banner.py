"""The strip at the top of the window that says what is wrong and what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backbeat.ui.view_state import Problem


class ProblemBanner(QFrame):
    """Its buttons are reached with Tab and with Alt+Y (Retry) and Alt+D (Dismiss)."""

    dismiss_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._problems: tuple[Problem, ...] = ()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        self._icon = QLabel("⚠")
        self._icon.setStyleSheet("font-size: 22px;")
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._lines = QVBoxLayout()
        self._lines.setSpacing(4)
        self.retry = QPushButton("Retr&y")
        self.retry.clicked.connect(self.retry_requested)
        self.dismiss = QPushButton("&Dismiss")
        self.dismiss.clicked.connect(self.dismiss_requested)
        buttons = QHBoxLayout()
        for button in (self.retry, self.dismiss):
            # Tab reaches them, a click does not leave the focus on them (Space starts).
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        layout.addWidget(self._icon)
        layout.addLayout(self._lines, 1)
        layout.addLayout(buttons)
        self.retry.hide()
        self.setVisible(False)

    def problems(self) -> tuple[Problem, ...]:
        return self._problems

    def texts(self) -> list[str]:
        return [p.text for p in self._problems]

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        if problems == self._problems:
            return
        self._problems = problems
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for problem in problems:
            label = QLabel(problem.text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if problem.details:
                label.setToolTip(problem.details)
            if problem.level == "error":
                label.setStyleSheet("font-weight: 600;")
            self._lines.addWidget(label)
        self.retry.setVisible(any(p.retry for p in problems))
        self.setVisible(bool(problems))
