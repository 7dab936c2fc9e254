"""The clicks' lag at the microphone, measured on the clicks heard alone."""

from __future__ import annotations

import numpy as np
import pytest

from backbeat.audio.clicks import make_click
from backbeat.listen.click_lag import EARLY_SECONDS, MIN_LAGS, ClickLag

RATE = 16000
BLOCK = RATE // 10
CLICK = (make_click("wood", RATE) * 8000).astype(np.int16)


def _room_with_clicks(seconds: float, at: list[float]) -> np.ndarray:
    room = np.random.default_rng(0).normal(0, 30, round(seconds * RATE))
    for time in at:
        start = round(time * RATE)
        room[start : start + len(CLICK)] += CLICK
    return room.astype(np.int16)


def _hear(lag: ClickLag, samples: np.ndarray, told: list[float]) -> None:
    for first in range(0, len(samples), BLOCK):
        start = first / RATE
        near = [(t, t + 0.09) for t in told if start - 0.2 < t < start + 0.3]
        lag.hear(samples[first : first + BLOCK], start, near, room_db=-60.0)


def test_clicks_heard_later_than_told_give_the_lag() -> None:
    actual = [0.5 + 0.8 * k for k in range(10)]
    samples = _room_with_clicks(9.0, actual)
    lag = ClickLag(RATE)
    _hear(lag, samples, [t - 0.035 for t in actual])  # told 35 ms early
    assert lag.seconds == pytest.approx(0.035 - EARLY_SECONDS, abs=0.002)


def test_no_correction_until_enough_clicks_are_measured() -> None:
    actual = [0.5 + 0.8 * k for k in range(MIN_LAGS - 1)]
    lag = ClickLag(RATE)
    _hear(lag, _room_with_clicks(5.0, actual), [t + 0.02 for t in actual])
    assert lag.seconds == 0.0


def test_a_click_under_speech_is_not_measured() -> None:
    actual = [0.5 + 0.8 * k for k in range(10)]
    samples = _room_with_clicks(9.0, actual).astype(np.float64)
    t = np.arange(len(samples)) / RATE
    samples += 6000 * np.sin(2 * np.pi * 200 * t)  # someone talks all along
    lag = ClickLag(RATE)
    _hear(lag, samples.astype(np.int16), [a - 0.03 for a in actual])
    assert lag.seconds == 0.0
