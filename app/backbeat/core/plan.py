"""The session plan: a protocol turned into timed steps, beats and spoken cues.

``build_plan`` is a pure function of (protocol, mode, overrides). Steps are contiguous
(a massage has no pauses); every cue carries the moment its voice begins.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from backbeat.core import prompts
from backbeat.core.durations import MAX_DURATION_SECONDS, format_at_least, format_duration
from backbeat.core.model import Block, Mode, Protocol, Technique
from backbeat.core.zones import Zone, gentle_areas_for

#: The announcement of the next technique starts at most this long before the change.
MAX_ANNOUNCE_LEAD = 20.0
#: ... and, when there is room, ends about this long before it.
ANNOUNCE_MARGIN = 1.5
#: Silence kept between two prompts so they never run into each other.
CUE_GAP = 0.3


class PlanError(ValueError):
    """Overrides that cannot be honoured (unknown block, a step left too short...)."""


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


@dataclass(frozen=True)
class Step:
    index: int
    block: Block
    technique: Technique
    start: float
    # The end is stored, not derived, so that one step's end *is* the next step's start
    # (start + duration would drift by a rounding error and open a tiny gap).
    end: float
    rhythm: int  # movements per minute in the plan's mode

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def beat_interval(self) -> float:
        return 60.0 / self.rhythm

    @property
    def zones(self) -> tuple[Zone, ...]:
        return self.technique.zones

    @property
    def spot_limit(self) -> float | None:
        return self.technique.spot_limit

    @property
    def beat_count(self) -> int:
        """Clicks in this step: one at its start, then one every beat interval inside it."""
        return max(1, math.ceil(self.duration / self.beat_interval - 1e-9))

    def beat_time(self, index: int) -> float:
        return self.start + index * self.beat_interval


@dataclass(frozen=True)
class Beat:
    time: float
    step_index: int
    index_in_step: int


@dataclass(frozen=True)
class PlanOverrides:
    """Changes a user asks for: some blocks' durations and/or a new total."""

    block_durations: Mapping[str, float] = field(default_factory=dict)
    total: float | None = None


@dataclass(frozen=True)
class SessionPlan:
    protocol: Protocol  # with the overrides applied
    mode: Mode
    steps: tuple[Step, ...]
    cues: tuple[Cue, ...]

    @property
    def total(self) -> float:
        return self.steps[-1].end if self.steps else 0.0

    @cached_property
    def _starts(self) -> tuple[float, ...]:
        return tuple(s.start for s in self.steps)

    @cached_property
    def _cue_times(self) -> tuple[float, ...]:
        return tuple(c.time for c in self.cues)

    def step_index_at(self, time: float) -> int:
        """The step playing at ``time`` (the first one before it, the last one after the end)."""
        index = bisect.bisect_right(self._starts, time) - 1
        return max(0, min(len(self.steps) - 1, index))

    def step_at(self, time: float) -> Step:
        return self.steps[self.step_index_at(time)]

    def beats_between(self, begin: float, end: float) -> list[Beat]:
        """Every click with ``begin <= time < end``, in order, across step changes."""
        beats: list[Beat] = []
        if end <= begin or not self.steps:
            return beats
        for step in self.steps[self.step_index_at(begin) :]:
            if step.start >= end:
                break
            first = max(0, math.ceil((begin - step.start) / step.beat_interval - 1e-9))
            for k in range(first, step.beat_count):
                t = step.beat_time(k)
                if t >= end:
                    break
                if t >= begin:
                    beats.append(Beat(t, step.index, k))
        return beats

    def cues_between(self, begin: float, end: float, *, include_end: bool = False) -> list[Cue]:
        """Cues with ``begin <= time < end`` (``<= end`` with ``include_end``), in order."""
        last = bisect.bisect_right if include_end else bisect.bisect_left
        return list(
            self.cues[bisect.bisect_left(self._cue_times, begin) : last(self._cue_times, end)]
        )

    def to_json(self) -> dict[str, object]:
        """The plan in the shape ``backbeat plan --json`` prints (times in seconds)."""
        return {
            "protocol": self.protocol.id,
            "mode": self.mode.value,
            "total": round(self.total, 3),
            "steps": [
                {
                    "block": s.block.id,
                    "technique": s.technique.id,
                    "start": round(s.start, 3),
                    "duration": round(s.duration, 3),
                    "rhythm": s.rhythm,
                    "zones": [z.value for z in s.zones],
                    "spot_limit": s.spot_limit,
                }
                for s in self.steps
            ],
            "cues": [
                {"time": round(c.time, 3), "kind": c.kind.value, "text": c.text} for c in self.cues
            ],
        }


