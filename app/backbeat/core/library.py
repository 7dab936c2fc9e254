"""The protocols a user can choose from: the bundled ones and their own.

A broken file never hides the others: it is listed with its problem. ``backbeat list``
reads :class:`ProtocolSummary` rows through a :class:`SummaryCache`, so a folder of
hundreds of protocols is listed without parsing any file that did not change.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

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


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_entry(path: Path, bundled: bool) -> LibraryEntry:
    """One file as an entry: its protocol, or the problem that keeps it from loading."""
    try:
        return LibraryEntry(path, bundled, load_protocol(path))
    except ProtocolError as error:
        return LibraryEntry(path, bundled, None, error)
    except Exception as error:  # a bug in one file's checks must not hide every other file
        log.exception("reading %s failed", path)
        message = f"cannot be read ({type(error).__name__}: {error}); please report this"
        return LibraryEntry(path, bundled, None, ProtocolError.single(str(path), message))


def scan_library(bundled_dir: Path, user_dir: Path | None) -> list[LibraryEntry]:
    """Every protocol file, bundled first; broken files are listed with their error.

    ``user_dir`` None scans the bundled folder alone."""
    folders = [(bundled_dir, True)] + ([(user_dir, False)] if user_dir is not None else [])
    return [
        load_entry(path, bundled) for folder, bundled in folders for path in _yaml_files(folder)
    ]


def find_protocol(entries: list[LibraryEntry], protocol_id: str) -> LibraryEntry | None:
    for entry in entries:
        if entry.protocol is not None and entry.protocol.id == protocol_id:
            return entry
    return None


@dataclass(frozen=True)
class ProtocolSummary:
    """What a listing shows of one file: its id, title and length, or its first problem."""

    path: str
    bundled: bool
    id: str
    title: str = ""
    seconds: float = 0.0
    problem: str = ""  # the first message of a file that does not load

    @classmethod
    def of(cls, entry: LibraryEntry) -> ProtocolSummary:
        if entry.protocol is None:
            first = entry.error.problems[0] if entry.error and entry.error.problems else None
            return cls(str(entry.path), entry.bundled, entry.id, problem=str(first or "unknown"))
        protocol = entry.protocol
        return cls(
            str(entry.path), entry.bundled, protocol.id, protocol.title, protocol.total_duration
        )


class SummaryCache:
    """Summaries of protocol files kept in one JSON file, each valid while its file has the
    same size, modification time and inode. Best effort: a missing, damaged or unwritable
    cache only costs reading the files again."""

    #: Bump when the checks change what a summary says about a file.
    FORMAT = 2

    def __init__(self, path: Path, checks_version: str) -> None:
        self.path = path
        self.version = f"{self.FORMAT}/{checks_version}"
        self._rows: dict[str, dict[str, object]] = self._read()
        self._changed = False

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            with self.path.open(encoding="utf-8") as stream:
                if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                    return {}
                data = json.load(stream)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        rows = data.get("files")
        return rows if isinstance(rows, dict) else {}

    def summary(self, path: Path, bundled: bool) -> ProtocolSummary:
        try:
            info = path.stat()
            stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
        except OSError:
            stamp = None
        row = self._rows.get(str(path))
        if stamp is not None and isinstance(row, dict) and row.get("stamp") == stamp:
            with contextlib.suppress(TypeError, ValueError):
                summary = ProtocolSummary(**row["summary"])  # type: ignore[arg-type]
                if summary.bundled == bundled:
                    return summary
        summary = ProtocolSummary.of(load_entry(path, bundled))
        if stamp is not None:
            self._rows[str(path)] = {"stamp": stamp, "summary": asdict(summary)}
            self._changed = True
        return summary

    def save(self, keep: set[str]) -> None:
        """Write the cache (atomically) if it changed, keeping only the files in ``keep``."""
        stale = set(self._rows) - keep
        if not self._changed and not stale:
            return
        rows = {name: row for name, row in self._rows.items() if name in keep}
        temp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                json.dump({"version": self.version, "files": rows}, stream)
            os.replace(temp, self.path)
            temp = None
        except OSError as error:
            log.info("could not write the protocol list cache %s: %s", self.path, error)
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


def summarise_library(
    bundled_dir: Path, user_dir: Path | None, cache: SummaryCache | None
) -> list[ProtocolSummary]:
    """:func:`scan_library` as summaries, unchanged files answered from ``cache``."""
    folders = [(bundled_dir, True)] + ([(user_dir, False)] if user_dir is not None else [])
    files = [(path, bundled) for folder, bundled in folders for path in _yaml_files(folder)]
    if cache is None:
        return [ProtocolSummary.of(load_entry(path, bundled)) for path, bundled in files]
    summaries = [cache.summary(path, bundled) for path, bundled in files]
    cache.save({str(path) for path, _ in files})
    return summaries
