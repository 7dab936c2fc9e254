"""The window opens whatever the user's folders hold, and says what was wrong."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.player.sound_system import silent_sound_system
from backbeat.ui.settings import SettingsStore
from tests.conftest import PROTOCOLS_DIR
from tests.ui.test_problems import open_window

HOME = (PROTOCOLS_DIR / "home-back-massage.yaml").read_text(encoding="utf-8")


def test_hostile_user_protocols_are_listed_as_broken_and_the_rest_still_opens(
    qtbot: QtBot, tmp_path: Path
) -> None:
    user = tmp_path / "user"
    user.mkdir()
    hostile = {
        "surrogate": HOME.replace("title: Home back massage", 'title: "Home \\ud800"', 1),
        "huge-shares": HOME.replace("share: 4", "share: 1.0e+308").replace(
            "share: 3", "share: 1.0e+308"
        ),
        "tagged": HOME.replace("rhythm: {relaxing: 12", "rhythm: {relaxing: !!int ''", 1),
        "escapes": HOME.replace("title: Home back massage", 'title: "\\e]0;PWNED\\a"', 1),
    }
    for name, text in hostile.items():
        (user / f"{name}.yaml").write_text(text.replace("id: home-back-massage", f"id: {name}"))
    (user / "mine.yaml").write_text(HOME.replace("id: home-back-massage", "id: mine", 1))
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    banner = "\n".join(parts.window.banner.texts())
    assert banner.count("One of your protocols does not load") == len(hostile)
    choices = {c.key: c for c in parts.window.start_view.state().choices}
    assert choices[str(user / "mine.yaml")].loadable
    assert all(not choices[str(user / f"{n}.yaml")].loadable for n in hostile)


def test_invalid_settings_are_told_in_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    raw = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    raw.setValue(f"{SettingsStore.GROUP}/voice_volume", "nan")
    raw.sync()
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    assert parts.controller.settings.sound.voice_volume == 1.0
    assert any("voice_volume" in text for text in parts.window.banner.texts())


def test_a_user_folder_that_is_a_file_is_said(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "user").write_text("not a folder")
    parts = open_window(qtbot, tmp_path, silent_sound_system(FakeClock()))
    assert any("is a file, not a folder" in text for text in parts.window.banner.texts())
    assert parts.window.start_view.state().choices  # the bundled protocols are still there
