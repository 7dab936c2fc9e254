"""The metronome's own clicks taken out of what the microphone hears.

The session knows to the sample when each click leaves the speaker; how late it reaches
the microphone is measured on the clicks themselves (:mod:`backbeat.listen.click_lag`). Where a click is all there is to hear, its
samples are replaced by the room's own noise floor, taken from what the microphone heard
outside the clicks in the last seconds: the endpointer and the decoder hear the room as
it is between the beats, so a click in the pause after "coach", or just after a command,
no longer holds the utterance open, fills the breath or lowers the posterior. Where
speech stands well above the click (its level as heard alone, learnt from the last
clicks in a quiet room), the sound is kept: a word said over a click is not cut. What
this changed: benchmarks/README.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from backbeat.listen.click_lag import ClickLag

Int16Array = npt.NDArray[np.int16]
FloatArray = npt.NDArray[np.float64]

#: The room and the clicks are measured in 10 ms pieces ...
PIECE_SAMPLES = 160
#: ... the room from the last 3 s heard outside clicks, filling a click with a random
#: choice of its quietest fifth: the room between words, never the words.
ROOM_PIECES = 300
QUIETEST_SHARE = 0.2
#: A click is learnt as heard alone when the room was within this of its floor just
#: before it (no speech under way); its level, piece by piece from its start, is the
#: median of the last LONE_CLICKS such clicks.
ALONE_WITHIN_DB = 6.0
LONE_CLICKS = 15
#: A piece under a click this far above the click heard alone holds speech: it is kept.
SPEECH_OVER_CLICK_DB = 6.0


class ClickFiller:
    """Replaces the samples under known clicks with the room's noise floor where the
    click is all there is, and tells which stretches were replaced. Times are the
    stream's (seconds), asked in order."""

    def __init__(self, rate: int, seed: int = 1) -> None:
        self.rate = rate
        self._pieces: deque[Int16Array] = deque(maxlen=ROOM_PIECES)
        self._levels: deque[float] = deque(maxlen=ROOM_PIECES)
        self._tail = np.zeros(0, dtype=np.int16)  # the last samples of the block before
        self._alone: list[deque[float]] = []  # piece k of the last lone clicks: levels
        self._lone: dict[float, bool] = {}  # clicks under way (by start): heard alone?
        self._replaced: list[tuple[float, float]] = []  # not yet passed
        self._told: dict[float, float] = {}  # clicks told (start: end), not yet passed
        self.lag = ClickLag(rate)
        self._random = np.random.default_rng(seed)

    def fill(
        self, samples: Int16Array, start: float, clicks: Sequence[tuple[float, float]]
    ) -> Int16Array:
        """``samples`` (beginning at time ``start``) with the clicks in them replaced by
        the room's floor where nothing louder sounds with them. ``clicks``: as told
        (the measured lag is added here), those of the blocks either side too."""
        self.lag.hear(samples, start, clicks, self._floor_db() if self._levels else -120.0)
        shift = self.lag.seconds
        self._told.update(clicks)
        self._told = {b: e for b, e in self._told.items() if e + shift > start - 0.5}
        inside = np.zeros(len(samples), dtype=bool)
        filled = samples.copy() if self._told else samples
        for told, told_end in self._told.items():
            onset = round((told + shift - start) * self.rate)  # may lie in an earlier block
            last = min(len(samples), round((told_end + shift - start) * self.rate))
            if last <= max(0, onset):
                continue
            inside[max(0, onset) : last] = True
            if told not in self._lone:
                self._lone[told] = self._room_quiet_before(samples, onset)
            self._fill_one(filled, onset, last, start, self._lone[told])
        self._lone = {b: lone for b, lone in self._lone.items() if b in self._told}
        self._learn_room(samples, inside)
        self._tail = samples[-PIECE_SAMPLES:].copy()
        return filled

    def replaced(self, start: float, end: float) -> bool:
        """Whether samples in [start, end) were replaced; earlier stretches are forgotten."""
        self._replaced = [(b, e) for b, e in self._replaced if e > start]
        return any(b < end for b, _ in self._replaced)

    def forget_clicks(self) -> None:
        """The stream was broken: what was replaced before no longer lies ahead."""
        self._replaced = []
        self._lone = {}
        self._told = {}
        self._tail = np.zeros(0, dtype=np.int16)
        self.lag.forget()

    def _fill_one(
        self, samples: Int16Array, onset: int, last: int, start: float, lone: bool
    ) -> None:
        """The part of one click in this block, samples[max(0, onset):last], in 10 ms
        pieces counted from its onset."""
        for k in range(max(0, -onset) // PIECE_SAMPLES, -(-(last - onset) // PIECE_SAMPLES)):
            a = max(0, onset + k * PIECE_SAMPLES)
            b = min(last, onset + (k + 1) * PIECE_SAMPLES)
            level = _dbfs(samples[a:b])
            while len(self._alone) <= k:
                self._alone.append(deque(maxlen=LONE_CLICKS))
            if lone and b - a == PIECE_SAMPLES:
                self._alone[k].append(level)
            alone = self._alone[k]
            if len(alone) >= 3 and level > float(np.median(alone)) + SPEECH_OVER_CLICK_DB:
                continue  # speech over the click: keep it
            samples[a:b] = self._floor(b - a)
            self._replaced.append((start + a / self.rate, start + b / self.rate))

    def _room_quiet_before(self, samples: Int16Array, onset: int) -> bool:
        """Whether the 10 ms before a click's onset were the room's floor."""
        if onset >= PIECE_SAMPLES:
            before = samples[onset - PIECE_SAMPLES : onset]
        elif onset >= 0:
            before = np.concatenate([self._tail, samples[:onset]])[-PIECE_SAMPLES:]
        else:
            return False  # the click began before this block was seen
        if len(before) < PIECE_SAMPLES or not self._levels:
            return False
        return _dbfs(before) < self._floor_db() + ALONE_WITHIN_DB

    def _learn_room(self, samples: Int16Array, inside: npt.NDArray[np.bool_]) -> None:
        count = len(samples) // PIECE_SAMPLES
        if count == 0:
            return
        pieces = samples[: count * PIECE_SAMPLES].reshape(count, PIECE_SAMPLES)
        clear = ~inside[: count * PIECE_SAMPLES].reshape(count, PIECE_SAMPLES).any(axis=1)
        power = np.mean(np.square(pieces[clear].astype(np.float64) / 32768.0), axis=1)
        self._pieces.extend(pieces[clear])
        self._levels.extend((10 * np.log10(power + 1e-12)).tolist())

    def _quietest(self) -> npt.NDArray[np.intp]:
        levels = np.fromiter(self._levels, float)
        share = max(1, round(QUIETEST_SHARE * len(levels)))
        return np.argpartition(levels, share - 1)[:share]

    def _floor_db(self) -> float:
        levels = np.fromiter(self._levels, float)
        return float(np.max(levels[self._quietest()]))

    def _floor(self, count: int) -> Int16Array:
        if not self._pieces:
            return np.zeros(count, dtype=np.int16)
        picks = self._random.choice(self._quietest(), size=-(-count // PIECE_SAMPLES))
        joined = np.concatenate([self._pieces[i] for i in picks])
        result: Int16Array = joined[:count]
        return result


def _dbfs(samples: Int16Array) -> float:
    x = samples.astype(np.float64) / 32768.0
    return float(10 * np.log10(float(np.mean(x * x)) + 1e-12))
