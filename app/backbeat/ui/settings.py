"""The user's preferences, persisted with QSettings.

:class:`AppSettings` is a plain frozen value; :class:`SettingsStore` reads and writes
it. The store takes the ``QSettings`` object it works on, so tests pass one backed by a
temporary file and never touch the real user settings.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

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


def _parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    words = {"1": True, "true": True, "yes": True, "on": True}
    words |= {"0": False, "false": False, "no": False, "off": False}
    if isinstance(value, int | str):
        return words.get(str(value).strip().lower())
    return None


def _parse_volume(value: object) -> float | None:
    try:
        volume = float(str(value).strip())
    except ValueError:
        return None
    return round(volume, 3) if 0.0 <= volume <= 1.0 else None  # NaN fails both tests


def _parse_choice(choices: Iterable[str], kind: Callable[[str], object] = str) -> Parser:
    allowed = tuple(choices)

    def parse(value: object) -> object | None:
        return kind(str(value)) if str(value) in allowed else None

    return parse


Parser = Callable[[object], object | None]

#: Every setting: how its stored text is read (None: not a valid value) and, for the
#: message, what is allowed. The default is the AppSettings field's own.
SETTING_KEYS: dict[str, tuple[Parser, str]] = {
    "metronome_on": (_parse_bool, "true or false"),
    "metronome_volume": (_parse_volume, "a volume from 0 to 1"),
    "voice_on": (_parse_bool, "true or false"),
    "voice_volume": (_parse_volume, "a volume from 0 to 1"),
    "click_sound": (_parse_choice(CLICK_SOUNDS), " or ".join(CLICK_SOUNDS)),
    "spot_reminders": (_parse_bool, "true or false"),
    "theme": (_parse_choice((t.value for t in ThemeChoice), ThemeChoice), "a theme"),
    "text_size": (_parse_choice((t.value for t in TextSize), TextSize), "a text size"),
    "reduced_motion": (_parse_bool, "true or false"),
}


class SettingsStore:
    """Reads and writes :class:`AppSettings`. A value that is not valid falls back to its
    default and is reported once in :attr:`problems` (the file is then corrected, so the
    next start is quiet). A settings path that is not a regular file (a FIFO would hang
    the window, ``/dev/zero`` never end) is not touched at all: defaults, and a message."""

    GROUP = "preferences"

    def __init__(self, qsettings: QSettings | None, problems: Sequence[str] = ()) -> None:
        self._qsettings = qsettings
        self.problems: list[str] = list(problems)

    @classmethod
    def for_user(cls) -> SettingsStore:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericConfigLocation
        )
        refused = _not_a_settings_file(Path(folder) / "Backbeat" / "backbeat.conf")
        return cls(None, [refused]) if refused else cls(QSettings("Backbeat", "backbeat"))

    @classmethod
    def at_path(cls, path: Path) -> SettingsStore:
        """A store in an INI file of its own (tests, portable installs)."""
        refused = _not_a_settings_file(path)
        if refused:
            return cls(None, [refused])
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def load(self) -> AppSettings:
        defaults = AppSettings()
        s = self._qsettings
        if s is None:
            return defaults
        s.beginGroup(self.GROUP)
        try:
            raw = {name: s.value(name) for name in SETTING_KEYS}
        finally:
            s.endGroup()
        chosen: dict[str, object] = {}
        wrong: list[str] = []
        for name, (parse, allowed) in SETTING_KEYS.items():
            if raw[name] is None:
                continue  # never saved: the default, nothing to say
            value = parse(raw[name])
            if value is None:
                shown = str(raw[name])
                shown = shown if len(shown) <= 20 else shown[:17] + "..."
                default = getattr(defaults, name)
                default = default.value if hasattr(default, "value") else default
                wrong.append(f"{name} was {shown!r} (allowed: {allowed}), now {default}")
            else:
                chosen[name] = value
        settings = replace(defaults, **chosen)  # type: ignore[arg-type]
        if wrong:
            self.problems.append(
                "Some settings were not valid and are back to their defaults: "
                + "; ".join(wrong)
                + "."
            )
            self.save(settings)  # corrected, so the user is told once
        return settings

    def save(self, settings: AppSettings) -> None:
        s = self._qsettings
        if s is None:
            return
        s.beginGroup(self.GROUP)
        try:
            for f in fields(AppSettings):
                value = getattr(settings, f.name)
                s.setValue(f.name, value.value if hasattr(value, "value") else value)
        finally:
            s.endGroup()
        s.sync()


def _not_a_settings_file(path: Path) -> str | None:
    """Why ``path`` cannot hold the settings, or None when it can (also when it is new)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = error.strerror or str(error)
        return f"The settings file {path} cannot be read ({reason}); using the defaults."
    if stat.S_ISREG(mode):
        return None
    return (
        f"The settings file {path} is not a regular file, so the defaults are used and "
        "nothing is saved; remove it or point BACKBEAT_SETTINGS_FILE elsewhere."
    )
