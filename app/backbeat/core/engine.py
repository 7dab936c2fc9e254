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
    completed: bool  # every moment of it was heard (pauses are fine, skips are not)


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
    """A state machine over one plan. All methods are cheap; none of them blocks.

    The session time is ``offset`` plus, while running, the clock time since ``anchor``;
    every command just moves those two numbers, so no error builds up over a long run.
    """

    def __init__(self, plan: SessionPlan, clock: Clock) -> None:
        if not plan.steps:
            raise ValueError("a session needs at least one step")
        self.plan = plan
        self._clock = clock
        self.state = EngineState.READY
        self._offset = 0.0  # session time at the anchor (or where a paused session stands)
        self._anchor = 0.0  # clock time when the current run began
        self._polled = 0.0  # session time up to which events were reported
        self._polled_step: int | None = None
        self._stopped_early = False
        self._finish_reported = False
        self._played: list[tuple[float, float]] = []  # session-time stretches heard so far
        self._segment_start = 0.0  # where the current uninterrupted run began

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
        # A hair of tolerance so that a time computed onto a click counts as on it.
        beat_index = min(step.beat_count - 1, int(beats + 1e-9))
        phase = min(1.0, max(0.0, beats - beat_index))
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
    def start(self, at: float | None = None) -> None:
        """Begin playing, from ``at`` or from where :meth:`seek` placed a ready session."""
        if self.state is not EngineState.READY:
            return
        if at is not None:
            self._offset = self._clamp(at)
        self._polled = self._segment_start = self._offset
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
        elif self.state is EngineState.PAUSED:
            self.resume()

    def next_step(self) -> None:
        """Skip to the next technique; on the last one, finish the session."""
        index = self.plan.step_index_at(self.session_time())
        if index + 1 >= len(self.plan.steps):
            self.stop()
        else:
            self.seek(self.plan.steps[index + 1].start)

    def previous_step(self) -> None:
        """Go back to the previous technique; on the first one, start it again."""
        index = self.plan.step_index_at(self.session_time())
        self.seek(self.plan.steps[max(0, index - 1)].start)

    def seek(self, session_time: float) -> None:
        """Jump to a session time; cues in the stretch jumped over are not spoken.

        A ready session only moves its starting point; a paused one stays paused.
        """
        if self.state is EngineState.FINISHED:
            return
        target = self._clamp(session_time)
        if self.state is EngineState.RUNNING:
            self._close_segment(self.session_time())
            self._anchor = self._clock.now()
        self._offset = self._polled = self._segment_start = target

    def replan(self, plan: SessionPlan, inserted_at: float, seconds: float) -> None:
        """Go on with ``plan``: this one with ``seconds`` of session inserted at session
        time ``inserted_at``, which lies ahead ("stay here" lengthens the technique
        playing). The session time stays where it is; what was heard after that point
        (before a step back) moves with it, so the summary stays right."""
        if self.state is EngineState.FINISHED or len(plan.steps) != len(self.plan.steps):
            return
        if inserted_at < self.session_time():
            raise ValueError("a plan can only change ahead of the session time")
        played: list[tuple[float, float]] = []
        for a, b in self._played:
            if b <= inserted_at:
                played.append((a, b))
            elif a >= inserted_at:
                played.append((a + seconds, b + seconds))
            else:
                played += [(a, inserted_at), (inserted_at + seconds, b + seconds)]
        self._played = played
        self.plan = plan

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
        """Events crossed since the last call, in time order: step changes, cues due,
        and the finish (reported once)."""
        if self.state is EngineState.READY or self._finish_reported:
            return []
        t = self.session_time()
        if self.state is not EngineState.FINISHED and t >= self.plan.total:
            # Reached the end (perhaps paused right on it): the session is over.
            if self.state is EngineState.RUNNING:
                self._close_segment(self.plan.total)
            self._offset = t = self.plan.total
            self.state = EngineState.FINISHED
        finished = self.state is EngineState.FINISHED
        events: list[Event] = []
        if not self._stopped_early:
            events = self._events_between(self._polled, t, include_end=finished)
        self._polled = max(self._polled, t)
        if finished:
            events.append(Finished(self._stopped_early))
            self._finish_reported = True
        return events

    def _events_between(self, begin: float, end: float, *, include_end: bool) -> list[Event]:
        timed: list[tuple[float, int, Event]] = []
        first = self.plan.step_index_at(begin)
        if first != self._polled_step:  # a jump, or the very first poll
            timed.append((begin, 0, StepChanged(self._polled_step, first)))
        last = self.plan.step_index_at(end) if end > begin else first
        for index in range(first + 1, last + 1):
            timed.append((self.plan.steps[index].start, 0, StepChanged(index - 1, index)))
        self._polled_step = last
        if end >= begin:
            cues = self.plan.cues_between(begin, end, include_end=include_end)
            timed += [(cue.time, 1, CueDue(cue)) for cue in cues]
        # Stable sort: at one moment the step change comes before that step's cues.
        return [event for _, _, event in sorted(timed, key=lambda item: item[:2])]

    def summary(self) -> SessionSummary:
        """Seconds heard in each step, and whether each was heard all the way through."""
        played = list(self._played)
        if self.state is EngineState.RUNNING:
            played.append((self._segment_start, self.session_time()))
        records = []
        for step in self.plan.steps:
            overlaps = sorted(
                (max(a, step.start), min(b, step.end))
                for a, b in played
                if min(b, step.end) > max(a, step.start)
            )
            seconds = sum(b - a for a, b in overlaps)
            records.append(StepRecord(step, seconds, _covers(overlaps, step.start, step.end)))
        return SessionSummary(tuple(records))

    # -- bookkeeping ----------------------------------------------------------------
    def _clamp(self, t: float) -> float:
        return min(max(0.0, t), self.plan.total)

    def _close_segment(self, end: float) -> None:
        if end > self._segment_start:
            self._played.append((self._segment_start, end))
        self._segment_start = end


def _covers(stretches: list[tuple[float, float]], begin: float, end: float) -> bool:
    """Whether the sorted stretches together leave no gap in ``[begin, end]``."""
    reached = begin
    for a, b in stretches:
        if a > reached + 1e-6:
            return False
        reached = max(reached, b)
    return reached >= end - 1e-6
