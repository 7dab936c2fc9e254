"""The session page's words: what they say (from the view state) and how much room they
need at a given type scale, measured with font metrics before anything is laid out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from backbeat.ui.session_scale import TypeScale
from backbeat.ui.too_much_panel import wrapped_height
from backbeat.ui.view_state import ControlsState, SessionViewState

if TYPE_CHECKING:
    from backbeat.ui.session_view import SessionView

MIN_DIAGRAM_WIDTH = 200
CHIP_PADDING = (14, 6)  # horizontal, vertical, at scale 1
CAPTION_PADDING = (16, 8)
BADGE_PADDING = (12, 2)
#: The caption keeps room for two lines, so a new cue does not make the page jump.
CAPTION_LINES = 2


def words_of(state: SessionViewState) -> tuple[object, ...]:
    """Everything on the page that is words (a change re-measures the page)."""
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
        state.lighter,
        state.controls,
    )


def layout_words(state: SessionViewState) -> tuple[object, ...]:
    """:func:`words_of` as the fit search sees it: the session clock ticks every second,
    but its digits are all one width, so only a new number of digits re-measures the page."""
    clock = "".join("0" if c.isdigit() else c for c in state.session_clock)
    return (*words_of(replace(state, session_clock="")), clock)


def show_words(view: SessionView, state: SessionViewState) -> None:
    texts = (
        (view.block_title, state.block_title),
        (view.step_label, state.step_label),
        (view.session_clock, state.session_clock),
        (view.sound_status, state.sound_status),
        (view.technique_title, state.technique_title),
        (view.how, state.how),
        (view.hands, state.hands),
        (view.pressure, state.pressure),
        (view.direction, state.direction),
        (view.path, state.path),
        (view.cautions, state.cautions),
        (view.next_up, state.next_up),
        (view.caption, f"“{state.caption}”" if state.caption else ""),
    )
    for label, text in texts:
        if label.text() != text:
            label.setText(text)
    view.cautions.setVisible(bool(state.cautions))
    view.caption.setVisible(bool(state.caption))


def _style_border(label: QLabel) -> tuple[int, int]:
    """What the style sheet adds around a chip's padded text (its border), which the
    metrics of a candidate scale do not include: without it a row of chips that "just
    fits" wraps on screen and pushes the meters under the caption."""
    margins = label.contentsMargins()
    metrics = QFontMetrics(label.font())
    hint = label.sizeHint()
    width = metrics.horizontalAdvance(label.text()) + margins.left() + margins.right()
    height = metrics.height() + margins.top() + margins.bottom()
    return max(0, hint.width() - width), max(0, hint.height() - height)


def osd_message(old: ControlsState, new: ControlsState) -> str:
    """What the on-screen display says after M, V, + or − (or the settings window)."""
    if new.metronome_on != old.metronome_on:
        return "Metronome on" if new.metronome_on else "Metronome off"
    if new.voice_on != old.voice_on:
        return "Voice on" if new.voice_on else "Voice off"
    if new.volume_percent != old.volume_percent:
        return f"Volume {new.volume_percent} %"
    return ""


@dataclass(frozen=True)
class PageGeometry:
    margins: tuple[int, int]
    gap: int
    diagram_width: int
    words_width: int
    ring_side: int


