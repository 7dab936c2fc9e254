"""What a pulled output plays: one program (a session buffer read from an index) with short
fades at pause, resume and jumps, and prompts overlaid on top.

The output's callback (or, for the silent and memory outputs, a clock) calls :meth:`pull`
for the next frames; the session calls :meth:`play`, :meth:`pause`, :meth:`resume` and
:meth:`stop` from any thread. Every change takes effect at the next pulled frame:

- pause: the program fades out over ``fade`` frames from the next frame ``p``, then
  silence; resume fades in again *from ``p``*, so nothing is skipped and nothing is heard
  twice at full level, and the gain never jumps (no tick);
- play (a jump): the old program fades out while the new one fades in (a crossfade).

It also knows which program frame the speaker is sounding: each pull says when its first
frame reaches the speaker (the device's latency), so :meth:`heard` answers for "now".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

Int16Array = npt.NDArray[np.int16]
FloatArray = npt.NDArray[np.float32]

#: Long enough that the gain change is inaudible as a tick, short enough to feel instant.
FADE_SECONDS = 0.008


class ProgramBuffer(Protocol):
    """A buffer rendered a little ahead of the play head (see :class:`StreamBuffer`)."""

    samples: Int16Array
    frames: int
    filled: int


@dataclass
class _Voice:
    """One program being read: where, and its gain ramp."""

    buffer: ProgramBuffer
    index: int
    gain: float = 1.0  # gain at ``index``
    target: float = 1.0
    step: float = 0.0  # gain change per frame while ramping

    def ramp_to(self, target: float, frames: int) -> None:
        self.target = target
        self.step = (target - self.gain) / max(1, frames)

    @property
    def silent(self) -> bool:
        return self.gain <= 0.0 and self.target <= 0.0

    @property
    def plain(self) -> bool:
        """At full level and not ramping: the samples are heard as they are."""
        return self.gain == 1.0 and self.step == 0.0

    def read_plain(self, frames: int) -> tuple[Int16Array, int]:
        """:meth:`read` of a :attr:`plain` voice, as the int16 samples themselves."""
        end = min(self.buffer.frames, self.index + frames)
        count = max(0, end - self.index)
        out = np.zeros(frames, dtype=np.int16)
        if count:
            out[:count] = self.buffer.samples[self.index : end]
        missing = self._missing(end, frames)
        self.index = end
        return out, missing

    def _missing(self, end: int, frames: int) -> int:
        return max(0, min(end, self.index + frames) - max(self.index, self.buffer.filled))

    def read(self, frames: int) -> tuple[FloatArray, int]:
        """The next ``frames`` frames with the gain applied, and how many of them were
        not rendered yet (an underrun of the renderer: read as silence)."""
        end = min(self.buffer.frames, self.index + frames)
        out = np.zeros(frames, dtype=np.float32)
        count = max(0, end - self.index)
        if count:
            out[:count] = self.buffer.samples[self.index : end]
        missing = self._missing(end, frames)
        self.index = end
        if self.step == 0.0:
            if self.gain != 1.0:
                out *= np.float32(self.gain)
            return out, missing
        ramp = self.gain + self.step * np.arange(1, frames + 1, dtype=np.float64)
        ramp = np.minimum(ramp, self.target) if self.step > 0 else np.maximum(ramp, self.target)
        out *= ramp.astype(np.float32)
        self.gain = float(ramp[-1])
        if self.gain == self.target:
            self.step = 0.0
        return out, missing


@dataclass
class _Anchor:
    """Program frame ``index`` sounds at the speaker at ``speaker_time`` (None until a
    frame has been pulled: a program that has not begun is heard at its start). Moved on
    at every pull, so a device that fell behind (an underrun) is followed, not guessed."""

    index: int
    speaker_time: float | None = None
    #: Where the program began or resumed: nothing earlier is heard of it.
    floor: int = 0


@dataclass
class PullReport:
    underrun_frames: int = 0  # program frames read before they were rendered


@dataclass
class _Overlay:
    samples: FloatArray
    index: int = 0


@dataclass
class Transport:
    rate: int
    fade_seconds: float = FADE_SECONDS
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _current: _Voice | None = None
    _fading: list[_Voice] = field(default_factory=list)
    _overlays: list[_Overlay] = field(default_factory=list)
    _paused_at: int | None = None  # the resume index while paused
    _generation: int = 0
    _anchor: _Anchor | None = None

    @property
    def _fade(self) -> int:
        return max(1, round(self.fade_seconds * self.rate))

    # -- control (any thread) -----------------------------------------------------------
    def play(self, buffer: ProgramBuffer, start: int = 0, *, fade_in: bool = False) -> int:
        """Play ``buffer`` from frame ``start``, fading out whatever played. A program
        starts at full level (it starts on a click, whose attack a fade would soften)
        unless ``fade_in`` (it starts mid-sound). Returns the program's generation."""
        with self._lock:
            self._retire_current()
            voice = _Voice(buffer, start, gain=0.0 if fade_in else 1.0)
            if fade_in:
                voice.ramp_to(1.0, self._fade)
            self._current = voice
            self._paused_at = None
            self._generation += 1
            self._anchor = _Anchor(start, floor=start)
            return self._generation

    def pause(self) -> int | None:
        """Fade out from the next frame; returns that frame's index, where resume goes on
        (None when nothing plays)."""
        with self._lock:
            voice = self._current
            if voice is None:
                return None
            if self._paused_at is None:
                self._fading.append(_copy_fading(voice, self._fade))
                self._paused_at = voice.index
                voice.gain, voice.step = 0.0, 0.0
            return self._paused_at

    def resume(self) -> None:
        with self._lock:
            voice = self._current
            if voice is None or self._paused_at is None:
                return
            voice.index = self._paused_at
            voice.ramp_to(1.0, self._fade)
            self._paused_at = None
            self._anchor = _Anchor(voice.index, floor=voice.index)

    def fade_in(self) -> None:
        """Bring a playing program in from silence (the device came back)."""
        with self._lock:
            voice = self._current
            if voice is not None and self._paused_at is None:
                voice.gain = 0.0
                voice.ramp_to(1.0, self._fade)

    def stop(self) -> None:
        """Fade out and forget the program."""
        with self._lock:
            self._retire_current()
            self._current = None
            self._paused_at = None
            self._anchor = None

    def overlay(self, samples: Int16Array) -> None:
        """Mix ``samples`` on top from the next frame, whether the program plays or not
        (a prompt while paused, an acknowledgement sound)."""
        with self._lock:
            self._overlays.append(_Overlay(np.asarray(samples, dtype=np.float32)))

    # -- state ---------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def heard(self, now: float) -> int | None:
        """The frame of the current program that the speaker sounds at time ``now`` (the
        resume frame while paused); None when no program is set."""
        with self._lock:
            voice, anchor = self._current, self._anchor
            if voice is None or anchor is None:
                return None
            if self._paused_at is not None:
                return self._paused_at
            if anchor.speaker_time is None:
                return anchor.index
            ahead = round((now - anchor.speaker_time) * self.rate)
            return min(voice.index, max(anchor.floor, anchor.index + ahead))

    # -- the output's side ---------------------------------------------------------------
    def pull(self, frames: int, speaker_time: float) -> tuple[Int16Array, PullReport]:
        """The next ``frames`` frames; the first of them sounds at ``speaker_time``."""
        report = PullReport()
        with self._lock:
            voice = self._current if self._paused_at is None else None
            if voice is not None:
                was_before_end = voice.index < voice.buffer.frames
                anchor = self._anchor
                if anchor is not None and was_before_end:  # past the end, nothing moves
                    anchor.index, anchor.speaker_time = voice.index, speaker_time
            if not self._fading and not self._overlays:
                # Most pulls: one program at full level (or none) and nothing on top: its
                # samples as they are, which is what the float mix below gives back too.
                if voice is None:
                    return np.zeros(frames, dtype=np.int16), report
                if voice.plain:
                    plain, report.underrun_frames = voice.read_plain(frames)
                    return plain, report
            mix = np.zeros(frames, dtype=np.float32)
            if voice is not None:
                part, report.underrun_frames = voice.read(frames)
                mix += part
            for fading in self._fading:
                mix += fading.read(frames)[0]
            self._fading = [f for f in self._fading if not f.silent]
            for overlay in self._overlays:
                part = overlay.samples[overlay.index : overlay.index + frames]
                mix[: len(part)] += part
                overlay.index += frames
            self._overlays = [o for o in self._overlays if o.index < len(o.samples)]
        return _to_int16(mix), report

    def _retire_current(self) -> None:
        voice = self._current
        if voice is not None and self._paused_at is None:
            self._fading.append(_copy_fading(voice, self._fade))


def _copy_fading(voice: _Voice, frames: int) -> _Voice:
    fading = _Voice(voice.buffer, voice.index, voice.gain)
    fading.ramp_to(0.0, max(1, round(frames * voice.gain)))
    return fading


def _to_int16(mix: FloatArray) -> Int16Array:
    return np.clip(np.round(mix), -32768, 32767).astype(np.int16)
