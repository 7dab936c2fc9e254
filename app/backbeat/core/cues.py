"""Where the spoken cues of a session go.

Fixed cues first (a technique's start prompt, the closing words), then each technique's
caution right after its start prompt, then the spot reminders around them, then the
announcements of the next technique and the halfway/last-minute cues wherever they fit.

Building is linear in the number of cues: the prompts placed so far are kept sorted by
start, and a new one looks only at those that can overlap its window.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from backbeat.core import prompts
from backbeat.core.zones import gentle_areas_for

if TYPE_CHECKING:
    from backbeat.core.plan import Step

#: The announcement of the next technique starts at most this long before the change.
MAX_ANNOUNCE_LEAD = 20.0
#: ... and, when there is room, ends about this long before it.
ANNOUNCE_MARGIN = 1.5
#: Silence kept between two prompts so they never run into each other.
CUE_GAP = 0.3
#: A caution begins at most this long after its technique's start prompt ends.
CAUTION_DELAY = 1.0

#: How long the voice takes to say a text, in seconds.
SpeechSeconds = Callable[[str], float]


class CueKind(StrEnum):
    START = "start"
    ANNOUNCE = "announce"
    SPOT = "spot"
    CAUTION = "caution"
    HALFWAY = "halfway"
    FINAL = "final"
    END = "end"


@dataclass(frozen=True)
class Cue:
    time: float  # seconds from the session start; the voice begins here
    kind: CueKind
    text: str


class _Timeline:
    """Cues placed so far, with the span each is expected to speak, sorted by start."""

    def __init__(self, speech_seconds: SpeechSeconds) -> None:
        self.cues: list[Cue] = []
        self.speech_seconds = speech_seconds
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._longest = 0.0
        self._lengths: dict[str, float] = {}

    def length(self, text: str) -> float:
        if text not in self._lengths:
            self._lengths[text] = self.speech_seconds(text)
        return self._lengths[text]

    def add(self, time: float, kind: CueKind, text: str) -> float:
        length = self.length(text)
        self.cues.append(Cue(time, kind, text))
        index = bisect.bisect_right(self._starts, time)
        self._starts.insert(index, time)
        self._ends.insert(index, time + length)
        self._longest = max(self._longest, length)
        return time

    def _near(self, begin: float, end: float) -> range:
        """Indices of the spans that may overlap ``[begin, end)``."""
        return range(
            bisect.bisect_left(self._starts, begin - self._longest),
            bisect.bisect_left(self._starts, end),
        )

    def _free(self, start: float, length: float) -> bool:
        end = start + length
        return all(
            end + CUE_GAP <= self._starts[i] or start >= self._ends[i] + CUE_GAP
            for i in self._near(start - CUE_GAP, end + CUE_GAP)
        )

    def place(self, kind: CueKind, text: str, preferred: float, low: float, high: float) -> float:
        """Add a cue at the free moment in ``[low, high]`` closest to ``preferred``; when
        every moment is taken, at ``preferred`` kept inside the window (overlap beats
        silence, and beats a cue in the wrong place)."""
        high = max(low, high)
        preferred = min(max(preferred, low), high)
        length = self.length(text)
        candidates = [preferred, low, high]
        for i in self._near(low - length - CUE_GAP, high + CUE_GAP):
            candidates += [self._ends[i] + CUE_GAP, self._starts[i] - CUE_GAP - length]
        candidates = [t for t in candidates if low <= t <= high]
        candidates.sort(key=lambda t: abs(t - preferred))
        time = next((t for t in candidates if self._free(t, length)), preferred)
        return self.add(max(0.0, time), kind, text)


def build_cues(
    steps: Sequence[Step],
    speech_seconds: SpeechSeconds,
    *,
    kept: Sequence[Cue] = (),
    after: float = -math.inf,
) -> tuple[Cue, ...]:
    """The cues of ``steps``. A re-plan during a session (a technique made longer, see
    :meth:`SessionPlan.with_step_longer`) passes the cues before session time ``after``
    as ``kept``: they stay as they were (they have been heard, or are in the sound
    already), and every new cue is placed after ``after`` by the same rules."""
    timeline = _Timeline(speech_seconds)
    for cue in kept:
        if cue.time < after:
            timeline.add(cue.time, cue.kind, cue.text)
    heard_kinds = {c.kind for c in kept if c.time < after}
    total = steps[-1].end
    coming = [step for step in steps if step.start >= after]
    # Fixed first: a technique starts when it starts, and the session ends when it ends.
    for step in coming:
        timeline.add(step.start, CueKind.START, prompts.start_text(step.technique))
    timeline.add(total, CueKind.END, prompts.END)
    # A caution belongs to its technique's first moments: right after the start prompt.
    openings = {step.index: _place_caution(timeline, step) for step in coming}
    spots = itertools.count(sum(1 for c in kept if c.kind is CueKind.SPOT and c.time < after))
    for step in steps:
        if step.start >= after:
            _place_spot_cues(timeline, step, openings[step.index], spots)
        elif step.end > after:  # playing when the plan changed: go on from its last reminder
            _place_spot_cues(timeline, step, _opening_end(timeline, step), spots, after=after)
    for step, following in itertools.pairwise(steps):
        if step.end <= after:
            continue
        text = prompts.announce_text(step.block, following.block, following.technique)
        latest = step.end - timeline.length(text)
        earliest = max(step.start, step.end - MAX_ANNOUNCE_LEAD, after)
        timeline.place(CueKind.ANNOUNCE, text, latest - ANNOUNCE_MARGIN, earliest, latest)
    if total > 120 and CueKind.FINAL not in heard_kinds:
        low = max(total - 60, after)
        timeline.place(CueKind.FINAL, prompts.FINAL, low, low, max(low, total - 30))
    if total > 60 and CueKind.HALFWAY not in heard_kinds:
        low = max(total / 2, after)
        timeline.place(CueKind.HALFWAY, prompts.HALFWAY, low, low, max(low, total / 2 + 30))
    order = list(CueKind)
    return tuple(sorted(timeline.cues, key=lambda c: (c.time, order.index(c.kind))))


def _opening_end(timeline: _Timeline, step: Step) -> float:
    """When the opening words (start prompt and caution) of a step already placed end."""
    ends = [
        cue.time + timeline.length(cue.text)
        for cue in timeline.cues
        if cue.kind in (CueKind.START, CueKind.CAUTION) and step.start <= cue.time < step.end
    ]
    return max(ends, default=step.start)


def _place_caution(timeline: _Timeline, step: Step) -> float:
    """Place the step's caution, if it has one; returns when its opening words (start
    prompt and caution) are expected to end."""
    after_start = step.start + timeline.length(prompts.start_text(step.technique)) + CUE_GAP
    caution = prompts.technique_caution_text(step.technique, gentle_areas_for(step.zones))
    if caution is None:
        return after_start - CUE_GAP
    latest = min(after_start + CAUTION_DELAY - CUE_GAP, step.end - timeline.length(caution))
    at = timeline.place(CueKind.CAUTION, caution, after_start, min(after_start, latest), latest)
    return at + timeline.length(caution)


def _place_spot_cues(
    timeline: _Timeline,
    step: Step,
    opening_end: float,
    numbers: itertools.count[int],
    *,
    after: float = -math.inf,
) -> None:
    """Split a spot-limited step into even stretches no longer than the limit, each cue
    free to move earlier to keep out of other prompts' way but never so far that a
    stretch grows past the limit. The one exception is the first stretch: the listener
    stays on the first spot while the opening words are spoken, so when those run past
    the limit the first reminder follows them instead of talking over them.

    With ``after`` (the step was playing when the plan changed) the stretches go on from
    the last reminder placed before it, and new ones fall after it."""
    limit = step.spot_limit
    if not limit or limit <= 0:
        return
    previous = step.start
    if after > step.start:  # a re-plan: only then is the timeline looked through
        earlier = (c.time for c in timeline.cues if c.kind is CueKind.SPOT)
        previous = max((t for t in earlier if step.start < t < after), default=step.start)
    while step.end - previous > limit + 1e-9:
        remaining = math.ceil((step.end - previous) / limit - 1e-9)
        # Late enough that the stretches left can still cover the rest of the step.
        low = max(previous, step.end - (remaining - 1) * limit, after)
        high = previous + limit
        if previous == step.start:
            high = max(high, min(opening_end + CUE_GAP, step.end - limit / 2))
        even = previous + (step.end - previous) / remaining
        text = prompts.spot_text(next(numbers))
        previous = timeline.place(CueKind.SPOT, text, even, low, high)
