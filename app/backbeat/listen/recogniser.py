"""PocketSphinx grammar search over utterances cut by an energy endpointer; in a noisy
room, two such searches side by side, one over the noise suppressor's output and one over
the input as it came.

Why a grammar and not keyword spotting: measured on the synthetic corpus (benchmarks/
README.md), keyword spotting found 31 of 60 espeak-ng commands at its best threshold
while inventing 40 in two minutes of ordinary speech; a grammar holding only the commands
found 57 of 60. A grammar always answers with some command, so what is not one is turned
away by the utterance's shape (a command is short) and by the lattice posterior.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfilt

from backbeat.listen.best_path import (
    MAX_UNCOVERED_FRAMES,
    Word,
    joined_part_unheard,
    speech_around_clicks,
    stretched_word,
    uncovered_speech_frames,
    wake_word_run_on,
    wake_word_unlike,
)
from backbeat.listen.commands import (
    EXTRA_PRONUNCIATIONS,
    WAKE_WINDOW_SECONDS,
    CommandSet,
    Heard,
)
from backbeat.listen.denoise import Denoiser, DenoiserUnavailable, WebRtcDenoiser
from backbeat.listen.endpointer import (
    EARLY_END_FRAMES,
    END_FRAMES,
    FRAME_SAMPLES,
    PRE_ROLL_FRAMES,
    START_FRAMES,
    EnergyEndpointer,
    Int16Array,
)
from backbeat.listen.own_clicks import ClickFiller

log = logging.getLogger(__name__)

#: The acoustic model in the pocketsphinx wheel is trained on 16 kHz speech.
RECOGNISER_RATE = 16000
#: A command ("coach, end the massage" spoken slowly) is shorter than this (the longest
#: in the corpus: 1.9 s of speech); longer speech is conversation or a prompt.
MAX_SPEECH_SECONDS = 2.5
#: Decoding stops this long into an utterance that does not end.
MAX_UTTERANCE_SECONDS = 3.5
#: Shorter than this is a knock or a breath, not a word.
MIN_UTTERANCE_SECONDS = 0.25
#: Below this posterior of the best path the grammar was forced onto something else
#: (99 % of the corpus's recognised commands are above 0.094; ordinary speech forced onto
#: the grammar fell as low as 0.075).
MIN_POSTERIOR = 0.085
#: A short utterance that gave nothing, followed this soon (10 ms frames after its end
#: was found, itself 0.39 s into the quiet) by more speech, is decoded again together
#: with it: in noise "coach, ... pause" falls apart at the comma and a lone "coach"
#: is heard as "go", so the wake word was lost (why these figures: benchmarks/README.md).
JOIN_GAP_FRAMES = 20
JOINABLE_SECONDS = 1.2
#: Frames kept for a join: a joinable utterance, its end and the gap, with room.
HISTORY_FRAMES = 120
#: PocketSphinx options that differ from its defaults. A lower word insertion penalty
#: (0.65 by default) keeps the short "coach" that noise would otherwise swallow: +2 to
#: +4 points at 10 dB SNR, no more wrong commands (benchmarks/README.md). Noise removal and
#: batch CMN are on already (the model's feat.params); taking noise removal off cost 8
#: points, live CMN changed nothing, wider beams and -lw 4 or 10 nothing but time.
DECODER_OPTIONS: Mapping[str, object] = {"wip": 0.3}
#: Everything under this frequency is cut before decoding: room noise (a fan, traffic,
#: pink noise) is loudest there, the words' cues are above it (+2 points at 10 dB SNR).
HIGH_PASS_HZ = 300.0


#: The decoder gives acoustic scores as probabilities; those it rounds to 0 count as this.
SMALLEST_SCORE = 1e-300


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

    Two grammar searches, each with its own endpointer: one listens to the noise
    suppressor's output, the other to the input as it came, and in a noisy room a command
    either hears counts once. Each loses words the other keeps (the suppressor takes the
    /f/ of "off" and the /kw/ of "quieter"; in the input noise masks "next" and "back"):
    at 10 dB pink noise, benchmarks/README.md. In a quiet room the suppressor gives the
    input back and the first search alone runs.

    One instance belongs to one listener thread: pocketsphinx decoders are not shared."""

    def __init__(
        self,
        commands: CommandSet,
        min_posterior: float = MIN_POSTERIOR,
        decoder_options: Mapping[str, object] | None = None,
        denoiser: Callable[[], Denoiser] | None = WebRtcDenoiser,
    ) -> None:
        """``denoiser`` makes the noise suppressor run before everything else in the
        first search (None: none, and no second search)."""
        self.commands = commands
        self._cleaned = GrammarRecogniser(commands, min_posterior, decoder_options, denoiser)
        self._raw: GrammarRecogniser | None = None
        if self._cleaned.denoised:
            # Without the language model the grammar search uses (64 MB less; it
            # changes the first search's answers a little: one of 84 clean espeak-ng
            # commands lost, hence only here).
            lean = {**DECODER_OPTIONS, **(decoder_options or {}), "lm": None}
            self._raw = GrammarRecogniser(commands, min_posterior, lean, None)
        self._raw_fed = False  # the second search was fed the last block
        # The span of the last command each search gave (both: one heard by both).
        self._taken: dict[int, tuple[float, float]] = {}

    @property
    def utterances(self) -> list[Utterance]:
        """The last few the first search cut (for diagnostics)."""
        return self._cleaned.utterances

    @property
    def decoded_seconds(self) -> float:
        return self._cleaned.decoded_seconds + (self._raw.decoded_seconds if self._raw else 0.0)

    @property
    def hearing(self) -> bool:
        """Whether an utterance is being heard (started, not yet ended)."""
        return self._cleaned.hearing or (self._raw is not None and self._raw.hearing)

    def feed(
        self,
        samples: npt.NDArray[np.int16],
        start_time: float,
        clicks: Sequence[tuple[float, float]] = (),
    ) -> list[Heard]:
        """``clicks``: where the metronome's clicks sound (times as ``start_time``'s);
        each search hears the room's floor there instead."""
        cleaned = self._cleaned.feed(samples, start_time, clicks)
        if self._raw is None:
            return cleaned
        if not self._cleaned.noisy:
            if self._raw_fed:
                self._raw.interrupt()  # the room fell quiet: the input is what is heard
                self._raw_fed = False
            return cleaned
        raw = self._raw.feed(samples, start_time, clicks)
        self._raw_fed = True
        heard = []
        # Same utterance, both ending in this block: the input's answer first (it gives
        # fewer wrong commands).
        for search, found in sorted(
            [(1, h) for h in raw] + [(0, h) for h in cleaned], key=lambda p: (p[1].ended_at, -p[0])
        ):
            span = (found.began_at, found.ended_at)
            other = self._taken.get(1 - search)
            self._taken[search] = span
            if other is not None and span[0] < other[1] and other[0] < span[1]:
                continue  # the other search took this utterance already
            heard.append(found)
        return heard

    def interrupt(self) -> None:
        """Abandon what is being heard (the gate closed in the middle of it)."""
        self._cleaned.interrupt()
        self._taken.clear()  # what follows is not what came before
        if self._raw is not None:
            self._raw.interrupt()

    def close(self) -> None:
        self._cleaned.close()
        if self._raw is not None:
            self._raw.close()


