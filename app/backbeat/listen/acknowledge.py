"""The soft acknowledgement sound: a command was taken. Not speech (it must not be
mistaken for a prompt, nor talk over one): two quiet rising sine notes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE

#: Quiet next to the voice (peaks at -3 dBFS): heard, never startling.
ACK_PEAK_DBFS = -20.0
ACK_NOTES_HZ = (660.0, 880.0)
ACK_NOTE_SECONDS = 0.07


def acknowledgement_sound(rate: int = OUTPUT_RATE) -> npt.NDArray[np.float32]:
    count = round(ACK_NOTE_SECONDS * rate)
    t = np.arange(count) / rate
    # A raised-cosine envelope: no click at either end of a note.
    envelope = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(count) / (count - 1))
    notes = [np.sin(2 * np.pi * f * t) * envelope for f in ACK_NOTES_HZ]
    gap = np.zeros(round(0.02 * rate))
    sound = np.concatenate([notes[0], gap, notes[1]]) * 10 ** (ACK_PEAK_DBFS / 20)
    return sound.astype(np.float32)


def acknowledgement_seconds(rate: int = OUTPUT_RATE) -> float:
    return len(acknowledgement_sound(rate)) / rate
