"""Plan-building time for a 4-hour block of rubbing with ``spot_limit: 2s`` (7 199 spot
reminders): the cue placement before this change (loaded from git, commit 8a7786b) and
now, in one run. Target: under 0.5 s."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "app"))

from backbeat.core.model import Mode  # noqa: E402
from backbeat.core.plan import build_plan  # noqa: E402
from backbeat.core.protocol_io import parse_protocol  # noqa: E402

OLD_COMMIT = "8a7786b"
PROTOCOL = """\
id: four-hours
title: Four hours of rubbing
description: A stress test for the plan.
default_mode: stimulating
blocks:
  - id: rubbing
    title: Rubbing
    duration: 4h
    techniques:
      - id: rub
        title: Rubbing
        how: Rub quickly.
        hands: both
        path: straight
        direction: bottom-up
        zones: [lumbar]
        pressure: medium
        rhythm: {relaxing: 60, stimulating: 90}
        spot_limit: 2s
"""


def old_build_plan() -> object:
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{OLD_COMMIT}:app/backbeat/core/plan.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_plan.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_plan", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_plan"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.build_plan


def timed(build: object, protocol: object, runs: int) -> tuple[float, int]:
    best = float("inf")
    cues = 0
    for _ in range(runs):
        began = time.perf_counter()
        plan = build(protocol, Mode.STIMULATING)  # type: ignore[operator]
        best = min(best, time.perf_counter() - began)
        cues = len(plan.cues)
    return best, cues


def main() -> None:
    protocol = parse_protocol(PROTOCOL, "four-hours.yaml")
    try:
        old = old_build_plan()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"old: skipped ({error})")
    else:
        seconds, cues = timed(old, protocol, 1)
        print(f"old (commit {OLD_COMMIT}): {cues} cues in {seconds:.2f} s")
    seconds, cues = timed(build_plan, protocol, 3)
    print(f"new: {cues} cues in {seconds:.3f} s (best of 3; target < 0.5 s)")


if __name__ == "__main__":
    main()
