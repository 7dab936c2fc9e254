"""Where the listener's audio comes from: the microphone (sounddevice / PortAudio), or
an array or WAV file for tests and benchmarks. Every block carries its start time on
``time.monotonic()``, so the gate can compare it with what the speaker played."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from backbeat.audio.resample import resample
from backbeat.listen.recogniser import RECOGNISER_RATE

Int16Array = npt.NDArray[np.int16]
#: 100 ms blocks: short enough for a quick answer, long enough to cost little per call.
BLOCK_SECONDS = 0.1


class MicrophoneUnavailable(RuntimeError):
    """No input device, or it would not open: the message says what to do."""


@dataclass(frozen=True)
class AudioBlock:
    samples: Int16Array  # mono, RECOGNISER_RATE
    start: float  # monotonic time of samples[0] at the microphone

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / RECOGNISER_RATE

    def level(self) -> float:
        """RMS level 0..1, for the listening indicator."""
        if len(self.samples) == 0:
            return 0.0
        x = self.samples.astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(x * x)))


class AudioSource(Protocol):
    def start(self) -> None: ...

    def read(self, timeout: float) -> AudioBlock | None:
        """The next block, or None when none came within ``timeout`` seconds."""
        ...

    @property
    def finished(self) -> bool:
        """True once a finite source has handed out its last block."""
        ...

    def close(self) -> None: ...


def to_recogniser_rate(samples: npt.NDArray[Any], rate: int) -> Int16Array:
    """Any mono float (-1..1) or int16 signal -> int16 at the recogniser's rate."""
    x = np.asarray(samples)
    if x.ndim == 2:
        x = x.mean(axis=1)
    floats = x.astype(np.float32) / 32768.0 if x.dtype == np.int16 else x.astype(np.float32)
    y = resample(floats, rate, RECOGNISER_RATE)
    result: Int16Array = (np.clip(y, -1.0, 1.0) * 32767).astype(np.int16)
    return result


class ArraySource:
    """A prerecorded signal handed out block by block as fast as it is read (or paced
    with ``realtime``), block times counted from ``start_time``."""

    def __init__(
        self,
        samples: npt.NDArray[Any],
        rate: int = RECOGNISER_RATE,
        start_time: float = 0.0,
        realtime: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._samples = to_recogniser_rate(samples, rate)
        self._start_time = start_time
        self._realtime = realtime
        self._clock = clock
        self._position = 0
        self._block = round(BLOCK_SECONDS * RECOGNISER_RATE)
        self._began: float | None = None

    def start(self) -> None:
        self._began = self._clock()

    @property
    def finished(self) -> bool:
        return self._position >= len(self._samples)

    def read(self, timeout: float) -> AudioBlock | None:
        if self.finished:
            return None
        begin = self._position
        end = min(len(self._samples), begin + self._block)
        if self._realtime and self._began is not None:
            due = self._began + end / RECOGNISER_RATE
            wait = due - self._clock()
            if wait > timeout:
                time.sleep(timeout)
                return None
            if wait > 0:
                time.sleep(wait)
        self._position = end
        return AudioBlock(self._samples[begin:end], self._start_time + begin / RECOGNISER_RATE)

    def close(self) -> None:
        self._position = len(self._samples)


def wav_source(path: Path, start_time: float = 0.0, realtime: bool = False) -> ArraySource:
    import soundfile

    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    return ArraySource(samples, int(rate), start_time, realtime)


class MicrophoneSource:
    """The microphone through a sounddevice InputStream at 16 kHz mono (PortAudio or the
    sound server resamples). The callback only copies the block into a queue: the
    recognition runs in the listener's thread, never in the audio callback."""

    def __init__(self, device: str | int | None = None, max_queued_blocks: int = 50) -> None:
        self.device = device
        self._queue: queue.Queue[AudioBlock] = queue.Queue(max_queued_blocks)
        self._stream: Any = None
        self.overflows = 0

    def start(self) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as error:
            raise MicrophoneUnavailable(
                f"the sound library cannot reach the microphone ({error}); install "
                "PortAudio (apt-get install libportaudio2)"
            ) from None
        try:
            stream = sounddevice.InputStream(
                samplerate=RECOGNISER_RATE,
                channels=1,
                dtype="int16",
                blocksize=round(BLOCK_SECONDS * RECOGNISER_RATE),
                device=self.device,
                callback=self._callback,
            )
            stream.start()
        except (sounddevice.PortAudioError, ValueError) as error:
            where = (
                f"the input device {self.device!r}" if self.device is not None else "a microphone"
            )
            names = ", ".join(input_devices()) or "none found"
            raise MicrophoneUnavailable(
                f"cannot listen to {where} ({error}); check that one is connected, or choose "
                f"another with --input-device (input devices here: {names})"
            ) from None
        self._stream = stream

    def _callback(self, data: Any, frames: int, timing: Any, status: Any) -> None:
        # PortAudio's clock -> monotonic: the stream time now minus when the block's
        # first sample hit the converter. Hosts that report no ADC time (0) get the
        # block's length and the reported input latency instead.
        now = time.monotonic()
        stream_now = float(timing.currentTime)
        adc = float(timing.inputBufferAdcTime)
        if adc > 0 and stream_now >= adc:
            start = now - (stream_now - adc)
        else:
            latency = float(self._stream.latency) if self._stream is not None else 0.0
            start = now - frames / RECOGNISER_RATE - latency
        block = AudioBlock(np.array(data[:, 0], dtype=np.int16), start)
        try:
            self._queue.put_nowait(block)
        except queue.Full:
            self.overflows += 1  # the listener fell behind: drop the block, never block

    @property
    def finished(self) -> bool:
        return False

    def read(self, timeout: float) -> AudioBlock | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()
            stream.close()


def input_devices() -> list[str]:
    """Names of the devices that can record, for the settings and --input-device."""
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except (ImportError, OSError):
        return []
    return [str(d["name"]) for d in devices if int(d["max_input_channels"]) > 0]
