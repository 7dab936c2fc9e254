"""Mixing what is heard in a stretch of the session: clicks, voice, and the ducking of
the clicks under the voice.

Rendering is a pure function of (plan, settings, clips, sample range): rendering
``[a, c)`` gives exactly the samples of rendering ``[a, b)`` and ``[b, c)``, so the live
player can render ahead in pieces and export can stream, both hearing the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from backbeat.audio.clicks import ClickBank, add_at, render_clicks
from backbeat.core.plan import Cue, CueKind, SessionPlan
from backbeat.core.prompts import estimate_speech_seconds

FloatArray = npt.NDArray[np.float32]
Int16Array = npt.NDArray[np.int16]

#: How far the metronome drops while a prompt speaks.
DUCK_DB = -10.0
#: One press of + or −.
VOLUME_STEP = 0.1
#: Length of the gain ramps into and out of the duck (no zipper noise, no clicks).
DUCK_RAMP_SECONDS = 0.06
#: Silence after the last words, so a player does not cut them off.
END_PADDING_SECONDS = 1.0
#: A prompt not synthesised yet is given room for this many times its estimated length.
UNREADY_SPEECH_MARGIN = 1.5


@dataclass(frozen=True)
class SoundSettings:
    """What the user chose to hear (volumes 0..1)."""

    metronome_on: bool = True
    metronome_volume: float = 0.7
    voice_on: bool = True
    voice_volume: float = 1.0
    click_sound: str = "wood"
    spot_reminders: bool = True

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


@dataclass(frozen=True, eq=False)
class VoiceClip:
    """A prompt placed in the session: its samples begin at absolute sample ``start``."""

    start: int
    samples: FloatArray

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


def cue_is_spoken(cue: Cue, settings: SoundSettings) -> bool:
    return settings.voice_on and (settings.spot_reminders or cue.kind is not CueKind.SPOT)


def voice_clips(
    plan: SessionPlan,
    settings: SoundSettings,
    samples_for: Callable[[str], FloatArray | None],
    sample_rate: int,
) -> tuple[list[VoiceClip], list[Cue]]:
    """The clips of every spoken cue whose voice is ready, and the cues still missing."""
    clips: list[VoiceClip] = []
    missing: list[Cue] = []
    for cue in plan.cues:
        if not cue_is_spoken(cue, settings):
            continue
        samples = samples_for(cue.text)
        if samples is None:
            missing.append(cue)
        else:
            clips.append(VoiceClip(round(cue.time * sample_rate), samples))
    return clips, missing


def session_length(
    plan: SessionPlan,
    settings: SoundSettings,
    samples_for: Callable[[str], FloatArray | None],
    sample_rate: int,
) -> int:
    """Samples from the session's start to the end of what is heard: the last step or
    the last spoken words (the closing words start at the plan's end), then padding.
    A prompt not ready yet counts with a generous estimate of its length."""
    end = round(plan.total * sample_rate)
    for cue in plan.cues:
        if not cue_is_spoken(cue, settings):
            continue
        samples = samples_for(cue.text)
        if samples is not None:
            length = len(samples)
        else:
            length = round(UNREADY_SPEECH_MARGIN * estimate_speech_seconds(cue.text) * sample_rate)
        end = max(end, round(cue.time * sample_rate) + length)
    return end + round(END_PADDING_SECONDS * sample_rate)


def duck_gain(start: int, count: int, clips: Sequence[VoiceClip], sample_rate: int) -> FloatArray:
    """Per-sample metronome gain: 1, falling to ``DUCK_DB`` over a ramp before each clip
    and rising again after it."""
    ramp = max(1, round(DUCK_RAMP_SECONDS * sample_rate))
    depth = np.zeros(count, dtype=np.float32)
    for clip in clips:
        lo = max(start, clip.start - ramp)
        hi = min(start + count, clip.end + ramp)
        if hi <= lo:
            continue
        n = np.arange(lo, hi, dtype=np.float64)
        shape = np.minimum((n - (clip.start - ramp)) / ramp, ((clip.end + ramp) - n) / ramp)
        part = depth[lo - start : hi - start]
        np.maximum(part, np.clip(shape, 0.0, 1.0).astype(np.float32), out=part)
    floor = 10 ** (DUCK_DB / 20)
    return (1.0 - (1.0 - floor) * depth).astype(np.float32)


def render_window(
    plan: SessionPlan,
    start: int,
    count: int,
    settings: SoundSettings,
    clips: Sequence[VoiceClip],
    bank: ClickBank,
) -> FloatArray:
    """Float samples ``[start, start + count)`` of the session (may exceed ±1 before
    :func:`to_int16` clips them)."""
    rate = bank.sample_rate
    out = np.zeros(count, dtype=np.float32)
    overlapping = [c for c in clips if c.end > start and c.start < start + count]
    if settings.metronome_on and settings.metronome_volume > 0:
        out = render_clicks(plan, start, count, bank, settings.metronome_volume)
        if settings.voice_on and settings.voice_volume > 0:
            out *= duck_gain(start, count, clips, rate)
    if settings.voice_on and settings.voice_volume > 0:
        for clip in overlapping:
            add_at(out, start, clip.samples, clip.start, settings.voice_volume)
    return out


def to_int16(samples: FloatArray) -> Int16Array:
    return np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
