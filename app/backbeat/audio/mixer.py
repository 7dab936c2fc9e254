"""Mixing what is heard in a stretch of the session: clicks, voice, and the ducking of
the clicks under the voice.

Rendering is a pure function of (plan, settings, clips, sample range): rendering
``[a, c)`` gives exactly the samples of rendering ``[a, b)`` and ``[b, c)``, so the live
player can render ahead in pieces and export can stream, both hearing the same thing.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backbeat.audio.chime import CueSounds
from backbeat.audio.clicks import ClickBank, add_at, render_clicks
from backbeat.audio.sound_settings import (
    DEFAULT_SOUND,
    SPOT_REMINDER_STYLES,
    VOLUME_STEP,
    SoundSettings,
)
from backbeat.audio.tts import ClipSamples
from backbeat.core.plan import Cue, CueKind, SessionPlan
from backbeat.core.prompts import estimate_speech_seconds

__all__ = ["DEFAULT_SOUND", "SPOT_REMINDER_STYLES", "VOLUME_STEP", "SoundSettings"]

FloatArray = npt.NDArray[np.float32]

#: How far the metronome drops while a prompt speaks.
DUCK_DB = -10.0
#: Length of the gain ramps into and out of the duck (no zipper noise, no clicks).
DUCK_RAMP_SECONDS = 0.06
#: Silence after the last words, so a player does not cut them off.
END_PADDING_SECONDS = 1.0
#: A prompt not synthesised yet is given room for this many times its estimated length.
UNREADY_SPEECH_MARGIN = 1.5


@dataclass(frozen=True, eq=False)
class VoiceClip:
    """A prompt placed in the session: its samples begin at absolute sample ``start``."""

    start: int
    samples: ClipSamples

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


class ClipIndex:
    """Clips found by their time: a render asks only for the few near its stretch instead
    of looking at every prompt of the session (each render did, twice a second)."""

    def __init__(self, clips: Iterable[VoiceClip]) -> None:
        self.clips = list(clips)
        self._order = sorted(range(len(self.clips)), key=lambda i: self.clips[i].start)
        self._starts = [self.clips[i].start for i in self._order]
        self._longest = max((len(c.samples) for c in self.clips), default=0)

    def near(self, begin: int, end: int) -> list[VoiceClip]:
        """The clips that sound in samples ``[begin, end)``, in the order given (mixing
        them in the same order gives the same float sums)."""
        # A clip starting before begin - longest has ended by begin.
        first = bisect.bisect_left(self._starts, begin - self._longest)
        last = bisect.bisect_left(self._starts, end)
        found = sorted(i for i in self._order[first:last] if self.clips[i].end > begin)
        return [self.clips[i] for i in found]


def cue_is_spoken(cue: Cue, settings: SoundSettings) -> bool:
    """Whether the cue is heard at all (spoken, or as its sound)."""
    return settings.voice_on and (settings.spot_reminders or cue.kind is not CueKind.SPOT)


def cue_is_a_sound(cue: Cue, settings: SoundSettings, chime_voice: bool = False) -> bool:
    """Whether the cue is heard as a sound instead of words: every cue when no speech
    engine works, and the spot reminders when the user prefers a sound for them."""
    return chime_voice or (cue.kind is CueKind.SPOT and settings.spot_reminder_style == "sound")


def _cue_samples(
    cue: Cue,
    settings: SoundSettings,
    samples_for: Callable[[str], ClipSamples | None],
    sounds: CueSounds | None,
    chime_voice: bool,
) -> ClipSamples | None:
    if sounds is not None and cue_is_a_sound(cue, settings, chime_voice):
        return sounds.for_kind(cue.kind)
    return samples_for(cue.text)


def voice_clips(
    plan: SessionPlan,
    settings: SoundSettings,
    samples_for: Callable[[str], ClipSamples | None],
    sample_rate: int,
    sounds: CueSounds | None = None,
    *,
    chime_voice: bool = False,
) -> tuple[list[VoiceClip], list[Cue]]:
    """The clips of every heard cue whose voice is ready, and the cues still missing.
    With ``sounds``, a cue heard as a sound (:func:`cue_is_a_sound`) gets its kind's."""
    clips: list[VoiceClip] = []
    missing: list[Cue] = []
    for cue in plan.cues:
        if not cue_is_spoken(cue, settings):
            continue
        samples = _cue_samples(cue, settings, samples_for, sounds, chime_voice)
        if samples is None:
            missing.append(cue)
        else:
            clips.append(VoiceClip(round(cue.time * sample_rate), samples))
    return clips, missing


def session_length(
    plan: SessionPlan,
    settings: SoundSettings,
    samples_for: Callable[[str], ClipSamples | None],
    sample_rate: int,
    sounds: CueSounds | None = None,
    *,
    chime_voice: bool = False,
) -> int:
    """Samples from the session's start to the end of what is heard: the last step or
    the last spoken words (the closing words start at the plan's end), then padding.
    A prompt not ready yet counts with a generous estimate of its length."""
    end = round(plan.total * sample_rate)
    for cue in plan.cues:
        if not cue_is_spoken(cue, settings):
            continue
        samples = _cue_samples(cue, settings, samples_for, sounds, chime_voice)
        if samples is not None:
            length = len(samples)
        else:
            estimate = estimate_speech_seconds(cue.text, settings.voice_speed)
            length = round(UNREADY_SPEECH_MARGIN * estimate * sample_rate)
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
    :func:`~backbeat.audio.tts.to_int16` clips them)."""
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
