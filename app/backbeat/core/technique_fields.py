"""The fields of one technique, read from a YAML mapping into a draft.

A technique may be written in three places: complete inside a block, in the protocol's
``techniques:`` library, or as ``use: <library id>`` plus the fields it changes. Each
place is read into a :class:`TechniqueDraft`; drafts are layered, then built.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import yaml

from backbeat.core import node_values as values
from backbeat.core.model import (
    DEFAULT_MIN_REPETITIONS,
    MAX_RHYTHM,
    MIN_RHYTHM,
    PERCUSSION_SPOT_LIMIT,
    Direction,
    Hands,
    Path,
    Pressure,
    Rhythm,
    Technique,
)
from backbeat.core.protocol_errors import ProblemLog
from backbeat.core.zones import SPINE, Zone

#: A spot limit outside this range is a typo: it is about seconds on one spot.
MIN_SPOT_LIMIT = 2.0
MAX_SPOT_LIMIT = 300.0

#: A share is a weight against the other techniques of its block. Past 10,000 to 1 the
#: smaller one gets no time to speak of, and at float's edges the sums overflow.
MIN_SHARE = 0.01
MAX_SHARE = 100.0
#: Every technique is done at least three times in full (the source's minimum); a
#: protocol may ask for more, within reason.
MIN_REPETITIONS = DEFAULT_MIN_REPETITIONS
MAX_REPETITIONS = 100

REQUIRED_FIELDS = (
    "id", "title", "how", "hands", "path", "direction", "zones", "pressure", "rhythm",
)  # fmt: skip
OPTIONAL_FIELDS = ("spot_limit", "min_repetitions", "cautions", "share")
TECHNIQUE_KEYS = REQUIRED_FIELDS + OPTIONAL_FIELDS
LIBRARY_KEYS = tuple(name for name in TECHNIQUE_KEYS if name != "id")
USE_KEYS = ("use", *TECHNIQUE_KEYS)

FIELD_HELP = {
    "id": "an id such as 'planar-stroking'",
    "title": "a title",
    "how": "a short how-to line",
    "hands": "hands (one, both, alternating or weighted)",
    "path": "a path",
    "direction": "a direction",
    "zones": "zones",
    "pressure": "a pressure (light, medium or deep)",
    "rhythm": "a rhythm in movements per minute",
}


@dataclass(frozen=True)
class TechniqueDraft:
    """Technique fields read so far; None means 'not given here'."""

    id: str | None = None
    title: str | None = None
    how: str | None = None
    hands: Hands | None = None
    path: Path | None = None
    direction: Direction | None = None
    zones: tuple[Zone, ...] | None = None
    pressure: Pressure | None = None
    rhythm: Rhythm | None = None
    spot_limit: float | None = None
    min_repetitions: int | None = None
    cautions: tuple[str, ...] | None = None
    share: float | None = None
    #: Fields that were given but wrong (already reported, so not 'missing' either).
    invalid: frozenset[str] = frozenset()

    def over(self, base: TechniqueDraft) -> TechniqueDraft:
        """This draft's given fields laid over ``base``."""
        given = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "invalid" and getattr(self, f.name) is not None
        }
        return replace(base, **given, invalid=base.invalid | self.invalid)

    def missing(self) -> list[str]:
        return [
            name
            for name in REQUIRED_FIELDS
            if getattr(self, name) is None and name not in self.invalid
        ]

    def build(self) -> Technique | None:
        """The technique, or None while a required field is missing or wrong."""
        if (
            self.id is None
            or self.title is None
            or self.how is None
            or self.hands is None
            or self.path is None
            or self.direction is None
            or self.zones is None
            or self.pressure is None
            or self.rhythm is None
            or self.invalid
        ):
            return None
        return Technique(
            id=self.id,
            title=self.title,
            how=self.how,
            hands=self.hands,
            path=self.path,
            direction=self.direction,
            zones=self.zones,
            pressure=self.pressure,
            rhythm=self.rhythm,
            spot_limit=(
                PERCUSSION_SPOT_LIMIT
                if self.spot_limit is None and self.path is Path.TAPPING
                else self.spot_limit
            ),
            min_repetitions=(
                self.min_repetitions
                if self.min_repetitions is not None
                else DEFAULT_MIN_REPETITIONS
            ),
            cautions=self.cautions if self.cautions is not None else (),
            share=self.share if self.share is not None else 1.0,
        )


def read_draft(given: values.Fields, log: ProblemLog) -> TechniqueDraft:
    """Every technique field present in ``given``, checked; wrong ones go to ``invalid``."""
    found: dict[str, object] = {}
    invalid: set[str] = set()
    for name in given.names():
        node = given.value(name)
        if name == "use" or node is None:
            continue
        value = _read_field(name, node, log)
        if value is None:
            invalid.add(name)
        else:
            found[name] = value
    return replace(TechniqueDraft(), **found, invalid=frozenset(invalid))  # type: ignore[arg-type]


