"""Reads the user's protocol folder on a worker thread, so the window never waits for it.

Reading a file the protocol cache does not know takes about 20 ms (the YAML reader is pure
Python), so a folder of 500 new files took 13 s before the first paint. The window now
opens with the bundled protocols; :class:`UserFolderReader` reads the folder after the
first paint and hands what it found to the UI thread, where the list fills in.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from backbeat.core.library import LibraryEntry
from backbeat.core.library_cache import LibraryCache
from backbeat.ui.protocol_library import ProtocolLibrary, UserFolderScan

log = logging.getLogger(__name__)
#: The reader starts after the first paint, or this long after the window was made.
LATEST_START_MS = 1000


class UserFolderReader(QObject):
    """The one owner of the reading thread: :meth:`close` stops it between two files and
    waits for it, so no thread outlives the window and nothing arrives after it closed."""

    finished = Signal(object)  # a UserFolderScan, on the UI thread
    _read = Signal(object)  # from the worker; queued to the UI thread

    def __init__(
        self,
        library: ProtocolLibrary,
        cache: LibraryCache | None,
        listed: tuple[LibraryEntry, ...],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._cache = cache
        self._listed = listed
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._window: QObject | None = None
        self._read.connect(self._hand_over)

    @property
    def reading(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def start_after_paint(self, window: QWidget) -> None:
        """Start once ``window`` has painted its first frame (a thread reading YAML takes
        the interpreter lock from the UI thread half the time: it must not slow the
        first paint), or after :data:`LATEST_START_MS` if it is never painted."""
        window.installEventFilter(self)
        self._window = window
        QTimer.singleShot(LATEST_START_MS, self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._window = None
            QTimer.singleShot(0, self.start)  # after this paint is done
        return False

    def start(self) -> None:
        if self._worker is not None or self._stop.is_set():
            return  # read once; never after close()
        self._worker = threading.Thread(target=self._run, name="backbeat-read-protocols")
        self._worker.start()

    def _run(self) -> None:
        try:
            scan = self._library.scan_user(self._cache, self._listed, self._stop.is_set)
        except Exception:  # a bug here must not leave the list waiting for ever
            log.exception("reading the user's protocols failed")
            scan = UserFolderScan((), ())
        if not self._stop.is_set():
            self._read.emit(scan)

    def _hand_over(self, scan: UserFolderScan) -> None:
        if not self._stop.is_set():  # a scan queued just before close() is dropped
            self.finished.emit(scan)

    def close(self) -> None:
        self._stop.set()
        if self._worker is not None:
            self._worker.join()
