"""Helpers for protocol tests: a valid protocol text and positions of text in it."""

from __future__ import annotations

import textwrap

import pytest

from backbeat.core.protocol_io import ProtocolError, parse_protocol

VALID = textwrap.dedent(
    """\
    id: test-massage
    title: Test massage
    description: |
      A short protocol used by the tests.
    default_mode: relaxing
    techniques:
      planar-stroking:
        title: Planar stroking
        how: Flat palms glide up from the lower back.
        hands: both
        path: straight
        direction: bottom-up
        zones: [lumbar, lower-thoracic]
        pressure: light
        rhythm: {relaxing: 20, stimulating: 40}
    blocks:
      - id: stroking
        title: Stroking
        duration: 2m
        techniques:
          - use: planar-stroking
          - id: fingertip-circles
            title: Fingertip circles
            how: Small circles with the fingertips beside the spine.
            hands: both
            path: circular
            direction: bottom-up
            zones: [lumbar]
            pressure: medium
            rhythm: 60
            spot_limit: 10s
            cautions: ["Keep off the spine itself."]
            share: 2
      - id: closing
        title: Closing stroking
        duration: 90s
        zones: [shoulders]
        techniques:
          - use: planar-stroking
    """
)


def where(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def problems_of(text: str, source: str = "test.yaml") -> list[tuple[int, int, str]]:
    """Every problem ``parse_protocol`` reports, as (line, column, message)."""
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text, source)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def problem_at(text: str, needle: str, occurrence: int = 1) -> str:
    """The one problem reported, which must be at ``needle``; returns its message."""
    problems = problems_of(text)
    line, column = where(text, needle, occurrence)
    assert [(p[0], p[1]) for p in problems] == [(line, column)], problems
    return problems[0][2]
