"""Small plans, fake engines and onset detection for the audio tests."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from backbeat.audio.loudness import (
    PROMPT_LOUDNESS_LUFS,
    VOICE_CEILING_DBTP,
    integrated_loudness,
    true_peak_dbtp,
)
from backbeat.audio.tts import ClipSamples, EngineUnavailable, as_floats
from backbeat.core.model import Hands, Mode
from backbeat.core.plan import SessionPlan, build_plan
from tests.core.factories import block, protocol, technique

RATE = 44100


def at_voice_loudness(clip: ClipSamples, rate: int = RATE) -> bool:
    """At the prompts' loudness (BS.1770, within 0.2 LU), true peak under the ceiling."""
    samples = as_floats(clip)
    loudness = integrated_loudness(samples, rate)
    return (
        abs(loudness - PROMPT_LOUDNESS_LUFS) <= 0.2
        and true_peak_dbtp(samples) <= VOICE_CEILING_DBTP + 0.05
    )


def short_plan(mode: Mode = Mode.STIMULATING) -> SessionPlan:
    """40 s, three steps with different rhythms (60, 80 and alternating 90 per minute),
    so clicks cross two technique changes off the old grid."""
    alternating = replace(technique("sawing", stimulating=90), hands=Hands.ALTERNATING)
    return build_plan(
        protocol(
            block("stroking", 10.0, technique("planar-stroking", stimulating=60)),
            block(
                "rubbing",
                30.0,
                technique("circles", stimulating=80),
                alternating,
            ),
        ),
        mode,
    )


def onsets(samples: npt.NDArray[np.generic], threshold: float) -> list[int]:
    """First sample of each sound that rises above ``threshold`` after 20 ms of quiet."""
    loud = np.nonzero(np.abs(samples.astype(np.float64)) > threshold)[0]
    found: list[int] = []
    quiet = round(0.02 * RATE)
    last = -quiet - 1
    for index in loud:
        if index - last > quiet:
            found.append(int(index))
        last = int(index)
    return found


class FakeEngine:
    """A speech engine that makes a tone whose length follows the text, counting calls."""

    cacheable = True

    def __init__(
        self,
        name: str = "piper",
        *,
        voice_id: str = "fake-voice",
        available: bool = True,
        fails: bool = False,
        gate: threading.Event | None = None,
    ) -> None:
        self.name = name
        self.voice_id = voice_id
        self.settings_id = "s1"
        self.available = available
        self.fails = fails
        self.gate = gate
        self.calls: list[str] = []
        self.releases = 0
        self.cancelled = threading.Event()

    def release(self) -> None:
        self.releases += 1

    def cancel(self) -> None:
        self.cancelled.set()

    def check(self) -> None:
        if not self.available:
            raise EngineUnavailable(f"{self.name} is not installed")

    def synthesize(self, text: str) -> tuple[npt.NDArray[np.float32], int]:
        if self.gate is not None:
            # A slow engine: it speaks once the gate opens (or after 10 s), and stops
            # when cancelled.
            for _ in range(1000):
                if self.gate.wait(0.01) or self.cancelled.is_set():
                    break
        if self.cancelled.is_set():
            raise EngineUnavailable(f"{self.name} was stopped")
        self.calls.append(text)
        if self.fails:
            raise EngineUnavailable(f"{self.name} crashed")
        rate = 22050
        t = np.arange(round(0.05 * len(text) * rate)) / rate
        tone = 0.5 * np.sin(2 * np.pi * (300 + 10 * len(text)) * t)
        padding = np.zeros(rate // 10)  # leading and trailing silence, to be trimmed
        return np.concatenate([padding, tone, padding]).astype(np.float32), rate
