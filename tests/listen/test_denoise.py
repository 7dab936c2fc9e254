"""The noise suppressor: left out in a quiet room, taking noise out of a noisy one."""

from __future__ import annotations

import numpy as np
import pytest

from backbeat.listen.denoise import CHUNK_SAMPLES, WebRtcDenoiser
from tests.listen.corpus import pink_noise, with_hiss

pytest.importorskip("webrtc_noise_gain")


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def test_a_quiet_room_is_passed_through_unchanged() -> None:
    denoiser = WebRtcDenoiser()
    hiss = with_hiss(np.zeros(16000 * 3))
    out = np.concatenate([denoiser.process(hiss[i : i + 1000]) for i in range(0, len(hiss), 1000)])
    assert len(out) + denoiser.held == len(hiss)
    assert np.array_equal(out, hiss[: len(out)])


def test_a_noisy_room_is_made_quieter_and_nothing_is_lost() -> None:
    denoiser = WebRtcDenoiser()
    noise = (pink_noise(16000 * 4) * 1000).astype(np.int16)  # about -30 dBFS
    out = np.concatenate(
        [denoiser.process(noise[i : i + 1234]) for i in range(0, len(noise), 1234)]
    )
    assert len(out) + denoiser.held == len(noise)
    assert denoiser.held < CHUNK_SAMPLES
    last_second = slice(-16000, None)
    assert _rms(out[last_second]) < 0.5 * _rms(noise[: len(out)][last_second])
