"""Plans for the start screen's draft, built off the UI thread once typing pauses.

Placing the cues of a 4-hour block with a 2-second spot limit takes about 0.1 s (7 200
cues), too long for a keystroke. Everything the start screen shows comes from
:meth:`DurationDraft.check` (the times, the errors), which is fast; the plan itself is
needed only to make the voice's prompts ahead and to start. So each edit is answered at
once from the check, and the plan is built on a worker thread
:data:`PLAN_DELAY_MS` after the last keystroke. A start never waits for that timer and
never uses a plan of other numbers: :meth:`DraftPlanner.result_now` gives the plan of
the draft as shown (finished by the worker, or built there and then).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from backbeat.core.plan import SessionPlan
from backbeat.ui.start_model import DraftResult, DurationDraft

log = logging.getLogger(__name__)

#: How long typing must pause before the plan is built (a 4-digit number typed at a
#: normal pace builds once, not four times).
PLAN_DELAY_MS = 200
#: Plans kept for drafts seen lately: typing "12", then back to "1", needs no new build.
KEPT_RESULTS = 4


@dataclass(frozen=True)
class _Built:
    number: int  # which build: a late delivery of an older one must not end a newer one
    draft: DurationDraft
    result: DraftResult | None  # None when building failed


class DraftPlanner(QObject):
    """The one owner of the planning thread (one build at a time); :meth:`close` waits
    for a build under way, and nothing is delivered after it."""

    planned = Signal()  # the plan of the draft last asked about is ready (UI thread)
    _built = Signal(object)  # a _Built, from the worker; queued to the UI thread

    def __init__(self, parent: QObject | None = None, delay_ms: int = PLAN_DELAY_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._build_next)
        self._results: list[tuple[DurationDraft, DraftResult]] = []  # newest first
        self._checked: tuple[DurationDraft, DraftResult] | None = None
        self._wanted: DurationDraft | None = None  # to be built, once the timer fires
        self._worker: threading.Thread | None = None
        self._building: DurationDraft | None = None  # by the worker, build number _builds
        self._builds = 0
        self._last_built: _Built | None = None
        self._closed = False
        self._built.connect(self._on_built)

    @property
    def pending(self) -> bool:
        """A plan is waiting for the timer or being built."""
        return self._wanted is not None or self._building is not None

    def result(self, draft: DurationDraft) -> DraftResult:
        """What ``draft`` gives, at once: with its plan when it is built already, else
        checked only, and its plan is then built after the pause."""
        known = self._known(draft)
        if known is not None:
            return known
        if self._checked is not None and self._checked[0] == draft:
            return self._checked[1]
        checked = draft.check()
        self._checked = (draft, checked)
        if checked.ok and draft != self._wanted and not self._closed:
            self._wanted = draft
            self._timer.start()  # again: the pause counts from the last edit
        return checked

    def ready_plan(self, draft: DurationDraft) -> SessionPlan | None:
        """The plan of ``draft`` if it is built already (never builds)."""
        known = self._known(draft)
        return known.plan if known is not None else None

    def result_now(self, draft: DurationDraft) -> DraftResult:
        """What ``draft`` gives, with its plan: the one built already, the one the worker
        is building (waited for), or one built here."""
        known = self._known(draft)
        if known is None and self._building == draft and self._worker is not None:
            self._worker.join()
            if self._last_built is not None:
                self._take(self._last_built)
            known = self._known(draft)
        if known is None:
            known = draft.evaluate()
            self._keep(draft, known)
        if self._wanted == draft:
            self._wanted = None
            self._timer.stop()
        return known

    def _known(self, draft: DurationDraft) -> DraftResult | None:
        for kept, result in self._results:
            if kept == draft:
                return result
        return None

    def _keep(self, draft: DurationDraft, result: DraftResult) -> None:
        others = [(d, r) for d, r in self._results if d != draft]
        self._results = [(draft, result), *others][:KEPT_RESULTS]

    def _build_next(self) -> None:
        draft = self._wanted
        if self._closed or draft is None or self._building is not None:
            return  # a build under way starts the next one when it ends
        if self._known(draft) is not None:
            self._wanted = None
            self.planned.emit()
            return
        self._building = draft
        self._builds += 1
        self._worker = threading.Thread(
            target=self._build, args=(self._builds, draft), name="backbeat-plan-draft"
        )
        self._worker.start()

    def _build(self, number: int, draft: DurationDraft) -> None:  # on the worker thread
        result: DraftResult | None = None
        try:
            result = draft.evaluate()
        except Exception:  # Start then builds it on the UI thread and shows the error
            log.exception("building the plan failed")
        self._last_built = built = _Built(number, draft, result)
        self._built.emit(built)

    def _take(self, built: _Built) -> None:
        if built.result is not None:
            self._keep(built.draft, built.result)
        if built.number == self._builds:
            self._building = None

    def _on_built(self, built: _Built) -> None:
        if self._closed:
            return
        self._take(built)
        wanted = self._wanted
        if wanted is None:
            return
        if built.result is None and built.draft == wanted:
            self._wanted = None  # not again: a start builds it and shows what went wrong
        elif self._known(wanted) is not None:
            self._wanted = None
            self.planned.emit()
        elif not self._timer.isActive():
            self._build_next()  # typed on while it was built: that draft now

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
        if self._worker is not None:
            self._worker.join()
