"""The start screen: choose a protocol and a mode, adjust block times, check, prepare, start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backbeat.core.model import MODE_SUMMARIES, Mode
from backbeat.ui.view_state import DurationRow, StartViewState

CONTRAINDICATIONS = (
    "A skin infection, rash, wound or other lesion on the back",
    "A fungal skin disease",
    "Problems with the blood vessels, such as thrombosis",
    "A serious injury of the spine in the past",
    "A long-standing heart or lung disease",
    "Any inflammation",
    "Fever or a raised temperature",
)
PREPARATION = (
    "Warm the room to 21–23 °C",
    "Wash your hands in warm water; nails short",
    "Keep the massage oil within reach",
    "Pillows under the forehead, the chest and the ankles",
    "Your partner lies face down, arms along the body",
)


def _label(name: str, text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    layout.addWidget(_label("heading", title))
    return card, layout


def _bullets(mark: str, items: tuple[str, ...]) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(3)
    for item in items:
        column.addWidget(_label("hint", f"{mark}  {item}"))
    return column


def _set_text(widget: QLabel | QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


class StartView(QWidget):
    protocol_requested = Signal(str)  # the file path of the choice
    mode_requested = Signal(str)
    block_minutes_requested = Signal(str, str)  # block id, text typed
    total_requested = Signal(str)
    reset_requested = Signal()
    save_as_requested = Signal(str)  # the new protocol's title
    save_title_requested = Signal(str)  # the title as typed so far
    acknowledge_requested = Signal(bool)
    start_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = StartViewState()
        self._row_widgets: dict[str, tuple[QLineEdit, QLabel, QLabel]] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(12)
        layout.addLayout(self._build_header())
        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addWidget(self._build_protocol_card(), 10)
        columns.addWidget(self._build_duration_card(), 11)
        columns.addWidget(self._build_check_card(), 10)
        layout.addLayout(columns, 1)
        # The start button stays in view even when the cards need scrolling (large text).
        bottom = QWidget()
        start_row = self._build_start_row()
        start_row.setContentsMargins(24, 4, 24, 12)
        bottom.setLayout(start_row)
        outer.addWidget(bottom)
        # A mouse click must not leave focus on a button: Space would then press it
        # again instead of starting. Tab still reaches every control.
        for button in self.findChildren(QAbstractButton):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    # -- building -----------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(_label("appTitle", "Backbeat", wrap=False))
        header.addWidget(
            _label("muted", "A hands-free coach for a back massage at home.", wrap=False),
            0,
            Qt.AlignmentFlag.AlignBottom,
        )
        header.addStretch(1)
        settings = QPushButton("Settings…")
        settings.clicked.connect(self.settings_requested)
        header.addWidget(settings)
        return header

    def _build_protocol_card(self) -> QFrame:
        card, layout = _card("1. Protocol")
        self.protocols = QListWidget()
        self.protocols.setMinimumHeight(170)
        self.protocols.setWordWrap(True)
        self.protocols.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.protocols.currentRowChanged.connect(self._on_row_changed)
        layout.addWidget(self.protocols, 1)
        self.description = _label("description", "")
        self.blocks_summary = _label("hint")
        layout.addWidget(self.description)
        layout.addWidget(self.blocks_summary)
        return card

    def _build_mode_choice(self, layout: QVBoxLayout) -> None:
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[Mode, QRadioButton] = {}
        for mode in Mode:
            button = QRadioButton(mode.value.capitalize())
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            button.toggled.connect(lambda on, m=mode: self._on_mode_toggled(on, m))
            layout.addWidget(button)
            hint = _label("hint", MODE_SUMMARIES[mode])
            hint.setContentsMargins(30, 0, 0, 2)
            layout.addWidget(hint)

    def _build_duration_card(self) -> QFrame:
        card, layout = _card("2. Rhythm and time")
        self._build_mode_choice(layout)
        layout.addSpacing(4)
        layout.addWidget(_label("sectionTitle", "Minutes per block"))
        self.duration_grid = QGridLayout()
        self.duration_grid.setHorizontalSpacing(10)
        self.duration_grid.setVerticalSpacing(4)
        layout.addLayout(self.duration_grid)
        total_row = QHBoxLayout()
        total_row.addWidget(_label("sectionTitle", "Session", wrap=False))
        self.total_label = _label("total", "", wrap=False)
        total_row.addStretch(1)
        total_row.addWidget(self.total_label)
        layout.addLayout(total_row)
        scale_row = QHBoxLayout()
        scale_row.addWidget(_label("", "Or set a total, the other blocks scale:"), 1)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("e.g. 15")
        self.total_edit.setFixedWidth(100)
        self.total_edit.textEdited.connect(self.total_requested)
        scale_row.addWidget(self.total_edit)
        scale_row.addWidget(_label("hint", "min", wrap=False))
        layout.addLayout(scale_row)
        self.total_error = _label("error")
        self.plan_error = _label("error")
        layout.addWidget(self.total_error)
        layout.addWidget(self.plan_error)
        self.reset = QPushButton("Reset to the protocol's times")
        self.reset.clicked.connect(self.reset_requested)
        layout.addWidget(self.reset, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        save_row = QHBoxLayout()
        self.save_title = QLineEdit()
        self.save_title.setPlaceholderText("Title of your protocol")
        self.save_title.textEdited.connect(self.save_title_requested)
        self.save_button = QPushButton("Save as my protocol")
        self.save_button.clicked.connect(
            lambda: self.save_as_requested.emit(self.save_title.text())
        )
        save_row.addWidget(self.save_title, 1)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)
        self.save_message = _label("hint")
        self.save_error = _label("error")
        layout.addWidget(self.save_message)
        layout.addWidget(self.save_error)
        return card

    def _build_check_card(self) -> QFrame:
        card, layout = _card("3. Before you start")
        layout.addWidget(_label("", "No massage today if your partner has any of these:"))
        layout.addLayout(_bullets("•", CONTRAINDICATIONS))
        self.acknowledge = QCheckBox("&None of these applies  [Alt+N]")
        self.acknowledge.toggled.connect(self.acknowledge_requested)
        layout.addWidget(self.acknowledge)
        layout.addSpacing(6)
        layout.addWidget(_label("sectionTitle", "Get ready"))
        layout.addLayout(_bullets("✓", PREPARATION))
        layout.addStretch(1)
        layout.addWidget(_label("hint", "It must never hurt: Esc at any time eases off or stops."))
        return card

    def _build_start_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.start_hint = _label("muted", "", wrap=False)
        self.start_button = QPushButton("Start the massage   [Space / Enter]")
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start_requested)
        row.addStretch(1)
        row.addWidget(self.start_hint)
        row.addSpacing(16)
        row.addWidget(self.start_button)
        return row

    # -- keys ---------------------------------------------------------------------------
    def shortcut(self, action: str) -> bool:
        if action not in {"space", "enter"}:
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and action == "enter":
            focus.clearFocus()  # Enter ends typing; it does not start the massage
            return True
        if action == "space" and isinstance(focus, QAbstractButton) and self.isAncestorOf(focus):
            focus.click()  # reached with Tab: Space ticks the box, as everywhere else
            return True
        self.start_requested.emit()
        return True

    def _on_mode_toggled(self, on: bool, mode: Mode) -> None:
        if on:
            self.mode_requested.emit(mode.value)

    def _on_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._state.choices) and row != self._state.selected:
            self.protocol_requested.emit(self._state.choices[row].key)

    # -- state --------------------------------------------------------------------------
    def state(self) -> StartViewState:
        return self._state

    def row_editor(self, block_id: str) -> QLineEdit:
        return self._row_widgets[block_id][0]

    def set_state(self, state: StartViewState) -> None:
        old, self._state = self._state, state
        if state.choices != old.choices or self.protocols.count() != len(state.choices):
            self.protocols.blockSignals(True)
            self.protocols.clear()
            for choice in state.choices:
                item = QListWidgetItem(f"{choice.title}\n{choice.subtitle}")
                if not choice.loadable:
                    item.setForeground(self.palette().placeholderText())
                self.protocols.addItem(item)
            self.protocols.blockSignals(False)
        if self.protocols.currentRow() != state.selected:
            self.protocols.blockSignals(True)
            self.protocols.setCurrentRow(state.selected)
            self.protocols.blockSignals(False)
        _set_text(self.description, state.description)
        _set_text(self.blocks_summary, state.blocks_summary)
        button = self.mode_buttons[state.mode]
        if not button.isChecked():
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)
        self._render_rows(state.rows)
        _set_text(self.total_label, state.total_label)
        _set_text(self.total_edit, state.total_text)
        _set_text(self.total_error, state.total_error)
        _set_text(self.plan_error, state.plan_error)
        self.total_error.setVisible(bool(state.total_error))
        self.plan_error.setVisible(bool(state.plan_error))
        self.reset.setEnabled(state.edited)
        if not self.save_title.hasFocus() and self.save_title.text() != state.save_title:
            self.save_title.setText(state.save_title)
            self.save_title.setCursorPosition(0)
        _set_text(self.save_message, state.save_message)
        _set_text(self.save_error, state.save_error)
        self.save_message.setVisible(bool(state.save_message))
        self.save_error.setVisible(bool(state.save_error))
        self.save_button.setEnabled(bool(state.rows) and not state.plan_error)
        if self.acknowledge.isChecked() != state.acknowledged:
            self.acknowledge.blockSignals(True)
            self.acknowledge.setChecked(state.acknowledged)
            self.acknowledge.blockSignals(False)
        self.start_button.setEnabled(state.can_start)
        _set_text(self.start_hint, state.start_hint)

    def _render_rows(self, rows: tuple[DurationRow, ...]) -> None:
        if [r.block_id for r in rows] != list(self._row_widgets):
            self._rebuild_rows(rows)
        for row in rows:
            edit, default, error = self._row_widgets[row.block_id]
            _set_text(edit, row.text)
            edit.setProperty("invalid", bool(row.error))
            edit.style().unpolish(edit)
            edit.style().polish(edit)
            _set_text(default, f"({row.default_text})" if row.edited else "")
            _set_text(error, row.error)
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
            default = _label("hint", "", wrap=False)
            error = _label("error")
            self.duration_grid.addWidget(_label("", row.title), 2 * i, 0)
            self.duration_grid.addWidget(edit, 2 * i, 1)
            self.duration_grid.addWidget(_label("hint", "min", wrap=False), 2 * i, 2)
            self.duration_grid.addWidget(default, 2 * i, 3)
            self.duration_grid.addWidget(error, 2 * i + 1, 0, 1, 4)
            self._row_widgets[row.block_id] = (edit, default, error)
        self.duration_grid.setColumnStretch(0, 1)
