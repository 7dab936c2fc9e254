"""The user's preferences, persisted with QSettings.

:class:`AppSettings` is a plain frozen value; :class:`SettingsStore` reads and writes
it. The store takes the ``QSettings`` object it works on, so tests pass one backed by a
temporary file and never touch the real user settings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QSettings

from backbeat.audio.mixer import DEFAULT_SOUND, SoundSettings
from backbeat.ui.theme import TextSize, ThemeChoice

CLICK_SOUNDS = ("wood", "tick")
OUTPUT_CHOICES = ("auto", "portaudio", "simpleaudio")


@dataclass(frozen=True)
class AppSettings:
    """The window's settings: what is heard (one :class:`SoundSettings`, shared with the
    command line), how it is played, and the look."""

    sound: SoundSettings = DEFAULT_SOUND
    #: "auto" (PortAudio where it loads), "portaudio" or "simpleaudio".
    output: str = "auto"
    #: A PortAudio output device name; "" for the system's default.
    output_device: str = ""
    theme: ThemeChoice = ThemeChoice.SYSTEM
    text_size: TextSize = TextSize.NORMAL
    reduced_motion: bool = False

    def with_sound(self, sound: SoundSettings) -> AppSettings:
        return replace(self, sound=sound)


def _as_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(value, int | float):
        return bool(value)
    return default


def _as_volume(value: object, default: float) -> float:
    try:
        return round(min(1.0, max(0.0, float(value))), 3)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


class SettingsStore:
    """Reads and writes :class:`AppSettings`; unknown or broken values fall back to defaults."""

    GROUP = "preferences"

    def __init__(self, qsettings: QSettings) -> None:
        self._qsettings = qsettings

    @classmethod
    def for_user(cls) -> SettingsStore:
        return cls(QSettings("Backbeat", "backbeat"))

    @classmethod
    def at_path(cls, path: Path) -> SettingsStore:
        """A store in an INI file of its own (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def load(self) -> AppSettings:
        defaults = AppSettings()
        sound = defaults.sound
        s = self._qsettings
        s.beginGroup(self.GROUP)
        try:
            raw = {key: s.value(key) for key in _stored_keys()}
        finally:
            s.endGroup()
        click = str(raw["click_sound"]) if raw["click_sound"] in CLICK_SOUNDS else sound.click_sound
        try:
            theme = ThemeChoice(str(raw["theme"]))
        except ValueError:
            theme = defaults.theme
        try:
            text_size = TextSize(str(raw["text_size"]))
        except ValueError:
            text_size = defaults.text_size
        output = str(raw["output"]) if raw["output"] in OUTPUT_CHOICES else defaults.output
        return AppSettings(
            sound=SoundSettings(
                metronome_on=_as_bool(raw["metronome_on"], sound.metronome_on),
                metronome_volume=_as_volume(raw["metronome_volume"], sound.metronome_volume),
                voice_on=_as_bool(raw["voice_on"], sound.voice_on),
                voice_volume=_as_volume(raw["voice_volume"], sound.voice_volume),
                click_sound=click,
                spot_reminders=_as_bool(raw["spot_reminders"], sound.spot_reminders),
            ),
            output=output,
            output_device=str(raw["output_device"] or ""),
            theme=theme,
            text_size=text_size,
            reduced_motion=_as_bool(raw["reduced_motion"], defaults.reduced_motion),
        )

    def save(self, settings: AppSettings) -> None:
        s = self._qsettings
        s.beginGroup(self.GROUP)
        try:
            for key, value in _flat(settings).items():
                s.setValue(key, value.value if hasattr(value, "value") else value)
        finally:
            s.endGroup()
        s.sync()


def _flat(settings: AppSettings) -> dict[str, object]:
    """One key per setting, the sound's by their own names (as stored since 0.1)."""
    flat: dict[str, object] = {
        f.name: getattr(settings.sound, f.name) for f in fields(SoundSettings)
    }
    flat.update(
        {f.name: getattr(settings, f.name) for f in fields(AppSettings) if f.name != "sound"}
    )
    return flat


def _stored_keys() -> list[str]:
    return list(_flat(AppSettings()))
