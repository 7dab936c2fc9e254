"""The screen followed during the massage: what to do now, where, how fast, for how long.

Its type follows the window and the text size (:mod:`backbeat.ui.session_scale`); a fit
search on every resize and every new technique keeps the technique, its how-to, the time
left, the rhythm, what comes next and the caption whole.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal, SignalInstance
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from backbeat.ui.beat_indicator import BeatIndicator
from backbeat.ui.controls_bar import ControlsBar
from backbeat.ui.flow_layout import FlowLayout
from backbeat.ui.overlays import CONFIRM_SECONDS, OSD_SECONDS, ConfirmGate, Overlay, TimedOverlay
from backbeat.ui.session_scale import (
    TypeScale,
    candidate_factors,
    squeezed_factors,
    window_scale,
)
from backbeat.ui.session_words import (
    WordsMeasure,
    layout_words,
    osd_message,
    show_words,
    words_of,
)
from backbeat.ui.step_ring import StepRing
from backbeat.ui.svg_shapes import SvgShapes
from backbeat.ui.theme import Theme
from backbeat.ui.timeline import SessionTimeline
from backbeat.ui.too_much_panel import TooMuchPanel
from backbeat.ui.view_state import SessionViewState
from backbeat.ui.zone_diagram import ZoneDiagram

PAUSED_TEXT = "Paused — Space to go on"
#: The zone diagram's share of the body, widest first; a narrower one leaves the words
#: more room when the type would not fit otherwise.
DIAGRAM_SHARES = (0.40, 0.33, 0.26)
#: "Press … again" messages, by the action that needs the second press.
CONFIRM_MESSAGES = {
    "next": "Press → again to finish",
    "finish": "Press End again to end the session",
    "escape": "Press Esc again to end the session",
    "quit": "Press Ctrl+Q again to quit",
}


def _label(name: str, wrap: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


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
        self._text_scale = theme.text_scale
        self._scale = TypeScale(1.0)
        self._layout_key: tuple[object, ...] = ()
        self._outer = QVBoxLayout(self)
        self._outer.addLayout(self._build_header())
        self.timeline = SessionTimeline(theme)
        self._outer.addWidget(self.timeline)
        self._body = QWidget()
        self._body_stack = QStackedLayout(self._body)
        main = QWidget()
        self._columns = QHBoxLayout(main)
        self._columns.setContentsMargins(0, 0, 0, 0)
        self._columns.addWidget(self._build_words(theme), 1)
        self.zone_diagram = ZoneDiagram(shapes, theme)
        self._columns.addWidget(self.zone_diagram)
        self._body_stack.addWidget(main)
        self.too_much_panel = TooMuchPanel()
        self._body_stack.addWidget(self.too_much_panel)
        self._outer.addWidget(self._body, 1)
        self.caption = _label("caption", wrap=True)
        self._outer.addWidget(self.caption)
        self.controls = ControlsBar()
        self._outer.addWidget(self.controls)
        self.paused_overlay = Overlay("pausedOverlay", self)
        self.osd = TimedOverlay("osd", self, OSD_SECONDS)
        self.confirm_overlay = TimedOverlay("confirm", self, CONFIRM_SECONDS)
        self._gate = ConfirmGate(self.confirm_overlay)
        self._measure = WordsMeasure(self)
        self._wire()

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.block_title = _label("blockTitle")
        self.step_label = _label("muted")
        self.lighter_badge = _label("lighterBadge")
        self.lighter_badge.setText("Lighter")
        self.lighter_badge.hide()
        self.sound_status = _label("soundStatus")
        self.session_clock = _label("sessionClock")
        header.addWidget(self.block_title)
        header.addSpacing(12)
        header.addWidget(self.step_label)
        header.addStretch(1)
        for widget in (self.lighter_badge, self.sound_status, self.session_clock):
            header.addWidget(widget)
            header.addSpacing(16)
        return header

    def _build_words(self, theme: Theme) -> QWidget:
        panel = QWidget()
        self._words = QVBoxLayout(panel)
        self._words.setContentsMargins(0, 0, 0, 0)
        self.technique_title = _label("techniqueTitle", wrap=True)
        self.how = _label("howTo", wrap=True)
        self._chips = FlowLayout(spacing=10)
        self.hands = _label("chip")
        self.pressure = _label("chip")
        self.direction = _label("chip")
        self.path = _label("chip")
        for chip in self.chips():
            self._chips.addWidget(chip)
        self.cautions = _label("cautions", wrap=True)
        self._meters = QHBoxLayout()
        self.ring = StepRing(theme)
        self.beat = BeatIndicator(theme)
        self.next_up = _label("nextUp", wrap=True)
        self._meters.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignVCenter)
        self._meters.addWidget(self.beat, 0, Qt.AlignmentFlag.AlignVCenter)
        self._meters.addWidget(self.next_up, 1, Qt.AlignmentFlag.AlignVCenter)
        for widget in (self.technique_title, self.how):
            self._words.addWidget(widget)
        self._words.addLayout(self._chips)
        self._words.addWidget(self.cautions)
        self._words.addStretch(1)
        self._words.addLayout(self._meters)
        self._words.addStretch(1)
        return panel

    def chips(self) -> tuple[QLabel, ...]:
        return (self.hands, self.pressure, self.direction, self.path)

    def primary_labels(self) -> tuple[QLabel, ...]:
        """What must never be clipped: the layout test checks each of these."""
        return (
            self.block_title,
            self.step_label,
            self.sound_status,
            self.session_clock,
            self.technique_title,
            self.how,
            *self.chips(),
            self.cautions,
            self.next_up,
            self.caption,
        )

    def _wire(self) -> None:
        c = self.controls
        c.pause_requested.connect(self.pause_requested)
        c.previous_requested.connect(self.previous_requested)
        c.next_requested.connect(lambda: self.shortcut("next"))
        c.too_much_requested.connect(lambda: self.shortcut("escape"))
        c.metronome_toggle_requested.connect(self.metronome_toggle_requested)
        c.voice_toggle_requested.connect(self.voice_toggle_requested)
        c.volume_down_requested.connect(self.volume_down_requested)
        c.volume_up_requested.connect(self.volume_up_requested)
        c.full_screen_requested.connect(self.full_screen_requested)
        c.quit_requested.connect(lambda: self.shortcut("quit"))
        self.too_much_panel.continue_lighter_requested.connect(self.continue_lighter_requested)
        self.too_much_panel.end_requested.connect(self.end_requested)

    # -- keys ---------------------------------------------------------------------------
    def shortcut(self, action: str) -> bool:
        """A key press routed here by the window; True when it meant something.

        The keys that end the session (→ on the last technique, End, Ctrl+Q, and Esc on
        the "too much" page) need a second press: one slip of an oily hand must not end it.
        """
        signal = self._signal_for(action)
        if signal is None:
            return False
        if action != self._gate.armed:
            self._gate.disarm()  # another key: the pending "press again" is off
        gated = action in {"finish", "quit"} or (
            (action == "next" and self._state.controls.last_step and not self._state.too_much)
            or (action == "escape" and self._state.too_much)
        )
        if gated and not self._gate.press(action, CONFIRM_MESSAGES[action]):
            self._place_overlays()
            return True
        signal.emit()
        return True

    def _signal_for(self, action: str) -> SignalInstance | None:
        table: dict[str, SignalInstance]
        if self._state.too_much:
            table = {
                "space": self.continue_lighter_requested,
                "enter": self.continue_lighter_requested,
                "lighter": self.continue_lighter_requested,
                "escape": self.end_requested,
                "end": self.end_requested,
            }
        else:
            table = {
                "space": self.pause_requested,
                "enter": self.pause_requested,  # foot pedals often send Enter
                "escape": self.too_much_requested,
                "next": self.next_requested,
                "previous": self.previous_requested,
            }
        table.update(
            finish=self.end_requested,
            quit=self.quit_requested,
            metronome=self.metronome_toggle_requested,
            voice=self.voice_toggle_requested,
            louder=self.volume_up_requested,
            quieter=self.volume_down_requested,
        )
        return table.get(action)

    def confirming(self) -> str:
        """The action waiting for its second press, or ""."""
        return self._gate.armed

    # -- state --------------------------------------------------------------------------
    def state(self) -> SessionViewState:
        return self._state

    def set_theme(self, theme: Theme) -> None:
        for widget in (self.timeline, self.ring, self.beat, self.zone_diagram):
            widget.set_theme(theme)
        self._text_scale = theme.text_scale
        self._relayout(force=True)

    def restyled(self) -> None:
        """The application's stylesheet changed; it reset the fonts set here."""
        self._relayout(force=True)

    def set_state(self, state: SessionViewState) -> None:
        old, self._state = self._state, state
        # Most frames change only the meters: leave the words alone unless they changed.
        if words_of(state) != words_of(old) or not self._shown_once:
            show_words(self, state)
            self.lighter_badge.setVisible(state.lighter)
            self._body_stack.setCurrentIndex(1 if state.too_much else 0)
            self._relayout()
            if self._shown_once and (message := osd_message(old.controls, state.controls)):
                self.osd.flash(message)
                self._place_overlays()
            self._shown_once = True
        if state.paused and not state.too_much:
            self.paused_overlay.show_text(PAUSED_TEXT)
            self._place_overlays()
        elif self.paused_overlay.isVisible():
            self.paused_overlay.hide()
        self.timeline.set_state(state.timeline)
        self.ring.set_state(state.ring)
        self.beat.set_state(state.beat)
        self.zone_diagram.set_state(state.zones)
        self.controls.set_state(state.controls)

    def end_of_session(self) -> None:
        """Leaving the page: nothing pending may carry over to the next session."""
        self._gate.disarm()
        self.osd.hide_now()
        self._shown_once = False

    # -- size ---------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def type_scale(self) -> TypeScale:
        return self._scale

    def _relayout(self, *, force: bool = False) -> None:
        width, height = self.width(), self.height()
        top = self.window()
        window = window_scale(top.width(), top.height())
        key = (width, height, window, self._text_scale, layout_words(self._state))
        if width <= 0 or height <= 0 or (key == self._layout_key and not force):
            return
        self._layout_key = key
        family = self.font().family()
        factors = candidate_factors(window, self._text_scale) + squeezed_factors(window)
        chosen = (TypeScale(factors[-1], family), DIAGRAM_SHARES[-1])
        for factor in factors:
            scale = TypeScale(factor, family)
            share = next(
                (s for s in DIAGRAM_SHARES if self._measure.fits(scale, s, width, height)), None
            )
            if share is not None:
                chosen = (scale, share)
                break
        self._apply(*chosen)

    def _apply(self, scale: TypeScale, share: float) -> None:
        self._scale = scale
        geometry = self._measure.geometry(scale, share, self.width())
        margin_x, margin_y = geometry.margins
        self._outer.setContentsMargins(margin_x, margin_y, margin_x, margin_y)
        self._outer.setSpacing(geometry.gap)
        self._columns.setSpacing(geometry.gap * 2)
        self._words.setSpacing(geometry.gap)
        self._meters.setSpacing(geometry.gap * 2)
        self._chips.setSpacing(geometry.gap)
        self.zone_diagram.setFixedWidth(geometry.diagram_width)
        self.zone_diagram.set_scale(scale)
        self.ring.setFixedSize(geometry.ring_side, geometry.ring_side)
        self.beat.setFixedSize(geometry.ring_side, geometry.ring_side)
        self.timeline.set_scale(scale)
        self.too_much_panel.set_scale(scale)
        self.controls.set_scale(scale)
        self._measure.apply_fonts(scale)
        self._place_overlays()

    def _place_overlays(self) -> None:
        area: QRect = self._body.geometry()
        if area.isEmpty():
            return
        scale = self._scale
        self.paused_overlay.place(area, scale.font("overlay"), width_share=0.8, top_share=0.42)
        self.osd.place(area, scale.font("osd"), width_share=0.5, top_share=0.85)
        self.confirm_overlay.place(area, scale.font("overlay"), width_share=0.8, top_share=0.5)
        for overlay in (self.paused_overlay, self.osd, self.confirm_overlay):
            if overlay.isVisible():
                overlay.raise_()

    def text_fits(self, label: QLabel) -> bool:
        """Does ``label`` show all of its text in the space it got? (font metrics)"""
        if not label.isVisible() or not label.text():
            return True
        rect = label.contentsRect()
        metrics = QFontMetrics(label.font())
        flags = int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0
        needed = metrics.boundingRect(0, 0, rect.width(), 100_000, flags, label.text())
        return needed.width() <= rect.width() + 1 and needed.height() <= rect.height() + 1
