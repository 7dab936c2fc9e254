"""A short protocol file for the end-to-end sound tests (quick to render and to speak)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SHORT_PROTOCOL = """\
id: short-test
title: Short test session
description: Two quick blocks for the sound tests.
default_mode: stimulating
blocks:
  - id: stroking
    title: Stroking
    duration: 12s
    techniques:
      - id: planar-stroking
        title: Planar stroking
        how: Both palms glide up the back.
        hands: both
        path: straight
        direction: bottom-up
        zones: [lumbar]
        pressure: light
        rhythm: {relaxing: 20, stimulating: 60}
  - id: rubbing
    title: Rubbing
    duration: 18s
    techniques:
      - id: sawing
        title: Sawing
        how: The edges of your hands saw to and fro.
        hands: alternating
        path: straight
        direction: across-muscle
        zones: [sides]
        pressure: light
        rhythm: {relaxing: 30, stimulating: 80}
        spot_limit: 10s
"""


def write_short_protocol(folder: Path) -> Path:
    path = folder / "short-test.yaml"
    path.write_text(SHORT_PROTOCOL, encoding="utf-8")
    return path


def backbeat(
    *args: str | Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin: int | None = subprocess.DEVNULL,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backbeat", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=stdin,
        env={**os.environ, **(env or {})},
    )
