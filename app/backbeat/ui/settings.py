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

from backbeat.audio.mixer import DEFAULT_SOUND, SPOT_REMINDER_STYLES, SoundSettings
from backbeat.core.prompts import VoiceSpeed
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
    #: Listen for spoken commands during a session (off until the user turns it on).
    voice_commands: bool = False
    #: Take a command only after "coach" (off for a quiet room).
    wake_word: bool = True
    #: The microphone's name; "" for the system's default.
    input_device: str = ""
    #: The window has explained what voice commands do (shown once).
    voice_commands_explained: bool = False

    def with_sound(self, sound: SoundSettings) -> AppSettings:
        return replace(self, sound=sound)


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


Parser = Callable[[object], object | None]


def _parse_choice(choices: Iterable[str], kind: Callable[[str], object] = str) -> Parser:
    allowed = tuple(choices)

    def parse(value: object) -> object | None:
        return kind(str(value)) if str(value) in allowed else None

    return parse


def _parse_device(value: object) -> str | None:
    name = str(value)
    return name if len(name) <= 200 and name.isprintable() else None


#: Every stored key: how its stored text is read (None: not a valid value) and, for the
#: message, what is allowed. The default is the field's own (AppSettings, SoundSettings).
SETTING_KEYS: dict[str, tuple[Parser, str]] = {
    "metronome_on": (_parse_bool, "true or false"),
    "metronome_volume": (_parse_volume, "a volume from 0 to 1"),
    "voice_on": (_parse_bool, "true or false"),
    "voice_volume": (_parse_volume, "a volume from 0 to 1"),
    "click_sound": (_parse_choice(CLICK_SOUNDS), " or ".join(CLICK_SOUNDS)),
    "spot_reminders": (_parse_bool, "true or false"),
    "spot_reminder_style": (_parse_choice(SPOT_REMINDER_STYLES), " or ".join(SPOT_REMINDER_STYLES)),
    "voice_speed": (_parse_choice((v.value for v in VoiceSpeed), VoiceSpeed), "a voice speed"),
    "output": (_parse_choice(OUTPUT_CHOICES), ", ".join(OUTPUT_CHOICES)),
    "output_device": (_parse_device, "a device name"),
    "theme": (_parse_choice((t.value for t in ThemeChoice), ThemeChoice), "a theme"),
    "text_size": (_parse_choice((t.value for t in TextSize), TextSize), "a text size"),
    "reduced_motion": (_parse_bool, "true or false"),
    "voice_commands": (_parse_bool, "true or false"),
    "wake_word": (_parse_bool, "true or false"),
    "input_device": (_parse_device, "a device name"),
    "voice_commands_explained": (_parse_bool, "true or false"),
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
        location = QStandardPaths.StandardLocation.GenericConfigLocation
        folder = Path(QStandardPaths.writableLocation(location))
        refused = _not_a_settings_file(folder / "Backbeat" / "backbeat.conf")
        return cls(None, [refused]) if refused else cls(QSettings("Backbeat", "backbeat"))

    @classmethod
    def at_path(cls, path: Path) -> SettingsStore:
        """A store in an INI file of its own (tests, portable installs)."""
        refused = _not_a_settings_file(path)
        if refused:
            return cls(None, [refused])
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def load(self) -> AppSettings:
        s = self._qsettings
        if s is None:
            return AppSettings()
        s.beginGroup(self.GROUP)
        try:
            raw = {key: s.value(key) for key in _stored_keys()}
        finally:
            s.endGroup()
        values = _flat(AppSettings())
        wrong: list[str] = []
        for key, (parse, allowed) in SETTING_KEYS.items():
            if raw.get(key) is None:
                continue  # never saved: the default, nothing to say
            value = parse(raw[key])
            if value is None:
                shown = str(raw[key])
                shown = shown if len(shown) <= 20 else shown[:17] + "..."
                default = values[key]
                default = default.value if hasattr(default, "value") else default
                wrong.append(f"{key} was {shown!r} (allowed: {allowed}), now {default}")
            else:
                values[key] = value
        sound_keys = {f.name for f in fields(SoundSettings)}
        settings = AppSettings(
            sound=SoundSettings(**{k: v for k, v in values.items() if k in sound_keys}),  # type: ignore[arg-type]
            **{k: v for k, v in values.items() if k not in sound_keys},  # type: ignore[arg-type]
        )
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
            for key, value in _flat(settings).items():
                s.setValue(key, value.value if hasattr(value, "value") else value)
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
