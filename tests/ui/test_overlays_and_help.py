"""What is seen from two metres: the paused overlay, the on-screen display, the second
press that ends a session, the list of keys, and the settings window's focus."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.ui.app import WindowParts
from backbeat.ui.overlays import OSD_SECONDS
from backbeat.ui.session_state import session_view_state, start_sound_note
from backbeat.ui.settings import AppSettings
from tests.ui.conftest import advance, press, start_session

Key = Qt.Key


def go_to_last_technique(qtbot: QtBot, parts: WindowParts) -> None:
    assert parts.controller.plan is not None
    for _ in range(len(parts.controller.plan.steps) - 1):
        press(qtbot, parts, Key.Key_Right)
    assert parts.window.session_view.state().controls.last_step


def test_paused_shows_a_large_overlay_that_says_how_to_go_on(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    view = parts.window.session_view
    assert not view.paused_overlay.isVisible()
    press(qtbot, parts, Key.Key_Space)
    assert view.paused_overlay.isVisible()
    assert view.paused_overlay.text() == "Paused — Space to go on"
    assert view.paused_overlay.font().pixelSize() >= 40
    assert view.paused_overlay.geometry().intersects(view.technique_title.geometry()) or (
        view._body.geometry().contains(view.paused_overlay.geometry())
    )
    press(qtbot, parts, Key.Key_Space)
    assert not view.paused_overlay.isVisible()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (Key.Key_M, "Metronome off"),
        (Key.Key_V, "Voice off"),
        (Key.Key_Minus, "Volume 90 %"),
    ],
)
def test_m_v_and_volume_keys_show_a_large_display_for_a_moment(
    qtbot: QtBot, parts: WindowParts, key: Qt.Key, message: str
) -> None:
    start_session(parts)
    view = parts.window.session_view
    press(qtbot, parts, key)
    assert view.osd.isVisible()
    assert view.osd.text() == message
    assert view.osd.font().pixelSize() >= 40
    qtbot.wait(round(OSD_SECONDS * 1000) - 400)
    assert view.osd.isVisible()  # still there after a second
    qtbot.waitUntil(lambda: not view.osd.isVisible(), timeout=1500)


def test_right_on_the_last_technique_asks_before_it_finishes(
    qtbot: QtBot, parts: WindowParts
) -> None:
    start_session(parts)
    go_to_last_technique(qtbot, parts)
    view = parts.window.session_view
    assert view.controls.next.action_label.text() == "Finish"
    assert view.controls.next.key_label.text() == "→ twice"
    press(qtbot, parts, Key.Key_Right)
    assert parts.window.current_page() == "session"
    assert view.confirm_overlay.isVisible()
    assert view.confirm_overlay.text() == "Press → again to finish"
    assert view.confirm_overlay.font().pixelSize() >= 40
    press(qtbot, parts, Key.Key_Right)
    assert parts.window.current_page() == "summary"


def test_the_question_times_out_and_another_key_cancels_it(
    qtbot: QtBot, parts: WindowParts
) -> None:
    start_session(parts)
    go_to_last_technique(qtbot, parts)
    view = parts.window.session_view
    press(qtbot, parts, Key.Key_Right)
    press(qtbot, parts, Key.Key_Left)  # a different key: the question is off
    assert not view.confirm_overlay.isVisible()
    press(qtbot, parts, Key.Key_Right)  # back to the last one, no question on the way
    assert view.confirming() == ""
    press(qtbot, parts, Key.Key_Right)
    assert parts.window.current_page() == "session"
    assert view.confirming() == "next"  # on the last one: → asks again
    qtbot.waitUntil(lambda: not view.confirm_overlay.isVisible(), timeout=4000)
    assert view.confirming() == ""
    press(qtbot, parts, Key.Key_Right)  # after the time-out a single press asks again
    assert parts.window.current_page() == "session"


def test_end_needs_two_presses(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    press(qtbot, parts, Key.Key_End)
    view = parts.window.session_view
    assert parts.window.current_page() == "session"
    assert view.confirm_overlay.text() == "Press End again to end the session"
    press(qtbot, parts, Key.Key_End)
    assert parts.window.current_page() == "summary"
    assert "ended early" in parts.window.summary_view.state().headline


def test_a_pending_question_does_not_carry_into_the_next_session(
    qtbot: QtBot, parts: WindowParts
) -> None:
    start_session(parts)
    press(qtbot, parts, Key.Key_End)
    parts.controller.end_session()  # ended some other way
    press(qtbot, parts, Key.Key_Space)  # back to the start
    start_session(parts)
    press(qtbot, parts, Key.Key_End)
    assert parts.window.current_page() == "session"  # asks again, does not end


@pytest.mark.parametrize("key", [Key.Key_F1, Key.Key_Question])
def test_question_mark_or_f1_lists_the_keys_of_the_page(
    qtbot: QtBot, parts: WindowParts, key: Qt.Key
) -> None:
    help_list = parts.window.help
    press(qtbot, parts, key)
    assert help_list.isVisible() and help_list.page() == "start"
    words = " ".join(
        label.text() for label in help_list.findChildren(type(parts.window.start_view.start_hint))
    )
    for expected in ("Alt+N", "Ctrl+,", "F11", "Space or Enter"):
        assert expected in words
    assert parts.window.rect().contains(help_list.geometry())
    press(qtbot, parts, key)
    assert not help_list.isVisible()
    start_session(parts)
    press(qtbot, parts, key)
    assert help_list.page() == "session"
    words = " ".join(
        label.text() for label in help_list.findChildren(type(parts.window.start_view.start_hint))
    )
    assert "End twice" in words and "M / V" in words
    press(qtbot, parts, Key.Key_Space)  # any other key closes it, and still does its job
    assert not help_list.isVisible()
    assert parts.window.session_view.state().paused


def test_ctrl_comma_opens_settings_with_the_focus(qtbot: QtBot, parts: WindowParts) -> None:
    press(qtbot, parts, Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = parts.controller._dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=2000)
    assert dialog.focusWidget() is dialog.metronome_on


def test_tab_follows_the_visual_order(parts: WindowParts) -> None:
    view = parts.window.start_view
    chain = view.tab_chain()
    expected = [
        view.settings_button,
        view.protocols,
        *view.mode_buttons.values(),
        *(view.row_editor(r.block_id) for r in view.state().rows),
        view.total_edit,
        view.reset,
        view.save_title,
        view.save_button,
        view.acknowledge,
        view.start_button,
    ]
    visible = [w for w in expected if w.isEnabled()]
    assert [w for w in chain if w in expected and w.isEnabled()] == visible


def test_the_lighter_state_and_no_sound_are_in_the_view_state(parts: WindowParts) -> None:
    """What the controller passes: the page shows it (the badge, the header)."""
    start_session(parts)
    plan, engine = parts.controller.plan, parts.controller.engine
    assert plan is not None and engine is not None
    state = session_view_state(plan, engine.position(), AppSettings(), lighter=True, sound_ok=False)
    view = parts.window.session_view
    view.set_state(state)
    assert view.lighter_badge.isVisible() and view.lighter_badge.text() == "Lighter"
    assert view.sound_status.text() == "No sound — follow the screen"
    assert not state.controls.sound_ok


def test_the_start_page_says_when_the_metronome_or_voice_is_off() -> None:
    sound = AppSettings().sound
    assert start_sound_note(sound) == ""
    note = start_sound_note(replace(sound, metronome_on=False))
    assert note.startswith("The metronome is off") and "M" in note
    both = start_sound_note(replace(sound, metronome_on=False, voice_on=False))
    assert both.startswith("The metronome and the voice are off")
    assert "No sound" in start_sound_note(sound, sound_ok=False)


def test_m_in_a_session_is_said_on_the_start_page_afterwards(
    qtbot: QtBot, parts: WindowParts
) -> None:
    start_session(parts)
    press(qtbot, parts, Key.Key_M)
    parts.controller.end_session()
    press(qtbot, parts, Key.Key_Space)  # summary -> start
    note = parts.window.start_view.sound_note
    assert note.isVisibleTo(parts.window) and note.text().startswith("The metronome is off")


def test_lighter_stays_until_the_next_technique(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 2.0)
    view = parts.window.session_view
    press(qtbot, parts, Key.Key_Escape)
    press(qtbot, parts, Key.Key_L)
    assert view.lighter_badge.isVisible()
    advance(parts, fake_clock, 3.0)
    assert view.lighter_badge.isVisible()
    press(qtbot, parts, Key.Key_Right)
    assert not view.lighter_badge.isVisible()


def test_the_banner_buttons_answer_to_the_keyboard(qtbot: QtBot, parts: WindowParts) -> None:
    from backbeat.ui.view_state import NO_SOUND_TEXT, Problem

    banner = parts.window.banner
    parts.window.set_problems((Problem(NO_SOUND_TEXT, retry=True),))
    assert banner.retry.isVisible() and banner.dismiss.isVisible()
    assert banner.retry.focusPolicy() & Qt.FocusPolicy.TabFocus
    with qtbot.waitSignal(banner.retry_requested, timeout=1000):
        press(qtbot, parts, Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    banner.dismiss.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(banner.dismiss_requested, timeout=1000):
        press(qtbot, parts, Key.Key_Space)  # Space presses the focused banner button
    assert parts.window.current_page() == "start"


def test_spot_on_clock_after_a_pause_keeps_the_overlay_in_the_body(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 2.0)
    press(qtbot, parts, Key.Key_Space)
    view = parts.window.session_view
    parts.window.resize(1024, 600)
    qtbot.waitUntil(lambda: view.width() < 1100, timeout=2000)
    QApplication.processEvents()
    assert view._body.geometry().contains(view.paused_overlay.geometry())
