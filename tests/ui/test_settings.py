"""Settings persist through QSettings in a file of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backbeat.audio.mixer import SoundSettings
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
        "theme": "purple",
        "text_size": "huge",
        "reduced_motion": "yes",
    }.items():
        raw.setValue(key, value)
    raw.endGroup()
    raw.sync()
    loaded = SettingsStore.at_path(tmp_path / "s.ini").load()
    assert loaded.sound.metronome_volume == SoundSettings().metronome_volume
    assert loaded.sound.voice_volume == 1.0  # clamped into 0..1
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
    assert settings_store.load().sound.metronome_on is False
    dialog = parts.controller.open_settings()
    dialog.theme.setCurrentIndex(2)  # dark
    assert settings_store.load().theme is ThemeChoice.DARK
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
    assert settings_store.load().sound.metronome_on is False
    assert parts.controller.settings.sound.metronome_on is False
    qtbot.keyClick(parts.window, "m")  # and while it is open, too
    assert dialog.metronome_on.isChecked() is True
    dialog.close()
