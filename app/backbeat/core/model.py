"""The protocol model: immutable techniques, blocks and protocols.

A protocol is what a YAML file in ``protocols/`` describes (see
``docs/protocol-format.md``). Objects here are frozen; an edit returns a new object.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from backbeat.core.zones import Zone

#: The fewest times every technique is repeated in full.
DEFAULT_MIN_REPETITIONS = 3
#: Percussion (path: tapping) moves on at least this often when its protocol does not say.
PERCUSSION_SPOT_LIMIT = 10.0
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

    def technique_bounds(self, start: float = 0.0) -> tuple[float, ...]:
        """Where each technique begins, and where the last one ends, for a block that begins
        at ``start``: the block's time shared by cumulative weight, the last boundary exactly
        ``start + duration`` so consecutive blocks meet without a rounding gap."""
        weights = sum(t.share for t in self.techniques)
        bounds = [start]
        cumulative = 0.0
        for technique in self.techniques[:-1]:
            cumulative += technique.share
            bounds.append(start + self.duration * cumulative / weights)
        bounds.append(start + self.duration)
        return tuple(bounds)

    def technique_durations(self) -> tuple[float, ...]:
        """Each technique's seconds: the block's time shared by the techniques' weights."""
        if not self.techniques:
            return ()
        bounds = self.technique_bounds()
        return tuple(end - begin for begin, end in itertools.pairwise(bounds))

    def repetition_shortfalls(self, modes: tuple[Mode, ...] = tuple(Mode)) -> list[Shortfall]:
        """The techniques whose share of the block is too short for their minimum number of
        movements, in any of ``modes``."""
        weights = sum(t.share for t in self.techniques)
        found = []
        for technique, seconds in zip(self.techniques, self.technique_durations(), strict=True):
            for mode in modes:
                rhythm = technique.rhythm.for_mode(mode)
                movements = seconds * rhythm / 60.0
                if movements + 1e-9 < technique.min_repetitions:
                    per_movement = 60.0 / rhythm if rhythm > 0 else math.inf
                    needed = technique.min_repetitions * per_movement * weights / technique.share
                    found.append(Shortfall(technique, mode, seconds, rhythm, movements, needed))
        return found


@dataclass(frozen=True)
class Shortfall:
    """A technique that gets fewer movements than its minimum."""

    technique: Technique
    mode: Mode
    seconds: float  # the technique's time
    rhythm: int
    movements: float  # how many it gets
    block_needed: float  # how long the whole block would have to last


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

    def with_identity(self, protocol_id: str, title: str) -> Protocol:
        return replace(self, id=protocol_id, title=title, source=None)
