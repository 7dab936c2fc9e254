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

from backbeat.core import prompts
from backbeat.core.durations import format_duration
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
    duration: float
    rhythm: int  # movements per minute in the plan's mode

    @property
    def end(self) -> float:
        return self.start + self.duration

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

    def step_index_at(self, time: float) -> int:
        """The step playing at ``time`` (the last one at or after the end)."""
        starts = [s.start for s in self.steps]
        return max(0, min(len(self.steps) - 1, bisect.bisect_right(starts, time) - 1))

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
        """Cues with ``begin <= time < end`` (``<= end`` with ``include_end``)."""
        return [
            c
            for c in self.cues
            if begin <= c.time and (c.time < end or (include_end and c.time == end))
        ]

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
    known = {b.id for b in protocol.blocks}
    for block_id in overrides.block_durations:
        if block_id not in known:
            raise PlanError(
                f"no block named {block_id!r} in {protocol.id}; blocks are: "
                + ", ".join(b.id for b in protocol.blocks)
            )
    for block_id, seconds in overrides.block_durations.items():
        if not math.isfinite(seconds) or seconds <= 0:
            raise PlanError(f"block {block_id!r} needs a duration above zero, got {seconds!r}")
    adjusted = protocol.with_block_durations(dict(overrides.block_durations))
    if overrides.total is None:
        return adjusted
    total = overrides.total
    if not math.isfinite(total) or total <= 0:
        raise PlanError(f"the total must be above zero, got {total!r}")
    fixed = sum(overrides.block_durations.values())
    free = [b for b in adjusted.blocks if b.id not in overrides.block_durations]
    if not free:
        raise PlanError("every block has a set duration, so there is nothing left to scale")
    room = total - fixed
    if room <= 0:
        raise PlanError(
            f"the set blocks already take {format_duration(fixed)}, "
            f"which leaves nothing of a {format_duration(total)} total"
        )
    factor = room / sum(b.duration for b in free)
    return adjusted.with_block_durations({b.id: b.duration * factor for b in free})


def build_plan(
    protocol: Protocol, mode: Mode, overrides: PlanOverrides | None = None
) -> SessionPlan:
    """Turn a protocol into the timed session a user follows."""
    protocol = apply_overrides(protocol, overrides or PlanOverrides())
    steps = _build_steps(protocol, mode)
    return SessionPlan(protocol, mode, steps, _build_cues(steps))


def _build_steps(protocol: Protocol, mode: Mode) -> tuple[Step, ...]:
    steps: list[Step] = []
    start = 0.0
    for block in protocol.blocks:
        for technique, seconds in zip(block.techniques, block.technique_durations(), strict=True):
            rhythm = technique.rhythm.for_mode(mode)
            movements = seconds * rhythm / 60.0
            if movements + 1e-9 < technique.min_repetitions:
                raise PlanError(
                    f"{block.id}/{technique.id} would last {seconds:.1f} s, only "
                    f"{movements:.1f} movements at {rhythm}/min in {mode.value} mode; it needs "
                    f"at least {technique.min_repetitions} - give block {block.id!r} more time"
                )
            steps.append(Step(len(steps), block, technique, start, seconds, rhythm))
            start += seconds
    return tuple(steps)


class _Timeline:
    """Cues placed so far, with how long each is expected to speak."""

    def __init__(self) -> None:
        self.cues: list[Cue] = []
        self._spans: list[tuple[float, float]] = []

    def add(self, time: float, kind: CueKind, text: str) -> None:
        self.cues.append(Cue(time, kind, text))
        self._spans.append((time, time + prompts.estimate_speech_seconds(text)))

    def _free(self, start: float, length: float) -> bool:
        end = start + length
        return all(end + CUE_GAP <= a or start >= b + CUE_GAP for a, b in self._spans)

    def place(self, kind: CueKind, text: str, preferred: float, low: float, high: float) -> None:
        """Add a cue at the free moment in ``[low, high]`` closest to ``preferred``;
        when every moment is taken, at ``preferred`` (overlap beats silence)."""
        length = prompts.estimate_speech_seconds(text)
        candidates = [preferred, low, high]
        for a, b in self._spans:
            candidates += [b + CUE_GAP, a - CUE_GAP - length]
        fitting = [t for t in candidates if low <= t <= high and self._free(t, length)]
        time = min(fitting, key=lambda t: abs(t - preferred)) if fitting else preferred
        self.add(max(0.0, time), kind, text)


def _build_cues(steps: tuple[Step, ...]) -> tuple[Cue, ...]:
    if not steps:
        return ()
    timeline = _Timeline()
    total = steps[-1].end
    # Fixed first: a technique starts when it starts, and spot changes keep their grid.
    for step in steps:
        timeline.add(step.start, CueKind.START, prompts.start_text(step.technique))
        if step.spot_limit:
            k = 1
            while k * step.spot_limit < step.duration - 1e-9:
                timeline.add(step.start + k * step.spot_limit, CueKind.SPOT, prompts.SPOT)
                k += 1
    timeline.add(total, CueKind.END, prompts.END)
    # Then the movable ones, each in its own window.
    for step, following in itertools.pairwise(steps):
        text = prompts.announce_text(step.block, following.block, following.technique)
        length = prompts.estimate_speech_seconds(text)
        earliest = max(step.start, step.end - MAX_ANNOUNCE_LEAD)
        latest = step.end - length
        timeline.place(
            CueKind.ANNOUNCE, text, latest - ANNOUNCE_MARGIN, earliest, max(earliest, latest)
        )
    for step in steps:
        areas = gentle_areas_for(step.zones)
        if areas and step.technique.pressure.value != "light":
            after_start = step.start + prompts.estimate_speech_seconds(
                prompts.start_text(step.technique)
            )
            timeline.place(
                CueKind.CAUTION,
                prompts.caution_text(areas),
                after_start,
                after_start,
                step.end - 2.0,
            )
    if total > 120:
        timeline.place(CueKind.FINAL, prompts.FINAL, total - 60, total - 60, total - 30)
    if total > 60:
        timeline.place(CueKind.HALFWAY, prompts.HALFWAY, total / 2, total / 2, total / 2 + 30)
    return tuple(sorted(timeline.cues, key=lambda c: (c.time, list(CueKind).index(c.kind))))
