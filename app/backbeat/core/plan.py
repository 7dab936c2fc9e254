"""The session plan: a protocol turned into timed steps, beats and spoken cues.

``build_plan`` is a pure function of (protocol, mode, overrides). Steps are contiguous
(a massage has no pauses); every cue carries the moment its voice begins.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

from backbeat.core.cues import Cue, CueKind, SpeechSeconds, build_cues
from backbeat.core.durations import MAX_DURATION_SECONDS, format_at_least, format_duration
from backbeat.core.model import Block, Mode, Protocol, Technique
from backbeat.core.prompts import VoiceSpeed, estimate_speech_seconds
from backbeat.core.zones import Zone

__all__ = [
    "Beat",
    "Cue",
    "CueKind",
    "PlanError",
    "PlanOverrides",
    "SessionPlan",
    "Step",
    "apply_overrides",
    "build_plan",
]


class PlanError(ValueError):
    """Overrides that cannot be honoured (unknown block, a step left too short...)."""


@dataclass(frozen=True)
class Step:
    index: int
    block: Block
    technique: Technique
    start: float
    # The end is stored, not derived, so that one step's end *is* the next step's start
    # (start + duration would drift by a rounding error and open a tiny gap).
    end: float
    rhythm: int  # the technique's movements per minute in the plan's mode (shown)
    # Clicks in the step: a whole number of movements, so the beat runs on across the
    # change to the next step without a short or long interval (see `tempo`).
    beats: int

    @classmethod
    def fitted(
        cls, index: int, block: Block, technique: Technique, start: float, end: float, rhythm: int
    ) -> Step:
        """A step whose tempo is nudged from ``rhythm`` to hold a whole number of movements."""
        return cls(
            index, block, technique, start, end, rhythm, max(1, round((end - start) * rhythm / 60))
        )

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def tempo(self) -> float:
        """Movements per minute really clicked: ``rhythm`` nudged so that ``beats``
        movements fill the step exactly (the plan JSON's ``rhythm``)."""
        return 60.0 * self.beats / self.duration

    @property
    def beat_interval(self) -> float:
        return self.duration / self.beats

    @property
    def zones(self) -> tuple[Zone, ...]:
        return self.technique.zones

    @property
    def spot_limit(self) -> float | None:
        return self.technique.spot_limit

    @property
    def beat_count(self) -> int:
        """Clicks in this step: one at its start, then one every beat interval inside it."""
        return self.beats

    def beat_time(self, index: int) -> float:
        return self.start + index * self.duration / self.beats


@dataclass(frozen=True)
class Beat:
    time: float
    step_index: int
    index_in_step: int
    number: int = 0  # in the whole session, from 0: left/right tones alternate across steps


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

    @cached_property
    def _first_beat_numbers(self) -> tuple[int, ...]:
        return tuple(itertools.accumulate((s.beats for s in self.steps), initial=0))

    def with_speech_lengths(self, speech_seconds: SpeechSeconds) -> SessionPlan:
        """The same steps with the cues placed again for speech of these lengths (the
        real prompts, once synthesised). The cues' texts do not change."""
        return replace(self, cues=build_cues(self.steps, speech_seconds))

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
                    beats.append(Beat(t, step.index, k, self._first_beat_numbers[step.index] + k))
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
                    "rhythm": _json_tempo(s),
                    "zones": [z.value for z in s.zones],
                    "spot_limit": s.spot_limit,
                }
                for s in self.steps
            ],
            "cues": [
                {"time": round(c.time, 3), "kind": c.kind.value, "text": c.text} for c in self.cues
            ],
        }


def _json_tempo(step: Step) -> int | float:
    """The clicked tempo: a whole number when the step already held whole movements,
    otherwise precise enough that 60/rhythm puts its last click within 0.1 ms."""
    tempo = step.tempo
    return step.rhythm if math.isclose(tempo, step.rhythm, rel_tol=1e-9) else round(tempo, 6)


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
    protocol: Protocol,
    mode: Mode,
    overrides: PlanOverrides | None = None,
    *,
    voice_speed: VoiceSpeed = VoiceSpeed.NORMAL,
) -> SessionPlan:
    """Turn a protocol into the timed session a user follows; cues are spaced for the
    estimated speech at ``voice_speed`` (see :meth:`SessionPlan.with_speech_lengths`)."""
    protocol = apply_overrides(protocol, overrides or PlanOverrides())
    steps = _checked_steps(protocol, mode)
    estimate = partial(estimate_speech_seconds, speed=voice_speed)
    return SessionPlan(protocol, mode, steps, build_cues(steps, estimate))


def check_plan(protocol: Protocol, mode: Mode, overrides: PlanOverrides | None = None) -> Protocol:
    """The protocol as :func:`build_plan` would play it, with every check that function
    makes (the same :class:`PlanError`), but without placing the cues, the part whose time
    grows with the session: the start screen answers each keystroke with this."""
    protocol = apply_overrides(protocol, overrides or PlanOverrides())
    _checked_steps(protocol, mode)
    return protocol


def _checked_steps(protocol: Protocol, mode: Mode) -> tuple[Step, ...]:
    steps = _build_steps(protocol, mode)
    if not steps:
        raise PlanError(f"{protocol.id} has no techniques, so there is nothing to play")
    return steps


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
            rhythm = technique.rhythm.for_mode(mode)
            steps.append(Step.fitted(len(steps), block, technique, start, end, rhythm))
        block_start = bounds[-1]
    return tuple(steps)
