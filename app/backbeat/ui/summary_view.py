"""After the session: time per block, techniques done or skipped, and the total."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backbeat.ui.view_state import SummaryViewState

STATUS_LABELS = {"done": "✓ done", "partly": "◐ partly", "skipped": "– skipped"}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    return table


class SummaryView(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = SummaryViewState()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(16)
        self.headline = QLabel()
        self.headline.setObjectName("summaryTitle")
        self.headline.setWordWrap(True)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.planned = QLabel()
        self.planned.setObjectName("muted")
        layout.addWidget(self.headline)
        layout.addWidget(self.total)
        layout.addWidget(self.planned)
        tables = QHBoxLayout()
        tables.setSpacing(24)
        self.blocks = _table(["Block", "Planned", "Spent"])
        self.techniques = _table(["Block", "Technique", "Spent", ""])
        for table, numeric in ((self.blocks, (1, 2)), (self.techniques, (2,))):
            # Headings over numbers sit where the numbers do: on the right.
            for column in range(table.columnCount()):
                item = table.horizontalHeaderItem(column)
                if item is not None:
                    right = (
                        Qt.AlignmentFlag.AlignRight
                        if column in numeric
                        else Qt.AlignmentFlag.AlignLeft
                    )
                    item.setTextAlignment(right | Qt.AlignmentFlag.AlignVCenter)
        for title, table, stretch in (
            ("Time per block", self.blocks, 2),
            ("Techniques", self.techniques, 3),
        ):
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            heading = QLabel(title)
            heading.setObjectName("heading")
            inner.addWidget(heading)
            inner.addWidget(table)
            tables.addWidget(card, stretch)
        layout.addLayout(tables, 1)
        self.back = QPushButton("Back to the start   [Space]")
        self.back.setObjectName("primary")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.clicked.connect(self.back_requested)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignRight)

    def shortcut(self, action: str) -> bool:
        if action in {"space", "enter"}:
            self.back_requested.emit()
            return True
        return False

    def state(self) -> SummaryViewState:
        return self._state

    def set_state(self, state: SummaryViewState) -> None:
        self._state = state
        self.headline.setText(state.headline)
        self.total.setText(state.total)
        self.planned.setText(state.planned_total)
        _fill(self.blocks, [(r.title, r.planned, r.spent) for r in state.blocks])
        _fill(
            self.techniques,
            [
                (r.block_title, r.title, r.spent, STATUS_LABELS.get(r.status, r.status))
                for r in state.techniques
            ],
        )


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and text[:1].isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
