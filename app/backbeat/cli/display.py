"""Whether a window can open at all, asked before Qt is loaded: without a display Qt
aborts the process with a message about missing libraries, which is not the problem."""

from __future__ import annotations

import os
import sys

from backbeat.cli.options import CliError


def require_display() -> None:
    """Raise a CliError saying what to do when this session has no graphical display."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return  # Windows and macOS always have one; an explicit Qt platform knows best
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise CliError(
        "no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
        "window cannot open. Start Backbeat from your desktop, or follow a session by ear "
        "with: backbeat run FILE --no-gui"
    )
