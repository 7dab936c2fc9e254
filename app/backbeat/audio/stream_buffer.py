"""The buffer one stream plays from, filled a little ahead of the play head.

It spans the whole rest of the session but is an anonymous private mapping: pages cost
memory only once written, and pages already played are handed back to the system, so a
20-minute session keeps only the next minute or so in memory.
"""

from __future__ import annotations

import mmap

import numpy as np
import numpy.typing as npt

Int16Array = npt.NDArray[np.int16]


class StreamBuffer:
    """``frames`` long, with room to grow by ``spare`` frames while it plays (a technique
    made longer): pages never written cost nothing, and read as silence."""

    def __init__(self, frames: int, spare: int = 0) -> None:
        self.frames = max(1, frames)
        self.capacity = self.frames + max(0, spare)
        self._map = mmap.mmap(-1, self.capacity * 2, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.samples: Int16Array = np.frombuffer(self._map, dtype=np.int16)
        self.filled = 0  # samples [0, filled) hold rendered sound
        self._released = 0  # bytes handed back

    def write(self, start: int, samples: Int16Array) -> None:
        end = min(self.frames, start + len(samples))
        if end > start:
            self.samples[start:end] = samples[: end - start]

    def grow_to(self, frames: int) -> bool:
        """Make the stream ``frames`` long; False when it has no room for that."""
        if frames > self.capacity:
            return False
        self.frames = max(self.frames, frames)
        return True

    def release_before(self, frame: int) -> None:
        """Give back the memory of samples before ``frame`` (they have been heard; reading
        them again gives silence)."""
        if not hasattr(mmap, "MADV_DONTNEED"):
            return
        upto = (max(0, min(frame, self.frames)) * 2 // mmap.PAGESIZE) * mmap.PAGESIZE
        if upto > self._released:
            self._map.madvise(mmap.MADV_DONTNEED, self._released, upto - self._released)
            self._released = upto
