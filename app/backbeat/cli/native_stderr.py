"""Keep the audio libraries' own lines off the user's terminal.

ALSA and PortAudio write straight to file descriptor 2 ("ALSA lib pcm.c:8570:
(snd_pcm_recover) underrun occurred", "Expression 'ret' failed in …"); the user should
see Backbeat's one clear message instead. While a session runs, fd 2 is a pipe read by a
thread that sends those lines to the debug log and passes every other line on; Python's
own ``sys.stderr`` writes to the real stderr directly.

There is no library for this: ALSA's error handler can be replaced only through a C
callback, and PortAudio has no switch for its messages; a pipe catches both.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import threading
from collections.abc import Iterator

from backbeat.cli.debug_log import debug_log

log = logging.getLogger("backbeat.native")

#: How the lines of the native audio stack begin.
NOISE_PREFIXES = (
    b"ALSA lib ",
    b"Expression '",
    b"PaAlsa",
    b"PortAudio",
    b"Cannot connect to server",
    b"jack server",
    b"JackShmReadWritePtr",
    b"pa_",
)


def is_noise(line: bytes) -> bool:
    return line.lstrip().startswith(NOISE_PREFIXES)


class NativeStderrFilter:
    """Owns fd 2 while open: :meth:`close` gives it back and ends the reader thread."""

    def __init__(self) -> None:
        sys.stderr.flush()
        self._real = os.dup(2)
        reader, writer = os.pipe()
        os.dup2(writer, 2)
        os.close(writer)
        self._saved_stderr = sys.stderr
        sys.stderr = io.TextIOWrapper(
            open(os.dup(self._real), "wb", buffering=0),  # noqa: SIM115 - closed in close()
            encoding=sys.stderr.encoding or "utf-8",
            errors="backslashreplace",
            line_buffering=True,
        )
        self._thread = threading.Thread(
            target=self._pump, args=(reader,), name="backbeat-stderr", daemon=True
        )
        self._thread.start()

    def _pump(self, reader: int) -> None:
        with open(reader, "rb") as lines:
            for line in lines:
                if is_noise(line):
                    log.debug("%s", line.decode("utf-8", "replace").rstrip())
                else:
                    os.write(self._real, line)

    def close(self) -> None:
        sys.stderr.flush()
        replaced, sys.stderr = sys.stderr, self._saved_stderr
        os.dup2(self._real, 2)  # the pipe's last writer goes: the reader sees its end
        self._thread.join(timeout=2.0)
        replaced.close()
        os.close(self._real)


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """The debug log open, and the native lines going to it, around a session."""
    with debug_log():
        try:
            native = NativeStderrFilter()
        except OSError:  # no fd 2 to take over (stderr closed): nothing to filter
            yield
            return
        try:
            yield
        finally:
            native.close()
