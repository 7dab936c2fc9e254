"""Never fooled: the app's own session sound, and speech that is not a command."""

from __future__ import annotations

import re

import pytest

from backbeat.core.protocol_io import load_protocol
from tests.conftest import PROTOCOLS_DIR
from tests.listen.corpus import Synthesiser
from tests.listen.evaluation import false_commands, own_audio_monitor
from tests.listen.own_audio import OwnAudio

pytestmark = pytest.mark.slow


def test_the_sessions_own_sound_gives_no_command(own_audio: OwnAudio) -> None:
    for wake_word in (True, False):
        # A monitor per run: it forgets what it was told once that is long past.
        monitor = own_audio_monitor(own_audio)
        assert false_commands(own_audio.samples, wake_word, monitor) == []


def test_without_the_gate_its_own_prompts_would_fool_it(own_audio: OwnAudio) -> None:
    """The check above can fail: the same sound, ungated and without the wake word,
    is taken for commands (the prompts say "Next, ...")."""
    assert len(false_commands(own_audio.samples, wake_word=False)) >= 1


def _descriptions() -> list[str]:
    texts = []
    for path in sorted(PROTOCOLS_DIR.glob("*.yaml")):
        protocol = load_protocol(path)
        texts.append(protocol.description)
        for block in protocol.blocks:
            for technique in block.techniques:
                texts.append(technique.how)
                texts.extend(technique.cautions)
    return [re.sub(r"\s+", " ", t).strip() for t in texts if t.strip()]


def test_ordinary_speech_rarely_gives_a_command_with_the_wake_word(synth: Synthesiser) -> None:
    """Twelve descriptions (about 2.5 minutes read by espeak-ng). Measured: one false
    command ("… a stiff, aching back" taken for "coach, softer"), which is far above the
    target of one an hour; without the wake word many more (benchmarks/README.md)."""
    texts = _descriptions()
    assert len(texts) >= 10
    with_wake, without = [], []
    for text in texts[:12]:
        samples = synth.speak(text, "en+klatt2", "normal")
        with_wake += false_commands(samples, wake_word=True)
        without += false_commands(samples, wake_word=False)
    assert len(with_wake) <= 1, with_wake
    assert len(without) >= len(with_wake)
