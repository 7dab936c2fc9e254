"""Sample-rate conversion with a polyphase windowed-sinc filter, in numpy only.

The TTS engines speak at 22.05 kHz (or 16 kHz); the stream runs at 44.1 kHz. Linear
interpolation would leave audible images above 11 kHz; a Kaiser-windowed sinc with 16
zero crossings each side keeps them about 70 dB down for a few milliseconds of CPU.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

_HALF_WIDTH = 16  # zero crossings of the sinc on each side
_KAISER_BETA = 8.0
#: Up to this many output phases (22.05 kHz to 44.1 kHz: 2) each phase's outputs are
#: summed over slices of the input; beyond it, over gathers (one per tap).
_SLICED_PHASES_AT_MOST = 8


def _phase_table(up: int, down: int) -> tuple[npt.NDArray[np.float64], int]:
    """Filter taps for every output phase: row ``phase``, column ``k`` weighs input
    sample ``base - k + half`` where ``base = floor(n * down / up)``."""
    cutoff = min(1.0, up / down)  # relative to the input Nyquist: lower it when decimating
    half = math.ceil(_HALF_WIDTH / cutoff)
    offsets = np.arange(-half + 1, half + 1, dtype=np.float64)  # k - half ... as input lags
    phases = np.arange(up, dtype=np.float64)[:, None] / up
    t = phases - offsets[None, :]  # distance from each tap to the wanted position
    window = np.kaiser(2 * half + 1, _KAISER_BETA)
    win = np.interp(t, np.arange(-half, half + 1, dtype=np.float64), window, left=0.0, right=0.0)
    taps = cutoff * np.sinc(cutoff * t) * win
    taps /= taps.sum(axis=1, keepdims=True)  # unity gain at DC for every phase
    return taps, half


def resample(samples: npt.NDArray[np.floating], from_rate: int, to_rate: int) -> FloatArray:
    """``samples`` at ``from_rate`` -> float32 at ``to_rate`` (output length rounded up)."""
    x = np.asarray(samples, dtype=np.float64)
    if from_rate == to_rate or len(x) == 0:
        return x.astype(np.float32)
    g = math.gcd(from_rate, to_rate)
    up, down = to_rate // g, from_rate // g
    taps, half = _phase_table(up, down)
    n_out = math.ceil(len(x) * up / down)
    padded = np.concatenate([np.zeros(half), x, np.zeros(half + 1)])
    if up > _SLICED_PHASES_AT_MOST:
        return _gathered(padded, taps, half, up, down, n_out)
    out = np.zeros(n_out, dtype=np.float64)
    term = np.empty(-(-n_out // up))
    for phase in range(min(up, n_out)):
        # Outputs phase, phase + up, ...: their base input steps by ``down``, a slice.
        count = len(range(phase, n_out, up))
        first, row = divmod(phase * down, up)
        for column in range(taps.shape[1]):
            lag = column - half + 1  # matches ``offsets`` in _phase_table
            begin = first + lag + half
            inputs = padded[begin : begin + (count - 1) * down + 1 : down]
            np.multiply(inputs, taps[row, column], out=term[:count])
            out[phase::up] += term[:count]
    return out.astype(np.float32)


def _gathered(
    padded: npt.NDArray[np.float64],
    taps: npt.NDArray[np.float64],
    half: int,
    up: int,
    down: int,
    n_out: int,
) -> FloatArray:
    """The same sums, one gather of every output's input per tap: fewer calls when the
    ratio has many phases (44.1 kHz to 16 kHz: 160)."""
    n = np.arange(n_out, dtype=np.int64)
    base = (n * down) // up
    phase = (n * down) % up
    out = np.zeros(n_out, dtype=np.float64)
    for column in range(taps.shape[1]):
        lag = column - half + 1  # matches ``offsets`` in _phase_table
        out += taps[phase, column] * padded[base + lag + half]
    return out.astype(np.float32)
