"""The zone diagram asset and the widget that colours it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPixmap
from pytestqt.qtbot import QtBot

from backbeat import resources
from backbeat.core.model import Direction, Path
from backbeat.core.zones import SPINE, GentleArea, Zone
from backbeat.ui.svg_shapes import SvgShapeError, load_svg_shapes, parse_path_data
from backbeat.ui.theme import DARK, LIGHT, Theme
from backbeat.ui.view_state import ZoneDiagramState
from backbeat.ui.zone_diagram import ZoneDiagram

ASSET = resources.assets_dir() / "back-zones.svg"


def test_the_asset_has_a_shape_for_every_zone_the_spine_and_the_gentle_areas() -> None:
    shapes = load_svg_shapes(ASSET)
    wanted = [z.value for z in Zone] + [a.value for a in GentleArea] + [SPINE, "body", "head"]
    for shape_id in wanted:
        assert not shapes.get(shape_id).isEmpty(), shape_id
    body = shapes.get("body").boundingRect()
    for zone in Zone:
        assert body.contains(shapes.get(zone.value).boundingRect()), zone


def test_paired_zones_lie_either_side_of_the_spine() -> None:
    shapes = load_svg_shapes(ASSET)
    spine = shapes.get(SPINE).boundingRect()
    for zone in (Zone.LUMBAR, Zone.SIDES, Zone.SHOULDER_BLADES, Zone.INTERSCAPULAR):
        path = shapes.get(zone.value)
        assert not path.contains(spine.center()), zone
        box = path.boundingRect()
        assert box.left() < spine.left() and box.right() > spine.right(), zone


def test_path_data_with_relative_commands() -> None:
    path = parse_path_data("M 10 10 l 20 0 v 20 h -20 z m 50 0 c 0 10 10 10 10 0 q 5 -5 0 -10 Z")
    assert path.boundingRect().left() == pytest.approx(10)
    assert path.contains(QPointF(20, 20))
    # m is relative to the closed subpath's start (10, 10); the curve peaks at x = 72.5.
    assert path.boundingRect().right() == pytest.approx(72.5)


def test_unknown_path_commands_are_refused(tmp_path: object) -> None:
    with pytest.raises(SvgShapeError, match="unsupported"):
        parse_path_data("M 0 0 A 5 5 0 0 1 10 10")


def render(widget: ZoneDiagram) -> QImage:
    return widget.grab().toImage()


def screen_point(widget: ZoneDiagram, svg_point: QPointF) -> QPointF:
    area = QRectF(widget.rect()).adjusted(6, 6, -6, -36)
    return widget._transform(area).map(svg_point)


def close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_active_zones_are_lit_and_the_spine_is_marked(qtbot: QtBot, theme: Theme) -> None:
    shapes = load_svg_shapes(ASSET)
    widget = ZoneDiagram(shapes, theme)
    qtbot.addWidget(widget)
    widget.resize(400, 660)
    # A point inside the left half of the upper buttocks: no gentle area, no arrow near.
    inside = QPointF(120, 540)
    assert shapes.get(Zone.UPPER_BUTTOCKS.value).contains(inside)
    idle = render(widget).pixelColor(screen_point(widget, inside).toPoint())
    assert close(idle, QColor(theme.zone_fill))
    widget.set_state(ZoneDiagramState(active_zones=frozenset({Zone.UPPER_BUTTOCKS.value})))
    lit = render(widget).pixelColor(screen_point(widget, inside).toPoint())
    assert not close(lit, QColor(theme.zone_fill))
    assert lit.green() > lit.red()  # the teal accent
    spine_middle = shapes.get(SPINE).boundingRect().center()
    spine = render(widget).pixelColor(screen_point(widget, spine_middle).toPoint())
    assert close(spine, QColor(theme.danger))


def test_the_marker_follows_the_beat_phase(qtbot: QtBot) -> None:
    widget = ZoneDiagram(load_svg_shapes(ASSET), LIGHT)
    qtbot.addWidget(widget)
    widget.resize(400, 660)
    state = ZoneDiagramState(
        active_zones=frozenset({Zone.LUMBAR.value}),
        direction=Direction.BOTTOM_UP,
        path=Path.STRAIGHT,
        beat_phase=0.0,
    )
    widget.set_state(state)
    early = render(widget)
    widget.set_state(ZoneDiagramState(**{**state.__dict__, "beat_phase": 0.9}))
    late = render(widget)
    assert early != late
    widget.set_state(ZoneDiagramState(**{**state.__dict__, "beat_phase": 0.9, "animate": False}))
    still_a = render(widget)
    widget.set_state(ZoneDiagramState(**{**state.__dict__, "beat_phase": 0.1, "animate": False}))
    still_b = render(widget)
    assert still_a == still_b  # reduced motion: nothing moves with the beat


def test_lanes_never_cross_the_spine(qtbot: QtBot) -> None:
    widget = ZoneDiagram(load_svg_shapes(ASSET), LIGHT)
    qtbot.addWidget(widget)
    for zone in Zone:
        widget.set_state(ZoneDiagramState(active_zones=frozenset({zone.value})))
        for lane in widget._lanes:
            box = lane.box
            assert box.right() <= 200 or box.left() >= 200, (zone, lane.side)


def _bundled_movements() -> list[tuple[str, frozenset[str], Direction, Path]]:
    from backbeat.core.protocol_io import load_protocol

    seen: dict[tuple[frozenset[str], Direction, Path], str] = {}
    for file in sorted(resources.bundled_protocols_dir().glob("*.yaml")):
        for block in load_protocol(file).blocks:
            for t in block.techniques:
                key = (frozenset(z.value for z in t.zones), t.direction, t.path)
                seen.setdefault(key, f"{file.stem}/{t.id}")
    return [(name, *key) for key, name in seen.items()]


@pytest.mark.parametrize(
    ("name", "zones", "direction", "path"), _bundled_movements(), ids=lambda v: str(v)
)
def test_the_marker_stays_on_the_highlighted_zones(
    qtbot: QtBot, name: str, zones: frozenset[str], direction: Direction, path: Path
) -> None:
    shapes = load_svg_shapes(ASSET)
    widget = ZoneDiagram(shapes, LIGHT)
    qtbot.addWidget(widget)
    outside = []
    for beat in range(12):
        for phase in (0.0, 0.2, 0.4, 0.6, 0.8, 0.99):
            widget.set_state(
                ZoneDiagramState(
                    active_zones=zones,
                    direction=direction,
                    path=path,
                    beat_index=beat,
                    beat_phase=phase,
                )
            )
            for point, _, steps_back in widget._dots:
                if steps_back == 0 and not any(shapes.get(z).contains(point) for z in zones):
                    outside.append((beat, phase, round(point.x()), round(point.y())))
                assert abs(point.x() - 200) > 5, f"{name}: on the spine at {point}"
    assert not outside, f"{name}: the marker left {sorted(zones)} at {outside[:5]}"


MOVEMENTS = [
    (Direction.BOTTOM_UP, Path.STRAIGHT),  # the same picture on every beat
    (Direction.ALONG_MUSCLE, Path.STRAIGHT),  # two pictures: one each way
    (Direction.BOTTOM_UP, Path.CIRCULAR),  # the guide creeps on every beat
    (Direction.CENTRE_TO_SIDES, Path.TAPPING),  # a fresh spot every beat
]


@pytest.mark.parametrize(("direction", "path"), MOVEMENTS, ids=lambda v: str(v))
def test_frame_after_frame_the_diagram_looks_as_if_drawn_afresh(
    qtbot: QtBot, direction: Direction, path: Path
) -> None:
    """The pictures and marker places kept from earlier frames and beats show exactly what
    a diagram that never saw them draws."""
    shapes = load_svg_shapes(ASSET)
    running = ZoneDiagram(shapes, LIGHT)
    qtbot.addWidget(running)
    running.resize(400, 660)
    running.show()  # a hidden widget is sent a resize at every grab, which drops what it kept
    zones = frozenset({Zone.LUMBAR.value, Zone.SIDES.value})
    for beat in range(8):
        for phase in (0.0, 0.3, 0.7):
            state = ZoneDiagramState(
                active_zones=zones,
                direction=direction,
                path=path,
                beat_index=beat,
                beat_phase=phase,
                rhythm=30,
            )
            running.set_state(state)
            fresh = ZoneDiagram(shapes, LIGHT)
            qtbot.addWidget(fresh)
            fresh.resize(400, 660)
            fresh.set_state(state)
            assert render(running) == render(fresh), (beat, phase)


def test_a_movement_that_repeats_is_drawn_once(qtbot: QtBot) -> None:
    widget = ZoneDiagram(load_svg_shapes(ASSET), LIGHT)
    qtbot.addWidget(widget)
    widget.resize(400, 660)
    widget.show()  # a hidden widget is sent a resize at every grab, which drops what it kept
    drawn = []
    paint_still = widget._paint_still

    def counted(ratio: float) -> QPixmap:
        drawn.append(ratio)
        return paint_still(ratio)

    widget._paint_still = counted  # type: ignore[method-assign]
    zones = frozenset({Zone.LUMBAR.value})
    for direction, pictures in ((Direction.BOTTOM_UP, 1), (Direction.ALONG_MUSCLE, 2)):
        drawn.clear()
        for beat in range(6):
            for phase in (0.0, 0.5):
                widget.set_state(
                    ZoneDiagramState(
                        active_zones=zones,
                        direction=direction,
                        path=Path.STRAIGHT,
                        beat_index=beat,
                        beat_phase=phase,
                        rhythm=30,
                    )
                )
                render(widget)
        assert len(drawn) == pictures, direction
