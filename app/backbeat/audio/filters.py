"""The few filters the loudness measurement and the peak limiter need, in numpy alone.

They give what ``scipy.signal.lfilter``, ``scipy.signal.resample_poly`` (4x, its default
Kaiser window) and ``scipy.ndimage``'s ``minimum_filter1d``/``uniform_filter1d``
(``mode="nearest"``) give, to float64 rounding (tests/audio/test_filters.py compares
them). Importing ``scipy.signal`` costs the window about 75 MB resident (530 modules and
their libraries), more than the voice's model, for four small filters.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

DoubleArray = npt.NDArray[np.float64]

#: A K-weighting impulse response is cut where it has fallen far below float64 rounding:
#: its slowest poles (the 38 Hz high-pass, a double pole) decay by e^-1 every ~4.2 samples
#: per kHz of rate, so 250 samples per kHz leave less than 1e-21 of it.
_IMPULSE_PER_KHZ = 250
_IMPULSE_MIN = 2048


def _biquad_impulse(b: DoubleArray, a: DoubleArray, length: int, x: DoubleArray) -> DoubleArray:
    """``x`` (a short input) through one normalised biquad, zero initial state."""
    b0, b1, b2 = (float(v) for v in b)
    a1, a2 = float(a[1]), float(a[2])
    out = np.zeros(length)
    x1 = x2 = y1 = y2 = 0.0
    values = x.tolist() + [0.0] * (length - len(x))
    for n, x0 in enumerate(values):
        y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        out[n] = y0
        x2, x1, y2, y1 = x1, x0, y1, y0
    return out


@functools.lru_cache(maxsize=8)
def _cascade_impulse(sections: tuple[tuple[float, ...], ...], rate: int) -> DoubleArray:
    length = max(_IMPULSE_MIN, math.ceil(_IMPULSE_PER_KHZ * rate / 1000))
    h = np.zeros(length)
    h[0] = 1.0
    for section in sections:
        b, a = np.array(section[:3]), np.array(section[3:])
        h = _biquad_impulse(b / a[0], a / a[0], length, h)
    h.setflags(write=False)
    return h


@functools.lru_cache(maxsize=4)
def _cascade_spectrum(
    sections: tuple[tuple[float, ...], ...], rate: int, size: int
) -> npt.NDArray[np.complex128]:
    """Kept: the loudness of one prompt is measured a few times over while it is
    normalised, each time at the same length."""
    spectrum = np.fft.rfft(_cascade_impulse(sections, rate), size)
    spectrum.setflags(write=False)
    return spectrum


def biquad_cascade(
    x: npt.ArrayLike, sections: tuple[tuple[float, ...], ...], rate: int
) -> DoubleArray:
    """``x`` through each ``(b0, b1, b2, a0, a1, a2)`` section in turn from rest (what
    ``lfilter`` of each gives), by FFT convolution with the cascade's impulse response,
    which for these stable, fast-decaying sections is exact to float64 rounding.
    ``rate`` only sets how long that response is kept."""
    signal = np.asarray(x, dtype=np.float64)
    if len(signal) == 0:
        return signal.copy()
    size = _fast_size(len(signal) + len(_cascade_impulse(sections, rate)) - 1)
    spectrum = np.fft.rfft(signal, size) * _cascade_spectrum(sections, rate, size)
    result: DoubleArray = np.fft.irfft(spectrum, size)[: len(signal)]
    return result


def _fast_size(n: int) -> int:
    """The least 2^a * 3^b at or above ``n``: a size the FFT does fast."""
    best = 1 << max(0, n - 1).bit_length()
    three = 1
    while three < best:
        size = three << max(0, -(-n // three) - 1).bit_length()
        best = min(best, size)
        three *= 3
    return best


@functools.lru_cache(maxsize=4)
def _upsampling_filter(up: int) -> DoubleArray:
    """``resample_poly``'s own filter for ``up``: 20*up+1 taps of a windowed sinc cut at
    the input's Nyquist (Kaiser, beta 5), unity gain at DC, times ``up``."""
    half = 10 * up
    m = np.arange(2 * half + 1) - half
    windowed: DoubleArray = np.sinc(m / up) / up * np.kaiser(2 * half + 1, 5.0)
    taps: DoubleArray = windowed / windowed.sum() * up
    taps.setflags(write=False)
    return taps


def upsample(x: npt.ArrayLike, up: int) -> DoubleArray:
    """``x`` at ``up`` times its rate, ``len(x) * up`` samples, as ``resample_poly(x,
    up, 1)`` makes them (zeros beyond both ends)."""
    result: DoubleArray = upsampled_phases(x, up).T.ravel()
    return result


def upsampled_phases(x: npt.ArrayLike, up: int) -> DoubleArray:
    """:func:`upsample`'s samples as an ``(up, len(x))`` array: row ``p`` holds samples
    ``p, up + p, 2 * up + p ...`` (what a peak per input sample needs, without the copy
    into one row). Tap by tap over the whole signal, in place: no BLAS (its threads spin
    on a shared machine), no temporary per tap."""
    signal = np.asarray(x, dtype=np.float64)
    n = len(signal)
    phases = np.zeros((up, n))
    if n == 0:
        return phases
    taps = _upsampling_filter(up)
    half = (len(taps) - 1) // 2
    reach = len(taps) // up + 1  # input samples a phase reaches either side
    padded = np.concatenate([np.zeros(reach), signal, np.zeros(reach)])
    term = np.empty(n)
    for phase, phase_sum in enumerate(phases):
        # Output up*m + phase weighs input m + lag - i with tap first + up*i.
        first, lag = (phase + half) % up, (phase + half) // up
        for i, tap in enumerate(taps[first::up]):
            begin = reach + lag - i
            np.multiply(padded[begin : begin + n], tap, out=term)
            phase_sum += term
    return phases


def sliding_minimum(x: npt.ArrayLike, size: int) -> DoubleArray:
    """The least value within ``size`` (odd) samples centred on each one, the ends
    repeated beyond the signal (van Herk / Gil-Werman: three passes whatever ``size``)."""
    signal = np.asarray(x, dtype=np.float64)
    if len(signal) == 0 or size <= 1:
        return signal.copy()
    half = size // 2
    padded = np.concatenate([np.full(half, signal[0]), signal, np.full(half, signal[-1])])
    blocks = -(-len(padded) // size)
    filled = np.concatenate([padded, np.full(blocks * size - len(padded), np.inf)])
    grid = filled.reshape(blocks, size)
    forward = np.minimum.accumulate(grid, axis=1).ravel()
    backward = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    n = len(signal)
    result: DoubleArray = np.minimum(backward[:n], forward[size - 1 : size - 1 + n])
    return result


def moving_mean(x: npt.ArrayLike, size: int) -> DoubleArray:
    """The mean of ``size`` (odd) samples centred on each one, the ends repeated."""
    signal = np.asarray(x, dtype=np.float64)
    if len(signal) == 0 or size <= 1:
        return signal.copy()
    half = size // 2
    # Around the first value, so the running sum stays small and exact to rounding.
    offset = signal[0]
    padded = np.concatenate([np.full(half, signal[0]), signal, np.full(half, signal[-1])])
    sums = np.concatenate([[0.0], np.cumsum(padded - offset)])
    result: DoubleArray = (sums[size:] - sums[:-size]) / size + offset
    return result
