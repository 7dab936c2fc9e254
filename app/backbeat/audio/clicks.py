"""Metronome clicks: synthesised once, then added at exact sample offsets.

A click is a pair of damped sines (a soft wood block or a muted tick) with a short
attack ramp so it never pops. Where a technique alternates hands, every other click
uses a lower twin of the sound, so the listener hears "left, right", across steps too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backbeat.audio.sound_settings import CLICK_SOUNDS
from backbeat.audio.tts import PROMPT_FULL_SCALE, ClipSamples
from backbeat.core.model import Hands
from backbeat.core.plan import Beat, SessionPlan

FloatArray = npt.NDArray[np.float32]

#: Peak of a click at full metronome volume; leaves headroom for the voice on top.
CLICK_PEAK = 0.6
#: Pitch of the second hand's click relative to the first.
ALTERNATE_PITCH = 0.78


@dataclass(frozen=True)
class _Recipe:
    partials: tuple[tuple[float, float, float], ...]  # (frequency Hz, amplitude, decay ms)
    attack_ms: float
    length_ms: float


_RECIPES = {
    # A hollow knock: a low body and a brighter overtone that dies faster.
    "wood": _Recipe(((880.0, 1.0, 18.0), (1560.0, 0.55, 9.0), (2730.0, 0.2, 4.0)), 1.0, 90.0),
    # A small dry tick, shorter and higher.
    "tick": _Recipe(((2100.0, 1.0, 6.0), (3400.0, 0.5, 3.0)), 0.5, 40.0),
}


def make_click(sound: str, sample_rate: int, pitch: float = 1.0) -> FloatArray:
    """One click, peak ``CLICK_PEAK``; its first sample is already non-zero so the onset
    is exactly where it is placed."""
    if sound not in _RECIPES:
        raise ValueError(f"unknown click sound {sound!r}; choose one of: {', '.join(CLICK_SOUNDS)}")
    recipe = _RECIPES[sound]
    n = round(recipe.length_ms * sample_rate / 1000)
    t = np.arange(n, dtype=np.float64) / sample_rate
    wave = np.zeros(n, dtype=np.float64)
    for freq, amp, decay_ms in recipe.partials:
        # Cosine phase: the wave starts at its crest, the ramp below shapes the onset.
        wave += amp * np.cos(2 * np.pi * freq * pitch * t) * np.exp(-t / (decay_ms / 1000))
    attack = max(1, round(recipe.attack_ms * sample_rate / 1000))
    wave[:attack] *= np.arange(1, attack + 1) / attack
    fade = max(1, n // 8)  # the tail reaches true zero, whatever the decay left
    wave[-fade:] *= np.linspace(1.0, 0.0, fade)
    wave *= CLICK_PEAK / np.max(np.abs(wave))
    return wave.astype(np.float32)


class ClickBank:
    """The two click tones of one sound at one rate, made once."""

    def __init__(self, sound: str, sample_rate: int) -> None:
        self.sound = sound
        self.sample_rate = sample_rate
        self.main = make_click(sound, sample_rate)
        self.alternate = make_click(sound, sample_rate, ALTERNATE_PITCH)

    @property
    def longest(self) -> int:
        return max(len(self.main), len(self.alternate))

    def for_beat(self, plan: SessionPlan, beat: Beat) -> FloatArray:
        hands = plan.steps[beat.step_index].technique.hands
        # Counted over the session, not the step: after a step with an odd number of
        # clicks the next one still starts on the other hand.
        if hands is Hands.ALTERNATING and beat.number % 2 == 1:
            return self.alternate
        return self.main


def beat_sample(time: float, sample_rate: int) -> int:
    """The sample a click at ``time`` starts on (rounded, so it is the nearest one)."""
    return round(time * sample_rate)


def add_at(out: FloatArray, start: int, sound: ClipSamples, offset: int, gain: float = 1.0) -> None:
    """Add ``sound`` placed at absolute sample ``offset`` into ``out`` that begins at
    absolute sample ``start``; parts outside ``out`` are dropped. A prompt's 16-bit
    samples are scaled to -1..1 on the way (only the part that is heard)."""
    begin = max(offset, start)
    end = min(offset + len(sound), start + len(out))
    if end <= begin:
        return
    if sound.dtype == np.int16:
        gain /= PROMPT_FULL_SCALE
    out[begin - start : end - start] += np.float32(gain) * sound[begin - offset : end - offset]


def render_clicks(
    plan: SessionPlan,
    start: int,
    count: int,
    bank: ClickBank,
    volume: float,
    beats: Iterable[Beat] | None = None,
) -> FloatArray:
    """The clicks heard in samples ``[start, start + count)`` of the session, including
    the tails of clicks that began just before ``start``."""
    out = np.zeros(count, dtype=np.float32)
    rate = bank.sample_rate
    if beats is None:
        begin = (start - bank.longest) / rate
        beats = plan.beats_between(max(0.0, begin), (start + count + 1) / rate)
    for beat in beats:
        add_at(out, start, bank.for_beat(plan, beat), beat_sample(beat.time, rate), volume)
    return out