def _read_field(name: str, node: yaml.Node, log: ProblemLog) -> object | None:
    match name:
        case "id":
            return values.identifier(node, "technique id", log)
        case "title":
            return values.text(node, name, log, values.MAX_TITLE_LENGTH)
        case "how":
            return values.text(node, name, log, values.MAX_HOW_LENGTH, multiline=True)
        case "hands":
            return values.choice(node, Hands, "hands", log)
        case "path":
            return values.choice(node, Path, "path", log)
        case "direction":
            return values.choice(node, Direction, "direction", log)
        case "pressure":
            return values.choice(node, Pressure, "pressure", log)
        case "zones":
            return read_zones(node, log)
        case "rhythm":
            return read_rhythm(node, log)
        case "spot_limit":
            return _read_spot_limit(node, log)
        case "min_repetitions":
            return values.whole_number(
                node, "min_repetitions", log, MIN_REPETITIONS, MAX_REPETITIONS
            )
        case "cautions":
            return _read_cautions(node, log)
        case "share":
            return _read_share(node, log)
    raise AssertionError(f"no reader for technique field {name!r}")


def read_zones(node: yaml.Node, log: ProblemLog) -> tuple[Zone, ...] | None:
    items = values.sequence(node, "zones", log)
    if items is None:
        return None
    if not items.value:
        log.add(node, "zones must name at least one zone")
        return None
    allowed = [zone.value for zone in Zone]
    zones: list[Zone] = []
    ok = True
    for item in items.value:
        name = values.text(item, "a zone", log)
        if name is None:
            ok = False
        elif name == SPINE:
            log.add(
                item,
                "the spine is never a target: work only the muscles beside it "
                "(for example lumbar, lower-thoracic or interscapular), never the spine itself",
            )
            ok = False
        elif name not in allowed:
            log.add(
                item,
                f"unknown zone {name!r};{values.did_you_mean(name, allowed)} "
                f"allowed zones: {', '.join(allowed)}",
            )
            ok = False
        elif Zone(name) in zones:
            log.add(item, f"zone {name!r} is listed twice")
            ok = False
        else:
            zones.append(Zone(name))
    return tuple(zones) if ok else None


def read_rhythm(node: yaml.Node, log: ProblemLog) -> Rhythm | None:
    """``{relaxing: 20, stimulating: 40}``, or one number for both modes."""

    def per_minute(item: yaml.Node, what: str) -> int | None:
        return values.whole_number(
            item, f"{what} (movements per minute)", log, MIN_RHYTHM, MAX_RHYTHM
        )

    if isinstance(node, yaml.ScalarNode):
        both = per_minute(node, "rhythm")
        return Rhythm(both, both) if both is not None else None
    modes = values.mapping(node, "rhythm", log)
    if modes is None:
        return None
    given = values.Fields(modes, ("relaxing", "stimulating"), "rhythm", log)
    if not given.require(("relaxing", "stimulating")):
        return None
    relaxing_node, stimulating_node = given.value("relaxing"), given.value("stimulating")
    assert relaxing_node is not None and stimulating_node is not None
    relaxing = per_minute(relaxing_node, "relaxing rhythm")
    stimulating = per_minute(stimulating_node, "stimulating rhythm")
    if relaxing is None or stimulating is None:
        return None
    return Rhythm(relaxing, stimulating)


def _read_spot_limit(node: yaml.Node, log: ProblemLog) -> float | None:
    seconds = values.duration(node, "spot_limit", log)
    if seconds is not None and not MIN_SPOT_LIMIT <= seconds <= MAX_SPOT_LIMIT:
        log.add(
            node,
            f"spot_limit is how long the hands stay on one spot; it must be from "
            f"{MIN_SPOT_LIMIT:g}s to {MAX_SPOT_LIMIT / 60:g}m (rubbing and percussion use 10s), "
            f"got {seconds:g}s",
        )
        return None
    return seconds


def _read_cautions(node: yaml.Node, log: ProblemLog) -> tuple[str, ...] | None:
    items = values.sequence(node, "cautions", log)
    if items is None:
        return None
    texts = [
        values.text(item, "a caution", log, values.MAX_CAUTION_LENGTH, multiline=True)
        for item in items.value
    ]
    return tuple(t for t in texts if t is not None) if None not in texts else None


def _read_share(node: yaml.Node, log: ProblemLog) -> float | None:
    share = values.number(node, "share", log)
    if share is not None and not MIN_SHARE <= share <= MAX_SHARE:
        log.add(
            node,
            f"share is a weight of the block's time and must be from {MIN_SHARE:g} to "
            f"{MAX_SHARE:g}, got {share:.6g}",
        )
        return None
    return share
