"""The sound device through PortAudio (sounddevice): one callback stream for the session.

The stream stays open and pulls its frames from a :class:`Transport`, so pause, resume and
jumps take effect within one device buffer, with short fades. Each callback says when
its first frame reaches the speaker (``outputBufferDacTime``), so the session clock
follows the sound that is heard, not the buffer that is written.

When the device goes away (a stream error, or no callback for a while), the output goes
on on the clock as if it were playing, tells the user once, and tries to reopen the
device every few seconds in a thread of its own; once it is back, the sound fades in at
the frame the session has reached.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.output import ClockedOutput, SoundNotice, first_line

log = logging.getLogger(__name__)

#: Asked of PortAudio: low enough that a pause is heard within ~30 ms, high enough that a
#: busy machine does not underrun (measured in benchmarks/latency.py).
LATENCY_SECONDS = 0.025
#: No callback for this long while the stream should run: the device is gone.
STALL_SECONDS = 1.0
#: This many underruns within the window: the stream is reopened with twice the latency,
#: up to the most.
UNDERRUNS_BEFORE_LONGER = 3
UNDERRUN_WINDOW_SECONDS = 10.0
MAX_LATENCY_SECONDS = 0.2
#: A new stream may wait this long before its device starts to take frames (PulseAudio
#: does, while a sink that was idle adopts the stream's latency): not a loss.
STARTUP_GRACE_SECONDS = 3.0
#: How often a lost device is tried again.
RECONNECT_SECONDS = 2.0
#: What PortAudio may report as the device latency before it is taken as nonsense.
PLAUSIBLE_LAG_SECONDS = 1.0


class PortAudioUnavailable(Exception):
    """PortAudio cannot be loaded, or it cannot open the device; says which and why."""


class UnknownDevice(ValueError):
    """An output device name that matches no device (or several); lists the choices."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:  # the Python package is there, libportaudio is not
        raise PortAudioUnavailable(
            f"PortAudio is not installed ({first_line(error)}; install libportaudio2)"
        ) from None
    except ImportError as error:
        raise PortAudioUnavailable(f"sounddevice is not installed ({error})") from None
    return sounddevice


def output_device_names(sd: Any = None) -> list[str]:
    """The names of the output devices PortAudio sees, in its order."""
    sd = sd or _sounddevice()
    return [d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0]


def resolve_device(name: str | None, sd: Any = None) -> int | None:
    """PortAudio's index for an output device named exactly ``name`` (or, failing that,
    the one device whose name contains it, ignoring case); None for the system default."""
    if name is None or not name.strip():
        return None
    sd = sd or _sounddevice()
    devices = list(enumerate(sd.query_devices()))
    outputs = [(i, d["name"]) for i, d in devices if d["max_output_channels"] > 0]
    exact = [i for i, n in outputs if n == name]
    close = [i for i, n in outputs if name.strip().lower() in n.lower()]
    found = exact or close
    if len(found) == 1:
        return found[0]
    listing = ", ".join(repr(n) for _, n in outputs) or "none"
    what = "matches several devices" if found else "is not a sound output here"
    raise UnknownDevice(f"output device {name!r} {what}. Output devices: {listing}.")


