"""Loudness as a listener hears it: ITU-R BS.1770 integrated loudness (as pyloudnorm
measures it), true peak (4× oversampled, as BS.1770-4 Annex 2 describes), and the gain
that brings a prompt to a loudness target without its peaks going over a ceiling.

numpy only (:mod:`backbeat.audio.filters`): with scipy and pyloudnorm the window
carried about 75 MB more for as long as it ran, from the first prompt or chime on.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from backbeat.audio.filters import biquad_cascade, moving_mean, sliding_minimum, upsampled_phases

FloatArray = npt.NDArray[np.float32]

#: Every prompt (and every sound in place of one) is brought to this integrated loudness
#: at full voice volume, so a voice-only export measures about -18 LUFS: spoken-word level.
VOICE_LOUDNESS_LUFS = -18.0
#: What each prompt is normalised to: the 400 ms blocks at a prompt's edges, half
#: silence, pull an export's integrated loudness 0.6 LU below its prompts' (measured on the
#: bundled protocols), so the prompts sit that much above the export's target.
PROMPT_LOUDNESS_LUFS = VOICE_LOUDNESS_LUFS + 0.6
#: ... with its true peak at most here, leaving room for the ducked clicks under it and
#: keeping the mix at or below -1 dBTP.
VOICE_CEILING_DBTP = -3.0

#: BS.1770 measures 400 ms blocks: a shorter sound is measured with silence after it.
_BLOCK_SECONDS = 0.4
#: The limiter's gain falls this long before a peak and recovers over as long after it:
#: slow enough not to distort speech, fast enough to touch only the peak itself.
_LIMITER_SECONDS = 0.012
TRUE_PEAK_OVERSAMPLING = 4
_NORMALISE_ROUNDS = 8
#: BS.1770's gating: blocks overlap by 75 %; absolute gate -70 LUFS, relative gate 10 LU.
_BLOCK_OVERLAP = 0.75
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = 10.0


def _k_weighting(rate: int) -> tuple[tuple[float, ...], ...]:
    """BS.1770's K-weighting as pyloudnorm designs it for ``rate`` (RBJ cookbook): a
    +4 dB high shelf at 1.5 kHz, then a high-pass at 38 Hz; ``(b0, b1, b2, a0, a1, a2)``."""
    gain = 10 ** (4.0 / 40.0)
    w0 = 2.0 * math.pi * 1500.0 / rate
    alpha = math.sin(w0) / (2.0 * (1 / math.sqrt(2)))
    cos, root = math.cos(w0), 2 * math.sqrt(gain) * alpha
    shelf = (
        gain * ((gain + 1) + (gain - 1) * cos + root),
        -2 * gain * ((gain - 1) + (gain + 1) * cos),
        gain * ((gain + 1) + (gain - 1) * cos - root),
        (gain + 1) - (gain - 1) * cos + root,
        2 * ((gain - 1) - (gain + 1) * cos),
        (gain + 1) - (gain - 1) * cos - root,
    )
    w0 = 2.0 * math.pi * 38.0 / rate
    alpha, cos = math.sin(w0) / (2.0 * 0.5), math.cos(w0)
    high_pass = ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha)
    return shelf, high_pass


def integrated_loudness(samples: npt.ArrayLike, rate: int) -> float:
    """Integrated loudness in LUFS (``-inf`` for silence), mono, gated as BS.1770-4
    (and pyloudnorm, block by block) says."""
    x = np.asarray(samples, dtype=np.float64)
    shortest = math.ceil(_BLOCK_SECONDS * rate) + 1
    if len(x) < shortest:
        x = np.pad(x, (0, shortest - len(x)))
    weighted = biquad_cascade(x, _k_weighting(rate), rate)
    step = 1.0 - _BLOCK_OVERLAP
    blocks = round((len(x) / rate - _BLOCK_SECONDS) / (_BLOCK_SECONDS * step)) + 1
    j = np.arange(blocks)
    lower = (_BLOCK_SECONDS * (j * step) * rate).astype(np.int64)
    upper = (_BLOCK_SECONDS * (j * step + 1) * rate).astype(np.int64)
    squares = np.square(weighted)
    scale = 1.0 / (_BLOCK_SECONDS * rate)
    power = np.array([scale * np.sum(squares[a:b]) for a, b in zip(lower, upper, strict=True)])
    with np.errstate(divide="ignore"):
        block_loudness = -0.691 + 10.0 * np.log10(power)
    gated = power[block_loudness >= _ABSOLUTE_GATE_LUFS]
    if len(gated) == 0:
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(np.mean(gated))) - _RELATIVE_GATE_LU
    kept = power[(block_loudness > relative) & (block_loudness > _ABSOLUTE_GATE_LUFS)]
    mean = float(np.mean(kept)) if len(kept) else 0.0
    return -0.691 + 10.0 * math.log10(mean) if mean > 0 else -math.inf


def oversampled_peaks(samples: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The waveform's magnitude between samples too: |x| at 4× the rate, as a
    ``(4, len(x))`` array: column ``i`` holds the four values from sample ``i`` on."""
    peaks: npt.NDArray[np.float64] = np.abs(upsampled_phases(samples, TRUE_PEAK_OVERSAMPLING))
    return peaks


