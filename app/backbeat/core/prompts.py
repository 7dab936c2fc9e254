"""The sentences the coach speaks, generated from the protocol.

Kept short and natural: the listener is busy with their hands and hears each one once.
"""

from __future__ import annotations

import re
from enum import StrEnum

from backbeat.core.model import Block, Pressure, Technique
from backbeat.core.zones import GENTLE_AREA_LABELS, GentleArea


class VoiceSpeed(StrEnum):
    """How fast the coach speaks. Normal is about 157 words a minute with the bundled
    Piper voice (spoken-word pace for someone busy with both hands)."""

    SLOWER = "slower"
    NORMAL = "normal"
    FASTER = "faster"

    @property
    def length_factor(self) -> float:
        """How much longer than normal a prompt lasts at this speed."""
        return _LENGTH_FACTORS[self]


_LENGTH_FACTORS = {VoiceSpeed.SLOWER: 1.17, VoiceSpeed.NORMAL: 1.0, VoiceSpeed.FASTER: 0.86}

# The speech-length model, fitted (least squares) to the bundled Piper voice at normal speed
# over the 150 distinct prompts of the bundled protocols: characters carry the words, and
# every sentence end and comma adds a pause. benchmarks/speech_estimate.py measures its
# error against the engine in use.
_SECONDS_PER_CHARACTER = 0.0531
_SECONDS_PER_SENTENCE = 0.496
_SECONDS_PER_COMMA = 0.296
_OFFSET_SECONDS = -0.297
_SHORTEST_SECONDS = 0.4
_SENTENCE_END = re.compile(r"[.!?](\s|$)")
_CLAUSE_BREAK = re.compile(r"[,;:]")

#: "Move to the next spot", said a few ways so the listener keeps hearing it; the plan
#: takes them in turn, so one is never said twice in a row.
SPOT_PHRASES = (
    "Move to the next spot.",
    "On to a new spot.",
    "Shift along a little.",
    "Next spot now.",
)
SPOT = SPOT_PHRASES[0]
HALFWAY = "Halfway through the session."
# The metronome keeps each technique's rhythm to the end, so the last minute's words do
# not ask for slowing down (docs/protocol-format.md, "The last minute").
FINAL = "One minute to go."
EASE_OFF = "Ease off now. Lighten the pressure, or stop here."
END = "That's the end of the massage. Let your partner rest for a moment before getting up."


def estimate_speech_seconds(text: str, speed: VoiceSpeed = VoiceSpeed.NORMAL) -> float:
    """About how long the voice takes to say ``text`` (used to keep prompts from talking
    over each other before the real speech exists)."""
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    seconds = (
        _OFFSET_SECONDS
        + _SECONDS_PER_CHARACTER * len(text)
        + _SECONDS_PER_SENTENCE * sentences
        + _SECONDS_PER_COMMA * len(_CLAUSE_BREAK.findall(text))
    )
    return max(_SHORTEST_SECONDS, seconds) * speed.length_factor


def spot_text(number: int) -> str:
    """The ``number``-th spot reminder of a session (from 0): the phrasings in turn."""
    return SPOT_PHRASES[number % len(SPOT_PHRASES)]


def start_text(technique: Technique) -> str:
    how = technique.how.strip()
    return f"{technique.title}. {how}" if how else f"{technique.title}."


def announce_text(current: Block, next_block: Block, technique: Technique) -> str:
    if next_block.id != current.id:
        return f"Next, {next_block.title.lower()}: {technique.title.lower()}."
    return f"Next: {technique.title.lower()}."


def technique_caution_text(technique: Technique, areas: tuple[GentleArea, ...]) -> str | None:
    """What the coach says to keep a technique safe, or None when there is nothing to say.

    The protocol's own cautions when it has some (they name the risk in the technique's own
    terms); otherwise a generated reminder when firm hands work near a gentle area.
    """
    authored = [c.strip() for c in technique.cautions if c.strip()]
    if authored:
        return " ".join(c if c.endswith((".", "!", "?")) else f"{c}." for c in authored)
    if areas and technique.pressure is not Pressure.LIGHT:
        return caution_text(areas)
    return None


def caution_text(areas: tuple[GentleArea, ...]) -> str:
    if not areas:
        raise ValueError("a caution needs at least one gentle area")
    labels = [GENTLE_AREA_LABELS[a] for a in areas]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"Ease the pressure near {joined}."
