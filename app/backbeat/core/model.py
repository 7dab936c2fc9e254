"""The protocol model: immutable techniques, blocks and protocols.

A protocol is what a YAML file in ``protocols/`` describes (see
``docs/protocol-format.md``). Objects here are frozen; an edit returns a new object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from backbeat.core.zones import Zone

#: The fewest times every technique is repeated in full.
DEFAULT_MIN_REPETITIONS = 3
#: Allowed rhythm range, movements per minute.
MIN_RHYTHM = 1
MAX_RHYTHM = 200


class Mode(StrEnum):
    """What the session is for: calming (slow rhythm) or invigorating (fast rhythm)."""

    RELAXING = "relaxing"
    STIMULATING = "stimulating"


MODE_SUMMARIES: dict[Mode, str] = {
    Mode.RELAXING: "Slow rhythm, up to 30 movements a minute: calms and relaxes.",
    Mode.STIMULATING: "Fast rhythm, 60 movements a minute and more: wakes up and invigorates.",
}


class Hands(StrEnum):
    ONE = "one"
    BOTH = "both"
    ALTERNATING = "alternating"
    WEIGHTED = "weighted"  # one hand pressing on top of the other


class Path(StrEnum):
    """The shape each movement traces."""

    STRAIGHT = "straight"
    CIRCULAR = "circular"
    SPIRAL = "spiral"
    FIGURE_EIGHT = "figure-eight"
    ZIGZAG = "zigzag"
    TAPPING = "tapping"  # percussion: the hand lands and lifts, it does not glide


class Direction(StrEnum):
    """Where the hands travel overall."""

    BOTTOM_UP = "bottom-up"
    TOP_DOWN = "top-down"
    CENTRE_TO_SIDES = "centre-to-sides"
    ALONG_MUSCLE = "along-muscle"
    ACROSS_MUSCLE = "across-muscle"


class Pressure(StrEnum):
    LIGHT = "light"
    MEDIUM = "medium"
    DEEP = "deep"


@dataclass(frozen=True)
class Rhythm:
    """Movements per minute in each mode."""

    relaxing: int
    stimulating: int

    def for_mode(self, mode: Mode) -> int:
        return self.relaxing if mode is Mode.RELAXING else self.stimulating


@dataclass(frozen=True)
class Technique:
    id: str
    title: str
    how: str
    hands: Hands
    path: Path
    direction: Direction
    zones: tuple[Zone, ...]
    pressure: Pressure
    rhythm: Rhythm
    spot_limit: float | None = None
    min_repetitions: int = DEFAULT_MIN_REPETITIONS
    cautions: tuple[str, ...] = ()
    share: float = 1.0  # weight of the block's time this technique gets


@dataclass(frozen=True)
class Block:
    id: str
    title: str
    duration: float  # seconds
    techniques: tuple[Technique, ...]

    def technique_durations(self) -> tuple[float, ...]:
        """Each technique's seconds: the block's time shared by the techniques' weights."""
        weights = sum(t.share for t in self.techniques)
        return tuple(self.duration * t.share / weights for t in self.techniques)


@dataclass(frozen=True)
class Protocol:
    id: str
    title: str
    description: str
    default_mode: Mode
    blocks: tuple[Block, ...]
    source: str | None = field(default=None, compare=False)  # the file it came from, if any

    @property
    def total_duration(self) -> float:
        return sum(block.duration for block in self.blocks)

    def block(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        known = ", ".join(b.id for b in self.blocks)
        raise KeyError(f"no block {block_id!r} in protocol {self.id!r} (blocks: {known})")

    def with_block_durations(self, durations: dict[str, float]) -> Protocol:
        """A copy with some blocks' durations replaced; techniques keep their shares."""
        for block_id in durations:
            self.block(block_id)  # raises a clear KeyError for an unknown id
        blocks = tuple(
            replace(b, duration=durations[b.id]) if b.id in durations else b for b in self.blocks
        )
        return replace(self, blocks=blocks)

    def scaled_to(self, total: float) -> Protocol:
        """A copy whose blocks are all scaled by the same factor to last ``total`` seconds."""
        factor = total / self.total_duration
        return self.with_block_durations({b.id: b.duration * factor for b in self.blocks})

    def with_identity(self, protocol_id: str, title: str) -> Protocol:
        return replace(self, id=protocol_id, title=title, source=None)
