"""Every control reached with Tab shows a ring of 2 px or more, at 3:1 or more against
what lies around it (WCAG 2 non-text contrast), in both themes; and the theme's colours
keep text at 4.5:1 and marks at 3:1."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from backbeat.ui.app import WindowParts
from backbeat.ui.theme import DARK, LIGHT, Theme, ThemeChoice, contrast_ratio

TEXT_PAIRS = (
    ("text", "background"), ("text", "surface"), ("text", "surface_alt"),
    ("text", "accent_soft"), ("text", "warning_soft"), ("muted", "background"),
    ("muted", "surface"), ("muted", "surface_alt"), ("accent", "background"),
    ("accent", "surface"), ("warning", "background"), ("warning", "warning_soft"),
    ("danger", "surface"), ("danger", "background"), ("accent_text", "accent"),
)  # fmt: skip
MARK_PAIRS = (("accent", "zone_fill"), ("accent", "surface_alt"), ("danger", "body_fill"))


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=lambda t: t.name)
def test_theme_colours_meet_wcag_aa(theme: Theme) -> None:
    for fg, bg in TEXT_PAIRS:
        ratio = contrast_ratio(getattr(theme, fg), getattr(theme, bg))
        assert ratio >= 4.5, f"{theme.name}: {fg} on {bg} is {ratio:.2f}:1"
    for fg, bg in MARK_PAIRS:
        ratio = contrast_ratio(getattr(theme, fg), getattr(theme, bg))
        assert ratio >= 3.0, f"{theme.name}: {fg} mark on {bg} is {ratio:.2f}:1"


def ring_contrast(widget: QWidget, around: str) -> float:
    """The lowest contrast of the widget's outer two rows of pixels, at its middle,
    against the colour around it."""
    image = widget.grab().toImage()
    x = image.width() // 2
    return min(contrast_ratio(image.pixelColor(x, y).name(), around) for y in (0, 1))


@pytest.mark.parametrize("choice", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_every_tab_stop_shows_a_clear_focus_ring(
    qtbot: QtBot, parts: WindowParts, choice: ThemeChoice
) -> None:
    controller = parts.controller
    controller.update_settings(replace(controller.settings, theme=choice))
    theme = LIGHT if choice is ThemeChoice.LIGHT else DARK
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    view.acknowledge.setFocus()
    QApplication.processEvents()
    # The probe sees the difference: an unfocused field's edge is faint.
    assert ring_contrast(view.save_title, theme.background) < 3.0
    for widget in view.tab_chain():
        if not widget.isEnabled():
            continue
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=1000)
        QApplication.processEvents()
        in_card = widget not in (
            view.settings_button,
            view.save_title,
            view.save_button,
            view.start_button,
        )
        around = theme.surface if in_card else theme.background
        ratio = ring_contrast(widget, around)
        assert ratio >= 3.0, f"{type(widget).__name__} {widget.objectName()}: ring at {ratio:.2f}:1"
    dialog = controller.open_settings()
    qtbot.waitExposed(dialog, timeout=2000)
    for widget in (dialog.metronome_on, dialog.metronome_volume, dialog.click_sound, dialog.theme):
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        ratio = ring_contrast(widget, theme.background)
        assert ratio >= 3.0, f"settings {type(widget).__name__}: ring at {ratio:.2f}:1"