def apply_overrides(protocol: Protocol, overrides: PlanOverrides) -> Protocol:
    """The protocol with the user's durations: set blocks keep their time, and with a
    total the other blocks are scaled together to make up the rest."""
    adjusted = _resize_blocks(protocol, overrides)
    if adjusted.total_duration > MAX_DURATION_SECONDS + 1e-6:
        raise PlanError(
            f"the session would last {format_duration(adjusted.total_duration)}; "
            f"the longest allowed is {format_duration(MAX_DURATION_SECONDS)}, "
            "so shorten a block or set a smaller total"
        )
    return adjusted


def _resize_blocks(protocol: Protocol, overrides: PlanOverrides) -> Protocol:
    known = {b.id for b in protocol.blocks}
    for block_id, seconds in overrides.block_durations.items():
        if block_id not in known:
            raise PlanError(
                f"there is no block {block_id!r} in {protocol.id}; its blocks are: "
                + ", ".join(b.id for b in protocol.blocks)
            )
        if not math.isfinite(seconds) or seconds <= 0:
            raise PlanError(f"block {block_id!r} needs a duration above zero, got {seconds!r}")
    adjusted = protocol.with_block_durations(dict(overrides.block_durations))
    if overrides.total is None:
        return adjusted
    total = overrides.total
    if not math.isfinite(total) or total <= 0:
        raise PlanError(f"the total must be a duration above zero, got {total!r}")
    fixed = sum(overrides.block_durations.values())
    free = [b for b in adjusted.blocks if b.id not in overrides.block_durations]
    if not free:
        if math.isclose(fixed, total, rel_tol=1e-9):
            return adjusted
        raise PlanError(
            f"every block has a set duration, adding up to {format_duration(fixed)}, so the "
            f"session cannot last {format_duration(total)}; leave out the total or one block"
        )
    room = total - fixed
    if room <= 0:
        raise PlanError(
            f"the set blocks already take {format_duration(fixed)}, which leaves no time for "
            f"the other blocks in a {format_duration(total)} session; "
            "ask for a longer total or shorter blocks"
        )
    factor = room / sum(b.duration for b in free)
    return adjusted.with_block_durations({b.id: b.duration * factor for b in free})


def build_plan(
    protocol: Protocol, mode: Mode, overrides: PlanOverrides | None = None
) -> SessionPlan:
    """Turn a protocol into the timed session a user follows."""
    protocol = apply_overrides(protocol, overrides or PlanOverrides())
    steps = _build_steps(protocol, mode)
    if not steps:
        raise PlanError(f"{protocol.id} has no techniques, so there is nothing to play")
    return SessionPlan(protocol, mode, steps, _build_cues(steps))


def _build_steps(protocol: Protocol, mode: Mode) -> tuple[Step, ...]:
    steps: list[Step] = []
    block_start = 0.0
    for block in protocol.blocks:
        if block.techniques and not sum(t.share for t in block.techniques) > 0:
            raise PlanError(f"block {block.id!r}: the techniques' shares must add up to above zero")
        shortfalls = list(block.repetition_shortfalls((mode,)))
        if shortfalls:
            # The advice must be enough for every technique of the block, not just the first.
            short = max(shortfalls, key=lambda s: s.block_needed)
            raise PlanError(
                f"{block.id}/{short.technique.id} would last {short.seconds:.1f} s: only "
                f"{short.movements:.1f} movements at {short.rhythm}/min in {mode.value} mode, "
                f"and it needs at least {short.technique.min_repetitions}; give block "
                f"{block.id!r} {format_at_least(short.block_needed)}, "
                "or make the whole session longer"
            )
        # Bounds are computed the way Protocol.total_duration sums, so the plan's total is
        # exactly the protocol's and steps meet without gaps.
        bounds = block.technique_bounds(block_start)
        for technique, start, end in zip(block.techniques, bounds, bounds[1:], strict=False):
            steps.append(
                Step(len(steps), block, technique, start, end, technique.rhythm.for_mode(mode))
            )
        block_start = bounds[-1]
    return tuple(steps)


