"""The sentences the coach speaks, generated from the protocol.

Kept short and natural: the listener is busy with their hands and hears each one once.
"""

from __future__ import annotations

from backbeat.core.model import Block, Pressure, Technique
from backbeat.core.zones import GENTLE_AREA_LABELS, GentleArea

#: Rough speaking rate of the bundled voice, used to keep prompts from talking over
#: each other when the plan is built (the real length is known only once synthesised).
SECONDS_PER_CHARACTER = 0.068
SPEECH_OVERHEAD_SECONDS = 0.4

SPOT = "Move to the next spot."
HALFWAY = "Halfway through the session."
FINAL = "One minute to go. Start to slow down."
EASE_OFF = "Ease off now. Lighten the pressure, or stop here."
END = "That's the end of the massage. Let your partner rest for a moment before getting up."


def estimate_speech_seconds(text: str) -> float:
    """About how long the voice takes to say ``text``."""
    return SPEECH_OVERHEAD_SECONDS + SECONDS_PER_CHARACTER * len(text)


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
