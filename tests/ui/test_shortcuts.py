"""Every key does its job, pressed on the window as a user (or a foot pedal) would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.core.engine import EngineState
from backbeat.ui.app import WindowParts
from tests.ui.conftest import advance, press, start_session

Key = Qt.Key


def engine_state(parts: WindowParts) -> EngineState:
    assert parts.controller.engine is not None
    return parts.controller.engine.state


@pytest.mark.parametrize("key", [Key.Key_Space, Key.Key_Return, Key.Key_Enter])
def test_space_or_enter_starts_once_the_check_is_ticked(
    qtbot: QtBot, parts: WindowParts, key: Qt.Key
) -> None:
    press(qtbot, parts, key)
    assert parts.window.current_page() == "start"  # the health check is not ticked yet
    assert parts.controller.engine is None
    parts.window.start_view.acknowledge.setChecked(True)
    press(qtbot, parts, key)
    assert parts.window.current_page() == "session"
    assert engine_state(parts) is EngineState.RUNNING


@pytest.mark.parametrize("key", [Key.Key_Space, Key.Key_Return, Key.Key_Enter])
def test_space_or_enter_pauses_and_resumes(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock, key: Qt.Key
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 3.0)
    press(qtbot, parts, key)
    assert engine_state(parts) is EngineState.PAUSED
    assert parts.window.session_view.state().paused
    assert parts.window.session_view.controls.pause.action_label.text() == "Resume"
    press(qtbot, parts, key)
    assert engine_state(parts) is EngineState.RUNNING
    assert not parts.window.session_view.state().paused


def test_arrows_move_between_techniques(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 2.0)
    press(qtbot, parts, Key.Key_Right)
    assert parts.window.session_view.state().technique_title == "Spreading"
    press(qtbot, parts, Key.Key_Right)
    assert parts.window.session_view.state().technique_title == "Fingertip circles"
    press(qtbot, parts, Key.Key_Left)
    assert parts.window.session_view.state().technique_title == "Spreading"
    press(qtbot, parts, Key.Key_PageDown)  # what most foot pedals send
    assert parts.window.session_view.state().technique_title == "Fingertip circles"


def test_escape_pauses_with_a_prompt_and_one_key_continues_lighter(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 5.0)
    press(qtbot, parts, Key.Key_Escape)
    view = parts.window.session_view
    assert engine_state(parts) is EngineState.PAUSED
    assert view.state().too_much
    assert view.too_much_panel.isVisible()
    assert "Lighten the pressure" in view.state().caption
    press(qtbot, parts, Key.Key_L)
    assert engine_state(parts) is EngineState.RUNNING
    assert not view.state().too_much
    assert "lightly" in view.state().caption
    press(qtbot, parts, Key.Key_Escape)
    press(qtbot, parts, Key.Key_Space)  # Space continues too
    assert engine_state(parts) is EngineState.RUNNING
    press(qtbot, parts, Key.Key_Escape)
    press(qtbot, parts, Key.Key_Return)  # and Enter, what a pedal may send
    assert engine_state(parts) is EngineState.RUNNING


def test_escape_twice_ends_the_session(
    qtbot: QtBot, parts: WindowParts, fake_clock: FakeClock
) -> None:
    start_session(parts)
    advance(parts, fake_clock, 5.0)
    press(qtbot, parts, Key.Key_Escape)  # too much: paused, with a choice
    view = parts.window.session_view
    assert view.controls.too_much.action_label.text() == "End"
    assert view.controls.too_much.key_label.text() == "Esc twice"
    press(qtbot, parts, Key.Key_Escape)  # asks for a second press, shown large
    assert parts.window.current_page() == "session"
    assert view.confirm_overlay.isVisible()
    assert view.confirm_overlay.text() == "Press Esc again to end the session"
    assert view.confirm_overlay.font().pixelSize() >= 40
    press(qtbot, parts, Key.Key_Escape)
    assert parts.window.current_page() == "summary"
    assert "ended early" in parts.window.summary_view.state().headline
    press(qtbot, parts, Key.Key_Space)
    assert parts.window.current_page() == "start"


def test_m_and_v_switch_metronome_and_voice(
    qtbot: QtBot, parts: WindowParts, settings_store: object
) -> None:
    start_session(parts)
    press(qtbot, parts, Key.Key_M)
    assert not parts.controller.settings.sound.metronome_on
    assert not parts.window.session_view.state().controls.metronome_on
    assert parts.window.session_view.controls.metronome.property("off") is True
    press(qtbot, parts, Key.Key_V)
    assert not parts.controller.settings.sound.voice_on
    assert "voice off" in parts.window.session_view.state().sound_status
    press(qtbot, parts, Key.Key_M)
    press(qtbot, parts, Key.Key_V)
    # Struck through and back, the buttons keep the session's type (the style sheet's
    # polish must not put its own small font back).
    controls = parts.window.session_view.controls
    size = controls.pause.action_label.font().pixelSize()
    for button in (controls.metronome, controls.voice):
        assert button.action_label.font().pixelSize() == size
        assert button.key_label.font().pixelSize() == controls.pause.key_label.font().pixelSize()
    assert parts.controller.settings.sound.metronome_on and parts.controller.settings.sound.voice_on


def test_plus_and_minus_change_the_volume(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    settings = parts.controller.settings
    balance = settings.sound.metronome_volume / settings.sound.voice_volume
    assert settings.sound.volume_percent == 100
    press(qtbot, parts, Key.Key_Minus)
    press(qtbot, parts, Key.Key_Minus)
    assert parts.controller.settings.sound.volume_percent == 80
    press(qtbot, parts, Key.Key_Plus)
    assert parts.controller.settings.sound.volume_percent == 90
    press(qtbot, parts, Key.Key_Minus, Qt.KeyboardModifier.KeypadModifier)
    settings = parts.controller.settings
    assert settings.sound.volume_percent == 80
    assert settings.sound.metronome_volume / settings.sound.voice_volume == pytest.approx(
        balance, abs=0.01
    )
    assert (
        f"{parts.controller.settings.sound.volume_percent} %"
        in parts.window.session_view.state().sound_status
    )


def test_f11_toggles_full_screen(qtbot: QtBot, parts: WindowParts) -> None:
    press(qtbot, parts, Key.Key_F11)
    assert parts.window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, parts, Key.Key_F11)
    assert not parts.window.windowState() & Qt.WindowState.WindowFullScreen


def test_ctrl_q_closes_the_window_at_once_on_the_start_page(
    qtbot: QtBot, parts: WindowParts
) -> None:
    with qtbot.waitSignal(parts.window.closed, timeout=2000):
        press(qtbot, parts, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not parts.window.isVisible()


def test_ctrl_q_during_a_session_asks_for_a_second_press(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    press(qtbot, parts, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    view = parts.window.session_view
    assert parts.window.isVisible()
    assert view.confirm_overlay.text() == "Press Ctrl+Q again to quit"
    press(qtbot, parts, Key.Key_M)  # any other key takes the question back
    assert not view.confirm_overlay.isVisible()
    press(qtbot, parts, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert parts.window.isVisible()
    with qtbot.waitSignal(parts.window.closed, timeout=2000):
        press(qtbot, parts, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not parts.window.isVisible()
    assert not parts.controller.pacer.running
    assert parts.controller.pacer.remaining_ms() == -1  # no frame still due


def test_every_control_is_also_a_button_showing_its_key(parts: WindowParts) -> None:
    bar = parts.window.session_view.controls
    keys = {
        b.key_label.text()
        for b in (
            bar.pause,
            bar.previous,
            bar.next,
            bar.too_much,
            bar.metronome,
            bar.voice,
            bar.quieter,
            bar.louder,
            bar.full_screen,
            bar.quit,
        )
    }
    assert keys == {"Space", "←", "→", "Esc", "M", "V", "−", "+", "F11", "Ctrl+Q twice"}


def test_the_quit_button_closes_the_window(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    quit_button = parts.window.session_view.controls.quit
    qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    assert parts.window.isVisible()  # a click asks, like the key
    with qtbot.waitSignal(parts.window.closed, timeout=2000):
        qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    assert not parts.window.isVisible()


def test_typing_a_title_does_not_trigger_shortcuts(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    edit = view.save_title
    assert view.start_button.text().endswith("[Space / Enter]")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert view.start_button.text().endswith("[Enter]")  # Space types a space here
    edit.clear()
    qtbot.keyClicks(edit, "My evening massage")
    assert edit.text() == "My evening massage"
    assert parts.window.current_page() == "start"
    qtbot.keyClick(edit, Key.Key_Return)  # the key the button shows: it starts
    assert parts.window.current_page() == "session"


def test_alt_n_ticks_the_health_check_and_enter_starts(qtbot: QtBot, parts: WindowParts) -> None:
    press(qtbot, parts, Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(parts.window.start_view.acknowledge.isChecked)  # Qt animates the click
    press(qtbot, parts, Key.Key_Return)
    assert parts.window.current_page() == "session"


def test_space_after_a_mouse_click_on_the_check_starts(qtbot: QtBot, parts: WindowParts) -> None:
    box = parts.window.start_view.acknowledge
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(10, box.height() // 2))
    assert box.isChecked()
    press(qtbot, parts, Key.Key_Space)
    assert parts.window.current_page() == "session"


@pytest.mark.parametrize("focus", ["acknowledge", "save_button", "reset", "settings_button"])
def test_space_starts_from_wherever_the_focus_is(
    qtbot: QtBot, parts: WindowParts, focus: str
) -> None:
    """The key the Start button shows starts: Space on the focused health check does not
    untick it, and Space on "Save as my protocol" does not save a copy."""
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    widget = getattr(view, focus)
    widget.setEnabled(True)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, parts, Key.Key_Space)
    assert view.acknowledge.isChecked()
    assert parts.window.current_page() == "session"
    assert not (parts.controller._library.user_dir.exists())  # nothing was saved


def test_f11_and_ctrl_q_work_while_the_settings_window_has_focus(
    qtbot: QtBot, parts: WindowParts
) -> None:
    dialog = parts.controller.open_settings()
    qtbot.waitExposed(dialog, timeout=2000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.metronome_volume.setFocus()
    qtbot.keyClick(dialog.metronome_volume, Key.Key_F11)
    assert parts.window.windowState() & Qt.WindowState.WindowFullScreen
    with qtbot.waitSignal(parts.window.closed, timeout=2000):
        qtbot.keyClick(dialog.metronome_volume, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not parts.window.isVisible()
