"""The listener: one worker thread reads the audio source, drops what the gate closes
(telling the recogniser where the clicks sound in what it lets through) and hands what
the recogniser found to a callback. One owner calls :meth:`close`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from backbeat.listen.commands import Heard
from backbeat.listen.gate import OwnSoundGate
from backbeat.listen.recogniser import PocketSphinxRecogniser
from backbeat.listen.sources import AudioBlock, AudioSource

log = logging.getLogger(__name__)

#: How long one wait for a block lasts, so close() is answered quickly.
READ_TIMEOUT_SECONDS = 0.2


class VoiceListener:
    """``on_heard`` and ``on_level`` are called from the listener thread: a front end
    that must act on its own thread (Qt) queues the call itself."""

    def __init__(
        self,
        source: AudioSource,
        recogniser: PocketSphinxRecogniser,
        gate: OwnSoundGate,
        on_heard: Callable[[Heard], None],
        on_level: Callable[[float], None] | None = None,
    ) -> None:
        self.source = source
        self.recogniser = recogniser
        self.gate = gate
        self._on_heard = on_heard
        self._on_level = on_level
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: Exception | None = None  # why the thread stopped early, if it did

    def start(self) -> None:
        """Open the source here (so a missing microphone is reported to the caller),
        then listen in the worker thread."""
        if self._thread is not None:
            return
        self.source.start()
        self._thread = threading.Thread(target=self._run, name="backbeat-listener", daemon=True)
        self._thread.start()

    def process(self, block: AudioBlock) -> list[Heard]:
        """One block through the gate and the recogniser (the thread's step; tests and
        benchmarks call it directly to run faster than real time)."""
        if self._on_level is not None:
            self._on_level(block.level())
        if self.gate.closed(block.start, block.end):
            if self.recogniser.hearing:
                log.debug("the app's own voice sounds: what was being heard is dropped")
            self.recogniser.interrupt()
            return []
        clicks = self.gate.clicks(block.start, block.end)
        heard = self.recogniser.feed(block.samples, block.start, clicks)
        for item in heard:
            self._on_heard(item)
        return heard

    def _run(self) -> None:
        try:
            while not self._stop.is_set() and not self.source.finished:
                block = self.source.read(READ_TIMEOUT_SECONDS)
                if block is not None:
                    self.process(block)
        except Exception as error:  # reported by the owner; the app goes on without voice
            log.exception("the voice listener stopped")
            self.error = error

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Until a finite source has been heard to its end (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None
        self.source.close()
        self.recogniser.close()