class WordsMeasure:
    """Answers "does the page fit at this scale?" for one session view."""

    def __init__(self, view: SessionView) -> None:
        self._view = view

    def geometry(self, scale: TypeScale, share: float, width: int) -> PageGeometry:
        f = scale.factor
        margins = (round(20 * f), round(10 * f))
        gap = max(6, round(10 * f))
        inner = width - 2 * margins[0]
        diagram = max(MIN_DIAGRAM_WIDTH, round(inner * share))
        words = inner - diagram - 2 * gap
        ring = min(scale.side(), max(90, words // 4))
        return PageGeometry(margins, gap, diagram, words, ring)

    def fits(self, scale: TypeScale, share: float, width: int, height: int) -> bool:
        view, state = self._view, self._view.state()
        g = self.geometry(scale, share, width)
        inner_width = width - 2 * g.margins[0]
        if not self._header_fits(scale, inner_width):
            return False
        if view.controls.needed_width(scale) > inner_width:
            return False
        body = (
            height
            - 2 * g.margins[1]
            - self._header_height(scale)
            - view.timeline.height_for(scale)
            - self._caption_height(scale, inner_width)
            - view.controls.needed_height(scale)
            - 4 * g.gap
        )
        if state.too_much:
            panel = view.too_much_panel
            return panel.needed_height(scale, inner_width) <= body and (
                panel.needed_width(scale) <= inner_width
            )
        return self._words_height(scale, g) <= body

    def _header_height(self, scale: TypeScale) -> int:
        roles = ("block", "step", "status", "clock")
        return max(QFontMetrics(scale.font(r)).height() for r in roles) + 2 * BADGE_PADDING[1]

    def _header_fits(self, scale: TypeScale, width: int) -> bool:
        state = self._view.state()
        parts = [
            ("block", state.block_title),
            ("step", state.step_label),
            ("clock", state.session_clock),
            ("step", state.sound_status),
        ]
        used = sum(QFontMetrics(scale.font(r)).horizontalAdvance(t) for r, t in parts)
        if state.lighter:
            badge = QFontMetrics(scale.font("status")).horizontalAdvance("Lighter")
            used += badge + 2 * round(BADGE_PADDING[0] * scale.factor)
        return used + 5 * 16 + 12 <= width

    def _caption_height(self, scale: TypeScale, width: int) -> int:
        state = self._view.state()
        if not state.caption or state.too_much:
            return 0
        pad_x, pad_y = (round(p * scale.factor) for p in CAPTION_PADDING)
        lines = CAPTION_LINES * QFontMetrics(scale.font("caption", italic=True)).lineSpacing()
        text = wrapped_height(scale, "caption", f"“{state.caption}”", width - 2 * pad_x)
        return max(lines, text) + 2 * pad_y

    def _chips_height(self, scale: TypeScale, width: int, gap: int) -> int:
        metrics = QFontMetrics(scale.font("chip"))
        pad_x, pad_y = (round(p * scale.factor) for p in CHIP_PADDING)
        x, rows = 0, 1
        border_x, border_y = _style_border(self._view.chips()[0])
        for chip in self._view.chips():
            chip_width = metrics.horizontalAdvance(chip.text()) + 2 * pad_x + border_x
            if chip_width > width:
                return 100_000  # a chip wider than the column never fits
            if x and x + chip_width > width:
                rows, x = rows + 1, 0
            x += chip_width + gap
        return rows * (metrics.height() + 2 * pad_y + border_y) + (rows - 1) * gap

    def _words_height(self, scale: TypeScale, g: PageGeometry) -> int:
        state, w = self._view.state(), g.words_width
        parts = [
            wrapped_height(scale, "technique", state.technique_title, w),
            wrapped_height(scale, "how", state.how, w),
            self._chips_height(scale, w, g.gap),
        ]
        if state.cautions:
            parts.append(wrapped_height(scale, "cautions", state.cautions, w))
        next_width = w - 2 * g.ring_side - 4 * g.gap
        if next_width < 120:
            return 100_000
        parts.append(max(g.ring_side, wrapped_height(scale, "next", state.next_up, next_width)))
        return sum(parts) + (len(parts) - 1) * g.gap

    def apply_fonts(self, scale: TypeScale) -> None:
        view = self._view
        fonts = (
            (view.block_title, "block"),
            (view.step_label, "step"),
            (view.sound_status, "step"),
            (view.session_clock, "clock"),
            (view.lighter_badge, "status"),
            (view.technique_title, "technique"),
            (view.how, "how"),
            (view.cautions, "cautions"),
            (view.next_up, "next"),
        )
        for label, role in fonts:
            label.setFont(scale.font(role))
        view.caption.setFont(scale.font("caption", italic=True))
        pad_x, pad_y = (round(p * scale.factor) for p in CAPTION_PADDING)
        view.caption.setContentsMargins(pad_x, pad_y, pad_x, pad_y)
        lines = CAPTION_LINES * QFontMetrics(view.caption.font()).lineSpacing()
        view.caption.setMinimumHeight(lines + 2 * pad_y)
        pad_x, pad_y = (round(p * scale.factor) for p in CHIP_PADDING)
        for chip in view.chips():
            chip.setFont(scale.font("chip"))
            chip.setContentsMargins(pad_x, pad_y, pad_x, pad_y)
        pad_x, pad_y = (round(p * scale.factor) for p in BADGE_PADDING)
        view.lighter_badge.setContentsMargins(pad_x, pad_y, pad_x, pad_y)