class PortAudioOutput(ClockedOutput):
    lead_in_seconds = 0.0

    def __init__(
        self,
        sd: Any,
        device: str | None = None,
        sample_rate: int = OUTPUT_RATE,
        latency: float = LATENCY_SECONDS,
    ) -> None:
        super().__init__(None, sample_rate)
        self._sd = sd
        self._device_name = device
        self._latency = latency
        self.description = f"PortAudio, {device or 'the default device'}"
        self.underruns = 0
        self._underrun_times: list[float] = []
        #: CPU time spent in the audio callback so far (benchmarks/latency.py reports it).
        self.callback_cpu_seconds = 0.0
        self._mode = threading.Lock()  # who pulls the transport: the stream or the clock
        self._notices: list[SoundNotice] = []
        self._last_callback = self._last_poll = time.monotonic()
        self._failed: str | None = None  # set from PortAudio's thread
        self._lost = False
        self._closing = threading.Event()
        self._reconnector: threading.Thread | None = None
        self._stream: Any = self._open_stream()  # raises PortAudioUnavailable
        self._stream_started = time.monotonic()
        self._stream.start()

    # -- the stream -----------------------------------------------------------------------
    def _open_stream(self) -> Any:
        try:
            return self._sd.OutputStream(
                samplerate=self.sample_rate,
                channels=1,
                dtype="int16",
                device=resolve_device(self._device_name, self._sd),
                latency=self._latency,
                callback=self._callback,
                finished_callback=self._on_finished,
            )
        except UnknownDevice:
            raise
        except Exception as error:  # sounddevice.PortAudioError, or ValueError for a device
            raise PortAudioUnavailable(
                f"the sound device cannot be opened ({first_line(error)})"
            ) from None

    def _callback(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        began = time.thread_time()
        now = time.monotonic()
        lag = time_info.outputBufferDacTime - time_info.currentTime
        if not 0.0 <= lag < PLAUSIBLE_LAG_SECONDS:  # some ALSA devices report 0 or garbage
            lag = self._latency
        data, report = self.transport.pull(frames, now + lag)
        outdata[:, 0] = data
        self._last_callback = now
        if status.output_underflow:
            self.underruns += 1
            self._underrun_times.append(now)
            log.debug("output underflow (%d so far)", self.underruns)
        if report.underrun_frames:
            log.debug("the renderer was %d frames late", report.underrun_frames)
        self.callback_cpu_seconds += time.thread_time() - began

    def _on_finished(self) -> None:
        if not self._closing.is_set():
            self._failed = "the sound device stopped"

    # -- the contract ---------------------------------------------------------------------
    def poll(self) -> list[SoundNotice]:
        """Notices the loss of the device (and its return), within ``STALL_SECONDS``."""
        now = time.monotonic()
        previous, self._last_poll = self._last_poll, now
        if now - previous > STALL_SECONDS:
            # This process itself did not run for that long (a library held the
            # interpreter's lock: loading the speech recogniser's model holds it for
            # 0.5 s, longer on a busy machine; or the machine slept): the callback could
            # not run either, so its silence says nothing about the device yet.
            self._last_callback = max(self._last_callback, now)
        if not self._lost:
            settling = now - self._stream_started < STARTUP_GRACE_SECONDS
            stalled = not settling and now - self._last_callback > STALL_SECONDS
            if self._failed is not None or stalled:
                self._lose(self._failed or "the sound device stopped answering")
            elif self._needs_longer_buffer(now):
                self._lengthen_buffer()
        self.pump()
        notices, self._notices = self._notices, []
        return notices

    def pump(self) -> None:
        with self._mode:
            if self._lost:
                super().pump()

    def close(self) -> None:
        self._closing.set()
        if self._reconnector is not None:
            self._reconnector.join()
            self._reconnector = None
        self.transport.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            _close_quietly(stream)

    # -- a longer buffer when the device keeps underrunning ------------------------------
    def _needs_longer_buffer(self, now: float) -> bool:
        recent = [t for t in self._underrun_times if now - t < UNDERRUN_WINDOW_SECONDS]
        self._underrun_times = recent
        return len(recent) >= UNDERRUNS_BEFORE_LONGER and self._latency < MAX_LATENCY_SECONDS

    def _lengthen_buffer(self) -> None:
        """Reopen the stream with twice the latency: a busy machine that cannot refill a
        short buffer in time makes gaps, which move every later click. Quietly: the
        session goes on on the clock for the few milliseconds this takes."""
        self._latency = min(MAX_LATENCY_SECONDS, 2 * self._latency)
        self._underrun_times = []
        log.info("underruns: reopening the stream at %.0f ms latency", self._latency * 1e3)
        self._switch_to_clock(announce=False, first_try=0.0)

    # -- loss and return ------------------------------------------------------------------
    def _lose(self, reason: str) -> None:
        text = f"Sound lost ({reason}). Still timing the session; trying to reconnect."
        self._notices.append(SoundNotice(text, lost=True))
        log.info("sound lost: %s", reason)
        self._switch_to_clock(announce=True, first_try=RECONNECT_SECONDS)

    def _switch_to_clock(self, *, announce: bool, first_try: float) -> None:
        """The clock pulls the session from now on, while a thread of its own closes the
        stream and opens a new one."""
        with self._mode:
            self._lost = True
            self._origin, self._delivered = time.monotonic(), 0
        broken, self._stream = self._stream, None
        self._reconnector = threading.Thread(
            target=self._reconnect,
            args=(broken, announce, first_try),
            name="backbeat-sound-reconnect",
            daemon=True,
        )
        self._reconnector.start()

    def _reconnect(self, broken: Any, announce: bool, first_try: float) -> None:
        if broken is not None:
            _close_quietly(broken)
        delay = first_try
        while not self._closing.wait(delay):
            delay = RECONNECT_SECONDS
            stream = self._try_open()
            if stream is None:
                continue
            with self._mode:
                if self._closing.is_set():
                    _close_quietly(stream)
                    return
                # The session's frames up to now went to no one, and so do those of the
                # new stream's latency: its first frame sounds at the session's place.
                self._origin -= float(getattr(stream, "latency", 0.0) or 0.0)
                super().pump()
                self._failed = None
                self._last_callback = self._stream_started = time.monotonic()
                self._stream = stream
                self.transport.fade_in()
                self._lost = False
                stream.start()
            if announce:
                self._notices.append(SoundNotice(f"Sound is back ({self.description}).", False))
                log.info("sound is back")
            return

    def _try_open(self) -> Any:
        for refresh in (False, True):
            if refresh:  # PortAudio lists devices once: look again (a device plugged back)
                _reinitialise(self._sd)
            try:
                return self._open_stream()
            except (PortAudioUnavailable, UnknownDevice) as error:
                log.debug("reconnect failed: %s", error)
        return None


def _reinitialise(sd: Any) -> None:
    try:
        sd._terminate()
        sd._initialize()
    except Exception as error:  # PortAudio could not start again: try later
        log.debug("PortAudio re-initialisation failed: %s", error)


def _close_quietly(stream: Any) -> None:
    try:
        stream.abort()
        stream.close()
    except Exception as error:  # a stream whose device is gone may refuse to close
        log.debug("closing a broken stream: %s", error)


def open_portaudio(
    device: str | None = None, opener: Callable[..., PortAudioOutput] = PortAudioOutput
) -> PortAudioOutput:
    """The device through PortAudio; :class:`PortAudioUnavailable` says why not."""
    return opener(_sounddevice(), device)
