"""Noise suppression before the endpointer and the decoder.

WebRTC's noise suppressor (PyPI ``webrtc-noise-gain``, the one wake-word pipelines use)
follows the room's noise spectrum between words and takes it out of every 10 ms frame:
the endpointer then sees the speech stand out of a lower floor, and the decoder hears
fewer noise-made phones. What it gained on the corpus: benchmarks/README.md.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

import numpy as np
import numpy.typing as npt

Int16Array = npt.NDArray[np.int16]

#: WebRTC's noise suppressor works on 10 ms frames of 16 kHz mono int16.
CHUNK_SAMPLES = 160
#: 0 (off) to 4 (the most). Measured at 10 dB pink noise over all phrases (Piper /
#: espeak-ng %, wrong commands): none 77 / 88, 18 wrong; 1: 88 / 89, 15; 2: 91 / 90, 13;
#: 3: 91 / 91, 15; 4: 94 / 90, 19 (benchmarks/README.md).
SUPPRESSION_LEVEL = 3
#: The cleaned audio is used only while the room's noise (this low percentile of the
#: last NOISE_CHUNKS 10 ms levels, 3 s) is above NOISY_ROOM_DBFS: in a quiet room the
#: suppressor only harms (clean corpus 98.6 / 96.3 % without it, 95.8 / 93.5 % with it,
#: and over the session's clicks 94 % became 83 %).
NOISY_ROOM_DBFS = -50.0
NOISE_PERCENTILE, NOISE_CHUNKS = 20, 300
#: Automatic gain target (dBFS below full scale, 1 to 31); 0 leaves the level alone.
AUTO_GAIN_DBFS = 0


class Denoiser(Protocol):
    """Cleans a stream of 16 kHz int16 blocks; may hold back a few samples between
    calls (:attr:`held`), which come out at the front of the next block."""

    @property
    def held(self) -> int: ...

    @property
    def noisy(self) -> bool:
        """Whether the room is noisy enough for the cleaned audio to be given back."""
        ...

    def process(self, samples: Int16Array) -> Int16Array: ...

    def reset(self) -> None:
        """Drop the samples held back (the stream was broken); keep what was learnt of
        the room."""


class DenoiserUnavailable(RuntimeError):
    """webrtc-noise-gain is not installed."""


class WebRtcDenoiser:
    def __init__(
        self, suppression: int = SUPPRESSION_LEVEL, auto_gain_dbfs: int = AUTO_GAIN_DBFS
    ) -> None:
        try:
            from webrtc_noise_gain import AudioProcessor
        except ImportError as error:
            raise DenoiserUnavailable(f"webrtc-noise-gain is not installed ({error})") from None
        self._processor = AudioProcessor(auto_gain_dbfs, suppression)
        self._carry = np.zeros(0, dtype=np.int16)
        self._levels: deque[float] = deque(maxlen=NOISE_CHUNKS)

    @property
    def room_dbfs(self) -> float:
        """The room's noise level as last measured."""
        if not self._levels:
            return -120.0
        return float(np.percentile(np.fromiter(self._levels, float), NOISE_PERCENTILE))

    @property
    def held(self) -> int:
        return len(self._carry)

    @property
    def noisy(self) -> bool:
        return self.room_dbfs >= NOISY_ROOM_DBFS

    def process(self, samples: Int16Array) -> Int16Array:
        joined = np.concatenate([self._carry, samples.astype(np.int16, copy=False)])
        usable = len(joined) - len(joined) % CHUNK_SAMPLES
        self._carry = joined[usable:]
        if usable == 0:
            return np.zeros(0, dtype=np.int16)
        chunks = joined[:usable].reshape(-1, CHUNK_SAMPLES)
        power = np.mean(np.square(chunks.astype(np.float32) / 32768.0), axis=1)
        self._levels.extend((10 * np.log10(power + 1e-12)).tolist())
        # The suppressor hears everything, so its noise estimate is ready when needed.
        cleaned = [self._processor.Process10ms(chunk.tobytes()).audio for chunk in chunks]
        if not self.noisy:
            return joined[:usable].copy()
        return np.frombuffer(b"".join(cleaned), dtype=np.int16).copy()

    def reset(self) -> None:
        self._carry = np.zeros(0, dtype=np.int16)
