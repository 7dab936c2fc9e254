"""The last fallback: a soft two-note chime in place of speech (the text is on screen)."""

from __future__ import annotations

import numpy as np

from backbeat.audio.tts import FloatArray

CHIME_RATE = 44100


def make_chime(sample_rate: int = CHIME_RATE) -> FloatArray:
    """Two bell-like notes a fifth apart, each a few partials with slow decays."""
    note_seconds = 0.55
    n = round(note_seconds * sample_rate)
    t = np.arange(n) / sample_rate
    notes = []
    for base in (659.25, 987.77):  # E5 then B5
        wave = np.zeros(n)
        for ratio, amp, decay in ((1.0, 1.0, 0.25), (2.0, 0.3, 0.12), (3.01, 0.12, 0.06)):
            wave += amp * np.sin(2 * np.pi * base * ratio * t) * np.exp(-t / decay)
        attack = round(0.004 * sample_rate)
        wave[:attack] *= np.linspace(0, 1, attack)
        wave[-attack:] *= np.linspace(1, 0, attack)
        notes.append(wave)
    gap = np.zeros(round(0.08 * sample_rate))
    chime = np.concatenate([notes[0], gap, notes[1]])
    result: FloatArray = (chime / np.max(np.abs(chime))).astype(np.float32)
    return result


class ChimeEngine:
    name = "chime"
    voice_id = "chime"
    settings_id = "v1"
    cacheable = False

    def check(self) -> None:
        """The chime is made with numpy: always available."""

    def synthesize(self, text: str) -> tuple[FloatArray, int]:
        return make_chime(CHIME_RATE), CHIME_RATE

    def release(self) -> None:
        """Nothing is held between chimes."""
