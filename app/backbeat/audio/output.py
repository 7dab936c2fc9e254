"""Playback backends behind one small interface.

``play`` takes the int16 buffer itself, not a copy: :class:`SimpleAudioOutput` streams
straight from it, so the session can keep writing the samples ahead of the play head
into the same buffer (one stream, no seams at technique changes).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.wav import WavStreamWriter
from backbeat.core.clock import Clock, MonotonicClock

Int16Array = npt.NDArray[np.int16]
log = logging.getLogger(__name__)

OUTPUT_ENV = "BACKBEAT_AUDIO_OUTPUT"
NO_DEVICE_ADVICE = "The session runs silently; check your speakers or headphones and restart."


class AudioOutput(Protocol):
    sample_rate: int

    def play(self, samples: Int16Array) -> None:
        """Start ``samples`` (int16 mono) now, replacing whatever plays."""

    def stop(self) -> None:
        """Silence at once."""

    def position(self) -> float | None:
        """Seconds into the current buffer; None when idle."""
        ...


class _ClockedOutput:
    """Position from a clock captured when the buffer started: devices give no position,
    and the clock is what the engine follows anyway."""

    #: True when the output reads a buffer again after playing it (to record it), so
    #: the session must not hand heard samples back to the system.
    keeps_buffer = False

    def __init__(self, clock: Clock | None, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._clock: Clock = clock or MonotonicClock()
        self._started: float | None = None
        self._length = 0.0

    def _begin(self, samples: Int16Array) -> None:
        self._started = self._clock.now()
        self._length = len(samples) / self.sample_rate

    def _end(self) -> None:
        self._started = None

    def position(self) -> float | None:
        if self._started is None:
            return None
        return min(self._length, self._clock.now() - self._started)


class NullOutput(_ClockedOutput):
    """Silent: the session still runs on the clock."""

    def __init__(self, clock: Clock | None = None, sample_rate: int = OUTPUT_RATE) -> None:
        super().__init__(clock, sample_rate)

    def play(self, samples: Int16Array) -> None:
        self._begin(samples)

    def stop(self) -> None:
        self._end()


class MemoryOutput(_ClockedOutput):
    """For tests: remembers each buffer with the clock times it began and ended."""

    keeps_buffer = True

    def __init__(self, clock: Clock, sample_rate: int = OUTPUT_RATE) -> None:
        super().__init__(clock, sample_rate)
        self.plays: list[tuple[float, Int16Array]] = []
        self.ends: list[float | None] = []  # None while it is still playing

    def play(self, samples: Int16Array) -> None:
        self.stop()
        self._begin(samples)
        self.plays.append((self._clock.now(), samples))
        self.ends.append(None)

    def stop(self) -> None:
        if self.ends and self.ends[-1] is None:
            self.ends[-1] = self._clock.now()
        self._end()

    def heard(self) -> Int16Array:
        """Everything heard so far: each buffer up to where it was stopped or replaced."""
        parts = []
        for (began, samples), ended in zip(self.plays, self.ends, strict=True):
            stop = self._clock.now() if ended is None else ended
            parts.append(samples[: max(0, round((stop - began) * self.sample_rate))])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)


class WavFileOutput(_ClockedOutput):
    """Writes what would be heard to a WAV file: each buffer up to where it was stopped or
    replaced (on the clock), the last one in full unless a clock says otherwise."""

    keeps_buffer = True

    def __init__(
        self, path: Path, clock: Clock | None = None, sample_rate: int = OUTPUT_RATE
    ) -> None:
        super().__init__(clock, sample_rate)
        self._timed = clock is not None
        self._writer = WavStreamWriter(path, sample_rate)
        self._current: Int16Array | None = None

    def _flush(self) -> None:
        if self._current is not None:
            heard = self.position() if self._timed else None
            count = len(self._current) if heard is None else round(heard * self.sample_rate)
            self._writer.write(self._current[:count])
            self._current = None

    def play(self, samples: Int16Array) -> None:
        self._flush()
        self._current = samples
        self._begin(samples)

    def stop(self) -> None:
        self._flush()
        self._end()

    def close(self) -> None:
        self._flush()
        self._writer.commit()


#: Device outputs whose native threads must be done before the interpreter shuts down.
_OPEN_DEVICES: weakref.WeakSet[Any] = weakref.WeakSet()


@atexit.register
def _close_open_devices() -> None:
    """simpleaudio's thread releases the buffer through the Python C API when its drain
    ends; if that happens after the interpreter is gone, the process crashes (SIGSEGV)."""
    for output in list(_OPEN_DEVICES):
        output.close()


class SimpleAudioOutput(_ClockedOutput):
    """The real device. A failure while playing turns it silent with :attr:`problem` set;
    the session carries on on the clock."""

    #: The longest a stopped buffer keeps sounding (simpleaudio drains what it queued).
    DRAIN_TIMEOUT_SECONDS = 2.0

    def __init__(self, backend: Any = None, sample_rate: int = OUTPUT_RATE) -> None:
        super().__init__(MonotonicClock(), sample_rate)
        if backend is None:
            import simpleaudio

            backend = simpleaudio
        self._backend = backend
        self._play_object: Any = None
        self._draining: list[Any] = []  # stopped, but their native thread is still busy
        self.problem: str | None = None
        _OPEN_DEVICES.add(self)

    def play(self, samples: Int16Array) -> None:
        self.stop()
        buffer = np.ascontiguousarray(samples, dtype=np.int16)
        if self.problem is None:
            try:
                self._play_object = self._backend.play_buffer(buffer, 1, 2, self.sample_rate)
            except Exception as error:  # simpleaudio raises its own error type per OS
                self.problem = no_device_message(error)
                log.warning("%s", self.problem)
        self._begin(buffer)

    def stop(self) -> None:
        if self._play_object is not None:
            self._play_object.stop()
            self._draining.append(self._play_object)
            self._play_object = None
        self._draining = [p for p in self._draining if p.is_playing()]
        self._end()

    def close(self) -> None:
        """Stop and wait until the native playback threads have let go of the buffers."""
        self.stop()
        deadline = time.monotonic() + self.DRAIN_TIMEOUT_SECONDS
        for play in self._draining:
            while play.is_playing() and time.monotonic() < deadline:
                time.sleep(0.01)
        self._draining = []


@contextlib.contextmanager
def _alsa_quiet() -> Iterator[None]:
    """ALSA prints its own lines to stderr when there is no device; the user gets our
    one clear message instead."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def no_device_message(error: BaseException) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"No sound device found ({detail}). {NO_DEVICE_ADVICE}"


