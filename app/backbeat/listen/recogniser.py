"""PocketSphinx grammar search over utterances cut by its voice-activity endpointer.

Why a grammar and not keyword spotting: measured on the synthetic corpus (benchmarks/
README.md), keyword spotting found 31 of 60 espeak-ng commands at its best threshold
while inventing 40 in two minutes of ordinary speech; a grammar holding only the commands
found 57 of 60. A grammar always answers with some command, so what is not one is turned
away by the utterance's shape (a command is short) and by the lattice posterior.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backbeat.listen.commands import (
    EXTRA_PRONUNCIATIONS,
    WAKE_WINDOW_SECONDS,
    CommandSet,
    Heard,
)

#: The acoustic model in the pocketsphinx wheel is trained on 16 kHz speech.
RECOGNISER_RATE = 16000
#: A command ("coach, end the massage" spoken slowly) is shorter than this; longer speech
#: is conversation or a prompt and is not decoded to the end.
MAX_UTTERANCE_SECONDS = 4.0
#: Shorter than this is a knock or a breath, not a word.
MIN_UTTERANCE_SECONDS = 0.25
#: Below this posterior of the best path the grammar was forced onto something else.
MIN_POSTERIOR = 0.0


class RecogniserUnavailable(RuntimeError):
    """pocketsphinx is not installed or its model does not load: say what to do."""


@dataclass(frozen=True)
class Utterance:
    """What the endpointer cut and the grammar made of it (kept for tests and benchmarks)."""

    words: str
    posterior: float
    seconds: float
    ended_at: float


class PocketSphinxRecogniser:
    """Feed 16 kHz mono int16 blocks with their start time; get the commands they held.

    One instance belongs to one listener thread: pocketsphinx decoders are not shared."""

    def __init__(self, commands: CommandSet, min_posterior: float = MIN_POSTERIOR) -> None:
        try:
            from pocketsphinx import Decoder, Endpointer
        except ImportError as error:
            raise RecogniserUnavailable(
                f"the speech recogniser is not installed ({error}); reinstall Backbeat "
                "with pocketsphinx to use voice commands"
            ) from None
        self.commands = commands
        self.min_posterior = min_posterior
        try:
            self._decoder = Decoder(logfn="/dev/null", samprate=RECOGNISER_RATE)
            for word, phones in EXTRA_PRONUNCIATIONS.items():
                if self._decoder.lookup_word(word) is None:
                    self._decoder.add_word(word, phones, False)
            missing = sorted(w for w in commands.words if self._decoder.lookup_word(w) is None)
            if missing:
                raise RecogniserUnavailable(f"no pronunciation for {', '.join(missing)}")
            self._decoder.add_jsgf_string("commands", commands.grammar())
            self._decoder.activate_search("commands")
        except (RuntimeError, ValueError) as error:
            if isinstance(error, RecogniserUnavailable):
                raise
            raise RecogniserUnavailable(f"the speech model would not load ({error})") from None
        self._endpointer = Endpointer(sample_rate=RECOGNISER_RATE)
        self._frame = self._endpointer.frame_bytes // 2
        self._pending = np.zeros(0, dtype=np.int16)
        self._pending_time = 0.0  # monotonic time of _pending[0]
        self._in_utterance = False
        self._overlong = False  # speech ran past MAX_UTTERANCE_SECONDS: wait for its end
        self._utterance_frames = 0
        self._woken_until = -1.0  # "coach" alone was heard: a command until then counts
        self.utterances: list[Utterance] = []  # the last few, for diagnostics
        self.decoded_seconds = 0.0

    def feed(self, samples: npt.NDArray[np.int16], start_time: float) -> list[Heard]:
        if len(self._pending) == 0:
            self._pending_time = start_time
        self._pending = np.concatenate([self._pending, samples.astype(np.int16, copy=False)])
        heard: list[Heard] = []
        usable = len(self._pending) - len(self._pending) % self._frame
        for begin in range(0, usable, self._frame):
            frame = self._pending[begin : begin + self._frame]
            frame_end = self._pending_time + (begin + self._frame) / RECOGNISER_RATE
            found = self._step(frame.tobytes(), frame_end)
            if found is not None:
                heard.append(found)
        self._pending = self._pending[usable:]
        self._pending_time += usable / RECOGNISER_RATE
        return heard

    def interrupt(self) -> None:
        """Abandon what is being heard (the gate closed in the middle of it)."""
        if self._in_utterance:
            self._decoder.end_utt()
        self._in_utterance = False
        self._overlong = self._endpointer.in_speech
        self._pending = np.zeros(0, dtype=np.int16)

    def close(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False

    def _step(self, frame: bytes, frame_end: float) -> Heard | None:
        speech = self._endpointer.process(frame)
        if speech is not None and not self._overlong:
            if not self._in_utterance:
                self._decoder.start_utt()
                self._in_utterance = True
                self._utterance_frames = 0
            self._decoder.process_raw(speech, False, False)
            self._utterance_frames += 1
            self.decoded_seconds += self._frame / RECOGNISER_RATE
            if self._utterance_frames * self._frame > MAX_UTTERANCE_SECONDS * RECOGNISER_RATE:
                self._decoder.end_utt()
                self._in_utterance = False
                self._overlong = True
        if not self._endpointer.in_speech:
            self._overlong = False
            if self._in_utterance:
                return self._finish(frame_end)
        return None

    def _finish(self, ended_at: float) -> Heard | None:
        self._decoder.end_utt()
        self._in_utterance = False
        seconds = self._utterance_frames * self._frame / RECOGNISER_RATE
        hypothesis = self._decoder.hyp()
        if hypothesis is None or seconds < MIN_UTTERANCE_SECONDS:
            return None
        words = str(hypothesis.hypstr)
        posterior = float(hypothesis.prob)
        self.utterances = [*self.utterances[-19:], Utterance(words, posterior, seconds, ended_at)]
        if posterior < self.min_posterior:
            return None
        if self.commands.is_wake_word(words):
            self._woken_until = ended_at + WAKE_WINDOW_SECONDS
            return None
        began = ended_at - seconds
        command = self.commands.parse(words, woken=began <= self._woken_until)
        self._woken_until = -1.0
        return Heard(command, words, ended_at) if command is not None else None