def true_peak_dbtp(samples: npt.ArrayLike) -> float:
    peaks = oversampled_peaks(samples)
    peak = float(np.max(peaks)) if peaks.size else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def limit_peaks(samples: FloatArray, rate: int, ceiling_dbtp: float) -> FloatArray:
    """``samples`` with every true peak brought down to ``ceiling_dbtp`` by a smooth
    look-ahead gain (no library in our stack offers a limiter; pedalboard would, at the
    price of a large native dependency). Below the ceiling nothing changes."""
    ceiling = 10 ** (ceiling_dbtp / 20)
    x = np.asarray(samples, dtype=np.float64)
    if len(x) == 0:
        return np.asarray(samples, dtype=np.float32)
    per_sample = oversampled_peaks(x).max(axis=0)
    needed = np.minimum(1.0, ceiling / np.maximum(per_sample, 1e-12))
    if np.all(needed >= 1.0):
        return np.asarray(samples, dtype=np.float32)
    width = max(1, round(_LIMITER_SECONDS * rate))
    # The deepest cut needed within `width` either side, then smoothed over a window half
    # that size: the smoothed gain at a peak averages only values at or below its need.
    held = sliding_minimum(needed, 2 * width + 1)
    gain = moving_mean(held, width | 1)
    y = x * gain
    # Oversampling the limited signal can still find a peak a hair over: scale it in.
    over = true_peak_dbtp(y) - ceiling_dbtp
    if over > 0:
        y *= 10 ** (-over / 20)
    result: FloatArray = y.astype(np.float32)
    return result


def normalise(
    samples: FloatArray, rate: int, target_lufs: float, ceiling_dbtp: float
) -> FloatArray:
    """Gain to ``target_lufs`` integrated, then peaks limited to ``ceiling_dbtp``; the
    limiting lowers the loudness a little, so the gain is raised and the peaks limited
    again until the loudness is within 0.05 LU (three or four rounds for speech)."""
    x = np.asarray(samples, dtype=np.float32)
    if len(x) == 0 or not np.any(x):
        return x
    measured = integrated_loudness(x, rate)
    if not math.isfinite(measured):
        return x
    gain_db = target_lufs - measured
    y = x
    for _ in range(_NORMALISE_ROUNDS):
        y = limit_peaks((x * 10 ** (gain_db / 20)).astype(np.float32), rate, ceiling_dbtp)
        shortfall = target_lufs - integrated_loudness(y, rate)
        if abs(shortfall) < 0.05:
            break
        gain_db += shortfall
    return y
