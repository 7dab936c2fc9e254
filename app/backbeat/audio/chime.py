"""Sounds in place of words: a short, distinct sound for each kind of cue, used when no
speech engine works (the chime fallback) and, if the user prefers it, for "move to the
next spot".

Each is a few bell-like partials with slow decays, told apart by pitch and shape rather
than by loudness (all are brought to the voice's loudness by the prompt voice):

- announce (a new technique, its start and the session's milestones): a rising fifth;
- spot (move on to the next spot): one soft, low note, short enough to hear every 10 s;
- caution: two quick falling notes, a minor third apart, like a gentle "careful".
"""

from __future__ import annotations

import numpy as np

from backbeat.audio.loudness import PROMPT_LOUDNESS_LUFS, VOICE_CEILING_DBTP, normalise
from backbeat.audio.resample import resample
from backbeat.audio.tts import FloatArray
from backbeat.core.cues import CueKind

CHIME_RATE = 44100

#: (pitch Hz, start s) of each note; every note is 0.45 s of decaying partials.
_NOTES: dict[str, tuple[tuple[float, float], ...]] = {
    "announce": ((659.25, 0.0), (987.77, 0.22)),  # E5 then B5
    "spot": ((523.25, 0.0),),  # C5
    "caution": ((880.0, 0.0), (739.99, 0.14)),  # A5 then F#5
}
_NOTE_SECONDS = 0.45


def sound_name_for(kind: CueKind) -> str:
    if kind is CueKind.SPOT:
        return "spot"
    if kind is CueKind.CAUTION:
        return "caution"
    return "announce"


def make_chime(name: str = "announce", sample_rate: int = CHIME_RATE) -> FloatArray:
    """The sound ``name`` ("announce", "spot" or "caution"), peak 1."""
    notes = _NOTES[name]
    n_note = round(_NOTE_SECONDS * sample_rate)
    total = round(notes[-1][1] * sample_rate) + n_note
    out = np.zeros(total)
    t = np.arange(n_note) / sample_rate
    attack = round(0.004 * sample_rate)
    for pitch, begin in notes:
        wave = np.zeros(n_note)
        for ratio, amp, decay in ((1.0, 1.0, 0.16), (2.0, 0.3, 0.08), (3.01, 0.12, 0.04)):
            wave += amp * np.sin(2 * np.pi * pitch * ratio * t) * np.exp(-t / decay)
        wave[:attack] *= np.linspace(0, 1, attack)
        wave[-attack:] *= np.linspace(1, 0, attack)
        at = round(begin * sample_rate)
        out[at : at + n_note] += wave
    result: FloatArray = (out / np.max(np.abs(out))).astype(np.float32)
    return result


class CueSounds:
    """The three sounds at one rate, at the voice's loudness, made once by their owner."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._sounds = {
            name: normalise(
                resample(make_chime(name, CHIME_RATE), CHIME_RATE, sample_rate),
                sample_rate,
                PROMPT_LOUDNESS_LUFS,
                VOICE_CEILING_DBTP,
            )
            for name in _NOTES
        }

    def for_kind(self, kind: CueKind) -> FloatArray:
        return self._sounds[sound_name_for(kind)]


class ChimeEngine:
    """The last fallback "voice": the announce chime for any text (the mixer, which knows
    each cue's kind, picks the spot and caution sounds; see ``mixer.voice_clips``)."""

    name = "chime"
    voice_id = "chime"
    settings_id = "v2"
    cacheable = False

    def check(self) -> None:
        """The chime is made with numpy: always available."""

    def synthesize(self, text: str) -> tuple[FloatArray, int]:
        return make_chime("announce", CHIME_RATE), CHIME_RATE

    def release(self) -> None:
        """Nothing is held between chimes."""

    def cancel(self) -> None:
        """A chime takes no time to make: nothing to stop."""
