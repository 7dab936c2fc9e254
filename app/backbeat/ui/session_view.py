"""The screen followed during the massage: what to do now, where, how fast, for how long."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from backbeat.ui.beat_indicator import BeatIndicator
from backbeat.ui.controls_bar import ControlsBar
from backbeat.ui.flow_layout import FlowLayout
from backbeat.ui.step_ring import StepRing
from backbeat.ui.svg_shapes import SvgShapes
from backbeat.ui.theme import Theme
from backbeat.ui.timeline import SessionTimeline
from backbeat.ui.view_state import SessionViewState
from backbeat.ui.zone_diagram import ZoneDiagram

TOO_MUCH_TEXT = "It must never hurt. Ease off now: lighten the pressure, or end the session here."


def _label(name: str, text: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class TooMuchPanel(QFrame):
    """Shown after Esc: the session is paused until the user chooses."""

    continue_lighter_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tooMuch")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        layout.addStretch(1)
        layout.addWidget(_label("tooMuchTitle", "Too much? Stop for a moment."))
        layout.addWidget(_label("tooMuchText", TOO_MUCH_TEXT, wrap=True))
        row = QVBoxLayout()
        row.setSpacing(12)
        self.lighter = QPushButton("Continue more lightly    [Space or L]")
        self.lighter.setObjectName("primary")
        self.end = QPushButton("End the session    [Esc or E]")
        self.end.setObjectName("primary")
        for button in (self.lighter, self.end):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.lighter.clicked.connect(self.continue_lighter_requested)
        self.end.clicked.connect(self.end_requested)
        layout.addLayout(row)
        layout.addStretch(1)


class SessionView(QWidget):
    pause_requested = Signal()
    previous_requested = Signal()
    next_requested = Signal()
    too_much_requested = Signal()
    continue_lighter_requested = Signal()
    end_requested = Signal()
    metronome_toggle_requested = Signal()
    voice_toggle_requested = Signal()
    volume_down_requested = Signal()
    volume_up_requested = Signal()
    full_screen_requested = Signal()
    quit_requested = Signal()

    def __init__(self, shapes: SvgShapes, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = SessionViewState()
        self._shown_once = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(12)

        header = QHBoxLayout()
        self.block_title = _label("blockTitle")
        self.step_label = _label("muted")
        self.status = _label("status")
        self.session_clock = _label("sectionTitle")
        self.sound_status = _label("muted")
        header.addWidget(self.block_title)
        header.addSpacing(12)
        header.addWidget(self.step_label)
        header.addStretch(1)
        header.addWidget(self.status)
        header.addSpacing(16)
        header.addWidget(self.sound_status)
        header.addSpacing(16)
        header.addWidget(self.session_clock)
        outer.addLayout(header)
        self.timeline = SessionTimeline(theme)
        outer.addWidget(self.timeline)

        body = QHBoxLayout()
        body.setSpacing(24)
        left = QWidget()
        self._left_stack = QStackedLayout(left)
        self._left_stack.addWidget(self._build_technique_panel(theme))
        self.too_much_panel = TooMuchPanel()
        self._left_stack.addWidget(self.too_much_panel)
        body.addWidget(left, 11)
        self.zone_diagram = ZoneDiagram(shapes, theme)
        self.zone_diagram.setMinimumWidth(380)
        body.addWidget(self.zone_diagram, 9)
        outer.addLayout(body, 1)

        self.controls = ControlsBar()
        outer.addWidget(self.controls)
        self._wire()

    def _build_technique_panel(self, theme: Theme) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(12)
        self.technique_title = _label("techniqueTitle", wrap=True)
        self.how = _label("howTo", wrap=True)
        self.how.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        chips = FlowLayout(spacing=10)
        self.hands = _label("chip")
        self.pressure = _label("chip")
        self.direction = _label("chip")
        self.path = _label("chip")
        for chip in (self.hands, self.pressure, self.direction, self.path):
            chips.addWidget(chip)
        self.cautions = _label("cautions", wrap=True)
        meters = QHBoxLayout()
        meters.setSpacing(20)
        self.ring = StepRing(theme)
        self.beat = BeatIndicator(theme)
        meters.addWidget(self.ring)
        meters.addWidget(self.beat)
        words = QVBoxLayout()
        words.setSpacing(10)
        self.next_up = _label("nextUp", wrap=True)
        self.caption = _label("caption", wrap=True)
        words.addStretch(1)
        words.addWidget(self.next_up)
        words.addStretch(1)
        meters.addLayout(words, 1)
        layout.addWidget(self.technique_title)
        layout.addWidget(self.how)
        layout.addLayout(chips)
        layout.addWidget(self.cautions)
        layout.addStretch(1)
        layout.addLayout(meters)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        return panel

    def _wire(self) -> None:
        c = self.controls
        c.pause_requested.connect(self.pause_requested)
        c.previous_requested.connect(self.previous_requested)
        c.next_requested.connect(self.next_requested)
        c.too_much_requested.connect(self.too_much_requested)
        c.metronome_toggle_requested.connect(self.metronome_toggle_requested)
        c.voice_toggle_requested.connect(self.voice_toggle_requested)
        c.volume_down_requested.connect(self.volume_down_requested)
        c.volume_up_requested.connect(self.volume_up_requested)
        c.full_screen_requested.connect(self.full_screen_requested)
        c.quit_requested.connect(self.quit_requested)
        self.too_much_panel.continue_lighter_requested.connect(self.continue_lighter_requested)
        self.too_much_panel.end_requested.connect(self.end_requested)

    # -- keys ---------------------------------------------------------------------------
    def shortcut(self, action: str) -> bool:
        """A key press routed here by the window; True when it meant something."""
        if self._state.too_much:
            signal = {
                "space": self.continue_lighter_requested,
                "enter": self.continue_lighter_requested,
                "lighter": self.continue_lighter_requested,
                "escape": self.end_requested,
                "end": self.end_requested,
            }.get(action)
        else:
            signal = {
                "space": self.pause_requested,
                "enter": self.pause_requested,  # foot pedals often send Enter
                "escape": self.too_much_requested,
                "next": self.next_requested,
                "previous": self.previous_requested,
            }.get(action)
        signal = signal or {
            "metronome": self.metronome_toggle_requested,
            "voice": self.voice_toggle_requested,
            "louder": self.volume_up_requested,
            "quieter": self.volume_down_requested,
        }.get(action)
        if signal is None:
            return False
        signal.emit()
        return True

    # -- state --------------------------------------------------------------------------
    def state(self) -> SessionViewState:
        return self._state

    def set_theme(self, theme: Theme) -> None:
        for widget in (self.timeline, self.ring, self.beat, self.zone_diagram):
            widget.set_theme(theme)

    def set_state(self, state: SessionViewState) -> None:
        old, self._state = self._state, state
        # Most frames change only the meters: leave the words alone unless they changed.
        if _words(state) != _words(old) or not self._shown_once:
            self._show_words(state)
            self._shown_once = True
        self.timeline.set_state(state.timeline)
        self.ring.set_state(state.ring)
        self.beat.set_state(state.beat)
        self.zone_diagram.set_state(state.zones)
        self.controls.set_state(state.controls)

    def _show_words(self, state: SessionViewState) -> None:
        texts = (
            (self.block_title, state.block_title),
            (self.step_label, state.step_label),
            (self.session_clock, state.session_clock),
            (self.sound_status, state.sound_status),
            (self.technique_title, state.technique_title),
            (self.how, state.how),
            (self.hands, state.hands),
            (self.pressure, state.pressure),
            (self.direction, state.direction),
            (self.path, state.path),
            (self.cautions, state.cautions),
            (self.next_up, state.next_up),
            (self.caption, f"“{state.caption}”" if state.caption else ""),
        )
        for label, text in texts:
            if label.text() != text:
                label.setText(text)
        self.cautions.setVisible(bool(state.cautions))
        self.caption.setVisible(bool(state.caption))
        status = (
            "Too much – paused"
            if state.too_much
            else ("Paused – Space resumes" if state.paused else "")
        )
        if self.status.text() != status:
            self.status.setText(status)
        if self._left_stack.currentIndex() != int(state.too_much):
            self._left_stack.setCurrentIndex(1 if state.too_much else 0)


def _words(state: SessionViewState) -> tuple[object, ...]:
    return (
        state.block_title,
        state.step_label,
        state.session_clock,
        state.sound_status,
        state.technique_title,
        state.how,
        state.hands,
        state.pressure,
        state.direction,
        state.path,
        state.cautions,
        state.next_up,
        state.caption,
        state.paused,
        state.too_much,
    )
