""" "Never fooled by itself": what the microphone hears while the app's own voice sounds,
and for a short tail after it, is never taken as a command.

The playback side knows when each prompt leaves the speaker (its stream position plus the
output latency the device reports); it tells the gate through :class:`OwnSoundMonitor`.
Clicks are not gated: they are too short for the endpointer to open an utterance, and
gating them would deafen the listener for the whole session.
"""

from __future__ import annotations

import bisect
import threading
from typing import Protocol

#: After the last sample of a prompt leaves the speaker the room still rings and the
#: reported latency may be a little short; blocks this soon after it stay gated.
DEFAULT_TAIL_SECONDS = 0.35
#: Intervals that ended longer ago than this are forgotten.
FORGET_AFTER_SECONDS = 30.0


class OwnSoundMonitor(Protocol):
    """What the gate asks of the playback side. Times are ``time.monotonic()`` seconds at
    the speaker (the stream's schedule corrected by the output latency)."""

    def voice_audible(self, start: float, end: float) -> bool:
        """Whether the app's own voice sounds anywhere in [start, end]."""
        ...


class NothingPlays:
    """The monitor when no session sound plays (tests, and before a session starts)."""

    def voice_audible(self, start: float, end: float) -> bool:
        return False


class PlaybackIntervals:
    """An :class:`OwnSoundMonitor` fed with (start, end) speaker times of each prompt.

    Fed from the playback thread, asked from the listener thread: guarded by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._starts: list[float] = []
        self._ends: list[float] = []

    def add(self, start: float, end: float) -> None:
        if end < start:
            raise ValueError(f"a sound cannot end ({end}) before it starts ({start})")
        with self._lock:
            index = bisect.bisect(self._starts, start)
            self._starts.insert(index, start)
            self._ends.insert(index, end)

    def clear_from(self, time: float) -> None:
        """Forget what was scheduled from ``time`` on (the stream stopped or jumped);
        a prompt already sounding ends at ``time``."""
        with self._lock:
            kept = [
                (s, min(e, time)) for s, e in zip(self._starts, self._ends, strict=True) if s < time
            ]
            self._starts = [s for s, _ in kept]
            self._ends = [e for _, e in kept]

    def voice_audible(self, start: float, end: float) -> bool:
        with self._lock:
            self._forget_before(start - FORGET_AFTER_SECONDS)
            # Only intervals starting before `end` can overlap; of those, any ending later
            # than `start` does (the list is short: one entry per prompt in 30 s).
            upto = bisect.bisect_right(self._starts, end)
            return any(self._ends[i] >= start for i in range(upto))

    def _forget_before(self, time: float) -> None:
        stale = [i for i, e in enumerate(self._ends) if e < time]
        for i in reversed(stale):
            del self._starts[i]
            del self._ends[i]


class OwnSoundGate:
    """Decides, block by block, whether the microphone may be listened to."""

    def __init__(self, monitor: OwnSoundMonitor, tail: float = DEFAULT_TAIL_SECONDS) -> None:
        self.monitor = monitor
        self.tail = tail
        self.dropped_seconds = 0.0

    def closed(self, start: float, end: float) -> bool:
        """True when [start, end] of microphone time may hold the app's own voice: the
        voice sounding then, or having sounded within ``tail`` before."""
        shut = self.monitor.voice_audible(start - self.tail, end)
        if shut:
            self.dropped_seconds += end - start
        return shut
