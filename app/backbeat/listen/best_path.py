"""Checks on the timing of the best path's words: ordinary speech forced onto the
grammar fits it badly in time, where a command said on purpose fits it well.

The decoder counts 10 ms frames; the endpointer's speech flags are per 30 ms frame
(ENDPOINTER_FRAME decoder frames each). Why these figures: benchmarks/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from backbeat.listen.commands import WAKE_WORD

#: Decoder frames (10 ms) in one endpointer frame (30 ms).
ENDPOINTER_FRAME = 3
#: No word of a command lasts longer than this many 10 ms frames plus this many per
#: phone (the slowest in the corpus: a phrase-final "pause", 74 frames for 3 phones;
#: measured, it costs 2 of 42 espeak-ng commands).
#: Ordinary speech forced onto the grammar stretches some word over what was said
#: instead (a "the" of 85 frames).
WORD_BASE_FRAMES, WORD_FRAMES_PER_PHONE = 30, 18
#: A command is turned away when its words leave more than this many 10 ms frames of
#: the detected speech outside them: the rest of a sentence the grammar only partly fits.
MAX_UNCOVERED_FRAMES = 20
#: "coach" and the command in one utterance: people take a breath after the name,
#: at least this many quiet endpointer frames; in running speech a "coach"-like sound
#: runs straight into the next word.
MIN_WAKE_PAUSE_FRAMES = 3
#: The wake word's acoustic score (natural log, against the best sound of each frame)
#: per 10 ms frame must be at least this: a "coach" said on purpose matched at -6.8 or
#: better over the session's sound at 10 dB, the "Lighter over" of ordinary speech taken
#: for it at -7.8.
MIN_WAKE_ACOUSTIC_PER_FRAME = -7.3


@dataclass(frozen=True)
class Word:
    """One word of the best path: its first and last 10 ms frame in the utterance."""

    text: str
    first: int
    last: int
    acoustic: float = 0.0  # natural log of its acoustic score, all its frames

    @property
    def frames(self) -> int:
        return self.last - self.first + 1


def spoken_words(words: Sequence[Word]) -> list[Word]:
    """The words, without silences and fillers ("<sil>", "[NOISE]"), alternates
    ("next(2)") named as their word."""
    kept = []
    for word in words:
        if word.text.startswith(("<", "[")):
            continue
        kept.append(Word(word.text.split("(")[0], word.first, word.last, word.acoustic))
    return kept


def stretched_word(words: Sequence[Word], phone_count: Callable[[str], int]) -> bool:
    """Whether a word lasts far longer than anyone says it."""
    return any(
        w.frames > WORD_BASE_FRAMES + WORD_FRAMES_PER_PHONE * phone_count(w.text)
        for w in spoken_words(words)
    )


def uncovered_speech_frames(words: Sequence[Word], speech: Sequence[bool]) -> int:
    """10 ms frames of detected speech (``speech``: per endpointer frame, from the
    utterance's first decoded frame) that no word of the best path covers."""
    covered = [False] * (len(speech) * ENDPOINTER_FRAME)
    for word in spoken_words(words):
        for index in range(max(0, word.first), min(len(covered), word.last + 1)):
            covered[index] = True
    return sum(
        1
        for index, is_covered in enumerate(covered)
        if speech[index // ENDPOINTER_FRAME] and not is_covered
    )


def speech_around_clicks(speech: Sequence[bool], clicked: Sequence[bool]) -> list[bool]:
    """The speech flags with each run of clicked frames (never speech: their sound was
    replaced by the room's floor) taken as speech when the frames on both sides of it
    are speech, as quiet otherwise: a click inside a word makes no breath in it, a click
    in a pause does not fill the pause."""
    result = list(speech)
    index = 0
    while index < len(result):
        if not clicked[index]:
            index += 1
            continue
        end = index
        while end < len(result) and clicked[end]:
            end += 1
        inside_word = index > 0 and end < len(result) and result[index - 1] and result[end]
        result[index:end] = [inside_word] * (end - index)
        index = end
    return result


def joined_part_unheard(words: Sequence[Word], joined_frames: int) -> bool:
    """Whether the utterance joined before this one (the first ``joined_frames``
    endpointer frames, kept to save a "coach" split off at its comma) or this one holds
    no word: then one of them was something else (in a reverberant room, two metronome
    clicks 0.9 s apart were joined and heard as "back")."""
    if joined_frames <= 0:
        return False
    spoken = spoken_words(words)
    in_joined = any(w.first // ENDPOINTER_FRAME < joined_frames for w in spoken)
    in_own = any(w.last // ENDPOINTER_FRAME >= joined_frames for w in spoken)
    return not (in_joined and in_own)


def wake_word_run_on(words: Sequence[Word], speech: Sequence[bool]) -> bool:
    """Whether "coach" runs into the command after it with no breath between: no run of
    MIN_WAKE_PAUSE_FRAMES quiet endpointer frames from the middle of "coach" to the
    middle of the next word. (The decoder gives the pause to either word as often as
    to a silence between them, so the words' edges do not say where it is.)"""
    spoken = spoken_words(words)
    for before, after in pairwise(spoken):
        if before.text != WAKE_WORD:
            continue
        first = (before.first + before.last) // 2 // ENDPOINTER_FRAME
        last = (after.first + after.last) // 2 // ENDPOINTER_FRAME
        return _longest_quiet_run(speech[first : last + 1]) < MIN_WAKE_PAUSE_FRAMES
    return False


def _longest_quiet_run(speech: Sequence[bool]) -> int:
    longest = run = 0
    for is_speech in speech:
        run = 0 if is_speech else run + 1
        longest = max(longest, run)
    return longest


def wake_word_unlike(words: Sequence[Word]) -> bool:
    """Whether the "coach" of the best path sounds too little like one."""
    return any(
        w.text == WAKE_WORD and w.acoustic / w.frames < MIN_WAKE_ACOUSTIC_PER_FRAME
        for w in spoken_words(words)
    )
