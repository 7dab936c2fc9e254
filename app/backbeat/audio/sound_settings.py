"""The sound settings: the one definition of their names and defaults, for the window,
``backbeat run`` and ``backbeat export`` alike (``mixer`` re-exports them). Free of numpy,
so the command line can offer them as options without loading the sound stack."""

from __future__ import annotations

from dataclasses import dataclass, replace

from backbeat.core.prompts import VoiceSpeed

CLICK_SOUNDS = ("wood", "tick")
#: One press of + or −.
VOLUME_STEP = 0.1
#: How "move to the next spot" is heard: spoken, or as a gentle sound.
SPOT_REMINDER_STYLES = ("words", "sound")


@dataclass(frozen=True)
class SoundSettings:
    """What the user chose to hear: the one definition of the sound settings' names and
    defaults, for the window, ``backbeat run`` and ``backbeat export`` alike.

    Volumes are 0..1. The voice at 1 is at -18 LUFS (``loudness.VOICE_LOUDNESS_LUFS``);
    the metronome volume is its balance against the voice: at the default 0.7 the clicks
    measure about 12 LU under the voice, their peaks 4.5 dB under the voice's
    (docs/protocol-format.md, "What you hear", says why).
    """

    metronome_on: bool = True
    metronome_volume: float = 0.7
    voice_on: bool = True
    voice_volume: float = 1.0
    click_sound: str = "wood"
    spot_reminders: bool = True
    spot_reminder_style: str = "words"
    voice_speed: VoiceSpeed = VoiceSpeed.NORMAL

    def __post_init__(self) -> None:
        if self.click_sound not in CLICK_SOUNDS:
            raise ValueError(f"click_sound must be one of {', '.join(CLICK_SOUNDS)}")
        if self.spot_reminder_style not in SPOT_REMINDER_STYLES:
            raise ValueError(
                f"spot_reminder_style must be one of {', '.join(SPOT_REMINDER_STYLES)}"
            )

    def louder(self, step: float = VOLUME_STEP) -> SoundSettings:
        """One step louder overall (the +/− keys): the louder of the two volumes moves by
        ``step`` and the other in proportion, so the metronome/voice balance the user set
        survives the presses (all but one that reaches silence, where no balance is left)."""
        loudest = max(self.metronome_volume, self.voice_volume)
        target = _clamp_volume(loudest + step)
        if loudest <= 0:  # silent: no balance left to keep
            return replace(self, metronome_volume=target, voice_volume=target)
        scale = target / loudest
        return replace(
            self,
            metronome_volume=_clamp_volume(self.metronome_volume * scale),
            voice_volume=_clamp_volume(self.voice_volume * scale),
        )

    def quieter(self, step: float = VOLUME_STEP) -> SoundSettings:
        return self.louder(-step)

    @property
    def volume_percent(self) -> int:
        return round(max(self.metronome_volume, self.voice_volume) * 100)


def _clamp_volume(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


#: The defaults, shared (the settings are frozen).
DEFAULT_SOUND = SoundSettings()
