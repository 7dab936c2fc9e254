""" "Never fooled by itself": what the microphone hears while the app's own voice sounds,
and for a short tail after it, is never taken as a command.

The playback side knows when each prompt leaves the speaker (its stream position plus the
output latency the device reports); it tells the gate through :class:`OwnSoundMonitor`.
Clicks are not gated (that would deafen the listener for the whole session): the gate
says where each one sounds, and the recogniser hears the room's noise floor there
instead (:mod:`backbeat.listen.own_clicks`), so a command said over the metronome is
heard whole, and a click never opens, lengthens or joins an utterance.
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
#: A click is taken out of what the microphone hears from this long before it is due
#: at the speaker (a reported latency a little too long) ...
CLICK_LEAD_SECONDS = 0.01
#: ... to this long after its last sample (a latency reported too short, the room's
#: echo of it). Why these figures: benchmarks/README.md.
CLICK_TAIL_SECONDS = 0.01
#: Clicks this far beyond a block either side are told with it: the lag measured at the
#: microphone (listen/click_lag.py) may move them into it.
CLICK_SEARCH_SECONDS = 0.1


class OwnSoundMonitor(Protocol):
    """What the gate asks of the playback side. Times are ``time.monotonic()`` seconds at
    the speaker (the stream's schedule corrected by the output latency)."""

    def voice_audible(self, start: float, end: float) -> bool:
        """Whether the app's own voice sounds anywhere in [start, end]."""
        ...

    def clicks_between(self, start: float, end: float) -> list[tuple[float, float]]:
        """(start, end) of every metronome click that sounds within [start, end]."""
        ...


class NothingPlays:
    """The monitor when no session sound plays (tests, and before a session starts)."""

    def voice_audible(self, start: float, end: float) -> bool:
        return False

    def clicks_between(self, start: float, end: float) -> list[tuple[float, float]]:
        return []


class _Intervals:
    """Sorted (start, end) intervals, the stale ones forgotten as later times are asked."""

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []

    def add(self, start: float, end: float) -> None:
        if end < start:
            raise ValueError(f"a sound cannot end ({end}) before it starts ({start})")
        index = bisect.bisect(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)

    def clear_from(self, time: float) -> None:
        kept = [(s, min(e, time)) for s, e in zip(self.starts, self.ends, strict=True) if s < time]
        self.starts = [s for s, _ in kept]
        self.ends = [e for _, e in kept]

    def overlapping(self, start: float, end: float) -> list[tuple[float, float]]:
        self._forget_before(start - FORGET_AFTER_SECONDS)
        # Only intervals starting before `end` can overlap; of those, any ending later
        # than `start` does (the list is short: what sounds in 30 s).
        upto = bisect.bisect_right(self.starts, end)
        return [(self.starts[i], self.ends[i]) for i in range(upto) if self.ends[i] >= start]

    def _forget_before(self, time: float) -> None:
        # Only those starting before `time` can have ended by then.
        upto = bisect.bisect_left(self.starts, time)
        stale = [i for i in range(upto) if self.ends[i] < time]
        for i in reversed(stale):
            del self.starts[i]
            del self.ends[i]


class PlaybackIntervals:
    """An :class:`OwnSoundMonitor` fed with (start, end) speaker times of each prompt
    and each click.

    Fed from the playback thread, asked from the listener thread: guarded by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._voice = _Intervals()
        self._clicks = _Intervals()

    def add(self, start: float, end: float) -> None:
        """A prompt (or any voice) sounds from ``start`` to ``end``."""
        with self._lock:
            self._voice.add(start, end)

    def add_click(self, start: float, end: float) -> None:
        with self._lock:
            self._clicks.add(start, end)

    def clear_from(self, time: float) -> None:
        """Forget what was scheduled from ``time`` on (the stream stopped or jumped);
        a sound already sounding ends at ``time``."""
        with self._lock:
            self._voice.clear_from(time)
            self._clicks.clear_from(time)

    def voice_audible(self, start: float, end: float) -> bool:
        with self._lock:
            return bool(self._voice.overlapping(start, end))

    def clicks_between(self, start: float, end: float) -> list[tuple[float, float]]:
        with self._lock:
            return self._clicks.overlapping(start, end)

    @property
    def remembered(self) -> int:
        """How many intervals are kept (old ones are forgotten)."""
        return len(self._voice.starts) + len(self._clicks.starts)


class OwnSoundGate:
    """Decides, block by block, whether the microphone may be listened to, and where in
    an open block the metronome's clicks sound."""

    def __init__(
        self,
        monitor: OwnSoundMonitor,
        tail: float = DEFAULT_TAIL_SECONDS,
        click_lead: float = CLICK_LEAD_SECONDS,
        click_tail: float = CLICK_TAIL_SECONDS,
    ) -> None:
        self.monitor = monitor
        self.tail = tail
        self.click_lead = click_lead
        self.click_tail = click_tail
        self.dropped_seconds = 0.0

    def closed(self, start: float, end: float) -> bool:
        """True when [start, end] of microphone time may hold the app's own voice: the
        voice sounding then, or having sounded within ``tail`` before."""
        shut = self.monitor.voice_audible(start - self.tail, end)
        if shut:
            self.dropped_seconds += end - start
        return shut

    def clicks(self, start: float, end: float) -> list[tuple[float, float]]:
        """Where clicks may be heard in [start, end] of microphone time (and as far as
        CLICK_SEARCH_SECONDS beyond): each click's interval widened by ``click_lead``
        before and ``click_tail`` after."""
        reach = CLICK_SEARCH_SECONDS
        heard = self.monitor.clicks_between(start - reach, end + reach)
        return [(s - self.click_lead, e + self.click_tail) for s, e in heard]
