"""The protocols a user can choose from: the bundled ones and their own.

A broken file never hides the others: it is listed with its problem. ``backbeat list``
and the window read them through a :class:`LibraryCache`, so a folder of hundreds of
protocols is read without parsing any file that did not change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backbeat.core.library_cache import LibraryCache, Loaded
from backbeat.core.model import Protocol
from backbeat.core.protocol_io import ProtocolError, load_protocol

#: The protocol ``backbeat`` opens when nothing else is asked for.
DEFAULT_PROTOCOL_ID = "home-back-massage"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LibraryEntry:
    path: Path
    bundled: bool
    protocol: Protocol | None  # None when the file does not load
    error: ProtocolError | None = None

    @property
    def id(self) -> str:
        return self.protocol.id if self.protocol else self.path.stem


def protocol_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def _load(path: Path) -> Loaded:
    """One file: its protocol, or the problems that keep it from loading."""
    try:
        return load_protocol(path), None
    except ProtocolError as error:
        return None, error
    except Exception as error:  # a bug in one file's checks must not hide every other file
        log.exception("reading %s failed", path)
        message = f"cannot be read ({type(error).__name__}: {error}); please report this"
        return None, ProtocolError.single(str(path), message)


def scan_library(
    bundled_dir: Path, user_dir: Path | None, cache: LibraryCache | None = None
) -> list[LibraryEntry]:
    """Every protocol file, bundled first; broken files are listed with their error.
    Unchanged files are answered from ``cache`` when one is given.

    ``user_dir`` None scans the bundled folder alone."""
    entries = scan_folder(bundled_dir, True, cache)
    if user_dir is not None:
        entries += scan_folder(user_dir, False, cache)
    if cache is not None:
        cache.save({str(entry.path) for entry in entries})
    return entries


def scan_folder(
    folder: Path,
    bundled: bool,
    cache: LibraryCache | None = None,
    stop: Callable[[], bool] | None = None,
) -> list[LibraryEntry]:
    """The protocol files of one folder, in name order, broken ones with their error. The
    cache is not saved here (one save after all the folders keeps every folder's rows).

    ``stop`` is asked before each file; once it says yes the files read so far are
    returned (a window that closes does not wait for hundreds of files)."""
    entries = []
    for path in protocol_files(folder):
        if stop is not None and stop():
            break
        protocol, error = cache.load(path, _load) if cache is not None else _load(path)
        entries.append(LibraryEntry(path, bundled, protocol, error))
    return entries


def find_protocol(entries: list[LibraryEntry], protocol_id: str) -> LibraryEntry | None:
    for entry in entries:
        if entry.protocol is not None and entry.protocol.id == protocol_id:
            return entry
    return None


@dataclass(frozen=True)
class ProtocolSummary:
    """What a listing shows of one file: its id, title and length, or its first problem."""

    path: Path
    bundled: bool
    id: str
    title: str = ""
    seconds: float = 0.0
    problem: str = ""  # the first message of a file that does not load

    @classmethod
    def of(cls, entry: LibraryEntry) -> ProtocolSummary:
        if entry.protocol is None:
            first = entry.error.problems[0] if entry.error and entry.error.problems else None
            return cls(entry.path, entry.bundled, entry.id, problem=str(first or "unknown"))
        protocol = entry.protocol
        return cls(entry.path, entry.bundled, protocol.id, protocol.title, protocol.total_duration)
