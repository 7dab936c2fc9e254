"""The sound device through simpleaudio: the fallback where PortAudio cannot be loaded,
and an output the user may choose.

simpleaudio plays a whole buffer and can only be told to stop; it then drains what it
had queued (about a quarter of a second through PulseAudio), without a fade. So a pause
waits (at most ``DRAIN_TIMEOUT_SECONDS``) until the sound has really stopped and freezes
the session there: resuming starts a new buffer at that frame, and nothing already heard
is played again. Its position is the time since the buffer began: it cannot allow for
the device's latency, so the beat on screen may lead the click by that much.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.output import SoundNotice, first_line
from backbeat.audio.transport import ProgramBuffer

Int16Array = npt.NDArray[np.int16]
log = logging.getLogger(__name__)

#: The longest a stopped buffer keeps sounding: a pause waits this long at most.
DRAIN_TIMEOUT_SECONDS = 0.6


class SimpleAudioUnavailable(Exception):
    """simpleaudio is missing or opens no device; says why."""


class SimpleAudioOutput:
    #: A stream per program: the sound server drops its first milliseconds.
    lead_in_seconds = 0.05
    description = "simpleaudio (no fades; a pause takes about 0.3 s to fall silent)"

    def __init__(self, backend: Any, sample_rate: int = OUTPUT_RATE) -> None:
        self.sample_rate = sample_rate
        self._backend = backend
        self._buffer: ProgramBuffer | None = None
        self._start = 0  # program frame counted from (where the session is)
        self._first = 0  # program frame the current play object began with
        self._began = 0.0  # monotonic time it began
        self._paused_at: int | None = None
        self._play: Any = None
        self._others: list[Any] = []  # overlays and stopped buffers still draining
        self._notices: list[SoundNotice] = []
        self._failed = False

    def play(self, buffer: ProgramBuffer, start: int = 0, *, fade_in: bool = False) -> None:
        self._halt(wait=False)
        self._buffer, self._paused_at = buffer, None
        # The session left the lead-in silent before ``start``: play it, so that what
        # the sound server drops at a stream's start is silence, not the first click.
        self._begin(start, max(0, start - round(self.lead_in_seconds * self.sample_rate)))

    def pause(self) -> None:
        if self._buffer is None or self._paused_at is not None:
            return
        self._paused_at = self._heard_frame(self._halt(wait=True))

    def resume(self) -> None:
        if self._buffer is not None and self._paused_at is not None:
            start, self._paused_at = self._paused_at, None
            self._begin(start, start)

    def stop(self) -> None:
        self._halt(wait=False)
        self._buffer, self._paused_at = None, None

    def overlay(self, samples: Int16Array) -> None:
        """Only while nothing plays (one buffer at a time is all it can mix)."""
        if self._play is None:
            self._others.append(self._call(np.ascontiguousarray(samples, dtype=np.int16)))

    def position(self) -> float | None:
        if self._buffer is None:
            return None
        if self._paused_at is not None:
            return self._paused_at / self.sample_rate
        return self._heard_frame(time.monotonic()) / self.sample_rate

    def poll(self) -> list[SoundNotice]:
        self._others = [p for p in self._others if p is not None and p.is_playing()]
        notices, self._notices = self._notices, []
        return notices

    def close(self) -> None:
        """Stop and wait until simpleaudio's threads have let go of the buffers."""
        self.stop()
        deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
        for play in self._others:
            while play is not None and play.is_playing() and time.monotonic() < deadline:
                time.sleep(0.005)
        self._others = []

    # -- inside -------------------------------------------------------------------------
    def _heard_frame(self, at: float) -> int:
        assert self._buffer is not None
        frame = self._first + round((at - self._began) * self.sample_rate)
        return min(self._buffer.frames, max(self._start, frame))

    def _begin(self, start: int, first: int) -> None:
        """Play from frame ``first``; the program is counted from ``start``."""
        assert self._buffer is not None
        self._start, self._first, self._began = start, first, time.monotonic()
        if first < self._buffer.frames:
            self._play = self._call(self._buffer.samples[first:])

    def _halt(self, *, wait: bool) -> float:
        """Stop the playing buffer; returns when its sound ended (as far as is known:
        when simpleaudio says its drain is over, or now when not waiting)."""
        play, self._play = self._play, None
        if play is None:
            return time.monotonic()
        play.stop()
        if wait:
            deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
            while play.is_playing() and time.monotonic() < deadline:
                time.sleep(0.002)
        ended = time.monotonic()
        self._others.append(play)
        return ended

    def _call(self, samples: Int16Array) -> Any:
        if self._failed:
            return None
        try:
            return self._backend.play_buffer(samples, 1, 2, self.sample_rate)
        except Exception as error:  # simpleaudio raises its own error type per OS
            self._failed = True
            text = (
                f"Sound lost ({first_line(error)}). Still timing the session; the "
                "simpleaudio output cannot reconnect: restart the session to try again."
            )
            self._notices.append(SoundNotice(text, lost=True))
            return None


@contextlib.contextmanager
def alsa_quiet() -> Iterator[None]:
    """ALSA prints its own lines to stderr when there is no device; the user gets our one
    message instead."""
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


def open_simpleaudio(backend: Any = None) -> SimpleAudioOutput:
    if backend is None:
        try:
            import simpleaudio
        except ImportError as error:
            raise SimpleAudioUnavailable(f"simpleaudio is not installed ({error})") from None
        backend = simpleaudio
    try:
        # A few milliseconds of silence: opening the device is what fails without one.
        with alsa_quiet():
            probe = backend.play_buffer(np.zeros(64, dtype=np.int16), 1, 2, OUTPUT_RATE)
        probe.stop()
    except Exception as error:
        raise SimpleAudioUnavailable(f"no sound device found ({first_line(error)})") from None
    return SimpleAudioOutput(backend)
