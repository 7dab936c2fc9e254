"""Playback outputs behind one small interface, and the choice of one.

An output plays one *program* at a time: a session buffer (:class:`StreamBuffer`) that
the session keeps rendering ahead of the play head, read from a start frame. Pause and
resume keep the program and go on from the exact frame where the sound stopped; a new
program (a jump) replaces the old one. :meth:`AudioOutput.position` says which frame the
listener hears now, which is what the session clock follows.

- :class:`~backbeat.audio.portaudio_output.PortAudioOutput`: the device, through
  PortAudio (sounddevice); one callback stream open for the whole session, short fades.
- :class:`~backbeat.audio.simpleaudio_output.SimpleAudioOutput`: the device through
  simpleaudio, the fallback where PortAudio cannot be loaded (no fades, slow to stop).
- :class:`NullOutput` (silent, on a clock) and :class:`MemoryOutput` (tests: records every
  frame it delivered).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.transport import ProgramBuffer, Transport
from backbeat.core.clock import Clock, MonotonicClock

Int16Array = npt.NDArray[np.int16]
log = logging.getLogger(__name__)

#: Overrides the output kind ("null" for tests, benchmarks and screenshots).
OUTPUT_ENV = "BACKBEAT_AUDIO_OUTPUT"
OUTPUT_KINDS = ("auto", "portaudio", "simpleaudio", "null")
SILENT_ADVICE = "The session runs silently, on time; check your speakers or headphones."


@dataclass(frozen=True)
class SoundNotice:
    """Something the user must be told about the sound, as it happens."""

    text: str
    #: Whether the sound is gone after this (lost: True; back again: False).
    lost: bool


class AudioOutput(Protocol):
    sample_rate: int
    #: Silence the session puts before a program's first sound (outputs that open a
    #: stream per program lose its first milliseconds).
    lead_in_seconds: float
    #: What the user is told plays the sound ("PortAudio, default device").
    description: str

    def play(self, buffer: ProgramBuffer, start: int = 0, *, fade_in: bool = False) -> None:
        """Play ``buffer`` from frame ``start``, replacing whatever plays; ``fade_in``
        when it starts mid-sound."""

    def pause(self) -> None:
        """Fall silent; :meth:`resume` goes on from the frame where the sound stopped."""

    def resume(self) -> None: ...

    def stop(self) -> None:
        """Fall silent and forget the program."""

    def overlay(self, samples: Int16Array) -> None:
        """Sound ``samples`` now, on top of the program or while it is paused."""

    def position(self) -> float | None:
        """Seconds into the program that the listener hears now (the resume point while
        paused); None when no program is set."""
        ...

    def poll(self) -> list[SoundNotice]:
        """What the user must be told since the last call (the device was lost, it is
        back); also where an output notices that its device has gone."""
        ...

    def close(self) -> None: ...


class ClockedOutput:
    """A transport pulled by a clock instead of a device: what a device with no latency
    would do. The base of the silent and memory outputs, and what the PortAudio output
    falls back on while its device is gone."""

    lead_in_seconds = 0.0
    description = "no sound (silent)"

    def __init__(self, clock: Clock | None = None, sample_rate: int = OUTPUT_RATE) -> None:
        self.sample_rate = sample_rate
        self.transport = Transport(sample_rate)
        self._clock: Clock = clock or MonotonicClock()
        self._origin = self._clock.now()
        self._delivered = 0

    def play(self, buffer: ProgramBuffer, start: int = 0, *, fade_in: bool = False) -> None:
        self.pump()
        self.transport.play(buffer, start, fade_in=fade_in)

    def pause(self) -> None:
        self.pump()
        self.transport.pause()

    def resume(self) -> None:
        self.pump()
        self.transport.resume()

    def stop(self) -> None:
        self.pump()
        self.transport.stop()

    def overlay(self, samples: Int16Array) -> None:
        self.pump()
        self.transport.overlay(samples)

    def position(self) -> float | None:
        self.pump()
        heard = self.transport.heard(self._clock.now())
        return None if heard is None else heard / self.sample_rate

    def poll(self) -> list[SoundNotice]:
        self.pump()
        return []

    def close(self) -> None:
        self.stop()

    def pump(self) -> None:
        """Deliver the frames due by now."""
        due = round((self._clock.now() - self._origin) * self.sample_rate) - self._delivered
        if due > 0:
            speaker_time = self._origin + self._delivered / self.sample_rate
            frames, _ = self.transport.pull(due, speaker_time)
            self._delivered += due
            self.deliver(frames)

    def deliver(self, frames: Int16Array) -> None:
        """Where delivered frames go: nowhere (silence)."""


class NullOutput(ClockedOutput):
    """Silent: the session still runs on the clock."""


class MemoryOutput(ClockedOutput):
    """For tests: keeps every frame it delivered, silence included, as a device would
    have played them."""

    description = "memory (tests)"

    def __init__(self, clock: Clock, sample_rate: int = OUTPUT_RATE) -> None:
        super().__init__(clock, sample_rate)
        self._parts: list[Int16Array] = []

    def deliver(self, frames: Int16Array) -> None:
        self._parts.append(frames)

    def delivered(self) -> Int16Array:
        self.pump()
        return np.concatenate(self._parts) if self._parts else np.zeros(0, dtype=np.int16)


@dataclass
class OpenedOutput:
    output: AudioOutput
    #: One line for the user: which output plays, or why the session is silent.
    message: str
    silent: bool = False


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def open_output(kind: str = "auto", device: str | None = None) -> OpenedOutput:
    """The output to use: PortAudio where it loads (``auto``), simpleaudio when asked or
    as the fallback, silence (with the reason) when neither opens a device.

    ``BACKBEAT_AUDIO_OUTPUT`` overrides ``auto`` (tests and headless machines use
    ``null``). Raises :class:`UnknownDevice` for a device name that does not exist."""
    if kind == "auto":
        kind = os.environ.get(OUTPUT_ENV, "auto").strip().lower() or "auto"
    if kind == "null":
        # Asked for (tests, screenshots, a headless machine): nothing to warn about.
        return OpenedOutput(NullOutput(), "Sound output: none (silent, as asked).")
    problems: list[str] = []
    if kind in ("auto", "portaudio"):
        from backbeat.audio.portaudio_output import PortAudioUnavailable, open_portaudio

        try:
            output = open_portaudio(device)
            return OpenedOutput(output, f"Sound output: {output.description}.")
        except PortAudioUnavailable as error:
            problems.append(str(error))
            if kind == "portaudio" or device is not None:
                return _silent(problems)
    from backbeat.audio.simpleaudio_output import SimpleAudioUnavailable, open_simpleaudio

    try:
        fallback = open_simpleaudio()
    except SimpleAudioUnavailable as error:
        problems.append(str(error))
        return _silent(problems)
    because = f" ({problems[0]})" if problems else ""
    return OpenedOutput(fallback, f"Sound output: {fallback.description}{because}.")


def _silent(problems: list[str]) -> OpenedOutput:
    why = "; ".join(problems)
    return OpenedOutput(NullOutput(), f"No sound: {why}. {SILENT_ADVICE}", silent=True)
