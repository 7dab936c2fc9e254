"""Protocols built in code for the plan and engine tests (no YAML involved)."""

from __future__ import annotations

from backbeat.core.model import (
    Block,
    Direction,
    Hands,
    Mode,
    Path,
    Pressure,
    Protocol,
    Rhythm,
    Technique,
)
from backbeat.core.zones import Zone


def technique(
    technique_id: str,
    *,
    title: str | None = None,
    how: str = "Keep the movement smooth.",
    zones: tuple[Zone, ...] = (Zone.LUMBAR,),
    pressure: Pressure = Pressure.LIGHT,
    relaxing: int = 24,
    stimulating: int = 60,
    spot_limit: float | None = None,
    share: float = 1.0,
    min_repetitions: int = 3,
) -> Technique:
    return Technique(
        id=technique_id,
        title=title or technique_id.replace("-", " ").capitalize(),
        how=how,
        hands=Hands.BOTH,
        path=Path.STRAIGHT,
        direction=Direction.BOTTOM_UP,
        zones=zones,
        pressure=pressure,
        rhythm=Rhythm(relaxing, stimulating),
        spot_limit=spot_limit,
        min_repetitions=min_repetitions,
        share=share,
    )


def block(block_id: str, duration: float, *techniques: Technique, title: str = "") -> Block:
    return Block(block_id, title or block_id.capitalize(), duration, techniques)


def protocol(*blocks: Block, protocol_id: str = "test-protocol") -> Protocol:
    return Protocol(protocol_id, "A test protocol", "Built in code.", Mode.RELAXING, blocks)


def home_massage() -> Protocol:
    """A 20-minute session shaped like the home back massage: every kind of cue occurs.

    Rubbing and chopping have a 10 s spot limit; kneading works over the kidneys and
    the heart area with more than light pressure, so it gets a caution.
    """
    return protocol(
        block(
            "stroking",
            180.0,
            technique("planar-stroking", share=2.0),
            technique("grasping-stroking", zones=(Zone.SIDES,), relaxing=20),
        ),
        block(
            "rubbing",
            240.0,
            technique(
                "fingertip-circles",
                pressure=Pressure.MEDIUM,
                relaxing=30,
                stimulating=90,
                spot_limit=10.0,
            ),
            technique("sawing", zones=(Zone.SIDES,), relaxing=30, stimulating=80, spot_limit=10.0),
        ),
        block(
            "kneading",
            600.0,
            technique(
                "longitudinal-kneading",
                zones=(Zone.LOWER_THORACIC, Zone.INTERSCAPULAR),
                pressure=Pressure.DEEP,
                relaxing=20,
                share=3.0,
            ),
            technique(
                "collar-kneading",
                zones=(Zone.CERVICAL_COLLAR,),
                pressure=Pressure.MEDIUM,
                relaxing=18,
                stimulating=50,
            ),
        ),
        block(
            "vibration",
            90.0,
            technique(
                "palm-edge-chopping",
                zones=(Zone.SHOULDERS,),
                pressure=Pressure.MEDIUM,
                relaxing=60,
                stimulating=100,
                spot_limit=10.0,
            ),
        ),
        block("closing", 90.0, technique("closing-stroking", relaxing=16, stimulating=30)),
        protocol_id="home-test",
    )
