"""``backbeat export``: the whole guided session as a WAV file."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """Filled in by the sound issue."""
