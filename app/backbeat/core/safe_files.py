"""Files written whole or not at all, with the user's permissions, leaving nothing behind.

Every save writes a hidden temporary file next to its target and renames it into place,
so the old file stays whole whatever happens (a full disk, a crash, ``kill -9``). The
temporary file is locked (``flock``) while it is written: a later save of the same
target removes every leftover whose lock it can take, because only a dead writer lets
go of one. New files get the mode the user's umask gives; a replaced file keeps its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".tmp"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def new_file_mode(target: Path) -> int:
    """The existing file's permissions, or for a new file 0666 less the umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(os.stat(target).st_mode)
    # os.umask can only be read by setting it; put it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def remove_leftovers(target: Path) -> int:
    """Delete the temporary files of earlier saves of ``target`` whose writer is gone;
    returns how many. A save in progress in another process holds its lock and is kept."""
    removed = 0
    prefix = _temp_prefix(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX)):
            continue
        path = target.parent / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # locked: a live writer is saving it right now
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
        finally:
            os.close(fd)
    return removed


def locked_temp(target: Path) -> tuple[int, Path]:
    """A new hidden temporary file next to ``target``, open for writing and locked until
    its descriptor is closed; leftovers of crashed saves of ``target`` are removed first."""
    remove_leftovers(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target), suffix=TEMP_SUFFIX)
    # A file system without locks still gives a new file that is ours alone.
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd, Path(name)


def commit_temp(fd: int, temp: Path, target: Path, mode: int) -> None:
    """Flush ``temp`` to disk, give it ``mode`` and move it onto ``target`` while still
    holding its lock (so no cleaner takes it for a leftover in between)."""
    os.fsync(fd)
    os.fchmod(fd, mode)
    os.replace(temp, target)


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[IO[str]]:
    """A text stream whose content becomes ``target`` (UTF-8) when the block ends without
    an error; on an error the target is untouched and the temporary file removed."""
    mode = new_file_mode(target)
    fd, temp = locked_temp(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            yield stream
            stream.flush()
            commit_temp(stream.fileno(), temp, target, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
