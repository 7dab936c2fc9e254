"""The two grammar searches of a noisy room (over the suppressor's output and over the
input): a command both hear counts once, and in a quiet room the second does not run."""

from __future__ import annotations

import numpy as np
import pytest

from backbeat.listen.commands import Command, CommandSet
from backbeat.listen.denoise import WebRtcDenoiser
from backbeat.listen.recogniser import GrammarRecogniser, PocketSphinxRecogniser
from tests.listen.corpus import Synthesiser, command_corpus, padded, pink_noise
from tests.listen.evaluation import mix_at_snr_padded

pytestmark = pytest.mark.slow
pytest.importorskip("webrtc_noise_gain")


def _commands(synth: Synthesiser, snr_db: float | None) -> list[tuple[Command, np.ndarray]]:
    """Every command's first phrase (Piper, normal speed), over pink noise at ``snr_db``."""
    noise = pink_noise(16000 * 60)
    said = []
    for utterance in command_corpus(synth, voices=("piper-joe",), speeds=("normal",)):
        signal = padded(utterance.samples, after=2.0)
        if snr_db is not None:
            signal = mix_at_snr_padded(signal, utterance.samples, noise, snr_db)
        said.append((utterance.command, signal))
    return said


def test_a_command_both_searches_hear_counts_once(synth: Synthesiser) -> None:
    both = PocketSphinxRecogniser(CommandSet())
    raw_alone = GrammarRecogniser(CommandSet(), denoiser=None)
    heard_by_raw = 0
    for command, signal in _commands(synth, snr_db=20):
        heard = both.feed(signal, 0.0)
        both.interrupt()
        raw = raw_alone.feed(signal, 0.0)
        raw_alone.interrupt()
        heard_by_raw += [h.command for h in raw] == [command]
        assert [h.command for h in heard] == [command]
    assert heard_by_raw >= 10  # so most were heard by both searches


def test_in_a_quiet_room_the_second_search_does_not_run(synth: Synthesiser) -> None:
    for snr_db, second_runs in ((None, False), (10.0, True)):
        both = PocketSphinxRecogniser(CommandSet())
        first_alone = GrammarRecogniser(CommandSet(), denoiser=WebRtcDenoiser)
        for _, signal in _commands(synth, snr_db)[:3]:
            both.feed(signal, 0.0)
            both.interrupt()
            first_alone.feed(signal, 0.0)
            first_alone.interrupt()
        assert (both.decoded_seconds > first_alone.decoded_seconds) == second_runs
