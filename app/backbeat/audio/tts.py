"""What every text-to-speech engine offers the prompt voice."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


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
    def settings_id(self) -> str: ...

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
