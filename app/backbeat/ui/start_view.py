"""The start screen: choose a protocol and a mode, adjust block times, check, prepare, start."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
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
    QSizePolicy,
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


def _card(title: str) -> tuple[QFrame, QVBoxLayout, QLabel]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    heading = _label("heading", title)
    layout.addWidget(heading)
    return card, layout, heading


def _bullets(mark: str, items: tuple[str, ...]) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(3)
    for item in items:
        column.addWidget(_label("hint", f"{mark}  {item}"))
    return column


def _set_text(widget: QLabel | QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


def _mark_invalid(edit: QLineEdit, invalid: bool) -> None:
    if edit.property("invalid") != invalid:
        edit.setProperty("invalid", invalid)
        edit.style().unpolish(edit)
        edit.style().polish(edit)


START_KEYS = "[Space / Enter]"
START_KEYS_TYPING = "[Enter]"  # Space types a space in a text field


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
        outer.setSpacing(0)
        top = QWidget()
        header = self._build_header()
        header.setContentsMargins(24, 8, 24, 4)
        top.setLayout(header)
        outer.addWidget(top)
        self._scroll = scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop of its own for Tab
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 6, 24, 6)
        self._cards_grid = QGridLayout()
        self._cards_grid.setSpacing(16)
        self._cards = (
            self._build_protocol_card(),
            self._build_duration_card(),
            self._build_check_card(),
        )
        self._columns = 0
        self._arrange_cards(3)
        layout.addLayout(self._cards_grid, 1)
        # Saving and starting stay in view even when the cards need scrolling, so the
        # saved file's name and the Start button are always seen.
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 6, 24, 10)
        bottom_layout.setSpacing(6)
        bottom_layout.addLayout(self._build_save_row())
        bottom_layout.addLayout(self._build_save_messages())
        bottom_layout.addLayout(self._build_start_row())
        outer.addWidget(bottom)
        # A mouse click must not leave focus on a button: Space would then press it
        # again instead of starting. Tab still reaches every control.
        for button in self.findChildren(QAbstractButton):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._chain_tab_order()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # -- building -----------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(_label("appTitle", "Backbeat", wrap=False))
        header.addWidget(
            _label("muted", "A hands-free coach for a back massage at home."),
            1,
            Qt.AlignmentFlag.AlignBottom,
        )
        self.settings_button = QPushButton("&Settings…  [Ctrl+,]")
        self.settings_button.clicked.connect(self.settings_requested)
        header.addWidget(self.settings_button)
        return header

    def _build_protocol_card(self) -> QFrame:
        card, layout, heading = _card("1. &Protocol")
        self.protocols = QListWidget()
        heading.setBuddy(self.protocols)
        self.protocols.setMinimumHeight(150)
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
        self.mode_hint = _label("hint", MODE_SUMMARIES[Mode.RELAXING])  # the chosen one's
        layout.addWidget(self.mode_hint)

    def _build_duration_card(self) -> QFrame:
        card, layout, _ = _card("2. Rhythm and time")
        self._build_mode_choice(layout)
        layout.addSpacing(4)
        self.minutes_heading = _label("sectionTitle", "&Minutes per block")
        layout.addWidget(self.minutes_heading)
        self.duration_grid = QGridLayout()
        self.duration_grid.setHorizontalSpacing(10)
        self.duration_grid.setVerticalSpacing(4)
        layout.addLayout(self.duration_grid)
        total_row = QHBoxLayout()
        total_row.addWidget(_label("sectionTitle", "Session", wrap=False))
        total_row.addStretch(1)
        self.total_exact = _label("hint", "", wrap=False)
        self.total_label = _label("total", "", wrap=False)
        total_row.addWidget(self.total_exact)
        total_row.addWidget(self.total_label)
        layout.addLayout(total_row)
        scale_row = QHBoxLayout()
        total_caption = _label("", "&Or type a session length; the other blocks scale:")
        scale_row.addWidget(total_caption, 1)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText("e.g. 15")
        self.total_edit.setFixedWidth(100)
        self.total_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total_edit.setAccessibleName("Session length in minutes")
        self.total_edit.textEdited.connect(self.total_requested)
        total_caption.setBuddy(self.total_edit)
        scale_row.addWidget(self.total_edit)
        scale_row.addWidget(_label("hint", "min", wrap=False))
        layout.addLayout(scale_row)
        self.total_error = _label("error")
        self.plan_error = _label("error")
        layout.addWidget(self.total_error)
        layout.addWidget(self.plan_error)
        self.reset = QPushButton("R&eset to the protocol's times")
        self.reset.clicked.connect(self.reset_requested)
        layout.addWidget(self.reset, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return card

    def _build_check_card(self) -> QFrame:
        card, layout, _ = _card("3. Before you start")
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

    def _build_save_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        title_caption = _label("", "T&itle of your copy:", wrap=False)
        self.save_title = QLineEdit()
        self.save_title.setPlaceholderText("Title of your protocol")
        self.save_title.setMinimumWidth(240)
        self.save_title.textEdited.connect(self.save_title_requested)
        title_caption.setBuddy(self.save_title)
        self.save_button = QPushButton("S&ave as my protocol")
        self.save_button.clicked.connect(
            lambda: self.save_as_requested.emit(self.save_title.text())
        )
        self.save_message = _label("hint")
        self.saved_path = _label("hint")
        self.saved_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_error = _label("error")
        row.addWidget(title_caption)
        row.addWidget(self.save_title, 1)
        row.addWidget(self.save_button)
        return row

    def _build_save_messages(self) -> QVBoxLayout:
        messages = QVBoxLayout()
        messages.setSpacing(0)
        for label in (self.save_message, self.saved_path, self.save_error):
            messages.addWidget(label)
        return messages

    def _arrange_cards(self, columns: int) -> None:
        """Three cards side by side where they fit, else two and one, else one above
        another (small windows, large text)."""
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self._cards_grid.removeWidget(card)
        for i in range(3):
            self._cards_grid.setColumnStretch(i, 0)
        places = {3: ((0, 0, 1), (0, 1, 1), (0, 2, 1)), 2: ((0, 0, 1), (0, 1, 1), (1, 0, 2))}
        for card, (row, column, span) in zip(
            self._cards, places.get(columns, ((0, 0, 1), (1, 0, 1), (2, 0, 1))), strict=True
        ):
            self._cards_grid.addWidget(card, row, column, 1, span)
        for i in range(columns):
            self._cards_grid.setColumnStretch(i, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_cards()

    def _fit_cards(self) -> None:
        room = self._scroll.viewport().width() - 48
        widths = [card.minimumSizeHint().width() for card in self._cards]
        spacing = self._cards_grid.spacing()
        if sum(widths) + 2 * spacing <= room:
            self._arrange_cards(3)
        elif max(widths[0] + widths[1], widths[2]) + spacing <= room:
            self._arrange_cards(2)
        else:
            self._arrange_cards(1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_cards()

    def _build_start_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.sound_note = _label("soundNote", "")
        self.start_hint = _label("muted", "", wrap=False)
        self.start_button = QPushButton(f"Start the massage   {START_KEYS}")
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start_requested)
        self.start_hint.setWordWrap(True)
        self.start_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.start_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.sound_note)
        words.addWidget(self.start_hint)
        row.addLayout(words, 1)
        row.addSpacing(16)
        row.addWidget(self.start_button)
        return row

    # -- keys ---------------------------------------------------------------------------
    def shortcut(self, action: str) -> bool:
        """Space and Enter start from wherever the focus is, as the Start button says.
        (In a text field Space types a space: it never reaches here, and the button then
        shows Enter alone.) Buttons and boxes are pressed with their Alt+letter."""
        if action not in {"space", "enter"}:
            return False
        self.start_requested.emit()
        return True

    def _on_focus_changed(self, _old: object, new: object) -> None:
        typing = isinstance(new, QLineEdit) and self.isAncestorOf(new)
        keys = START_KEYS_TYPING if typing else START_KEYS
        text = f"Start the massage   {keys}"
        if self.start_button.text() != text:
            self.start_button.setText(text)

    def _chain_tab_order(self) -> None:
        """Tab follows what the eye reads: left to right, top to bottom."""
        chain: list[QWidget] = [
            self.settings_button,
            self.protocols,
            *self.mode_buttons.values(),
            *(edit for edit, _, _ in self._row_widgets.values()),
            self.total_edit,
            self.reset,
            self.save_title,
            self.save_button,
            self.acknowledge,
            self.start_button,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def tab_chain(self) -> list[QWidget]:
        """The widgets Tab visits from the Settings button on, in order (for tests)."""
        chain, widget = [], self.settings_button.nextInFocusChain()
        seen = {self.settings_button}
        while widget not in seen:
            seen.add(widget)
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(self):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        return [self.settings_button, *chain]

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
        _set_text(self.mode_hint, MODE_SUMMARIES[state.mode])
        button = self.mode_buttons[state.mode]
        if not button.isChecked():
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)
        self._render_rows(state.rows)
        _set_text(self.total_label, state.total_label)
        _set_text(self.total_exact, f"exactly {state.total_exact}" if state.total_exact else "")
        if self.total_edit.text().strip() != state.total_text:  # keeps a space being typed
            self.total_edit.setText(state.total_text)
        _mark_invalid(self.total_edit, bool(state.total_error))
        _set_text(self.total_error, state.total_error)
        _set_text(self.plan_error, state.plan_error)
        self.total_error.setVisible(bool(state.total_error))
        self.plan_error.setVisible(bool(state.plan_error))
        self.reset.setEnabled(state.edited)
        if not self.save_title.hasFocus() and self.save_title.text() != state.save_title:
            self.save_title.setText(state.save_title)
            self.save_title.setCursorPosition(0)
        _set_text(self.save_message, state.save_message)
        _set_text(self.saved_path, state.saved_path)
        _set_text(self.save_error, state.save_error)
        _set_text(self.sound_note, state.sound_note)
        self.saved_path.setVisible(bool(state.saved_path))
        if state.saved_path and state.saved_path != old.saved_path:
            self._scroll.ensureWidgetVisible(self.saved_path)  # seen where it was saved
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
            _mark_invalid(edit, bool(row.error))
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
            if i == 0:
                self.minutes_heading.setBuddy(edit)
        # The stretch goes after the fields, so they stay beside their names on wide screens.
        self.duration_grid.setColumnStretch(0, 0)
        self.duration_grid.setColumnStretch(4, 1)
        self._chain_tab_order()
