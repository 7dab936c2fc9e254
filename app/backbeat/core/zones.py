"""The fixed vocabulary of back zones, owned by the app.

Protocol files name zones by these ids, and the zone diagram (``assets/back-zones.svg``)
carries the same ids on its shapes. The spine is never a target; a few areas are
gentle-only and turn into spoken cautions when a technique works near them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Zone(StrEnum):
    """A part of the back a technique may work on."""

    LUMBOSACRAL = "lumbosacral"
    LUMBAR = "lumbar"
    LOWER_THORACIC = "lower-thoracic"
    INTERSCAPULAR = "interscapular"
    SHOULDER_BLADES = "shoulder-blades"
    SIDES = "sides"
    CERVICAL_COLLAR = "cervical-collar"
    SHOULDERS = "shoulders"
    ILIAC_CREST = "iliac-crest"
    UPPER_BUTTOCKS = "upper-buttocks"


class GentleArea(StrEnum):
    """An area that only takes reduced force."""

    KIDNEYS = "kidneys"
    HEART_AREA = "heart-area"
    NECK_BASE = "neck-base"


#: The id the diagram uses for the spine; a protocol may never target it.
SPINE = "spine"


@dataclass(frozen=True)
class ZoneInfo:
    zone: Zone
    label: str
    description: str
    gentle_areas: tuple[GentleArea, ...] = ()


ZONES: dict[Zone, ZoneInfo] = {
    info.zone: info
    for info in (
        ZoneInfo(Zone.LUMBOSACRAL, "Lumbosacral", "the sacrum and the lowest part of the back"),
        ZoneInfo(
            Zone.LUMBAR,
            "Lower back",
            "the lumbar muscles either side of the spine",
            (GentleArea.KIDNEYS,),
        ),
        ZoneInfo(
            Zone.LOWER_THORACIC,
            "Lower ribs (T7–T12)",
            "the band from the tip of the shoulder blades down to the last ribs",
            (GentleArea.KIDNEYS,),
        ),
        ZoneInfo(
            Zone.INTERSCAPULAR,
            "Between the shoulder blades",
            "the muscles between the spine and the shoulder blades",
            (GentleArea.HEART_AREA,),
        ),
        ZoneInfo(
            Zone.SHOULDER_BLADES,
            "Shoulder blades",
            "over and around both shoulder blades",
            (GentleArea.HEART_AREA,),
        ),
        ZoneInfo(Zone.SIDES, "Sides", "the broad side muscles from the pelvis to the armpits"),
        ZoneInfo(
            Zone.CERVICAL_COLLAR,
            "Neck and collar",
            "the back of the neck and the top of the shoulder girdle",
            (GentleArea.NECK_BASE,),
        ),
        ZoneInfo(Zone.SHOULDERS, "Shoulders", "the tops and backs of both shoulders"),
        ZoneInfo(Zone.ILIAC_CREST, "Pelvic rim", "along the upper edge of the pelvic bones"),
        ZoneInfo(Zone.UPPER_BUTTOCKS, "Upper buttocks", "the top of the buttocks below the sacrum"),
    )
}

GENTLE_AREA_LABELS: dict[GentleArea, str] = {
    GentleArea.KIDNEYS: "the kidneys",
    GentleArea.HEART_AREA: "the heart area",
    GentleArea.NECK_BASE: "the base of the neck",
}


def gentle_areas_for(zones: tuple[Zone, ...]) -> tuple[GentleArea, ...]:
    """The gentle-only areas that the given zones lie over, in a stable order."""
    found = {area for zone in zones for area in ZONES[zone].gentle_areas}
    return tuple(area for area in GentleArea if area in found)
