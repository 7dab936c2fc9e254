"""What every text-to-speech engine offers the prompt voice."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
#: A prompt ready to play, as 16-bit samples: half the memory of floats and exactly what
#: the voice cache stores, so a cached prompt is never converted.
PromptSamples = npt.NDArray[np.int16]
#: What a voice clip may hold: floats (a chime, a test) or a prompt's 16-bit samples.
ClipSamples = FloatArray | PromptSamples
#: The 16-bit value that stands for 1.0.
PROMPT_FULL_SCALE = 32767.0


def to_int16(samples: FloatArray) -> PromptSamples:
    """Floats in -1..1 as 16-bit samples (clipped, rounded): a prompt, or a mix to play."""
    scaled = np.clip(samples, -1.0, 1.0) * PROMPT_FULL_SCALE
    return np.round(scaled).astype(np.int16)


def as_floats(samples: ClipSamples) -> FloatArray:
    """A clip's samples as floats in -1..1 (floats are returned as they are)."""
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / np.float32(PROMPT_FULL_SCALE)
    return samples.astype(np.float32, copy=False)


class EngineUnavailable(RuntimeError):
    """An engine that cannot speak here; the message says why, for the user, and
    ``hint`` (may be empty) what would bring the engine back, worded for that reason."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.hint = hint


class SpeechEngine(Protocol):
    @property
    def name(self) -> str:
        """ "piper" | "espeak-ng" | "chime"."""

    @property
    def voice_id(self) -> str:
        """With :attr:`settings_id`, what the cache key needs besides the text."""

    @property
    def settings_id(self) -> str:
        """May change once the engine has loaded (a model that loads differently)."""

    @property
    def cacheable(self) -> bool:
        """False for the chime: it is cheaper to make than to read from disk."""

    def check(self) -> None:
        """Raise :class:`EngineUnavailable` when the engine cannot be used. Done once per
        process; an engine with a model loads it here, so "usable" means it really is."""

    def synthesize(self, text: str) -> tuple[FloatArray, int]:
        """Mono float samples in -1..1 and their rate. May be slow; runs off the UI thread."""
        ...

    def release(self) -> None:
        """Free what synthesis holds (a loaded model) until the next :meth:`synthesize`."""

    def cancel(self) -> None:
        """From another thread, while closing: the prompt being made stops soon (its
        :meth:`synthesize` raises :class:`EngineUnavailable`), and so does any later one."""
