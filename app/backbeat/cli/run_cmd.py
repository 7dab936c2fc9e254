"""``backbeat run FILE``: follow a session, in the window or (``--no-gui``) by ear only."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """Filled in by the sound issue (terminal coach) and the window issue."""
