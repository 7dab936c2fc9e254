"""When the session page will next look different, so the UI sleeps until then.

A fixed 25 Hz timer woke the window 25 times a second although the beat disc rests for
about 40 % of each beat, the clock changes once a second and a slow stroke's marker moves
a dozen times a second. :func:`seconds_until_change` says how long the page stays the
same from a position on; :class:`FramePacer` arms a single-shot precise timer for that
long (never longer than :data:`LONGEST_SLEEP_SECONDS`). Pure arithmetic but the timer.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from backbeat.core.engine import Position
from backbeat.core.plan import SessionPlan
from backbeat.ui.beat_indicator import FLASH_FLOOR
from backbeat.ui.zone_diagram import MARKER_STEPS_PER_BEAT

#: The longest sleep: anything not foreseen here (a notice, a prompt made late) shows
#: within this long.
LONGEST_SLEEP_SECONDS = 0.125
#: While the disc flashes it fades through at least this many looks, at 12.5 to 25 looks
#: a second (12.5 for a slow rhythm's long fade, up to 25 for a fast one's short fade).
FLASH_LOOKS = 8
FLASH_FRAME_SECONDS = (0.04, 0.08)
#: The marker moves at most this often (12.5 looks a second; a slow stroke needs fewer).
MARKER_FRAME_SECONDS = 0.08
#: The flash is over from this share of the beat on (see ``flash_strength``).
FLASH_END_PHASE = 1.0 - FLASH_FLOOR ** (1.0 / 3.0)
#: A wake this long after a whole second of the session sees its clock turned.
CLOCK_TURNED_SECONDS = 0.001
#: Never sleep less than this (a wake a hair before a change comes back at once; the
#: timer itself rounds up to whole milliseconds).
SHORTEST_SLEEP_SECONDS = 0.0005


def cue_times(plan: SessionPlan) -> list[float]:
    """The session times of the plan's cues, sorted (a caption changes there)."""
    return sorted(cue.time for cue in plan.cues)


def seconds_until_change(position: Position, cues: list[float], *, animate: bool) -> float:
    """How long from ``position`` on the running page looks the same: until the next
    click (the flash must start with it), the next look of a flash under way, the next
    step of the marker (``animate``: it moves), the next whole second of the clocks, the
    technique's end or the next cue; at most :data:`LONGEST_SLEEP_SECONDS`."""
    now = position.session_time
    wait = LONGEST_SLEEP_SECONDS
    # The clocks round up: the session clock turns just after a whole second, the
    # technique's time left just as it reaches one.
    wait = min(wait, math.ceil(now - 1e-9) - now + CLOCK_TURNED_SECONDS)
    left = position.step_left
    wait = min(wait, left - math.floor(left) or 1.0, left)  # the ring's, the step's end
    if position.step.beats > 0:
        beat = position.step.beat_interval
        phase = min(max(position.beat_phase, 0.0), 1.0)
        wait = min(wait, (1.0 - phase) * beat)  # the next click
        if phase < FLASH_END_PHASE:
            shortest, longest = FLASH_FRAME_SECONDS
            look = min(longest, max(shortest, FLASH_END_PHASE * beat / FLASH_LOOKS))
            wait = min(wait, look, (FLASH_END_PHASE - phase) * beat)
        if animate:
            step = beat / MARKER_STEPS_PER_BEAT
            wait = min(wait, max(step, MARKER_FRAME_SECONDS))
    following = bisect.bisect_right(cues, now)
    if following < len(cues):
        wait = min(wait, cues[following] - now)
    return max(SHORTEST_SLEEP_SECONDS, wait)


class FramePacer(QObject):
    """A single-shot precise timer re-armed after each frame for as long as the page
    stays the same (:func:`seconds_until_change`)."""

    def __init__(self, frame: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(frame)
        self._running = False
        self._cues: tuple[SessionPlan | None, list[float]] = (None, [])

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Frames from now on (the caller draws one now and then calls :meth:`after`)."""
        self._running = True

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def after(self, seconds: float) -> None:
        """The frame just drawn looks the same for ``seconds``: wake then."""
        if self._running:
            self._timer.start(max(1, math.ceil(seconds * 1000)))

    def after_frame(self, position: Position, plan: SessionPlan, *, animate: bool) -> None:
        """A running frame was drawn at ``position``: wake when the page next changes."""
        if self._cues[0] is not plan:  # "stay here" moves the cues
            self._cues = (plan, cue_times(plan))
        self.after(seconds_until_change(position, self._cues[1], animate=animate))

    def remaining_ms(self) -> int:
        """Until the next frame (-1 when none is due): for tests."""
        return self._timer.remainingTime() if self._timer.isActive() else -1
