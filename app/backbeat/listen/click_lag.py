"""How late the clicks reach the microphone against the time the session says they sound.

The output's reported latency can be off by some tens of milliseconds, the sound takes
a few more to cross the room, and the microphone's own time stamp errs too. A click
taken out 20 ms too late leaves its loud onset in (benchmarks/README.md), so the lag is
measured on the clicks themselves: where a click is heard alone (the room quiet just
before it), its onset is the first millisecond within 10 dB of its peak. The median of
the last measurements is the correction; until enough are made, none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Int16Array = npt.NDArray[np.int16]

#: The onset is looked for this far either side of the time told.
MOST_LAG_SECONDS = 0.08
#: A click is measured when it stands this far above the room at its peak ...
CLEAR_ABOVE_ROOM_DB = 15.0
#: ... and its onset is the first 1 ms hop within this of the peak.
ONSET_BELOW_PEAK_DB = 10.0
HOP_SECONDS = 0.001
#: The correction is the median of the last LAGS_KEPT measurements, once MIN_LAGS are in,
#: less this: a click is taken out from a little before its onset.
LAGS_KEPT, MIN_LAGS = 15, 5
EARLY_SECONDS = 0.01


class ClickLag:
    """Fed every block with the clicks told for it; :attr:`seconds` is the correction
    to add to the times told."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._heard = np.zeros(0, dtype=np.int16)  # the last samples heard ...
        self._heard_start = 0.0  # ... from this time
        self._waiting: set[float] = set()  # told onsets not measured yet
        self._told: set[float] = set()  # every onset told lately (each is told again)
        self._lags: deque[float] = deque(maxlen=LAGS_KEPT)

    @property
    def seconds(self) -> float:
        if len(self._lags) < MIN_LAGS:
            return 0.0
        return float(np.median(np.fromiter(self._lags, float))) - EARLY_SECONDS

    def hear(
        self,
        samples: Int16Array,
        start: float,
        clicks: Sequence[tuple[float, float]],
        room_db: float,
    ) -> None:
        """One block (from time ``start``), the clicks told for it, the room's floor."""
        keep = round(4 * MOST_LAG_SECONDS * self.rate)
        if abs(start - (self._heard_start + len(self._heard) / self.rate)) > 1 / self.rate:
            self._heard = np.zeros(0, dtype=np.int16)  # not the block after the last one
            self._heard_start = start
        self._heard = np.concatenate([self._heard, samples])
        self._heard_start = start + len(samples) / self.rate - len(self._heard) / self.rate
        new = {begin for begin, _ in clicks} - self._told
        self._waiting |= new
        self._told = {t for t in self._told | new if t > start - 1.0}
        heard_end = start + len(samples) / self.rate
        for onset in sorted(self._waiting):
            if onset + MOST_LAG_SECONDS > heard_end:
                continue
            self._waiting.discard(onset)
            lag = self._measure(onset, room_db)
            if lag is not None:
                self._lags.append(lag)
        cut = max(0, len(self._heard) - keep)
        self._heard = self._heard[cut:]
        self._heard_start += cut / self.rate

    def forget(self) -> None:
        """The stream was broken (the lag stays: the devices have not changed)."""
        self._heard = np.zeros(0, dtype=np.int16)
        self._waiting = set()
        self._told = set()

    def _measure(self, onset: float, room_db: float) -> float | None:
        first = round((onset - MOST_LAG_SECONDS - self._heard_start) * self.rate)
        last = round((onset + MOST_LAG_SECONDS - self._heard_start) * self.rate)
        hop = round(HOP_SECONDS * self.rate)
        if first < hop or last > len(self._heard):
            return None
        before = _dbfs(self._heard[first - hop : first])
        count = (last - first) // hop
        window = self._heard[first : first + count * hop].astype(np.float64) / 32768.0
        levels = 10 * np.log10(np.mean(window.reshape(count, hop) ** 2, axis=1) + 1e-12)
        peak = float(np.max(levels))
        if before > room_db + 6.0 or peak < room_db + CLEAR_ABOVE_ROOM_DB:
            return None  # not heard alone, or not heard clearly
        rise = int(np.argmax(levels > peak - ONSET_BELOW_PEAK_DB))
        return (first + rise * hop) / self.rate + self._heard_start - onset


def _dbfs(samples: Int16Array) -> float:
    x = samples.astype(np.float64) / 32768.0
    return float(10 * np.log10(float(np.mean(x * x)) + 1e-12))
