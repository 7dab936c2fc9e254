"""The start page's second card: the rhythm (relaxing or stimulating) and the minutes of
each block, or a session length that the other blocks scale to."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backbeat.core.model import MODE_SUMMARIES, Mode
from backbeat.ui.view_state import DurationRow, StartViewState


def text_label(name: str, text: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


def titled_card(title: str) -> tuple[QFrame, QVBoxLayout, QLabel]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    heading = text_label("heading", title)
    layout.addWidget(heading)
    return frame, layout, heading


def set_text(widget: QLabel | QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


def mark_invalid(edit: QLineEdit, invalid: bool) -> None:
    """The red border of a field whose value is refused (the stylesheet's [invalid])."""
    if edit.property("invalid") != invalid:
        edit.setProperty("invalid", invalid)
        edit.style().unpolish(edit)
        edit.style().polish(edit)


class DurationCard(QFrame):
    mode_requested = Signal(str)
    block_minutes_requested = Signal(str, str)  # block id, text typed
    total_requested = Signal(str)
    reset_requested = Signal()
    rows_rebuilt = Signal()  # new fields: the Tab order needs them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._row_widgets: dict[str, tuple[QLineEdit, QLabel, QLabel]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(text_label("heading", "2. Rhythm and time"))
        self._build_mode_choice(layout)
        layout.addSpacing(4)
        self.minutes_heading = text_label("sectionTitle", "&Minutes per block")
        layout.addWidget(self.minutes_heading)
        self.duration_grid = QGridLayout()
        self.duration_grid.setHorizontalSpacing(10)
        self.duration_grid.setVerticalSpacing(4)
        layout.addLayout(self.duration_grid)
        total_row = QHBoxLayout()
        total_row.addWidget(text_label("sectionTitle", "Session", wrap=False))
        total_row.addStretch(1)
        self.total_exact = text_label("hint", "", wrap=False)
        self.total_label = text_label("total", "", wrap=False)
        total_row.addWidget(self.total_exact)
        total_row.addWidget(self.total_label)
        layout.addLayout(total_row)
        scale_row = QHBoxLayout()
        total_caption = text_label("", "&Or type a session length; the other blocks scale:")
        scale_row.addWidget(total_caption, 1)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("e.g. 15")
        self.total_edit.setFixedWidth(100)
        self.total_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total_edit.setAccessibleName("Session length in minutes")
        self.total_edit.textEdited.connect(self.total_requested)
        total_caption.setBuddy(self.total_edit)
        scale_row.addWidget(self.total_edit)
        scale_row.addWidget(text_label("hint", "min", wrap=False))
        layout.addLayout(scale_row)
        self.total_error = text_label("error")
        self.plan_error = text_label("error")
        layout.addWidget(self.total_error)
        layout.addWidget(self.plan_error)
        self.reset = QPushButton("R&eset to the protocol's times")
        self.reset.clicked.connect(self.reset_requested)
        layout.addWidget(self.reset, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _build_mode_choice(self, layout: QVBoxLayout) -> None:
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[Mode, QRadioButton] = {}
        mnemonics = {Mode.RELAXING: "&Relaxing", Mode.STIMULATING: "S&timulating"}
        row = QHBoxLayout()
        for mode in Mode:
            button = QRadioButton(mnemonics.get(mode, mode.value.capitalize()))
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            button.toggled.connect(lambda on, m=mode: self._on_mode_toggled(on, m))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.mode_hint = text_label("hint", MODE_SUMMARIES[Mode.RELAXING])  # the chosen one's
        layout.addWidget(self.mode_hint)

    def _on_mode_toggled(self, on: bool, mode: Mode) -> None:
        if on:
            self.mode_requested.emit(mode.value)

    def row_editor(self, block_id: str) -> QLineEdit:
        return self._row_widgets[block_id][0]

    def row_widgets(self) -> dict[str, tuple[QLineEdit, QLabel, QLabel]]:
        """Per block: its minutes field, the protocol's own minutes, its error."""
        return self._row_widgets

    def focus_chain(self) -> list[QWidget]:
        """The card's stops for Tab, in reading order."""
        return [
            *self.mode_buttons.values(),
            *(edit for edit, _, _ in self._row_widgets.values()),
            self.total_edit,
            self.reset,
        ]

    def set_state(self, state: StartViewState) -> None:
        set_text(self.mode_hint, MODE_SUMMARIES[state.mode])
        button = self.mode_buttons[state.mode]
        if not button.isChecked():
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)
        self._render_rows(state.rows)
        set_text(self.total_label, state.total_label)
        set_text(self.total_exact, f"exactly {state.total_exact}" if state.total_exact else "")
        if self.total_edit.text().strip() != state.total_text:  # keeps a space being typed
            self.total_edit.setText(state.total_text)
        mark_invalid(self.total_edit, bool(state.total_error))
        set_text(self.total_error, state.total_error)
        set_text(self.plan_error, state.plan_error)
        self.total_error.setVisible(bool(state.total_error))
        self.plan_error.setVisible(bool(state.plan_error))
        self.reset.setEnabled(state.edited)

    def _render_rows(self, rows: tuple[DurationRow, ...]) -> None:
        if [r.block_id for r in rows] != list(self._row_widgets):
            self._rebuild_rows(rows)
        for row in rows:
            edit, default, error = self._row_widgets[row.block_id]
            set_text(edit, row.text)
            mark_invalid(edit, bool(row.error))
            set_text(default, f"({row.default_text})" if row.edited else "")
            set_text(error, row.error)
            error.setVisible(bool(row.error))

    def _rebuild_rows(self, rows: tuple[DurationRow, ...]) -> None:
        while self.duration_grid.count():
            item = self.duration_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._row_widgets.clear()
        for i, row in enumerate(rows):
            edit = QLineEdit()
            edit.setFixedWidth(80)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setAccessibleName(f"Minutes of {row.title}")
            edit.textEdited.connect(
                lambda text, b=row.block_id: self.block_minutes_requested.emit(b, text)
            )
            default = text_label("hint", "", wrap=False)
            error = text_label("error")
            self.duration_grid.addWidget(text_label("", row.title), 2 * i, 0)
            self.duration_grid.addWidget(edit, 2 * i, 1)
            self.duration_grid.addWidget(text_label("hint", "min", wrap=False), 2 * i, 2)
            self.duration_grid.addWidget(default, 2 * i, 3)
            self.duration_grid.addWidget(error, 2 * i + 1, 0, 1, 4)
            self._row_widgets[row.block_id] = (edit, default, error)
            if i == 0:
                self.minutes_heading.setBuddy(edit)
        # The stretch goes after the fields, so they stay beside their names on wide screens.
        self.duration_grid.setColumnStretch(4, 1)
        self.rows_rebuilt.emit()
