"""Frame pacing: the window sleeps until the page will look different, never past it;
every click still gets its whole flash; a frame where nothing changed repaints nothing.
All on a fake clock."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backbeat.core.clock import FakeClock
from backbeat.core.durations import format_clock
from backbeat.core.engine import Position, SessionEngine
from backbeat.core.plan import SessionPlan
from backbeat.ui.app import WindowParts
from backbeat.ui.beat_indicator import FLASH_LEVELS, flash_strength
from backbeat.ui.frame_pacing import LONGEST_SLEEP_SECONDS, cue_times, seconds_until_change
from backbeat.ui.zone_diagram import MARKER_STEPS_PER_BEAT
from tests.audio.helpers import short_plan
from tests.ui.conftest import start_session


def _looks(position: Position, cues: list[float], *, marker: bool) -> tuple[object, ...]:
    """What the running page shows at ``position``: whether the disc flashes (its fade
    runs at 25 looks a second), the marker's step when ``marker``, the clocks, the cues."""
    flash = flash_strength(position.beat_phase) > 0
    step = int(position.beat_phase * MARKER_STEPS_PER_BEAT + 1e-9) if marker else None
    return (
        position.step.index,
        position.beat_index,
        flash,
        step,
        format_clock(position.session_time),
        format_clock(position.step_left),
        sum(1 for t in cues if t <= position.session_time),
    )


def _paced_run(plan: SessionPlan, *, animate: bool) -> list[tuple[Position, float]]:
    """The whole session as the pacer wakes it: (position at each wake, its sleep)."""
    clock = FakeClock()
    engine = SessionEngine(plan, clock)
    engine.start()
    cues = cue_times(plan)
    wakes = []
    while (position := engine.position()).session_time < plan.total - 0.01:
        sleep = seconds_until_change(position, cues, animate=animate)
        wakes.append((position, sleep))
        clock.advance(sleep)
    return wakes


def _engine_at(plan: SessionPlan, t: float) -> Position:
    clock = FakeClock()
    engine = SessionEngine(plan, clock)
    engine.start()
    clock.advance(t)
    return engine.position()


def test_the_pacer_never_sleeps_past_a_visible_change() -> None:
    plan = short_plan()
    cues = cue_times(plan)
    for position, sleep in _paced_run(plan, animate=False)[::7]:
        assert 0 < sleep <= LONGEST_SLEEP_SECONDS
        # Instants inside the sleep, to just short of its end, all look the same (the
        # first wake, at 0:00 exactly, sees the clock turn to 0:01 a hair later).
        inside = [position.session_time + sleep * k / 10 for k in range(1, 10)]
        inside.append(position.session_time + sleep - 1e-6)
        looks = {_looks(_engine_at(plan, t), cues, marker=False) for t in inside}
        assert len(looks) == 1, (position, sleep, looks)


def test_the_marker_moves_at_least_12_times_a_second() -> None:
    plan = short_plan()
    cues = cue_times(plan)
    # The first technique is 60/min: a marker step (42 ms) is shorter than the pacer's
    # 80 ms for the marker, so it shows every other step: 12.5 looks a second.
    wakes = [(p, s) for p, s in _paced_run(plan, animate=True) if p.step.index == 0]
    span = wakes[-1][0].session_time - wakes[0][0].session_time
    moves = sum(
        1
        for (a, _), (b, _) in itertools.pairwise(wakes)
        if _looks(a, cues, marker=True) != _looks(b, cues, marker=True)
    )
    assert moves / span >= 12


def test_every_click_gets_its_full_flash_within_a_few_ms() -> None:
    plan = short_plan()
    wakes = _paced_run(plan, animate=True)
    seen: set[tuple[int, int]] = set()
    for position, _ in wakes:
        beat = (position.step.index, position.beat_index)
        if beat in seen:
            continue
        seen.add(beat)
        late = position.beat_phase * position.step.beat_interval
        assert late <= 0.003, (beat, late)
        assert round(flash_strength(position.beat_phase) * FLASH_LEVELS) == FLASH_LEVELS
    assert len(seen) == sum(step.beat_count for step in plan.steps)


class _PaintCounter(QObject):
    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_frame_where_nothing_changed_repaints_nothing(qtbot: QtBot, parts: WindowParts) -> None:
    start_session(parts)
    view = parts.window.session_view
    qtbot.wait(50)  # the first paint
    counter = _PaintCounter([view, view.zone_diagram, view.ring, view.beat, view.timeline])
    for _ in range(5):  # the fake clock stands still: the page is the same
        parts.controller.refresh()
    qtbot.wait(50)
    assert counter.count == 0
    # A wake is armed (-1 when none is), within the longest sleep; 0 when it is just due.
    assert 0 <= parts.controller.pacer.remaining_ms() <= LONGEST_SLEEP_SECONDS * 1000 + 1
