"""Every page at 1024×600, 1280×800 and 1920×1080, light and dark, normal and largest
text: no primary item clipped (its font's metrics against the space it was given), none
overlapping another, none outside the window — on every technique of a real protocol."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from backbeat import resources
from backbeat.core.clock import FakeClock
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import WindowParts, build_window
from backbeat.ui.beat_indicator import DISC_PEN, REST_SIZE
from backbeat.ui.settings import SettingsStore
from backbeat.ui.theme import TextSize, ThemeChoice

SIZES = ((1024, 600), (1280, 800), (1920, 1080))
LOOKS = tuple(
    itertools.product((ThemeChoice.LIGHT, ThemeChoice.DARK), (TextSize.NORMAL, TextSize.LARGEST))
)
SOUND_LOST_TEXT = "Sound lost (device unplugged). Still timing the session; trying to reconnect."
PROTOCOL = "home-back-massage.yaml"  # the one with the longest words on screen


@pytest.fixture
def real_parts(
    qtbot: QtBot, settings_store: SettingsStore, sound: SoundSystem, tmp_path: Path
) -> Iterator[WindowParts]:
    bundled = resources.bundled_protocols_dir()
    built = build_window(
        bundled / PROTOCOL,
        settings_store=settings_store,
        sound=sound,
        bundled_dir=bundled,
        user_dir=tmp_path / "user",
    )
    qtbot.addWidget(built.window)
    built.window.show()
    qtbot.waitExposed(built.window, timeout=2000)
    yield built
    built.controller.shutdown()


def settle(parts: WindowParts, width: int, height: int) -> None:
    parts.window.resize(width, height)
    for _ in range(4):
        QApplication.processEvents()


def rect_in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def label_fits(label: QLabel) -> bool:
    rect = label.contentsRect()
    metrics = QFontMetrics(label.font())
    flags = int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0
    text = label.text().replace("&", "") if label.buddy() is not None else label.text()
    needed = metrics.boundingRect(0, 0, rect.width(), 100_000, flags, text)
    return needed.width() <= rect.width() + 1 and needed.height() <= rect.height() + 1


def button_fits(button: QAbstractButton) -> bool:
    metrics = QFontMetrics(button.font())
    return metrics.horizontalAdvance(button.text().replace("&", "")) <= button.width() - 8


def problems_on(parts: WindowParts, widgets: list[QWidget], where: str) -> list[str]:
    window_rect = parts.window.rect()
    found = []
    shown = [w for w in widgets if w.isVisible() and (not isinstance(w, QLabel) or w.text())]
    for widget in shown:
        name = f"{where}: {widget.objectName() or type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
        if not window_rect.contains(rect_in_window(widget)):
            found.append(f"{name} lies outside the window")
        if isinstance(widget, QLabel) and not label_fits(widget):
            found.append(f"{name} is clipped ({widget.contentsRect().size().toTuple()})")
        if isinstance(widget, QAbstractButton) and widget.text() and not button_fits(widget):
            found.append(f"{name} is clipped")
    for first, second in itertools.combinations(shown, 2):
        if first.isAncestorOf(second) or second.isAncestorOf(first):
            continue
        if rect_in_window(first).intersects(rect_in_window(second)):
            found.append(f"{where}: {first.objectName()} overlaps {second.objectName()}")
    return found


def beat_words_outside_the_disc(parts: WindowParts, where: str) -> list[str]:
    """The disc's number and words, each line's ink (its font's tight bounding box,
    centred where it is drawn), must lie inside the disc at its smallest (at rest)."""
    beat = parts.window.session_view.beat
    box = beat.disc_box()
    radius = box.width() * REST_SIZE / 2 - DISC_PEN
    centre = box.center()
    found = []
    for line in beat.text_boxes():
        font = QFont(beat.font())
        font.setPixelSize(line.pixel_size)
        font.setBold(line.bold)
        ink = QFontMetrics(font).tightBoundingRect(line.text)
        left = line.rect.center().x() - ink.width() / 2
        top = line.rect.center().y() - ink.height() / 2
        corners = ((left, top), (left + ink.width(), top + ink.height()))
        corners += ((left, top + ink.height()), (left + ink.width(), top))
        if any(math.hypot(x - centre.x(), y - centre.y()) > radius for x, y in corners):
            found.append(f"{where}: the beat disc's {line.text!r} runs outside the disc")
        if line.pixel_size < 10:
            found.append(f"{where}: the beat disc's {line.text!r} is too small to read")
    return found


def session_widgets(parts: WindowParts) -> list[QWidget]:
    view = parts.window.session_view
    widgets: list[QWidget] = [*view.primary_labels(), view.ring, view.beat, view.timeline]
    for button in view.controls.buttons():
        widgets += [button.action_label, button.key_label]
    return widgets


def too_much_widgets(parts: WindowParts) -> list[QWidget]:
    panel = parts.window.session_view.too_much_panel
    return [panel.title, panel.text, panel.lighter, panel.end]


@pytest.mark.parametrize("sound_lost", [False, True], ids=["sound", "sound-lost-banner"])
@pytest.mark.parametrize(("theme", "text_size"), LOOKS)
def test_no_primary_item_is_clipped_overlapped_or_outside(
    qtbot: QtBot,
    real_parts: WindowParts,
    fake_clock: FakeClock,
    theme: ThemeChoice,
    text_size: TextSize,
    sound_lost: bool,
) -> None:
    parts, controller = real_parts, real_parts.controller
    sound = replace(controller.settings.sound, metronome_on=not sound_lost)  # both disc texts
    controller.update_settings(
        replace(controller.settings, theme=theme, text_size=text_size, sound=sound)
    )
    parts.window.start_view.acknowledge.setChecked(True)
    assert controller.start_session()
    assert controller.plan is not None
    if sound_lost:  # the large strip above the page, as when the device goes away
        parts.window.sound_banner.show_notice(SOUND_LOST_TEXT, lost=True)
    problems: list[str] = []
    for width, height in SIZES:
        settle(parts, width, height)
        for index in range(len(controller.plan.steps)):
            fake_clock.advance(1.0)
            controller.refresh()
            QApplication.processEvents()
            where = f"{width}×{height} step {index}"
            problems += problems_on(parts, session_widgets(parts), where)
            problems += beat_words_outside_the_disc(parts, where)
            if index < len(controller.plan.steps) - 1:
                controller.next_technique()
        controller.too_much()
        QApplication.processEvents()
        problems += problems_on(parts, too_much_widgets(parts), f"{width}×{height} too much")
        problems += problems_on(parts, session_widgets(parts)[:4], f"{width}×{height} too much")
        controller.continue_lighter()
        while controller.engine is not None and controller.engine.position().step.index > 0:
            controller.previous_technique()
    assert not problems, "\n".join(sorted(set(problems))[:60])


@pytest.mark.parametrize(("theme", "text_size"), LOOKS)
def test_start_page_and_settings_stay_inside_and_whole(
    qtbot: QtBot, real_parts: WindowParts, theme: ThemeChoice, text_size: TextSize
) -> None:
    parts, controller = real_parts, real_parts.controller
    controller.update_settings(replace(controller.settings, theme=theme, text_size=text_size))
    view = parts.window.start_view
    problems: list[str] = []
    for width, height in SIZES:
        settle(parts, width, height)
        # What never scrolls: the header, the save strip, the Start row.
        fixed: list[QWidget] = [
            view.settings_button,
            view.save_title,
            view.save_button,
            view.start_button,
            view.start_hint,
        ]
        problems += problems_on(parts, fixed, f"start {width}×{height}")
        page = view._scroll.widget()
        assert page.width() <= view._scroll.viewport().width(), "the start page scrolls sideways"
        for card in view._cards:
            assert card.width() >= card.minimumSizeHint().width() - 1
    dialog = controller.open_settings()
    QApplication.processEvents()
    for row_label in dialog.findChildren(QLabel):
        assert label_fits(row_label), f"settings: {row_label.text()!r} is clipped"
    for box in (dialog.spot_reminders, dialog.reduced_motion):
        metrics = QFontMetrics(box.font())
        assert metrics.horizontalAdvance(box.text().replace("&", "")) < box.width()
    assert not problems, "\n".join(problems)


def test_the_session_type_grows_with_the_window_and_the_text_size(
    qtbot: QtBot, real_parts: WindowParts
) -> None:
    parts, controller = real_parts, real_parts.controller
    parts.window.start_view.acknowledge.setChecked(True)
    controller.start_session()
    view = parts.window.session_view
    sizes: dict[tuple[int, int, TextSize], int] = {}
    rings: dict[tuple[int, int, TextSize], int] = {}
    for text_size in (TextSize.NORMAL, TextSize.LARGEST):
        controller.update_settings(replace(controller.settings, text_size=text_size))
        for width, height in SIZES:
            settle(parts, width, height)
            sizes[(width, height, text_size)] = view.technique_title.font().pixelSize()
            rings[(width, height, text_size)] = view.ring.width()
    normal = TextSize.NORMAL
    assert sizes[(1920, 1080, normal)] > sizes[(1280, 800, normal)] > sizes[(1024, 600, normal)]
    for width, height in SIZES:  # the text size never shrinks anything
        assert sizes[(width, height, TextSize.LARGEST)] >= sizes[(width, height, normal)]
        assert rings[(width, height, TextSize.LARGEST)] >= rings[(width, height, normal)]
    assert sizes[(1920, 1080, TextSize.LARGEST)] > sizes[(1920, 1080, normal)]  # room to grow
