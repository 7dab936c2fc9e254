"""The terminal, used safely: key mode that is always undone, and text that cannot
drive the terminal.

Key mode (cbreak: single key presses, no echo) is undone on every way out: ``main``
turns SIGTERM and SIGHUP into SystemExit, so this module's ``finally`` runs for them as
for Ctrl+C (without that the terminal stays silent, ``-icanon -echo``). Text from protocol files and file names goes through
:func:`printable` before it is written, so an escape sequence in a title shows as
``\\x1b`` instead of retitling or clearing the user's terminal.
"""

from __future__ import annotations

import contextlib
import os
import select
import unicodedata
from collections.abc import Iterator
from typing import TextIO

#: Shown by their escape too: they reorder or break the lines printed after them.
_LAYOUT_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def printable(text: str) -> str:
    """``text`` with every control character, lone surrogate and layout control written
    as a visible escape (``\\x1b``, ``\\ud800``); line breaks and tabs are kept."""
    if text.isprintable():
        return text
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    if char in "\n\t":
        return char
    if char in _LAYOUT_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def is_terminal(stream: TextIO | None) -> bool:
    """Whether ``stream`` is an open terminal (stdin and stdout are None when closed)."""
    if stream is None:
        return False
    try:
        return stream.isatty()
    except (OSError, ValueError):  # closed underneath, or a file object already closed
        return False


@contextlib.contextmanager
def key_mode(stream: TextIO | None) -> Iterator[bool]:
    """Single key presses without echo on a terminal, undone on any exit; yields whether
    keys can be read at all (False for a pipe, a file or a closed stdin: then the session
    just plays)."""
    if stream is None or not is_terminal(stream):
        yield False
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        # TCSANOW, not the default TCSAFLUSH: a key pressed while the session was loading
        # is kept and obeyed, not thrown away.
        tty.setcbreak(fd, termios.TCSANOW)
        yield True
    finally:
        with contextlib.suppress(termios.error, OSError):  # a hung-up terminal is gone
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key(stream: TextIO, timeout: float) -> str | None:
    """One key press, or None when none came within ``timeout`` seconds."""
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        return None
    data = os.read(stream.fileno(), 1)
    return data.decode("utf-8", "replace") if data else None
