"""A direct ALSA output (libasound through ctypes) that can stop at once.

simpleaudio stops by draining: what it already queued (its fixed 100 ms buffer plus the
sound server's) still plays, measured at about 260 ms through PulseAudio. This output
writes the same caller-owned buffer in small pieces and stops with ``snd_pcm_drop``,
which throws the queued audio away. Opt in with ``open_output("alsa")`` or
``BACKBEAT_AUDIO_OUTPUT=alsa``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.output import _OPEN_DEVICES, _ClockedOutput, no_device_message
from backbeat.core.clock import MonotonicClock

Int16Array = npt.NDArray[np.int16]
log = logging.getLogger(__name__)

_FORMAT_S16_LE = 2
_ACCESS_RW_INTERLEAVED = 3
_STREAM_PLAYBACK = 0
#: Device buffer: small enough that little is queued, big enough for Python's scheduling.
LATENCY_US = 60_000
#: How long a stop waits for the writer thread (it returns as soon as the drop lands).
STOP_JOIN_SECONDS = 1.0


class AlsaError(RuntimeError):
    pass


def _load_library() -> Any:
    name = ctypes.util.find_library("asound")
    if name is None:
        raise AlsaError("libasound (ALSA) is not installed")
    lib = ctypes.CDLL(name)
    lib.snd_pcm_writei.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong]
    lib.snd_pcm_writei.restype = ctypes.c_long
    lib.snd_strerror.restype = ctypes.c_char_p
    for fn in ("snd_pcm_drop", "snd_pcm_prepare", "snd_pcm_close", "snd_pcm_drain"):
        getattr(lib, fn).argtypes = [ctypes.c_void_p]
    lib.snd_pcm_recover.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
    return lib


class AlsaOutput(_ClockedOutput):
    """Plays from the caller's int16 buffer (no copy: samples written ahead are heard)."""

    def __init__(self, device: str = "default", sample_rate: int = OUTPUT_RATE) -> None:
        super().__init__(MonotonicClock(), sample_rate)
        self._lib = _load_library()
        self._pcm = ctypes.c_void_p()
        self._check(
            self._lib.snd_pcm_open(ctypes.byref(self._pcm), device.encode(), _STREAM_PLAYBACK, 0),
            "Error opening PCM device.",
        )
        self._check(
            self._lib.snd_pcm_set_params(
                self._pcm, _FORMAT_S16_LE, _ACCESS_RW_INTERLEAVED, 1, sample_rate, 1, LATENCY_US
            ),
            "Error setting parameters.",
        )
        buffer_frames, period_frames = ctypes.c_ulong(), ctypes.c_ulong()
        self._lib.snd_pcm_get_params(
            self._pcm, ctypes.byref(buffer_frames), ctypes.byref(period_frames)
        )
        self._piece = max(64, int(period_frames.value))
        # The writer of the current play and the event that stops it: one event per play,
        # so a writer that outlives its stop can never be revived by the next play.
        self._playing: tuple[threading.Thread, threading.Event] | None = None
        # Writers that did not finish within STOP_JOIN_SECONDS of their stop.
        self._lingering: list[threading.Thread] = []
        self.problem: str | None = None
        self.underruns = 0
        _OPEN_DEVICES.add(self)

    def _check(self, result: int, what: str) -> None:
        if result < 0:
            message = self._lib.snd_strerror(result).decode(errors="replace")
            raise AlsaError(f"{what} -- CODE: {result} -- MSG: {message}")

    def play(self, samples: Int16Array) -> None:
        self.stop()
        buffer = np.ascontiguousarray(samples, dtype=np.int16)
        self._join_lingering()
        self._lib.snd_pcm_prepare(self._pcm)
        stopping = threading.Event()
        thread = threading.Thread(
            target=self._write_all, args=(buffer, stopping), name="backbeat-alsa", daemon=True
        )
        self._playing = (thread, stopping)
        self._begin(buffer)
        thread.start()

    def _write_all(self, buffer: Int16Array, stopping: threading.Event) -> None:
        base = buffer.ctypes.data
        done, total = 0, len(buffer)
        while done < total and not stopping.is_set():
            count = min(self._piece, total - done)
            written = self._lib.snd_pcm_writei(self._pcm, base + 2 * done, count)
            if written >= 0:
                done += written
                continue
            if stopping.is_set():
                return
            self.underruns += 1
            if self._lib.snd_pcm_recover(self._pcm, int(written), 1) < 0:
                self.problem = no_device_message(AlsaError(f"ALSA write error {written}"))
                log.warning("%s", self.problem)
                return
        if not stopping.is_set():
            self._lib.snd_pcm_drain(self._pcm)

    def stop(self) -> None:
        playing = self._playing
        if playing is not None:
            thread, stopping = playing
            stopping.set()
            self._lib.snd_pcm_drop(self._pcm)  # discard what is queued: silence now
            thread.join(STOP_JOIN_SECONDS)
            if thread.is_alive():
                log.warning("the ALSA writer is slow to stop; it will write no more")
                self._lingering.append(thread)
            self._playing = None
        self._end()

    def _join_lingering(self) -> bool:
        """Wait (bounded) for writers that outlived their stop; True when none is left."""
        for thread in self._lingering:
            thread.join(STOP_JOIN_SECONDS)
        self._lingering = [t for t in self._lingering if t.is_alive()]
        return not self._lingering

    def close(self) -> None:
        self.stop()
        if not self._pcm:
            return
        if not self._join_lingering():
            # Closing the device under a thread still inside snd_pcm_writei would free
            # what it writes to: leave it open (the process is ending anyway).
            log.warning("an ALSA writer did not stop; the device is left open")
            return
        self._lib.snd_pcm_close(self._pcm)
        self._pcm = ctypes.c_void_p()
