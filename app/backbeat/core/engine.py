"""The session engine: play, pause, skip and stop over a plan and an injected clock.

Where the session is comes from elapsed clock time, never from counted ticks: the UI's
timer only asks "what is due now?" by calling :meth:`SessionEngine.advance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backbeat.core.clock import Clock
from backbeat.core.plan import Cue, SessionPlan, Step


class EngineState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True)
class Position:
    session_time: float
    step: Step
    step_elapsed: float
    step_left: float
    beat_index: int  # clicks heard so far in this step, minus one
    beat_phase: float  # 0 on a click, rising towards 1 before the next
    progress: float  # 0..1 through the whole session


@dataclass(frozen=True)
class CueDue:
    cue: Cue


@dataclass(frozen=True)
class StepChanged:
    previous: int | None
    current: int


@dataclass(frozen=True)
class Finished:
    stopped_early: bool


Event = CueDue | StepChanged | Finished


@dataclass(frozen=True)
class StepRecord:
    step: Step
    seconds: float  # session time actually spent in it
    completed: bool  # played through to its end without a skip


@dataclass(frozen=True)
class SessionSummary:
    steps: tuple[StepRecord, ...]

    @property
    def total_seconds(self) -> float:
        return sum(r.seconds for r in self.steps)

    def block_seconds(self) -> list[tuple[str, str, float]]:
        """(block id, block title, seconds spent) in protocol order."""
        totals: dict[str, tuple[str, float]] = {}
        for record in self.steps:
            title, spent = totals.get(record.step.block.id, (record.step.block.title, 0.0))
            totals[record.step.block.id] = (title, spent + record.seconds)
        return [(bid, title, spent) for bid, (title, spent) in totals.items()]


class SessionEngine:
    """A state machine over one plan. All methods are cheap; none of them blocks."""

    def __init__(self, plan: SessionPlan, clock: Clock) -> None:
        if not plan.steps:
            raise ValueError("a session needs at least one step")
        self.plan = plan
        self._clock = clock
        self.state = EngineState.READY
        self._offset = 0.0  # session time at the anchor
        self._anchor = 0.0  # clock time when the current run began
        self._polled = 0.0  # session time up to which events were reported
        self._polled_step: int | None = None
        self._stopped_early = False
        self._finish_reported = False
        self._spent = [0.0] * len(plan.steps)
        self._completed = [False] * len(plan.steps)
        self._segment_start = 0.0  # session time where the current uninterrupted run began

    # -- where are we ---------------------------------------------------------------
    def session_time(self) -> float:
        if self.state is EngineState.RUNNING:
            return min(self.plan.total, self._offset + (self._clock.now() - self._anchor))
        return self._offset

    def position(self) -> Position:
        t = self.session_time()
        step = self.plan.step_at(t)
        elapsed = t - step.start
        beats = elapsed / step.beat_interval
        beat_index = min(step.beat_count - 1, int(beats + 1e-9))
        phase = (
            0.0 if beat_index == step.beat_count - 1 and beats >= step.beat_count else beats % 1.0
        )
        return Position(
            session_time=t,
            step=step,
            step_elapsed=elapsed,
            step_left=max(0.0, step.end - t),
            beat_index=beat_index,
            beat_phase=phase,
            progress=t / self.plan.total,
        )

    # -- commands -------------------------------------------------------------------
    def start(self, at: float = 0.0) -> None:
        if self.state is not EngineState.READY:
            return
        self._offset = self._polled = self._segment_start = self._clamp(at)
        self._anchor = self._clock.now()
        self.state = EngineState.RUNNING

    def pause(self) -> None:
        if self.state is EngineState.RUNNING:
            self._offset = self.session_time()
            self._close_segment(self._offset)
            self.state = EngineState.PAUSED

    def resume(self) -> None:
        if self.state is EngineState.PAUSED:
            self._anchor = self._clock.now()
            self._segment_start = self._offset
            self.state = EngineState.RUNNING

    def toggle_pause(self) -> None:
        if self.state is EngineState.READY:
            self.start()
        elif self.state is EngineState.RUNNING:
            self.pause()
        else:
            self.resume()

    def next_step(self) -> None:
        index = self.plan.step_index_at(self.session_time())
        if index + 1 >= len(self.plan.steps):
            self.stop()
        else:
            self.seek(self.plan.steps[index + 1].start)

    def previous_step(self) -> None:
        index = self.plan.step_index_at(self.session_time())
        self.seek(self.plan.steps[max(0, index - 1)].start)

    def seek(self, session_time: float) -> None:
        """Jump to a session time; cues between here and there are not spoken."""
        if self.state is EngineState.FINISHED:
            return
        if self.state is EngineState.READY:
            self.start(session_time)
            return
        target = self._clamp(session_time)
        if self.state is EngineState.RUNNING:
            self._close_segment(self.session_time())
            self._anchor = self._clock.now()
        self._offset = self._polled = self._segment_start = target

    def stop(self) -> None:
        """End the session now ("too much - stop" ends here too)."""
        if self.state is EngineState.FINISHED:
            return
        t = self.session_time()
        if self.state is EngineState.RUNNING:
            self._close_segment(t)
        self._offset = t
        self._stopped_early = t < self.plan.total
        self.state = EngineState.FINISHED

    # -- what happened --------------------------------------------------------------
    def advance(self) -> list[Event]:
        """Events crossed since the last call: step changes, cues due, the finish."""
        if self.state is EngineState.READY or self._finish_reported:
            return []
        t = self.session_time()
        if self.state is EngineState.RUNNING and t >= self.plan.total:
            self._close_segment(self.plan.total)
            self._offset = t = self.plan.total
            self.state = EngineState.FINISHED
        finished = self.state is EngineState.FINISHED
        events: list[Event] = []
        index = self.plan.step_index_at(t)
        if index != self._polled_step:
            events.append(StepChanged(self._polled_step, index))
            self._polled_step = index
        if not self._stopped_early:
            due = self.plan.cues_between(self._polled, t, include_end=finished)
            events += [CueDue(cue) for cue in due]
        self._polled = t
        if finished:
            events.append(Finished(self._stopped_early))
            self._finish_reported = True
        return events

    def summary(self) -> SessionSummary:
        spent = list(self._spent)
        if self.state is EngineState.RUNNING:
            self._add_segment(spent, self._segment_start, self.session_time(), dry_run=True)
        return SessionSummary(
            tuple(
                StepRecord(step, spent[i], self._completed[i])
                for i, step in enumerate(self.plan.steps)
            )
        )

    # -- bookkeeping ----------------------------------------------------------------
    def _clamp(self, t: float) -> float:
        return min(max(0.0, t), self.plan.total)

    def _close_segment(self, end: float) -> None:
        self._add_segment(self._spent, self._segment_start, end, dry_run=False)
        self._segment_start = end

    def _add_segment(self, spent: list[float], begin: float, end: float, *, dry_run: bool) -> None:
        if end <= begin:
            return
        for step in self.plan.steps[self.plan.step_index_at(begin) :]:
            if step.start >= end:
                break
            overlap = min(end, step.end) - max(begin, step.start)
            if overlap > 0:
                spent[step.index] += overlap
            reached_end = end >= step.end - 1e-9
            if not dry_run and reached_end and spent[step.index] >= step.duration - 1e-6:
                self._completed[step.index] = True
