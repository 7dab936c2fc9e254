"""Big on-screen buttons, each showing the key (or foot-pedal key) that does the same."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from backbeat.ui.session_scale import TypeScale
from backbeat.ui.view_state import ControlsState

PADDING = 8  # inside a button, at scale 1
KEYCAP_EXTRA = (22, 8)  # a key cap's padding and border, around its text
SPACING = 10  # between the buttons, at scale 1
#: Every label each button can show (action, key), to size the row for the longest.
BUTTON_LABELS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("Pause", "Resume", "Lighter"), ("Space",)),
    (("Previous",), ("←",)),
    (("Next", "Finish"), ("→", "→ twice")),
    (("Too much", "End"), ("Esc", "Esc twice")),
    (("Metronome",), ("M",)),
    (("Voice",), ("V",)),
    (("Quieter",), ("−",)),
    (("Louder",), ("+",)),
    (("Full screen", "Window"), ("F11",)),
    (("Quit",), ("Ctrl+Q twice",)),
)


class KeyButton(QPushButton):
    """A button with its action on top and its key in a key cap below."""

    def __init__(self, label: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("control")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window's shortcuts
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._pad, self._spacing = PADDING, 4
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        self.action_label = QLabel(label)
        self.action_label.setObjectName("keyAction")
        self.key_label = QLabel(key)
        self.key_label.setObjectName("keycap")
        for child in (self.action_label, self.key_label):
            child.setAlignment(Qt.AlignmentFlag.AlignCenter)
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(child, 0, Qt.AlignmentFlag.AlignHCenter)

    def minimumSizeHint(self) -> QSize:
        # Measured from its fonts (not a fixed size): wide and tall enough for its words
        # at the current scale, so a row of ten buttons never clips "Metronome".
        action = QFontMetrics(self.action_label.font())
        key = QFontMetrics(self.key_label.font())
        width = max(
            action.horizontalAdvance(self.action_label.text()),
            key.horizontalAdvance(self.key_label.text()) + KEYCAP_EXTRA[0],
        )
        height = action.height() + key.height() + KEYCAP_EXTRA[1] + self._spacing
        return QSize(width + 2 * self._pad + 8, height + 2 * self._pad + 4)

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def set_label(self, text: str, key: str | None = None) -> None:
        if self.action_label.text() != text:
            self.action_label.setText(text)
        if key is not None and self.key_label.text() != key:
            self.key_label.setText(key)
        self.updateGeometry()

    def set_scale(self, scale: TypeScale) -> None:
        self._pad = pad = round(PADDING * scale.factor)
        self._spacing = max(2, pad // 2)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(pad, pad, pad, pad)
            layout.setSpacing(self._spacing)
        self.action_label.setFont(scale.font("action"))
        self.key_label.setFont(scale.font("keycap"))
        self.updateGeometry()

    def set_off(self, off: bool) -> None:
        """Shown struck through when the thing it switches is off."""
        if self.property("off") != off:
            self.setProperty("off", off)
            self.action_label.setProperty("off", off)
            fonts = (self.action_label.font(), self.key_label.font())
            for widget in (self, self.action_label):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            # Polishing applies the style sheet's font again: keep the session's type.
            self.action_label.setFont(fonts[0])
            self.key_label.setFont(fonts[1])


class ControlsBar(QWidget):
    pause_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    too_much_requested = Signal()
    metronome_toggle_requested = Signal()
    voice_toggle_requested = Signal()
    volume_down_requested = Signal()
    volume_up_requested = Signal()
    full_screen_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = ControlsState()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.pause = KeyButton("Pause", "Space")
        self.previous = KeyButton("Previous", "←")
        self.next = KeyButton("Next", "→")
        self.too_much = KeyButton("Too much", "Esc")
        self.too_much.setObjectName("control")
        self.too_much.setProperty("warning", True)
        self.metronome = KeyButton("Metronome", "M")
        self.voice = KeyButton("Voice", "V")
        self.quieter = KeyButton("Quieter", "−")
        self.louder = KeyButton("Louder", "+")
        self.full_screen = KeyButton("Full screen", "F11")
        self.quit = KeyButton("Quit", "Ctrl+Q twice")
        wiring = (
            (self.pause, self.pause_requested),
            (self.previous, self.previous_requested),
            (self.next, self.next_requested),
            (self.too_much, self.too_much_requested),
            (self.metronome, self.metronome_toggle_requested),
            (self.voice, self.voice_toggle_requested),
            (self.quieter, self.volume_down_requested),
            (self.louder, self.volume_up_requested),
            (self.full_screen, self.full_screen_requested),
            (self.quit, self.quit_requested),
        )
        self._layout = layout
        for button, signal in wiring:
            button.clicked.connect(signal)
            layout.addWidget(button, 1)

    def buttons(self) -> tuple[KeyButton, ...]:
        return (
            self.pause, self.previous, self.next, self.too_much, self.metronome,
            self.voice, self.quieter, self.louder, self.full_screen, self.quit,
        )  # fmt: skip

    def set_scale(self, scale: TypeScale) -> None:
        self._layout.setSpacing(round(SPACING * scale.factor))
        for button in self.buttons():
            button.set_scale(scale)

    def needed_width(self, scale: TypeScale) -> int:
        """The row's width when every button shows its longest words whole."""
        action = QFontMetrics(scale.font("action"))
        key = QFontMetrics(scale.font("keycap"))
        pad = round(PADDING * scale.factor)
        total = 0
        for actions, keys in BUTTON_LABELS:
            words = max(action.horizontalAdvance(t) for t in actions)
            cap = max(key.horizontalAdvance(t) for t in keys) + KEYCAP_EXTRA[0]
            total += max(words, cap) + 2 * pad + 8
        return total + (len(BUTTON_LABELS) - 1) * round(SPACING * scale.factor)

    def needed_height(self, scale: TypeScale) -> int:
        pad = round(PADDING * scale.factor)
        action = QFontMetrics(scale.font("action")).height()
        key = QFontMetrics(scale.font("keycap")).height() + KEYCAP_EXTRA[1]
        return action + key + 2 * pad + max(2, pad // 2) + 4

    def state(self) -> ControlsState:
        return self._state

    def set_state(self, state: ControlsState) -> None:
        if state == self._state:
            return
        self._state = state
        self.pause.set_label("Resume" if state.paused else "Pause")
        if state.too_much:
            self.pause.set_label("Lighter", "Space")
            self.too_much.set_label("End", "Esc twice")
        else:
            self.too_much.set_label("Too much", "Esc")
        last = state.last_step and not state.too_much
        self.next.set_label("Finish" if last else "Next", "→ twice" if last else "→")
        self.metronome.set_off(not state.metronome_on)
        self.voice.set_off(not state.voice_on)
        self.full_screen.set_label("Window" if state.full_screen else "Full screen")
