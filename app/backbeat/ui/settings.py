"""The user's preferences, persisted with QSettings.

:class:`AppSettings` is a plain frozen value; :class:`SettingsStore` reads and writes
it. The store takes the ``QSettings`` object it works on, so tests pass one backed by a
temporary file and never touch the real user settings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QSettings

from backbeat.ui.theme import TextSize, ThemeChoice

CLICK_SOUNDS = ("wood", "tick")
VOLUME_STEP = 0.1


@dataclass(frozen=True)
class AppSettings:
    metronome_on: bool = True
    metronome_volume: float = 0.7
    voice_on: bool = True
    voice_volume: float = 1.0
    click_sound: str = "wood"
    spot_reminders: bool = True
    theme: ThemeChoice = ThemeChoice.SYSTEM
    text_size: TextSize = TextSize.NORMAL
    reduced_motion: bool = False

    def louder(self, step: float = VOLUME_STEP) -> AppSettings:
        """One step louder overall (the +/− keys): the louder of the two volumes moves by
        ``step`` and the other in proportion, so the metronome/voice balance the user set
        survives the presses (all but one that reaches silence, where no balance is left)."""
        loudest = max(self.metronome_volume, self.voice_volume)
        target = _clamp(loudest + step)
        if loudest <= 0:  # silent: no balance left to keep
            return replace(self, metronome_volume=target, voice_volume=target)
        scale = target / loudest
        return replace(
            self,
            metronome_volume=_clamp(self.metronome_volume * scale),
            voice_volume=_clamp(self.voice_volume * scale),
        )

    def quieter(self, step: float = VOLUME_STEP) -> AppSettings:
        return self.louder(-step)

    @property
    def volume_percent(self) -> int:
        return round(max(self.metronome_volume, self.voice_volume) * 100)


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


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
        return _clamp(float(value))  # type: ignore[arg-type]
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
        s = self._qsettings
        s.beginGroup(self.GROUP)
        try:
            raw = {f.name: s.value(f.name) for f in fields(AppSettings)}
        finally:
            s.endGroup()
        click = (
            str(raw["click_sound"]) if raw["click_sound"] in CLICK_SOUNDS else defaults.click_sound
        )
        try:
            theme = ThemeChoice(str(raw["theme"]))
        except ValueError:
            theme = defaults.theme
        try:
            text_size = TextSize(str(raw["text_size"]))
        except ValueError:
            text_size = defaults.text_size
        return AppSettings(
            metronome_on=_as_bool(raw["metronome_on"], defaults.metronome_on),
            metronome_volume=_as_volume(raw["metronome_volume"], defaults.metronome_volume),
            voice_on=_as_bool(raw["voice_on"], defaults.voice_on),
            voice_volume=_as_volume(raw["voice_volume"], defaults.voice_volume),
            click_sound=click,
            spot_reminders=_as_bool(raw["spot_reminders"], defaults.spot_reminders),
            theme=theme,
            text_size=text_size,
            reduced_motion=_as_bool(raw["reduced_motion"], defaults.reduced_motion),
        )

    def save(self, settings: AppSettings) -> None:
        s = self._qsettings
        s.beginGroup(self.GROUP)
        try:
            for f in fields(AppSettings):
                value = getattr(settings, f.name)
                s.setValue(f.name, value.value if hasattr(value, "value") else value)
        finally:
            s.endGroup()
        s.sync()
