"""Whether a window can open at all, asked before Qt is loaded: without a display Qt
aborts the process (SIGABRT) with a message about missing platform plugins, which is not
the problem. A ``DISPLAY`` that names a dead X server is caught too, by connecting to it
with libxcb (the library Qt itself would use) — a few milliseconds, no Qt."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import socket
import sys
from pathlib import Path

from backbeat.cli.options import CliError

_ADVICE = (
    "Start Backbeat from your desktop, or follow a session by ear with: backbeat run FILE --no-gui"
)


def require_display() -> None:
    """Raise a CliError saying what to do when this session has no usable display."""
    if not sys.platform.startswith("linux"):
        return  # Windows and macOS always have one
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return  # offscreen, vnc, eglfs...: an explicit Qt platform knows best
    x_display = os.environ.get("DISPLAY", "")
    wayland = os.environ.get("WAYLAND_DISPLAY", "")
    if not x_display and not wayland:
        raise CliError(
            "no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
            f"window cannot open. {_ADVICE}"
        )
    wants_x = platform.startswith("xcb")
    if wayland and not wants_x and _wayland_answers(wayland):
        return
    if x_display and not platform.startswith("wayland") and _x_server_answers(x_display):
        return
    named = f"DISPLAY={x_display}" if x_display else f"WAYLAND_DISPLAY={wayland}"
    raise CliError(
        f"cannot open the window: the display {named} does not answer (is the X server or "
        f"the desktop session still running?). {_ADVICE}"
    )


def _x_server_answers(name: str) -> bool:
    """Connect to the X server named ``name`` and disconnect; True when it worked. When
    libxcb cannot be loaded, say yes and let Qt report the missing library itself."""
    library = ctypes.util.find_library("xcb")
    if library is None:
        return True
    try:
        xcb = ctypes.CDLL(library)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(os.fsencode(name), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)  # also frees the error object it returns


def _wayland_answers(name: str) -> bool:
    """Whether the Wayland compositor's socket accepts a connection."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    path = Path(name) if name.startswith("/") else Path(runtime) / name
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        with contextlib.suppress(OSError):
            probe.connect(str(path))
            return True
    return False
