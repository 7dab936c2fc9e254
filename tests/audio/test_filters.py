"""The numpy filters and loudness give what scipy and pyloudnorm give (the references the
app used before; they stay installed for the voice commands' filters and for these tests)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import lfilter, resample_poly

from backbeat.audio.filters import biquad_cascade, moving_mean, sliding_minimum, upsample
from backbeat.audio.loudness import _k_weighting, integrated_loudness, normalise

RATES = (16000, 22050, 44100, 48000)


def speech_like(rate: int, seconds: float, seed: int = 1) -> npt.NDArray[np.float64]:
    """Noise bursts shaped like syllables, with pauses and a low hum: what a prompt is."""
    rng = np.random.default_rng(seed)
    n = round(rate * seconds)
    t = np.arange(n) / rate
    envelope = np.clip(np.sin(2 * np.pi * 3.1 * t), 0, None) ** 2 * (t % 1.3 < 1.0)
    return 0.4 * envelope * rng.standard_normal(n) + 0.05 * np.sin(2 * np.pi * 60 * t)


@pytest.mark.parametrize("rate", RATES)
def test_the_k_weighting_filters_as_lfilter_does(rate: int) -> None:
    x = speech_like(rate, 2.0)
    expected = x
    for b0, b1, b2, a0, a1, a2 in _k_weighting(rate):
        expected = lfilter(np.array([b0, b1, b2]) / a0, np.array([a0, a1, a2]) / a0, expected)
    assert np.max(np.abs(biquad_cascade(x, _k_weighting(rate), rate) - expected)) < 1e-12


@pytest.mark.parametrize("rate", RATES)
def test_loudness_is_pyloudnorms(rate: int) -> None:
    for seconds, gain in ((0.2, 1.0), (0.5, 0.3), (3.7, 1.0), (3.7, 1e-4), (11.0, 0.05)):
        x = gain * speech_like(rate, seconds, seed=round(seconds * 10))
        padded = np.pad(x, (0, max(0, round(0.4 * rate) + 2 - len(x))))
        expected = pyloudnorm.Meter(rate).integrated_loudness(padded)
        assert integrated_loudness(x, rate) == pytest.approx(expected, abs=1e-9)


def test_silence_and_near_silence_measure_minus_infinity() -> None:
    assert integrated_loudness(np.zeros(30000), 44100) == -np.inf
    assert integrated_loudness(np.full(30000, 1e-6), 44100) == -np.inf


@pytest.mark.parametrize("length", [1, 2, 5, 81, 1000, 44101])
def test_upsampling_is_resample_polys(length: int) -> None:
    x = np.random.default_rng(length).standard_normal(length)
    expected = resample_poly(x, 4, 1)
    assert upsample(x, 4).shape == expected.shape
    assert np.max(np.abs(upsample(x, 4) - expected)) < 1e-12


@pytest.mark.parametrize(("length", "size"), [(1, 5), (7, 3), (100, 1), (1000, 1059), (5000, 57)])
def test_sliding_minimum_and_moving_mean_are_ndimages(length: int, size: int) -> None:
    rng = np.random.default_rng(size)
    x = np.minimum(1.0, rng.uniform(0.3, 1.6, length))
    held = sliding_minimum(x, size)
    assert np.array_equal(held, -maximum_filter1d(-x, size=size, mode="nearest"))
    expected = uniform_filter1d(held, size=size, mode="nearest")
    assert np.max(np.abs(moving_mean(held, size) - expected)) < 1e-12


def test_a_normalised_prompt_is_what_the_scipy_code_made_to_the_16_bit_sample() -> None:
    """What the cache holds (16 bits) is the same as before, so its entries stay valid."""
    x = (0.9 * speech_like(44100, 2.5, seed=7) / 0.45).astype(np.float32)  # peaks over 0 dBFS
    made = normalise(x, 44100, -17.4, -3.0)
    reference = _scipy_normalise(x, 44100, -17.4, -3.0)
    assert np.max(np.abs(np.round(made * 32767) - np.round(reference * 32767))) <= 1


def _scipy_normalise(
    x: npt.NDArray[np.float32], rate: int, target: float, ceiling_dbtp: float
) -> npt.NDArray[np.float32]:
    """The former implementation (pyloudnorm, resample_poly, scipy.ndimage)."""

    def loudness(y: npt.NDArray[np.floating]) -> float:
        return float(pyloudnorm.Meter(rate).integrated_loudness(np.asarray(y, np.float64)))

    def true_peak(y: npt.NDArray[np.floating]) -> float:
        return float(20 * np.log10(np.max(np.abs(resample_poly(np.asarray(y, np.float64), 4, 1)))))

    def limit(y: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        ceiling = 10 ** (ceiling_dbtp / 20)
        z = np.asarray(y, dtype=np.float64)
        peaks = np.abs(resample_poly(z, 4, 1))[: len(z) * 4].reshape(len(z), 4).max(axis=1)
        needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
        if np.all(needed >= 1.0):
            return y
        width = max(1, round(0.012 * rate))
        held = -maximum_filter1d(-needed, size=2 * width + 1, mode="nearest")
        limited = z * uniform_filter1d(held, size=width | 1, mode="nearest")
        over = true_peak(limited) - ceiling_dbtp
        if over > 0:
            limited *= 10 ** (-over / 20)
        return limited.astype(np.float32)

    gain_db = target - loudness(x)
    y = x
    for _ in range(8):
        y = limit((x * 10 ** (gain_db / 20)).astype(np.float32))
        shortfall = target - loudness(y)
        if abs(shortfall) < 0.05:
            break
        gain_db += shortfall
    return y


@pytest.mark.parametrize(("rate", "to"), [(22050, 44100), (48000, 16000), (44100, 22050)])
def test_resampling_over_slices_sums_what_the_gathers_sum(rate: int, to: int) -> None:
    """The fast path for few phases gives the very same samples as the general one."""
    from backbeat.audio import resample as module

    x = np.random.default_rng(rate).standard_normal(5001)
    up, down = to // math.gcd(rate, to), rate // math.gcd(rate, to)
    taps, half = module._phase_table(up, down)
    n_out = math.ceil(len(x) * up / down)
    padded = np.concatenate([np.zeros(half), x, np.zeros(half + 1)])
    gathered = module._gathered(padded, taps, half, up, down, n_out)
    assert np.array_equal(module.resample(x, rate, to), gathered)
