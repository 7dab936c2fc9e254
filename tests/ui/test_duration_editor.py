"""The start screen's block-duration editor, typed into as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backbeat.core.library import scan_library
from backbeat.core.plan import PlanOverrides
from backbeat.core.protocol_io import load_protocol
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import WindowParts
from backbeat.ui.settings import SettingsStore
from backbeat.ui.start_view import StartView
from tests.ui.conftest import short_test_window


def type_into(qtbot: QtBot, edit: object, text: str) -> None:
    edit.setFocus()  # type: ignore[attr-defined]
    edit.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def save(qtbot: QtBot, view: StartView) -> None:
    """Press "Save as my protocol" and wait until its file is written (off the UI thread)."""
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.state().saving, timeout=10000)


def test_editing_a_block_updates_the_total_live(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    assert view.total_label.text() == "2 min"
    type_into(qtbot, view.row_editor("rubbing"), "3")
    assert view.total_label.text() == "3.7 min"  # 0.7 (40 s) + 3: what the rows show
    assert view.total_exact.text() == "exactly 3:40"
    assert view.state().rows[1].edited
    assert "(1.3)" in view._row_widgets["rubbing"][1].text()  # the protocol's own, for reference
    type_into(qtbot, view.row_editor("stroking"), "1.5")
    assert view.total_label.text() == "4.5 min"
    assert view.total_exact.text() == ""
    type_into(qtbot, view.row_editor("stroking"), "2m30s")
    assert view.total_label.text() == "5.5 min"


def test_an_invalid_value_is_refused_with_the_reason(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    assert view.start_button.isEnabled()
    type_into(qtbot, view.row_editor("stroking"), "lots")
    error = view._row_widgets["stroking"][2]
    assert error.isVisibleTo(view)
    assert "not a time" in error.text() and "minutes" in error.text()
    assert view.row_editor("stroking").property("invalid") is True
    assert not view.start_button.isEnabled()
    assert view.start_hint.text() == "Fix the block times first."
    assert not parts.controller.start_session()
    type_into(qtbot, view.row_editor("stroking"), "0")
    assert "more than zero" in error.text()
    type_into(qtbot, view.row_editor("stroking"), "0.1")  # too short for 3 movements
    assert "give block 'stroking'" in view.plan_error.text()
    assert not view.start_button.isEnabled()
    type_into(qtbot, view.row_editor("stroking"), "1")
    assert not error.isVisibleTo(view)
    assert view.plan_error.text() == ""
    assert view.start_button.isEnabled()


def test_setting_a_total_scales_the_other_blocks(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    type_into(qtbot, view.total_edit, "4")
    assert view.total_label.text() == "4 min"
    assert view.row_editor("stroking").text() == "1.3"  # 40 s -> 80 s
    assert view.row_editor("rubbing").text() == "2.7"  # 80 s -> 160 s
    type_into(qtbot, view.row_editor("stroking"), "2")  # a set block keeps its time
    assert view.total_label.text() == "4 min"
    assert view.row_editor("rubbing").text() == "2"
    type_into(qtbot, view.total_edit, "1")
    reason = view.total_error.text()  # plain words, about the total field itself
    assert reason.startswith("The block times you typed already take 2 min")
    assert "1-minute session" in reason and "Type a longer session" in reason
    assert view.total_error.isVisibleTo(view)
    assert view.total_edit.property("invalid") is True
    assert view.plan_error.text() == ""
    assert not view.start_button.isEnabled()
    assert view.start_hint.text() == "Fix the session length first."
    type_into(qtbot, view.total_edit, "soon")
    assert view.total_error.text().startswith("Session length: 'soon' is not a time")
    type_into(qtbot, view.total_edit, "")
    assert view.total_edit.property("invalid") is False
    assert not view.total_error.isVisibleTo(view)


def test_the_rows_always_add_up_to_the_total_shown(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    for total in ("2.5", "3.1", "7", "0.9"):
        type_into(qtbot, view.total_edit, total)
        shown = [float(view.row_editor(b).text()) for b in ("stroking", "rubbing")]
        assert view.total_label.text() == f"{float(total):g} min"
        assert round(sum(shown), 1) == float(total), (total, shown)


def test_reset_returns_to_the_protocol_times(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    assert not view.reset.isEnabled()
    type_into(qtbot, view.row_editor("rubbing"), "5")
    type_into(qtbot, view.total_edit, "9")
    assert view.reset.isEnabled()
    qtbot.mouseClick(view.reset, Qt.MouseButton.LeftButton)
    assert view.total_label.text() == "2 min"
    assert view.row_editor("rubbing").text() == "1.3"
    assert view.total_edit.text() == ""
    assert not view.reset.isEnabled()


def test_the_edited_times_are_the_session_that_starts(qtbot: QtBot, parts: WindowParts) -> None:
    view = parts.window.start_view
    type_into(qtbot, view.row_editor("rubbing"), "2")
    view.acknowledge.setChecked(True)
    assert parts.controller.start_session()
    assert parts.controller.plan is not None
    assert parts.controller.plan.total == 160.0


def test_save_as_writes_a_loadable_user_protocol_that_appears_in_the_list(
    qtbot: QtBot, parts: WindowParts, library_dirs: tuple[Path, Path]
) -> None:
    bundled, user = library_dirs
    bundled_text = (bundled / "short-test.yaml").read_text()
    view = parts.window.start_view
    type_into(qtbot, view.row_editor("rubbing"), "3")
    qtbot.mouseClick(
        view.mode_buttons[next(m for m in view.mode_buttons if m.value == "stimulating")],
        Qt.MouseButton.LeftButton,
    )
    type_into(qtbot, view.save_title, "My long rubbing")
    save(qtbot, view)
    saved = user / "my-long-rubbing.yaml"
    assert saved.is_file()
    protocol = load_protocol(saved)
    assert protocol.id == "my-long-rubbing"
    assert protocol.title == "My long rubbing"
    assert protocol.block("rubbing").duration == 180.0
    assert protocol.default_mode.value == "stimulating"
    assert (bundled / "short-test.yaml").read_text() == bundled_text  # never touched
    assert "Saved" in view.save_message.text()
    assert view.saved_path.text() == str(user / "my-long-rubbing.yaml")
    assert view.saved_path.isVisibleTo(view)  # in the strip that never scrolls away
    titles = [c.title for c in view.state().choices]
    assert "My long rubbing" in titles
    assert view.state().title == "My long rubbing"  # and it is now the one selected
    # Saving again under the same title makes a second file; nothing is overwritten.
    type_into(qtbot, view.save_title, "My long rubbing")
    save(qtbot, view)
    assert sorted(p.name for p in user.iterdir()) == [
        "my-long-rubbing-2.yaml",
        "my-long-rubbing.yaml",
    ]
    assert len(scan_library(bundled, user)) == 3


def test_save_as_of_a_saved_copy_does_not_stack_mine(
    qtbot: QtBot, parts: WindowParts, library_dirs: tuple[Path, Path]
) -> None:
    view = parts.window.start_view
    assert view.save_title.text() == "Short test massage (mine)"
    save(qtbot, view)
    assert view.state().title == "Short test massage (mine)"
    assert view.save_title.text() == "Short test massage (mine)"  # not "(mine) (mine)"
    # The field is wide enough for the whole title.
    metrics = view.save_title.fontMetrics()
    assert metrics.horizontalAdvance(view.save_title.text()) < view.save_title.width() - 16


def test_a_typed_title_survives_editing_a_block_afterwards(
    qtbot: QtBot, parts: WindowParts, library_dirs: tuple[Path, Path]
) -> None:
    _, user = library_dirs
    view = parts.window.start_view
    type_into(qtbot, view.save_title, "Evening")
    type_into(qtbot, view.row_editor("rubbing"), "3")  # re-renders with the title unfocused
    assert view.save_title.text() == "Evening"
    save(qtbot, view)
    assert load_protocol(user / "evening.yaml").title == "Evening"


def test_save_as_needs_a_title_and_valid_times(
    qtbot: QtBot, parts: WindowParts, library_dirs: tuple[Path, Path]
) -> None:
    _, user = library_dirs
    view = parts.window.start_view
    type_into(qtbot, view.save_title, "   ")
    save(qtbot, view)
    assert "title" in view.save_error.text()
    type_into(qtbot, view.row_editor("rubbing"), "x")
    type_into(qtbot, view.save_title, "Broken")
    save(qtbot, view)
    assert "Fix the block times" in view.save_error.text()
    assert not user.exists() or not any(user.iterdir())


def test_choosing_another_protocol_and_mode(
    qtbot: QtBot, parts: WindowParts, library_dirs: tuple[Path, Path]
) -> None:
    view = parts.window.start_view
    qtbot.mouseClick(
        view.mode_buttons[next(m for m in view.mode_buttons if m.value == "stimulating")],
        Qt.MouseButton.LeftButton,
    )
    assert view.state().mode.value == "stimulating"
    assert parts.controller._start.draft is not None
    assert parts.controller._start.draft.mode.value == "stimulating"
    view.protocols.setCurrentRow(0)
    assert view.state().title == "Short test massage"
    assert view.mode_hint.text().startswith("Fast rhythm, 60")  # says what the choice means
    qtbot.mouseClick(
        view.mode_buttons[next(m for m in view.mode_buttons if m.value == "relaxing")],
        Qt.MouseButton.LeftButton,
    )
    assert view.mode_hint.text().startswith("Slow rhythm, up to 30")


def test_command_line_block_times_are_kept_to_the_second(
    qtbot: QtBot,
    settings_store: SettingsStore,
    sound: SoundSystem,
    library_dirs: tuple[Path, Path],
) -> None:
    overrides = PlanOverrides({"stroking": 45.0, "rubbing": 8.0})
    built = short_test_window(library_dirs, settings_store, sound, overrides)
    qtbot.addWidget(built.window)
    draft = built.controller._start.draft
    assert draft is not None
    result = draft.evaluate()
    assert result.plan is not None  # not rounded to 0.1 min (6 s)
    assert result.durations == {"stroking": 45.0, "rubbing": 8.0}
    built.controller.shutdown()
