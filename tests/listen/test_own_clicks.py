"""A click heard alone is replaced by the room's floor; speech over a click is kept."""

from __future__ import annotations

import numpy as np

from backbeat.audio.clicks import make_click
from backbeat.listen.own_clicks import PIECE_SAMPLES, ClickFiller

RATE = 16000
CLICK = (make_click("wood", RATE) * 8000).astype(np.int16)
CLICK_SECONDS = len(CLICK) / RATE


def _room(seconds: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 30, round(seconds * RATE)).astype(np.int16)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def _with_click(room: np.ndarray, at: float, over: np.ndarray | None = None) -> np.ndarray:
    mixed = room.astype(np.int32)
    start = round(at * RATE)
    mixed[start : start + len(CLICK)] += CLICK
    if over is not None:
        mixed[start : start + len(over)] += over
    return np.clip(mixed, -32768, 32767).astype(np.int16)


def test_a_click_alone_becomes_the_rooms_floor() -> None:
    filler = ClickFiller(RATE)
    room = _room(1.0)
    block = _with_click(room, 0.5)
    clicks = [(0.5, 0.5 + CLICK_SECONDS)]
    filled = filler.fill(block, 0.0, clicks)
    under = slice(round(0.5 * RATE), round(0.5 * RATE) + len(CLICK))
    assert _rms(block[under]) > 20 * _rms(room)
    assert _rms(filled[under]) < 1.5 * _rms(room)
    assert np.array_equal(filled[: under.start], block[: under.start])  # no more than the click
    assert filler.replaced(0.52, 0.55) and not filler.replaced(0.7, 0.8)


def test_speech_louder_than_the_click_is_kept() -> None:
    filler = ClickFiller(RATE)
    for second in range(4):  # the click heard alone, learnt
        filler.fill(
            _with_click(_room(1.0, second), 0.5),
            float(second),
            [(second + 0.5, second + 0.5 + CLICK_SECONDS)],
        )
    t = np.arange(round(0.3 * RATE)) / RATE
    speech = (20000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)
    block = _with_click(_room(1.0, 9), 0.5, over=speech)
    filled = filler.fill(block, 4.0, [(4.5, 4.5 + CLICK_SECONDS)])
    later = slice(round(0.5 * RATE) + 2 * PIECE_SAMPLES, round(0.5 * RATE) + len(CLICK))
    assert np.array_equal(filled[later], block[later])
    assert not filler.replaced(4.52, 4.58)


def test_a_broken_stream_forgets_what_was_replaced() -> None:
    filler = ClickFiller(RATE)
    filler.fill(_with_click(_room(1.0), 0.5), 0.0, [(0.5, 0.5 + CLICK_SECONDS)])
    filler.forget_clicks()
    assert not filler.replaced(0.5, 0.6)