class _Timeline:
    """Cues placed so far, with how long each is expected to speak."""

    def __init__(self) -> None:
        self.cues: list[Cue] = []
        self._spans: list[tuple[float, float]] = []

    def add(self, time: float, kind: CueKind, text: str) -> float:
        self.cues.append(Cue(time, kind, text))
        self._spans.append((time, time + prompts.estimate_speech_seconds(text)))
        return time

    def _free(self, start: float, length: float) -> bool:
        end = start + length
        return all(end + CUE_GAP <= a or start >= b + CUE_GAP for a, b in self._spans)

    def place(self, kind: CueKind, text: str, preferred: float, low: float, high: float) -> float:
        """Add a cue at the free moment in ``[low, high]`` closest to ``preferred``; when
        every moment is taken, at ``preferred`` kept inside the window (overlap beats
        silence, and beats a cue in the wrong place)."""
        high = max(low, high)
        preferred = min(max(preferred, low), high)
        length = prompts.estimate_speech_seconds(text)
        candidates = [preferred, low, high]
        for a, b in self._spans:
            candidates += [b + CUE_GAP, a - CUE_GAP - length]
        fitting = [t for t in candidates if low <= t <= high and self._free(t, length)]
        time = min(fitting, key=lambda t: abs(t - preferred)) if fitting else preferred
        return self.add(max(0.0, time), kind, text)


def _build_cues(steps: tuple[Step, ...]) -> tuple[Cue, ...]:
    timeline = _Timeline()
    total = steps[-1].end
    # Fixed first: a technique starts when it starts, and the session ends when it ends.
    for step in steps:
        timeline.add(step.start, CueKind.START, prompts.start_text(step.technique))
    timeline.add(total, CueKind.END, prompts.END)
    # Then the movable ones, each inside the window where it is still true.
    for step in steps:
        _place_spot_cues(timeline, step)
    for step, following in itertools.pairwise(steps):
        text = prompts.announce_text(step.block, following.block, following.technique)
        latest = step.end - prompts.estimate_speech_seconds(text)
        earliest = max(step.start, step.end - MAX_ANNOUNCE_LEAD)
        timeline.place(CueKind.ANNOUNCE, text, latest - ANNOUNCE_MARGIN, earliest, latest)
    for step in steps:
        caution = prompts.technique_caution_text(step.technique, gentle_areas_for(step.zones))
        if caution is not None:
            after_start = step.start + prompts.estimate_speech_seconds(
                prompts.start_text(step.technique)
            )
            latest = step.end - prompts.estimate_speech_seconds(caution)
            timeline.place(CueKind.CAUTION, caution, after_start, step.start, latest)
    if total > 120:
        timeline.place(CueKind.FINAL, prompts.FINAL, total - 60, total - 60, total - 30)
    if total > 60:
        timeline.place(CueKind.HALFWAY, prompts.HALFWAY, total / 2, total / 2, total / 2 + 30)
    order = list(CueKind)
    return tuple(sorted(timeline.cues, key=lambda c: (c.time, order.index(c.kind))))


def _place_spot_cues(timeline: _Timeline, step: Step) -> None:
    """Split a spot-limited step into equal stretches no longer than the limit, each
    cue free to move earlier to keep out of other prompts' way but never so far that
    a stretch grows past the limit."""
    limit = step.spot_limit
    if not limit or limit <= 0:
        return
    stretches = math.ceil(step.duration / limit - 1e-9)
    previous = step.start
    for k in range(1, stretches):
        # Late enough that the stretches left can still cover the rest of the step.
        low = max(previous, step.end - (stretches - k) * limit)
        high = previous + limit
        even = step.start + k * step.duration / stretches
        previous = timeline.place(CueKind.SPOT, prompts.SPOT, even, low, high)
