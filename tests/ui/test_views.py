"""Every view renders the state it is given, and only that."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QRegion
from pytestqt.qtbot import QtBot

from backbeat import resources
from backbeat.core.clock import FakeClock
from backbeat.player.sound_system import silent_sound_system
from backbeat.ui.app import build_window
from backbeat.ui.beat_indicator import BeatIndicator, flash_strength
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.settings_dialog import SettingsDialog
from backbeat.ui.step_ring import StepRing
from backbeat.ui.summary_view import SummaryView
from backbeat.ui.theme import LIGHT, TextSize, ThemeChoice
from backbeat.ui.timeline import SessionTimeline
from backbeat.ui.view_state import (
    BeatState,
    RingState,
    SummaryBlockRow,
    SummaryTechniqueRow,
    SummaryViewState,
    TimelineBlock,
    TimelineState,
)


def centre_colour(widget: BeatIndicator | StepRing) -> QColor:
    image = widget.grab().toImage()
    return image.pixelColor(QPoint(image.width() // 2, image.height() // 2 - image.height() // 3))


def test_the_beat_disc_flashes_on_the_click_and_fades(qtbot: QtBot) -> None:
    assert flash_strength(0.0) == 1.0
    assert flash_strength(0.5) < 0.2
    widget = BeatIndicator(LIGHT)
    qtbot.addWidget(widget)
    widget.resize(200, 200)
    widget.set_state(BeatState(beat_phase=0.0, rhythm=30, running=True))
    on_click = widget.grab().toImage().pixelColor(QPoint(100, 40))
    widget.set_state(BeatState(beat_phase=0.8, rhythm=30, running=True))
    between = widget.grab().toImage().pixelColor(QPoint(100, 40))
    assert on_click.lightness() < between.lightness()  # the accent fill is strongest on the beat
    widget.set_state(BeatState(beat_phase=0.0, rhythm=30, running=False))
    paused = widget.grab().toImage().pixelColor(QPoint(100, 40))
    assert paused == between or paused.lightness() >= between.lightness()


def test_the_ring_empties_as_the_step_runs_out(qtbot: QtBot) -> None:
    ring = StepRing(LIGHT)
    qtbot.addWidget(ring)
    ring.resize(200, 200)
    left_side = QPoint(12, 100)  # on the ring at 9 o'clock: full ring only
    ring.set_state(RingState(step_left=60, step_duration=60, label="1:00"))
    full = ring.grab().toImage().pixelColor(left_side)
    ring.set_state(RingState(step_left=10, step_duration=60, label="0:10"))
    low = ring.grab().toImage().pixelColor(left_side)
    assert full.green() > full.red()  # accent
    assert low != full


def test_the_timeline_splits_the_session_into_blocks(qtbot: QtBot) -> None:
    timeline = SessionTimeline(LIGHT)
    qtbot.addWidget(timeline)
    timeline.resize(600, 44)
    blocks = (TimelineBlock("Stroking", 0, 100), TimelineBlock("Kneading", 100, 200))
    timeline.set_state(TimelineState(blocks, 300, 0))
    start = timeline.grab().toImage()
    timeline.set_state(TimelineState(blocks, 300, 150))
    middle = timeline.grab().toImage()
    # The part already done (a third of the way along) is filled in.
    assert start.pixelColor(QPoint(100, 4)) != middle.pixelColor(QPoint(100, 4))
    assert start.pixelColor(QPoint(500, 4)) == middle.pixelColor(QPoint(500, 4))


def test_repainting_the_strip_around_now_gives_the_whole_picture(qtbot: QtBot) -> None:
    """Each frame repaints only the strip the "now" line crossed (the labels that cannot
    reach it are not drawn): the result is what painting the whole bar gives."""
    blocks = (
        TimelineBlock("Warming up the whole back", 0, 40),  # spills over when current
        TimelineBlock("Kneading", 40, 200),
        TimelineBlock("Rest", 240, 60),
    )
    timeline, fresh = SessionTimeline(LIGHT), SessionTimeline(LIGHT)
    for widget in (timeline, fresh):
        qtbot.addWidget(widget)
        widget.resize(600, 44)
    picture = QImage(timeline.size(), QImage.Format.Format_RGB32)
    timeline.set_state(TimelineState(blocks, 300, 0))
    timeline.render(picture)
    previous = 0.0
    for now in (3.0, 20.0, 39.5, 41.0, 120.0, 239.0, 250.0, 299.0):
        before = timeline._now_x(timeline.state())
        timeline.set_state(TimelineState(blocks, 300, now))
        after = timeline._now_x(timeline.state())
        strip = QRegion(int(min(before, after)) - 4, 0, int(abs(after - before)) + 9, 40)
        whole = _current_block(blocks, now) != _current_block(blocks, previous)
        previous = now
        area = QRegion(timeline.rect()) if whole else strip
        # render() puts the area's corner at the offset given: the same place, here.
        timeline.render(picture, area.boundingRect().topLeft(), area)
        fresh.set_state(TimelineState(blocks, 300, now))
        assert picture == fresh.grab().toImage(), now
    # ... and the whole picture has its words.
    untitled = SessionTimeline(LIGHT)
    qtbot.addWidget(untitled)
    untitled.resize(600, 44)
    untitled.set_state(TimelineState(tuple(replace(b, title="") for b in blocks), 300, 299.0))
    assert picture != untitled.grab().toImage()


def _current_block(blocks: tuple[TimelineBlock, ...], now: float) -> int:
    return next(i for i, b in enumerate(blocks) if b.start <= now < b.start + b.duration)


def test_the_summary_lists_blocks_and_techniques(qtbot: QtBot) -> None:
    view = SummaryView()
    qtbot.addWidget(view)
    state = SummaryViewState(
        headline="Well done",
        total="1:00 of massage",
        planned_total="Planned: 2:00",
        blocks=(SummaryBlockRow("Stroking", "1:00", "1:00"),),
        techniques=(
            SummaryTechniqueRow("Stroking", "Planar", "0:30", "done"),
            SummaryTechniqueRow("Stroking", "Grasping", "0:00", "skipped"),
        ),
    )
    view.set_state(state)
    assert view.headline.text() == "Well done"
    assert view.techniques.rowCount() == 2
    item = view.techniques.item(1, 3)
    assert item is not None and "skipped" in item.text()
    assert not view.grab().isNull()


def test_the_settings_dialog_asks_for_each_change(qtbot: QtBot) -> None:
    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.settings_requested) as signal:
        dialog.reduced_motion.setChecked(True)
    assert signal.args is not None and signal.args[0].reduced_motion
    dialog.theme.setCurrentIndex(2)
    dialog.text_size.setCurrentIndex(2)
    dialog.voice_volume.setValue(40)
    current = dialog.current()
    assert current.theme is ThemeChoice.DARK
    assert current.text_size is TextSize.LARGEST
    assert current.sound.voice_volume == pytest.approx(0.4)
    assert current.sound.spot_reminder_style == "words"
    dialog.spot_sound.setChecked(True)
    assert dialog.current().sound.spot_reminder_style == "sound"
    dialog.spot_reminders.setChecked(False)  # no reminders: how they sound does not apply
    assert not dialog.spot_sound.isEnabled()


@pytest.mark.parametrize("theme", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_the_window_renders_every_page_with_the_bundled_protocols(
    qtbot: QtBot, tmp_path: Path, theme: ThemeChoice
) -> None:
    store = SettingsStore.at_path(tmp_path / "settings.ini")
    store.save(AppSettings(theme=theme, text_size=TextSize.LARGE))
    clock = FakeClock()
    parts = build_window(
        settings_store=store, sound=silent_sound_system(clock), user_dir=tmp_path / "user"
    )
    qtbot.addWidget(parts.window)
    parts.window.show()
    qtbot.waitExposed(parts.window)
    assert "Backbeat" in parts.window.windowTitle()
    start = parts.window.start_view.state()
    assert start.title == "Home back massage"  # the default protocol
    assert len(start.choices) == len(list(resources.bundled_protocols_dir().glob("*.yaml")))
    assert not parts.window.grab().isNull()
    parts.window.start_view.acknowledge.setChecked(True)
    assert parts.controller.start_session()
    clock.advance(95.0)
    parts.controller.refresh()
    session = parts.window.session_view.state()
    assert session.technique_title and session.how and session.hands and session.pressure
    assert session.zones.active_zones
    assert not parts.window.grab().isNull()
    background = parts.window.palette().window().color()
    assert (
        background.lightness() < 80 if theme is ThemeChoice.DARK else background.lightness() > 200
    )
    parts.controller.end_session()
    assert parts.window.current_page() == "summary"
    assert not parts.window.grab().isNull()
    parts.controller.shutdown()


def test_chips_wrap_onto_a_second_row_when_the_panel_is_narrow(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QWidget

    from backbeat.ui.flow_layout import FlowLayout

    panel = QWidget()
    qtbot.addWidget(panel)
    flow = FlowLayout(panel, spacing=10)
    chips = [QLabel(text) for text in ("Both hands", "Medium pressure", "Upwards", "Circles")]
    for chip in chips:
        flow.addWidget(chip)
    wide = sum(c.sizeHint().width() for c in chips) + 40
    panel.resize(wide, flow.heightForWidth(wide))
    panel.show()
    assert len({c.y() for c in chips}) == 1
    narrow = chips[0].sizeHint().width() + chips[1].sizeHint().width() + 20
    assert flow.heightForWidth(narrow) > flow.heightForWidth(wide)
    panel.resize(narrow, flow.heightForWidth(narrow))
    flow.setGeometry(panel.rect())
    assert chips[2].y() > chips[0].y()  # the third chip moved down a row
