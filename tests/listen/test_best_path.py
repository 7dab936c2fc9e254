"""The best path's word timings against the endpointer's speech flags (10 ms decoder
frames, three to an endpointer frame)."""

from __future__ import annotations

import numpy as np

from backbeat.listen.best_path import (
    MIN_WAKE_ACOUSTIC_PER_FRAME,
    MIN_WAKE_PAUSE_FRAMES,
    Word,
    joined_part_unheard,
    speech_around_clicks,
    spoken_words,
    stretched_word,
    uncovered_speech_frames,
    wake_word_run_on,
    wake_word_unlike,
)
from backbeat.listen.endpointer import END_FRAMES, FRAME_SAMPLES, EnergyEndpointer


def _three_phones(word: str) -> int:
    return 3


def test_silences_and_fillers_are_not_words() -> None:
    words = [Word("<s>", 0, 9), Word("next(2)", 10, 40), Word("[NOISE]", 41, 50)]
    assert spoken_words(words) == [Word("next", 10, 40)]


def test_a_word_longer_than_anyone_says_it_is_stretched() -> None:
    assert not stretched_word([Word("pause", 0, 83)], _three_phones)
    assert stretched_word([Word("pause", 0, 84)], _three_phones)
    assert not stretched_word([Word("<sil>", 0, 300)], _three_phones)


def test_speech_outside_the_words_is_counted() -> None:
    speech = [False, True, True, True, True, False]  # frames 3 to 14 hold speech
    assert uncovered_speech_frames([Word("next", 3, 14)], speech) == 0
    assert uncovered_speech_frames([Word("next", 6, 14)], speech) == 3
    assert uncovered_speech_frames([Word("<sil>", 0, 17)], speech) == 12


def test_the_wake_word_needs_a_breath_before_the_command() -> None:
    breath = [True] * 4 + [False] * MIN_WAKE_PAUSE_FRAMES + [True] * 4
    words = [Word("coach", 0, 11), Word("<sil>", 12, 20), Word("next", 21, 32)]
    assert not wake_word_run_on(words, breath)
    run_on = [True] * 11
    assert wake_word_run_on([Word("coach", 0, 11), Word("next", 12, 32)], run_on)
    assert not wake_word_run_on([Word("next", 0, 11)], run_on)  # no wake word: no rule


def _frame(level: float) -> np.ndarray:
    return np.full(FRAME_SAMPLES, level, dtype=np.int16) * np.where(
        np.arange(FRAME_SAMPLES) % 2, 1, -1
    ).astype(np.int16)


def test_the_endpointer_can_be_told_to_end_early() -> None:
    endpointer = EnergyEndpointer()
    for _ in range(30):
        endpointer.step(_frame(10))
    steps = [endpointer.step(_frame(3000)) for _ in range(10)]
    assert any(s.started for s in steps) and all(s.speech for s in steps)
    for _ in range(5):
        step = endpointer.step(_frame(10))
    assert not step.ended and not step.speech and endpointer.quiet_run == 5
    endpointer.end()
    assert not endpointer.in_speech
    later = [endpointer.step(_frame(10)) for _ in range(END_FRAMES)]
    assert not any(s.ended for s in later)


def test_a_wake_word_that_sounds_little_like_one_is_refused() -> None:
    frames = 30
    clear = Word("coach", 0, frames - 1, acoustic=(MIN_WAKE_ACOUSTIC_PER_FRAME + 1) * frames)
    muddy = Word("coach", 0, frames - 1, acoustic=(MIN_WAKE_ACOUSTIC_PER_FRAME - 1) * frames)
    poor_command = Word("next", frames, 2 * frames, acoustic=-1000.0)
    assert not wake_word_unlike([clear, poor_command])
    assert wake_word_unlike([muddy, Word("next", frames, 2 * frames)])


def test_an_utterance_joined_before_must_hold_a_word() -> None:
    # Two clicks joined into one utterance: the first lies under silence only.
    clicks = [Word("<sil>", 0, 47), Word("back", 48, 59)]
    assert joined_part_unheard(clicks, joined_frames=16)
    assert not joined_part_unheard([Word("coach", 6, 17), *clicks[1:]], joined_frames=16)
    assert joined_part_unheard([Word("back", 0, 38), Word("<sil>", 39, 59)], joined_frames=16)
    assert not joined_part_unheard(clicks, joined_frames=0)  # nothing was joined


def test_a_click_takes_the_speech_around_it() -> None:
    speech = [True, True, False, False, True, False, False, False]
    clicked = [False, False, True, True, False, True, True, False]
    # Inside the word (speech on both sides) it is speech, at the word's end quiet.
    assert speech_around_clicks(speech, clicked) == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert speech_around_clicks([False, False], [True, True]) == [False, False]
