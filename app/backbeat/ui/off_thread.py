"""One job at a time on a worker thread, its result handed back on the UI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class OffThread(QObject):
    """Runs a job (file I/O, no Qt) on a thread of its own and calls ``then`` with its
    result on the UI thread. The one owner of that thread: :meth:`close` waits for a job
    under way, and nothing is handed back after it."""

    _done = Signal(object, object)  # then, result; queued to the UI thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._worker: threading.Thread | None = None
        self._closed = False
        self._done.connect(self._hand_over)

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def run(self, job: Callable[[], Any], then: Callable[[Any], None]) -> bool:
        """Start ``job``; False (and nothing started) while another runs or once closed."""
        if self._closed or self._worker is not None:
            return False
        self._worker = threading.Thread(target=self._run, args=(job, then), name=self._name)
        self._worker.start()
        return True

    def _run(self, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        try:
            result = job()
        except Exception:  # the job reports its own errors; this is a bug, for the log
            log.exception("%s failed", self._name)
            result = None
        self._done.emit(then, result)

    def _hand_over(self, then: Callable[[Any], None], result: object) -> None:
        if self._worker is not None:
            self._worker.join()  # it has emitted: it ends at once
            self._worker = None
        if not self._closed:
            then(result)

    def close(self) -> None:
        self._closed = True
        if self._worker is not None:
            self._worker.join()
            self._worker = None
