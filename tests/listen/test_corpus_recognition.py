"""Recognition over the synthetic corpus (the first phrase of every command, Piper and
espeak-ng, two voices each, three speeds): clean, over room noise and over the app's own
session sound. The benchmark (benchmarks/voice_commands.py) runs every phrase at 20, 10
and 5 dB and prints the rates; here the floors guard against a regression."""

from __future__ import annotations

import pytest

from backbeat.listen.commands import Command
from tests.listen.corpus import ESPEAK_VOICES, PIPER_VOICES, Synthesiser, command_corpus, pink_noise
from tests.listen.evaluation import gate_open_clicks, gate_open_stretches, recognition
from tests.listen.own_audio import OwnAudio

pytestmark = pytest.mark.slow


def test_clean_commands_are_recognised(synth: Synthesiser) -> None:
    piper = recognition(command_corpus(synth, voices=tuple(PIPER_VOICES)))
    espeak = recognition(command_corpus(synth, voices=ESPEAK_VOICES))
    assert piper.rate >= 0.93, piper.per_command()
    assert espeak.rate >= 0.85, espeak.per_command()
    # The safety command above all.
    assert piper.per_command()[Command.TOO_MUCH] == 1.0


def test_commands_over_room_noise(synth: Synthesiser) -> None:
    """Pink noise, as a fan or traffic: at 20 dB most commands get through; at 10 dB
    nine in ten of these first phrases (measured: 89 %, from 62 % before the high-pass,
    the lower word insertion penalty, the joining of "coach, ..." split at its comma, the
    noise suppression and the second search over the input; 95 % over all phrases, the
    target; benchmarks/README.md)."""
    noise = pink_noise(16000 * 60)
    at_20 = recognition(command_corpus(synth), background=noise, snr_db=20)
    at_10 = recognition(command_corpus(synth), background=noise, snr_db=10)
    assert at_20.rate >= 0.83, at_20.per_command()
    assert at_10.rate >= 0.86, at_10.per_command()
    assert at_10.wrong <= 0.1 * sum(at_10.said.values())  # missed, rarely mistaken


def test_commands_over_the_session_sound_at_10_db(synth: Synthesiser, own_audio: OwnAudio) -> None:
    """The clicks told to the recogniser as the gate tells them: measured 94 % (84 %
    before the clicks were taken out; clean 96 %, benchmarks/README.md)."""
    background = gate_open_stretches(own_audio)
    clicks = gate_open_clicks(own_audio)
    rates = recognition(command_corpus(synth), background=background, snr_db=10, clicks=clicks)
    assert rates.rate >= 0.9, rates.per_command()


def test_without_the_wake_word_the_bare_commands_are_recognised(synth: Synthesiser) -> None:
    rates = recognition(command_corpus(synth, wake_word=False), wake_word=False)
    assert rates.rate >= 0.75, rates.per_command()
