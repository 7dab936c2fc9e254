"""Problems show in the window's banner, not only on the console."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.player.session_player import SessionPlayer
from backbeat.player.sound_system import SoundSystem, open_sound_system, silent_sound_system
from backbeat.ui.app import build_window
from backbeat.ui.settings import SettingsStore
from backbeat.ui.view_state import NO_SOUND_TEXT
from tests.ui.conftest import wait_for_user_protocols


def open_window(
    qtbot: QtBot,
    tmp_path: Path,
    sound: SoundSystem,
    protocol: Path | None = None,
    bundled: Path | None = None,
):  # type: ignore[no-untyped-def]
    parts = build_window(
        protocol,
        settings_store=SettingsStore.at_path(tmp_path / "s.ini"),
        sound=sound,
        bundled_dir=bundled,
        user_dir=tmp_path / "user",
    )
    qtbot.addWidget(parts.window)
    parts.window.show()
    wait_for_user_protocols(qtbot, parts)
    return parts


def test_no_sound_device_and_voice_fallback_are_shown(qtbot: QtBot, tmp_path: Path) -> None:
    sound = silent_sound_system(
        FakeClock(), "No sound: no sound device found (no ALSA). The session runs silently."
    )
    sound.speaks = True  # the voice was wanted, and only the chime works
    parts = open_window(qtbot, tmp_path, sound)
    texts = parts.window.banner.texts()
    assert NO_SOUND_TEXT in texts  # plain words, and what to do
    no_sound = next(p for p in parts.window.banner.problems() if p.text == NO_SOUND_TEXT)
    assert "no sound device" in no_sound.details and no_sound.retry
    assert parts.window.banner.retry.isVisibleTo(parts.window)
    assert any("chime" in t for t in texts)
    assert parts.window.banner.isVisible()
    parts.window.banner.dismiss_requested.emit()
    assert not parts.window.banner.isVisible()


def test_sound_opened_later_adds_its_problems(qtbot: QtBot, tmp_path: Path) -> None:
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    assert not parts.window.banner.isVisible()
    parts.controller.set_sound_system(
        silent_sound_system(FakeClock(), "No sound: the sound device cannot be opened (busy).")
    )
    assert parts.window.banner.isVisible()
    assert parts.window.banner.texts()[0] == NO_SOUND_TEXT
    assert "busy" in parts.window.banner.problems()[0].details
    assert parts.window.start_view.sound_note.text().startswith("No sound")


def test_a_start_before_the_sound_is_open_waits_for_it(
    qtbot: QtBot, tmp_path: Path, sound: SoundSystem
) -> None:
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    parts.controller.expect_sound_system()  # what run_window does before opening it
    view = parts.window.start_view
    view.acknowledge.setChecked(True)
    assert parts.controller.start_session() is False
    assert view.state().start_hint == "Getting the sound ready…"
    assert not view.start_button.isEnabled()
    parts.controller.set_block_minutes("rubbing", "2")  # the screen re-renders: still waiting
    assert view.state().start_hint == "Getting the sound ready…"
    assert parts.window.current_page() == "start"
    parts.controller.set_sound_system(sound)  # the session starts on the real sound
    assert parts.window.current_page() == "session"
    assert isinstance(parts.controller.player, SessionPlayer)
    parts.controller.shutdown()


def test_a_protocol_that_does_not_load_shows_its_messages(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: Broken\nblocks: 7\n")
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()), broken)
    text = "\n".join(parts.window.banner.texts())
    assert "does not load" in text
    assert f"{broken}:" in text  # file:line:column messages from the loader
    state = parts.window.start_view.state()
    assert state.choices[0].key == str(broken) and not state.choices[0].loadable
    assert not state.can_start


def test_a_broken_user_protocol_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.yaml").write_text("id: mine\n")
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    assert any("One of your protocols does not load" in t for t in parts.window.banner.texts())


def test_no_protocols_at_all_is_explained(qtbot: QtBot, tmp_path: Path) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()), bundled=empty)
    assert any("No protocols found" in t for t in parts.window.banner.texts())
    assert not parts.controller.start_session()


def test_the_null_output_opens_without_a_device_problem() -> None:
    sound = open_sound_system("null", voice="chime")
    assert not any("sound device" in p for p in sound.problems)


@pytest.fixture
def unreadable_user_dir(
    library_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The user's protocol folder, which may not be listed (chmod 000)."""
    _, user = library_dirs
    user.mkdir()
    (user / "mine.yaml").write_text("id: mine\n")
    if os.geteuid() != 0:
        user.chmod(0)
        try:
            yield user
        finally:
            user.chmod(0o755)
        return
    # root reads everything regardless of the mode bits: refuse as the kernel would.
    real_iterdir = Path.iterdir

    def refuse(self: Path) -> Iterator[Path]:
        if self == user:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    yield user


def test_an_unreadable_user_folder_is_reported_and_the_window_still_opens(
    qtbot: QtBot, tmp_path: Path, library_dirs: tuple[Path, Path], unreadable_user_dir: Path
) -> None:
    bundled, _ = library_dirs
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()), bundled=bundled)
    text = "\n".join(parts.window.banner.texts())
    assert f"Could not read {unreadable_user_dir}" in text and "Permission denied" in text
    view = parts.window.start_view
    assert view.state().title == "Short test massage"  # the bundled ones are still there
    view.save_title.setText("Evening")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "Could not read" in view.save_error.text()
    assert view.save_error.isVisibleTo(parts.window)