def open_output(kind: str = "auto") -> tuple[AudioOutput, str | None]:
    """The output to use and, when it fell back to silence, a message saying why.

    ``kind``: "auto" or "simpleaudio" (the device), "alsa" (the device through libasound,
    stops faster), "null" (silent on purpose). With "auto", the environment variable
    ``BACKBEAT_AUDIO_OUTPUT`` (null | simpleaudio | alsa) decides, so
    tests and headless machines can ask for silence."""
    if kind == "auto":
        kind = os.environ.get(OUTPUT_ENV, "auto").strip().lower() or "auto"
    if kind == "null":
        return NullOutput(), None
    if kind == "alsa":
        from backbeat.audio.alsa_output import AlsaError, AlsaOutput

        try:
            with _alsa_quiet():
                return AlsaOutput(), None
        except (AlsaError, OSError, AttributeError) as error:
            return NullOutput(), no_device_message(error)
    try:
        import simpleaudio
    except ImportError as error:
        return NullOutput(), (
            f"Sound playback is not available (simpleaudio is not installed: {error}). "
            + NO_DEVICE_ADVICE
        )
    try:
        # A few milliseconds of silence: opening the device is what fails without one.
        with _alsa_quiet():
            probe = simpleaudio.play_buffer(np.zeros(64, dtype=np.int16), 1, 2, OUTPUT_RATE)
        probe.stop()
    except Exception as error:
        return NullOutput(), no_device_message(error)
    return SimpleAudioOutput(simpleaudio), None
