"""The start page's slow work happens off the UI thread: the user's folder is read after
the first paint, plans are built once typing pauses, save-as writes off-thread; and
closing the window in the middle of any of it is clean."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backbeat.core import library
from backbeat.core.library_cache import Loaded
from backbeat.core.protocol_io import save_protocol
from backbeat.player.sound_system import SoundSystem
from backbeat.ui.app import WindowParts
from backbeat.ui.draft_planner import DraftPlanner
from backbeat.ui.settings import SettingsStore
from backbeat.ui.start_model import READING_NOTE, DurationDraft, StartModel
from tests.ui.conftest import short_protocol, short_test_window, wait_for_user_protocols
from tests.ui.test_duration_editor import save, type_into


def user_folder(user: Path, count: int) -> None:
    user.mkdir(exist_ok=True)
    for number in range(count):
        mine = short_protocol().with_identity(f"mine-{number}", f"Mine {number}")
        save_protocol(mine, user / f"mine-{number}.yaml")
    (user / "broken.yaml").write_text("id: broken\ntitle: [\n")


def opened(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
) -> WindowParts:
    parts = short_test_window(library_dirs, settings_store, sound)
    qtbot.addWidget(parts.window)
    parts.window.show()
    return parts


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("backbeat-read-protocols")]


def test_the_window_shows_the_bundled_protocols_first_and_the_users_once_read(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
) -> None:
    _, user = library_dirs
    user_folder(user, 3)
    parts = opened(qtbot, library_dirs, settings_store, sound)
    view = parts.window.start_view
    # Before the event loop has run: painted with the bundled protocol and the note.
    assert [c.title for c in view.state().choices] == ["Short test massage"]
    assert view.library_note.text() == READING_NOTE
    assert view.library_note.isVisibleTo(parts.window)
    assert view.state().can_start or "health check" in view.state().start_hint
    wait_for_user_protocols(qtbot, parts)
    choices = view.state().choices
    assert [c.title for c in choices] == [
        "Short test massage",
        "broken",
        "Mine 0",
        "Mine 1",
        "Mine 2",
    ]
    assert not choices[1].loadable and choices[2].loadable
    assert not view.library_note.isVisibleTo(parts.window)
    banner = "\n".join(parts.window.banner.texts())
    assert "One of your protocols does not load" in banner and "broken.yaml" in banner
    assert view.protocols.count() == 5


def test_a_choice_and_edits_made_while_reading_are_kept(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
) -> None:
    _, user = library_dirs
    user_folder(user, 2)
    parts = opened(qtbot, library_dirs, settings_store, sound)
    view = parts.window.start_view
    assert view.library_note.text()  # still reading
    type_into(qtbot, view.row_editor("rubbing"), "3")
    view.acknowledge.setChecked(True)
    wait_for_user_protocols(qtbot, parts)
    state = view.state()
    assert state.choices[state.selected].title == "Short test massage"
    assert view.protocols.currentRow() == state.selected
    assert view.row_editor("rubbing").text() == "3"
    assert state.total_label == "3.7 min" and state.acknowledged
    # and a user protocol chosen now is the user's file
    view.protocols.setCurrentRow(3)
    assert view.state().title == "Mine 1"


def test_closing_the_window_while_the_folder_is_read_stops_the_reader(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, user = library_dirs
    user_folder(user, 40)
    real_load = library._load
    read: list[Path] = []

    def slow_load(path: Path) -> Loaded:
        time.sleep(0.05)  # 40 files: 2 s, far longer than the test waits
        read.append(path)
        return real_load(path)

    monkeypatch.setattr(library, "_load", slow_load)
    parts = opened(qtbot, library_dirs, settings_store, sound)
    qtbot.waitUntil(lambda: any(p.parent == user for p in read), timeout=5000)  # under way
    assert reader_threads()
    began = time.monotonic()
    parts.window.close()  # closes the controller: the reader stops between two files
    assert time.monotonic() - began < 1.0
    assert not reader_threads()
    assert len(read) < 40
    qtbot.wait(100)  # nothing is delivered to the closed window
    assert parts.window.start_view.library_note.text() == READING_NOTE


def test_a_start_while_the_plan_is_pending_uses_the_numbers_shown(
    qtbot: QtBot, parts: WindowParts
) -> None:
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    type_into(qtbot, view.total_edit, "5")
    shown = view.state()
    assert shown.can_start  # the checked draft is enough to offer Start
    rows = [float(row.text) for row in shown.rows]
    assert sum(rows) == pytest.approx(5.0) and shown.total_label == "5 min"
    assert parts.controller.start_session()  # before the 200 ms pause is over
    plan = parts.controller.plan
    assert plan is not None and plan.total == pytest.approx(300.0)
    minutes = [plan.protocol.block(r.block_id).duration / 60 for r in shown.rows]
    assert [round(m, 1) for m in minutes] == rows


def test_typing_builds_one_plan_after_the_pause(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[DurationDraft] = []
    real_evaluate = DurationDraft.evaluate

    def counted(self: DurationDraft):  # type: ignore[no-untyped-def]
        built.append(self)
        return real_evaluate(self)

    monkeypatch.setattr(DurationDraft, "evaluate", counted)
    planner = DraftPlanner(delay_ms=50)
    ready: list[bool] = []
    planner.planned.connect(lambda: ready.append(True))
    draft = DurationDraft(short_protocol(), short_protocol().default_mode)
    for text in ("1", "12", "1", "3"):
        result = planner.result(draft.with_block("rubbing", text))
        assert result.plan is None and result.ok  # checked at once, planned later
    assert planner.pending and not built
    qtbot.waitUntil(lambda: bool(ready), timeout=5000)
    assert built == [draft.with_block("rubbing", "3")]
    final = planner.result(draft.with_block("rubbing", "3"))
    assert final.plan is not None and final.plan.total == pytest.approx(220.0)
    assert not planner.pending
    planner.close()


def test_save_as_adds_the_new_file_without_reading_the_folder_again(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, user = library_dirs
    user_folder(user, 3)
    parts = opened(qtbot, library_dirs, settings_store, sound)
    wait_for_user_protocols(qtbot, parts)
    view = parts.window.start_view

    def no_scan(*_: object, **__: object) -> list[library.LibraryEntry]:
        raise AssertionError("save-as read the folder again")

    monkeypatch.setattr("backbeat.ui.protocol_library.scan_folder", no_scan)
    type_into(qtbot, view.save_title, "Aaa first")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.state().saving and not view.save_button.isEnabled()
    assert view.save_message.text() == "Saving…"
    save(qtbot, view)  # waits for the write
    titles = [c.title for c in view.state().choices]
    assert titles == ["Short test massage", "Aaa first", "broken", "Mine 0", "Mine 1", "Mine 2"]
    assert view.state().title == "Aaa first" and view.save_button.isEnabled()
    assert (user / "aaa-first.yaml").is_file()


def test_a_model_without_the_user_folder_says_it_is_reading() -> None:
    model = StartModel(reading_user_folder=True)
    assert model.view_state().library_note == READING_NOTE
    assert StartModel().view_state().library_note == ""


def test_a_user_protocol_opened_by_path_is_listed_once_after_the_read(
    qtbot: QtBot,
    library_dirs: tuple[Path, Path],
    settings_store: SettingsStore,
    sound: SoundSystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bundled, user = library_dirs
    user_folder(user, 2)
    monkeypatch.chdir(user)
    from backbeat.ui.app import build_window

    parts = build_window(
        Path("mine-1.yaml"),  # relative, as typed in the folder itself
        settings_store=settings_store,
        sound=sound,
        bundled_dir=bundled,
        user_dir=user,
    )
    qtbot.addWidget(parts.window)
    parts.window.show()
    assert parts.window.start_view.state().title == "Mine 1"
    wait_for_user_protocols(qtbot, parts)
    state = parts.window.start_view.state()
    assert [c.title for c in state.choices].count("Mine 1") == 1
    assert state.title == "Mine 1"  # still the one chosen
    assert len(state.choices) == 4  # the bundled one, broken, Mine 0, Mine 1