class GrammarRecogniser:
    """One grammar search: the noise suppressor (optional), a high-pass, the endpointer
    and the decoder, with the checks on what the decoder made of each utterance."""

    def __init__(
        self,
        commands: CommandSet,
        min_posterior: float = MIN_POSTERIOR,
        decoder_options: Mapping[str, object] | None = None,
        denoiser: Callable[[], Denoiser] | None = WebRtcDenoiser,
    ) -> None:
        """``denoiser`` makes the noise suppressor run before everything else (None:
        none; +13 points at 10 dB SNR for Piper, benchmarks/README.md)."""
        try:
            from pocketsphinx import Decoder
        except ImportError as error:
            raise RecogniserUnavailable(
                f"the speech recogniser is not installed ({error}); reinstall Backbeat "
                "with pocketsphinx to use voice commands"
            ) from None
        self.commands = commands
        self.min_posterior = min_posterior
        try:
            # Dither: stretches of digital silence (a virtual microphone, a muted input)
            # otherwise upset the feature extraction, and the word after them is lost
            # (measured: 31 of 42 espeak-ng commands without it, 38 with it). A fixed seed
            # keeps the answers repeatable.
            self._decoder = Decoder(
                logfn="/dev/null",
                samprate=RECOGNISER_RATE,
                dither=True,
                seed=1,
                **{**DECODER_OPTIONS, **(decoder_options or {})},
            )
            for word, phones in EXTRA_PRONUNCIATIONS.items():
                if self._decoder.lookup_word(word) is None:
                    self._decoder.add_word(word, phones, False)
            missing = sorted(w for w in commands.words if self._decoder.lookup_word(w) is None)
            if missing:
                raise RecogniserUnavailable(f"no pronunciation for {', '.join(missing)}")
            for joined, words in commands.joined_phrases.items():
                # Every way of saying its words in a row (each word's alternates).
                ways = itertools.product(*(self._pronunciations(w) for w in words))
                for index, way in enumerate(ways):
                    name = joined if index == 0 else f"{joined}({index + 1})"
                    self._decoder.add_word(name, " ".join(way), False)
            self._decoder.add_jsgf_string("commands", commands.grammar())
            self._decoder.activate_search("commands")
        except (RuntimeError, ValueError) as error:
            if isinstance(error, RecogniserUnavailable):
                raise
            raise RecogniserUnavailable(f"the speech model would not load ({error})") from None
        self._denoiser: Denoiser | None = None  # None also when it would not load
        if denoiser is not None:
            try:
                self._denoiser = denoiser()
            except DenoiserUnavailable as error:
                log.warning("voice commands without noise suppression: %s", error)
        self._high_pass = butter(2, HIGH_PASS_HZ, "highpass", fs=RECOGNISER_RATE, output="sos")
        self._filter_state = np.zeros((self._high_pass.shape[0], 2))
        self._endpointer = EnergyEndpointer()
        self._clicks = ClickFiller(RECOGNISER_RATE)
        self._frame = FRAME_SAMPLES
        self._pending = np.zeros(0, dtype=np.int16)
        self._pending_time = 0.0  # monotonic time of _pending[0]
        self._in_utterance = False
        self._overlong = False  # speech ran past MAX_UTTERANCE_SECONDS: wait for its end
        self._utterance_frames = 0
        self._history: deque[Int16Array] = deque(maxlen=HISTORY_FRAMES)
        self._history_speech: deque[bool] = deque(maxlen=HISTORY_FRAMES)
        self._history_clicked: deque[bool] = deque(maxlen=HISTORY_FRAMES)
        self._speech: list[bool] = []  # the endpointer's flag for each frame decoded
        self._clicked: list[bool] = []  # whether a click was filled in that frame
        self._joined_frames = 0  # frames of the utterance joined before this one, with the gap
        self._frame_index = -1  # of the frame last stepped
        self._utterance_first = 0  # frame index where the utterance under way begins
        self._joinable: tuple[int, int] | None = None  # (first, last) frame of one to join
        self._woken_until = -1.0  # "coach" alone was heard: a command until then counts
        self.utterances: list[Utterance] = []  # the last few, for diagnostics
        self.decoded_seconds = 0.0

    @property
    def denoised(self) -> bool:
        """Whether the noise suppressor runs."""
        return self._denoiser is not None

    @property
    def noisy(self) -> bool:
        """Whether the noise suppressor's output is what is heard now."""
        return self._denoiser is not None and self._denoiser.noisy

    def feed(
        self,
        samples: npt.NDArray[np.int16],
        start_time: float,
        clicks: Sequence[tuple[float, float]] = (),
    ) -> list[Heard]:
        """``clicks``: where the metronome's clicks sound (times as ``start_time``'s),
        heard as the room's floor instead (:mod:`backbeat.listen.own_clicks`)."""
        samples = self._clicks.fill(samples, start_time, clicks)
        if self._denoiser is not None:
            start_time -= self._denoiser.held / RECOGNISER_RATE
            samples = self._denoiser.process(samples)
            if len(samples) == 0:
                return []  # held back until a whole 10 ms frame is there
        if len(self._pending) == 0:
            self._pending_time = start_time
        filtered, self._filter_state = sosfilt(
            self._high_pass, samples.astype(np.float64), zi=self._filter_state
        )
        block = np.clip(filtered, -32768, 32767).astype(np.int16)
        self._pending = np.concatenate([self._pending, block])
        heard: list[Heard] = []
        usable = len(self._pending) - len(self._pending) % self._frame
        for begin in range(0, usable, self._frame):
            frame = self._pending[begin : begin + self._frame]
            frame_end = self._pending_time + (begin + self._frame) / RECOGNISER_RATE
            found = self._step(frame, frame_end)
            if found is not None:
                heard.append(found)
        self._pending = self._pending[usable:]
        self._pending_time += usable / RECOGNISER_RATE
        return heard

    @property
    def hearing(self) -> bool:
        """Whether an utterance is being heard (started, not yet ended)."""
        return self._in_utterance

    def interrupt(self) -> None:
        """Abandon what is being heard (the gate closed in the middle of it)."""
        if self._in_utterance:
            self._decoder.end_utt()
        self._in_utterance = False
        self._overlong = False
        self._joinable = None
        self._endpointer.reset()
        self._pending = np.zeros(0, dtype=np.int16)
        self._clicks.forget_clicks()
        if self._denoiser is not None:
            self._denoiser.reset()

    def close(self) -> None:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False

    def _step(self, frame: Int16Array, frame_end: float) -> Heard | None:
        step = self._endpointer.step(frame)
        begin = frame_end - self._frame / RECOGNISER_RATE
        clicked = not step.speech and self._clicks.replaced(begin, frame_end)
        self._frame_index += 1
        self._history.append(frame)
        self._history_speech.append(step.speech)
        self._history_clicked.append(clicked)
        frames = step.frames
        if step.started and not self._overlong:
            self._decoder.start_utt()
            self._in_utterance = True
            self._utterance_frames = 0
            self._utterance_first = self._frame_index - len(frames) + 1
            own_frames = len(frames)
            frames = self._joined_with_the_one_before(frames)
            self._joined_frames = len(frames) - own_frames
            self._speech = list(self._history_speech)[len(self._history_speech) - len(frames) :]
            self._clicked = list(self._history_clicked)[len(self._history_clicked) - len(frames) :]
        elif self._in_utterance:
            self._speech.append(step.speech)
            self._clicked.append(clicked)
        if self._in_utterance:
            for piece in frames:
                self._decoder.process_raw(piece.tobytes(), False, False)
                self._utterance_frames += 1
            self.decoded_seconds += len(frames) * FRAME_SAMPLES / RECOGNISER_RATE
            if self._utterance_frames * FRAME_SAMPLES > MAX_UTTERANCE_SECONDS * RECOGNISER_RATE:
                self._decoder.end_utt()  # conversation or a prompt, not a command
                self._in_utterance = False
                self._overlong = True
        if (
            self._in_utterance
            and not step.ended
            and self._endpointer.quiet_run == EARLY_END_FRAMES
            and self._partial_is_a_command(frame_end)
        ):
            self._endpointer.end()
            step.ended = True
        if step.ended:
            self._overlong = False
            if self._in_utterance:
                return self._finish(frame_end)
        return None

    def _partial_is_a_command(self, now: float) -> bool:
        """Whether the best path so far is a whole command (so the rest of the quiet
        need not be waited for)."""
        hypothesis = self._decoder.hyp()
        if hypothesis is None:
            return False
        began = now - self._utterance_frames * FRAME_SAMPLES / RECOGNISER_RATE
        woken = began <= self._woken_until
        return self.commands.parse(str(hypothesis.hypstr), woken=woken) is not None

    def _joined_with_the_one_before(self, frames: list[Int16Array]) -> list[Int16Array]:
        """The utterance's first frames, preceded by the short one before it and the
        gap between them when that one gave nothing and ended just now."""
        joinable, self._joinable = self._joinable, None
        if joinable is None:
            return frames
        first, last = joinable
        oldest = self._frame_index - len(self._history) + 1
        if self._utterance_first - last > JOIN_GAP_FRAMES or first < oldest:
            return frames
        before = list(self._history)[first - oldest : self._utterance_first - oldest]
        self._utterance_first = first
        return [*before, *frames]

    def _finish(self, ended_at: float) -> Heard | None:
        heard = self._outcome(ended_at)
        if heard is not None:
            self._joinable = None
        return heard

    def _outcome(self, ended_at: float) -> Heard | None:
        self._decoder.end_utt()
        self._in_utterance = False
        # Speech only: without the pre-roll and the quiet frames that ended it.
        quiet = self._endpointer.quiet_run
        frames = self._utterance_frames - (PRE_ROLL_FRAMES - START_FRAMES) - quiet
        seconds = max(0, frames) * FRAME_SAMPLES / RECOGNISER_RATE
        hypothesis = self._decoder.hyp()
        if hypothesis is None:
            return None
        words = str(hypothesis.hypstr).replace("_", " ")  # phrases joined in the grammar
        posterior = float(hypothesis.prob)
        self.utterances = [*self.utterances[-19:], Utterance(words, posterior, seconds, ended_at)]
        log.debug("utterance %r: %.2f s of speech, posterior %.2f", words, seconds, posterior)
        if seconds <= JOINABLE_SECONDS:
            # Its last frame counted as where the full END_FRAMES would have found it,
            # so an early end does not widen the gap that may be joined.
            last = self._frame_index - quiet + END_FRAMES
            self._joinable = (self._utterance_first, last)
        if self.commands.is_wake_word(words):  # "coach" said quickly is short: no minimum
            self._woken_until = ended_at + WAKE_WINDOW_SECONDS
            self._joinable = None  # the wake window takes the command that follows
            return None
        if not MIN_UTTERANCE_SECONDS <= seconds <= MAX_SPEECH_SECONDS:
            return None
        if posterior < self.min_posterior or not self._fits_in_time():
            return None
        began = ended_at - seconds
        command = self.commands.parse(words, woken=began <= self._woken_until)
        self._woken_until = -1.0
        return Heard(command, words, ended_at, began) if command is not None else None

    def _fits_in_time(self) -> bool:
        """Whether the best path's words fit the speech the way a command does."""
        words = [
            Word(
                str(segment.word),
                int(segment.start_frame),
                int(segment.end_frame),
                math.log(max(float(segment.ascore), SMALLEST_SCORE)),
            )
            for segment in self._decoder.seg()
        ]
        if stretched_word(words, self._phone_count):
            return False
        speech = speech_around_clicks(self._speech, self._clicked)
        if uncovered_speech_frames(words, speech) > MAX_UNCOVERED_FRAMES:
            return False
        if joined_part_unheard(words, self._joined_frames):
            return False
        return not wake_word_run_on(words, speech) and not wake_word_unlike(words)

    def _pronunciations(self, word: str) -> list[str]:
        """The dictionary's pronunciations of ``word``: its own, then "word(2)" on."""
        found: list[str] = []
        while (phones := self._decoder.lookup_word(_alternate(word, len(found) + 1))) is not None:
            found.append(str(phones))
        return found

    def _phone_count(self, word: str) -> int:
        phones = self._decoder.lookup_word(word)
        return len(phones.split()) if phones else 4


def _alternate(word: str, number: int) -> str:
    """The dictionary's name of ``word``'s ``number``-th pronunciation."""
    return word if number == 1 else f"{word}({number})"
