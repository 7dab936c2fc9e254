"""Read the zone diagram's shapes out of ``assets/back-zones.svg`` as QPainterPaths.

Only what the asset uses is understood: ``path`` (M, L, H, V, C, Q, Z, absolute or
relative), ``ellipse``, ``circle`` and ``rect``, with ``g`` groups merging their children.
That is enough to recolour each zone at will, which a stock SVG renderer cannot do.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

_SVG_NS = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[MmLlHhVvCcQqZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARG_COUNTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "Z": 0}


class SvgShapeError(ValueError):
    """The asset is missing or uses something this reader does not understand."""


@dataclass(frozen=True)
class SvgShapes:
    view_box: QRectF
    shapes: dict[str, QPainterPath]

    def get(self, shape_id: str) -> QPainterPath:
        return self.shapes.get(shape_id, QPainterPath())


def parse_path_data(data: str) -> QPainterPath:
    """Turn an SVG ``d`` attribute into a QPainterPath."""
    tokens = _TOKEN.findall(data)
    path = QPainterPath()
    current = QPointF(0, 0)
    start = QPointF(0, 0)
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                path.closeSubpath()
                current = QPointF(start)
                continue
        elif not command:
            raise SvgShapeError(f"path data must start with a command: {data[:30]!r}")
        upper = command.upper()
        count = _ARG_COUNTS.get(upper)
        if count is None or i + count > len(tokens):
            raise SvgShapeError(f"unsupported or incomplete path command {command!r}")
        values = [float(t) for t in tokens[i : i + count]]
        i += count
        relative = command.islower()
        base = current if relative else QPointF(0, 0)

        def point(k: int, origin: QPointF = base, v: list[float] = values) -> QPointF:
            """The k-th coordinate pair of this command, made absolute."""
            return QPointF(origin.x() + v[2 * k], origin.y() + v[2 * k + 1])

        if upper == "M":
            current = start = point(0)
            path.moveTo(current)
            command = "l" if relative else "L"  # further pairs are line-tos
        elif upper == "L":
            current = point(0)
            path.lineTo(current)
        elif upper == "H":
            current = QPointF(values[0] + (current.x() if relative else 0), current.y())
            path.lineTo(current)
        elif upper == "V":
            current = QPointF(current.x(), values[0] + (current.y() if relative else 0))
            path.lineTo(current)
        elif upper == "C":
            c1, c2, end = point(0), point(1), point(2)
            path.cubicTo(c1, c2, end)
            current = end
        elif upper == "Q":
            c, end = point(0), point(1)
            path.quadTo(c, end)
            current = end
    return path


def _number(element: ET.Element, name: str) -> float:
    try:
        return float(element.get(name, "0"))
    except ValueError as error:
        raise SvgShapeError(
            f"<{_local(element)}> has a bad {name}: {element.get(name)!r}"
        ) from error


def _local(element: ET.Element) -> str:
    return element.tag.removeprefix(_SVG_NS)


def _element_path(element: ET.Element) -> QPainterPath | None:
    tag = _local(element)
    path = QPainterPath()
    if tag == "path":
        return parse_path_data(element.get("d", ""))
    if tag == "ellipse":
        cx, cy = _number(element, "cx"), _number(element, "cy")
        path.addEllipse(QPointF(cx, cy), _number(element, "rx"), _number(element, "ry"))
        return path
    if tag == "circle":
        r = _number(element, "r")
        path.addEllipse(QPointF(_number(element, "cx"), _number(element, "cy")), r, r)
        return path
    if tag == "rect":
        rect = QRectF(
            _number(element, "x"),
            _number(element, "y"),
            _number(element, "width"),
            _number(element, "height"),
        )
        path.addRect(rect)
        return path
    if tag == "g":
        merged = QPainterPath()
        for child in element:
            child_path = _element_path(child)
            if child_path is not None:
                merged.addPath(child_path)
        return merged
    return None


def load_svg_shapes(source: Path) -> SvgShapes:
    """Every element with an ``id`` in the file, keyed by that id."""
    try:
        root = ET.parse(source).getroot()
    except (OSError, ET.ParseError) as error:
        raise SvgShapeError(f"cannot read the zone diagram {source}: {error}") from error
    box = [float(v) for v in root.get("viewBox", "0 0 400 630").replace(",", " ").split()]
    if len(box) != 4:
        raise SvgShapeError(f"{source}: the viewBox needs four numbers")
    shapes: dict[str, QPainterPath] = {}
    for element in root.iter():
        shape_id = element.get("id")
        if shape_id:
            path = _element_path(element)
            if path is not None:
                shapes[shape_id] = path
    return SvgShapes(QRectF(*box), shapes)
