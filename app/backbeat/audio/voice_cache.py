"""Synthesised prompts on disk, so a second start costs nothing.

One WAV per prompt, named by a hash of everything that changes the sound: engine, voice,
synthesis settings, processing version, output rate and the text. Files are written to a
temporary name and renamed, so a crash never leaves a half-written prompt behind.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from backbeat.audio.wav import WavError, read_wav, write_wav

FloatArray = npt.NDArray[np.float32]
log = logging.getLogger(__name__)

#: Bump when the trimming/normalising changes, so old files are not reused.
PROCESSING_VERSION = "2"  # 2: normalised by loudness (BS.1770), not by peak


def cache_key(engine: str, voice_id: str, settings_id: str, sample_rate: int, text: str) -> str:
    parts = [engine, voice_id, settings_id, PROCESSING_VERSION, str(sample_rate), text]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class VoiceCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}.wav"

    def load(self, key: str, sample_rate: int) -> FloatArray | None:
        path = self.path_for(key)
        try:
            samples, rate = read_wav(path)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, WavError) as error:
            log.warning("ignoring a damaged cached prompt %s: %s", path, error)
            self.misses += 1
            return None
        if rate != sample_rate:
            self.misses += 1
            return None
        self.hits += 1
        return samples.astype(np.float32) / 32767.0

    def store(self, key: str, samples: FloatArray, sample_rate: int) -> None:
        """Best effort: a read-only or full disk only costs a re-synthesis next time."""
        as_int16 = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_wav(self.path_for(key), as_int16, sample_rate)
        except OSError as error:
            log.warning("could not cache a prompt in %s: %s", self.directory, error)
