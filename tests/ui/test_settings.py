"""Settings persist through QSettings in a file of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from backbeat.audio.mixer import SoundSettings
from backbeat.core.prompts import VoiceSpeed
from backbeat.ui.app import WindowParts
from backbeat.ui.settings import AppSettings, SettingsStore
from backbeat.ui.theme import TextSize, ThemeChoice


def test_a_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = SettingsStore.at_path(tmp_path / "s.ini")
    assert store.load() == AppSettings()  # nothing saved yet: the defaults
    chosen = AppSettings(
        sound=SoundSettings(
            metronome_on=False,
            metronome_volume=0.25,
            voice_on=False,
            voice_volume=0.5,
            click_sound="tick",
            spot_reminders=False,
            spot_reminder_style="sound",
            voice_speed=VoiceSpeed.SLOWER,
        ),
        output="simpleaudio",
        output_device="USB headset",
        theme=ThemeChoice.DARK,
        text_size=TextSize.LARGEST,
        reduced_motion=True,
    )
    store.save(chosen)
    assert SettingsStore.at_path(tmp_path / "s.ini").load() == chosen


def test_broken_values_fall_back_to_the_defaults(tmp_path: Path) -> None:
    raw = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    raw.beginGroup(SettingsStore.GROUP)
    for key, value in {
        "metronome_volume": "loud",
        "voice_volume": "7",
        "click_sound": "gong",
        "spot_reminder_style": "bells",
        "voice_speed": "ludicrous",
        "theme": "purple",
        "text_size": "huge",
        "reduced_motion": "yes",
    }.items():
        raw.setValue(key, value)
    raw.endGroup()
    raw.sync()
    loaded = SettingsStore.at_path(tmp_path / "s.ini").load()
    assert loaded.sound.metronome_volume == SoundSettings().metronome_volume
    assert loaded.sound.voice_volume == SoundSettings().voice_volume  # out of range: default
    assert loaded.sound.click_sound == "wood"
    assert loaded.theme is ThemeChoice.SYSTEM
    assert loaded.text_size is TextSize.NORMAL
    assert loaded.reduced_motion is True


def test_volume_steps_stay_between_silence_and_full() -> None:
    louder = SoundSettings(metronome_volume=0.95, voice_volume=0.5).louder()
    assert louder.metronome_volume == 1.0 and louder.voice_volume == pytest.approx(0.526, 0.01)
    quieter = SoundSettings(metronome_volume=0.05, voice_volume=0.5).quieter()
    assert quieter.voice_volume == pytest.approx(0.4) and quieter.metronome_volume == 0.04
    silent = SoundSettings(metronome_volume=0.0, voice_volume=0.0)
    assert silent.quieter() == silent
    assert silent.louder().metronome_volume == silent.louder().voice_volume == 0.1


def test_plus_and_minus_keep_the_balance_between_metronome_and_voice() -> None:
    settings = SoundSettings(metronome_volume=0.7, voice_volume=1.0)
    for _ in range(4):
        settings = settings.quieter()
    assert settings.voice_volume == pytest.approx(0.6)
    assert settings.metronome_volume == pytest.approx(0.42, abs=0.01)
    for _ in range(4):
        settings = settings.louder()
    assert settings.voice_volume == 1.0
    assert settings.metronome_volume == pytest.approx(0.7, abs=0.01)


def test_changes_in_the_window_are_saved(
    qtbot: QtBot, parts: WindowParts, settings_store: SettingsStore
) -> None:
    parts.window.start_view.acknowledge.setChecked(True)
    parts.controller.start_session()
    qtbot.keyClick(parts.window, "m")
    qtbot.waitUntil(lambda: settings_store.load().sound.metronome_on is False, timeout=2000)
    dialog = parts.controller.open_settings()
    dialog.theme.setCurrentIndex(2)  # dark
    qtbot.waitUntil(lambda: settings_store.load().theme is ThemeChoice.DARK, timeout=2000)
    assert parts.window.palette().window().color().lightness() < 80
    dialog.close()


def test_the_window_holds_the_one_sound_settings_with_its_defaults(
    settings_store: SettingsStore,
) -> None:
    from backbeat.audio.mixer import SoundSettings
    from backbeat.ui.settings import AppSettings

    assert AppSettings().sound == SoundSettings()  # the same defaults as export and run
    quiet = AppSettings().with_sound(SoundSettings(voice_volume=0.2, click_sound="tick"))
    settings_store.save(quiet)
    assert settings_store.load().sound == quiet.sound


def test_keys_pressed_while_the_window_was_closed_show_when_it_reopens(
    qtbot: QtBot, parts: WindowParts, settings_store: SettingsStore
) -> None:
    dialog = parts.controller.open_settings()
    dialog.close()
    parts.window.start_view.acknowledge.setChecked(True)
    parts.controller.start_session()
    qtbot.keyClick(parts.window, "m")  # metronome off behind the dialog's back
    dialog = parts.controller.open_settings()
    assert dialog.metronome_on.isChecked() is False
    dialog.voice_volume.setValue(dialog.voice_volume.value() - 10)
    parts.controller.save_settings_now()
    assert settings_store.load().sound.metronome_on is False
    assert parts.controller.settings.sound.metronome_on is False
    qtbot.keyClick(parts.window, "m")  # and while it is open, too
    assert dialog.metronome_on.isChecked() is True
    dialog.close()


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("voice_volume", "nan"),
        ("metronome_volume", "-0.5"),
        ("metronome_volume", "inf"),
        ("metronome_on", "maybe"),
        ("voice_on", "2"),
        ("theme", "\x1b[2J"),
    ],
)
def test_an_invalid_value_falls_back_to_its_default_and_is_told_once(
    tmp_path: Path, key: str, stored: str
) -> None:
    raw = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    raw.setValue(f"{SettingsStore.GROUP}/{key}", stored)
    raw.setValue(f"{SettingsStore.GROUP}/click_sound", "tick")
    raw.sync()
    store = SettingsStore.at_path(tmp_path / "s.ini")
    loaded = store.load()
    holder, default = (loaded.sound, SoundSettings()) if key != "theme" else (loaded, AppSettings())
    assert getattr(holder, key) == getattr(default, key)
    assert loaded.sound.click_sound == "tick"  # the valid values are kept
    (problem,) = store.problems
    assert key in problem and "back to their defaults" in problem
    again = SettingsStore.at_path(tmp_path / "s.ini")
    assert again.load() == loaded and again.problems == []


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_settings_path_that_is_not_a_regular_file_gives_defaults_and_a_message(
    tmp_path: Path, kind: str
) -> None:
    import os

    path = tmp_path / "settings.ini"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path = Path("/dev/zero")
    store = SettingsStore.at_path(path)
    assert store.load() == AppSettings()
    assert "not a regular file" in store.problems[0]
    store.save(AppSettings(output="simpleaudio"))  # never written
    assert path.is_dir() or not path.is_file()


def test_the_file_is_written_once_the_changes_stop_and_on_closing(
    qtbot: QtBot,
    parts: WindowParts,
    settings_store: SettingsStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written: list[int] = []
    save = settings_store.save
    monkeypatch.setattr(
        settings_store, "save", lambda s: (written.append(s.sound.volume_percent), save(s))
    )
    parts.window.start_view.acknowledge.setChecked(True)
    parts.controller.start_session()
    for _ in range(5):  # + held down: five steps, the sound follows each at once
        qtbot.keyClick(parts.window, Qt.Key.Key_Minus)
    quieter = parts.controller.settings.sound.volume_percent
    assert written == []  # not yet: the changes have not stopped
    qtbot.waitUntil(lambda: written == [quieter], timeout=2000)  # then once
    qtbot.keyClick(parts.window, Qt.Key.Key_Plus)
    parts.controller.shutdown()  # closing writes what is pending, without waiting
    assert written == [quieter, parts.controller.settings.sound.volume_percent]
    assert settings_store.load().sound.volume_percent == written[-1]


def test_the_voice_speed_is_chosen_in_the_window_and_the_voice_is_made_again_at_it(
    qtbot: QtBot, parts: WindowParts, settings_store: SettingsStore
) -> None:
    from backbeat.ui.app import SoundChoice

    reopened: list[SoundChoice] = []
    parts.controller.sound_reopen_requested = lambda: reopened.append(
        SoundChoice("null").over(parts.controller.settings)
    )
    dialog = parts.controller.open_settings()
    dialog.voice_speed.setCurrentIndex(dialog.voice_speed.findData("slower"))
    assert parts.controller.settings.sound.voice_speed is VoiceSpeed.SLOWER
    # No session holds the voice: a new one is opened at once, at the chosen speed, on
    # the output the command line asked for.
    assert reopened == [SoundChoice("null", None, VoiceSpeed.SLOWER)]
    qtbot.waitUntil(
        lambda: settings_store.load().sound.voice_speed is VoiceSpeed.SLOWER, timeout=2000
    )
    dialog.close()
