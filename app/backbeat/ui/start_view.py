"""The start screen: choose a protocol and a mode, adjust block times, check, prepare, start."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backbeat.ui.duration_card import DurationCard, set_text, text_label, titled_card
from backbeat.ui.view_state import ProtocolChoice, StartViewState

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


def _bullets(mark: str, items: tuple[str, ...]) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(3)
    for item in items:
        column.addWidget(text_label("hint", f"{mark}  {item}"))
    return column


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
        self.durations = DurationCard()
        self._cards = (self._build_protocol_card(), self.durations, self._build_check_card())
        d = self.durations
        d.mode_requested.connect(self.mode_requested)
        d.block_minutes_requested.connect(self.block_minutes_requested)
        d.total_requested.connect(self.total_requested)
        d.reset_requested.connect(self.reset_requested)
        d.rows_rebuilt.connect(self._chain_tab_order)
        # The card's parts, under the names the page has always had.
        self.mode_buttons, self.mode_hint = d.mode_buttons, d.mode_hint
        self.total_label, self.total_exact = d.total_label, d.total_exact
        self.total_edit, self.total_error = d.total_edit, d.total_error
        self.plan_error, self.reset = d.plan_error, d.reset
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
        header.addWidget(text_label("appTitle", "Backbeat", wrap=False))
        header.addWidget(
            text_label("muted", "A hands-free coach for a back massage at home."),
            1,
            Qt.AlignmentFlag.AlignBottom,
        )
        self.settings_button = QPushButton("&Settings…  [Ctrl+,]")
        self.settings_button.clicked.connect(self.settings_requested)
        header.addWidget(self.settings_button)
        return header

    def _build_protocol_card(self) -> QFrame:
        card, layout, heading = titled_card("1. &Protocol")
        self.protocols = QListWidget()
        heading.setBuddy(self.protocols)
        self.protocols.setMinimumHeight(150)
        self.protocols.setWordWrap(True)
        self.protocols.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.protocols.currentRowChanged.connect(self._on_row_changed)
        layout.addWidget(self.protocols, 1)
        self.library_note = text_label("hint")  # "Reading your protocols…"
        self.library_note.setVisible(False)
        layout.addWidget(self.library_note)
        self.description = text_label("description", "")
        self.blocks_summary = text_label("hint")
        layout.addWidget(self.description)
        layout.addWidget(self.blocks_summary)
        return card

    def _build_check_card(self) -> QFrame:
        card, layout, _ = titled_card("3. Before you start")
        layout.addWidget(text_label("", "No massage today if your partner has any of these:"))
        layout.addLayout(_bullets("•", CONTRAINDICATIONS))
        self.acknowledge = QCheckBox("&None of these applies  [Alt+N]")
        self.acknowledge.toggled.connect(self.acknowledge_requested)
        layout.addWidget(self.acknowledge)
        layout.addSpacing(6)
        layout.addWidget(text_label("sectionTitle", "Get ready"))
        layout.addLayout(_bullets("✓", PREPARATION))
        layout.addStretch(1)
        layout.addWidget(
            text_label("hint", "It must never hurt: Esc at any time eases off or stops.")
        )
        return card

    def _build_save_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        title_caption = text_label("", "T&itle of your copy:", wrap=False)
        self.save_title = QLineEdit()
        self.save_title.setPlaceholderText("Title of your protocol")
        self.save_title.setMinimumWidth(240)
        self.save_title.textEdited.connect(self.save_title_requested)
        title_caption.setBuddy(self.save_title)
        self.save_button = QPushButton("S&ave as my protocol")
        self.save_button.clicked.connect(
            lambda: self.save_as_requested.emit(self.save_title.text())
        )
        self.save_message = text_label("hint")
        self.saved_path = text_label("hint")
        self.saved_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_error = text_label("error")
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_cards()  # the resizes before the first show saw other widths

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
        self.sound_note = text_label("soundNote", "")
        self.start_hint = text_label("muted", "", wrap=False)
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
            *self.durations.focus_chain(),
            self.save_title,
            self.save_button,
            self.acknowledge,
            self.start_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def tab_chain(self) -> list[QWidget]:
        """The widgets Tab visits from the Settings button on, in order (for tests)."""
        chain: list[QWidget] = [self.settings_button]
        widget = self.settings_button.nextInFocusChain()
        seen: set[QWidget] = {self.settings_button}
        while widget is not None and widget not in seen:
            seen.add(widget)
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(self):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        return chain

    def _on_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._state.choices) and row != self._state.selected:
            self.protocol_requested.emit(self._state.choices[row].key)

    def _update_list(
        self, old: tuple[ProtocolChoice, ...], new: tuple[ProtocolChoice, ...]
    ) -> None:
        """Only the rows that changed: a protocol saved into a list of 500 is one new row,
        not 500 made again (that held up the window for tens of milliseconds)."""
        if self.protocols.count() != len(old):
            old = ()
            self.protocols.clear()
        same_start = 0
        while same_start < min(len(old), len(new)) and old[same_start] == new[same_start]:
            same_start += 1
        same_end = 0
        while (
            same_end < min(len(old), len(new)) - same_start
            and old[len(old) - 1 - same_end] == new[len(new) - 1 - same_end]
        ):
            same_end += 1
        for _ in range(len(old) - same_start - same_end):
            self.protocols.takeItem(same_start)
        for offset, choice in enumerate(new[same_start : len(new) - same_end]):
            item = QListWidgetItem(f"{choice.title}\n{choice.subtitle}")
            if not choice.loadable:
                item.setForeground(self.palette().placeholderText())
            self.protocols.insertItem(same_start + offset, item)

    # -- state --------------------------------------------------------------------------
    def state(self) -> StartViewState:
        return self._state

    def row_editor(self, block_id: str) -> QLineEdit:
        return self.durations.row_editor(block_id)

    @property
    def _row_widgets(self) -> dict[str, tuple[QLineEdit, QLabel, QLabel]]:
        return self.durations.row_widgets()

    def set_state(self, state: StartViewState) -> None:
        old, self._state = self._state, state
        if state.choices != old.choices or self.protocols.count() != len(state.choices):
            self.protocols.blockSignals(True)
            self._update_list(old.choices, state.choices)
            self.protocols.blockSignals(False)
        if self.protocols.currentRow() != state.selected:
            self.protocols.blockSignals(True)
            self.protocols.setCurrentRow(state.selected)
            self.protocols.blockSignals(False)
        set_text(self.library_note, state.library_note)
        self.library_note.setVisible(bool(state.library_note))
        set_text(self.description, state.description)
        set_text(self.blocks_summary, state.blocks_summary)
        self.durations.set_state(state)
        if not self.save_title.hasFocus() and self.save_title.text() != state.save_title:
            self.save_title.setText(state.save_title)
            self.save_title.setCursorPosition(0)
        set_text(self.save_message, state.save_message)
        set_text(self.saved_path, state.saved_path)
        set_text(self.save_error, state.save_error)
        set_text(self.sound_note, state.sound_note)
        self.saved_path.setVisible(bool(state.saved_path))
        if state.saved_path and state.saved_path != old.saved_path:
            self._scroll.ensureWidgetVisible(self.saved_path)  # seen where it was saved
        self.save_message.setVisible(bool(state.save_message))
        self.save_error.setVisible(bool(state.save_error))
        self.save_button.setEnabled(bool(state.rows) and not state.plan_error and not state.saving)
        if self.acknowledge.isChecked() != state.acknowledged:
            self.acknowledge.blockSignals(True)
            self.acknowledge.setChecked(state.acknowledged)
            self.acknowledge.blockSignals(False)
        self.start_button.setEnabled(state.can_start)
        set_text(self.start_hint, state.start_hint)
