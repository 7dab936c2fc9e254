"""The protocols a user can choose from: the bundled ones and their own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backbeat.core.model import Protocol
from backbeat.core.protocol_io import ProtocolError, load_protocol

#: The protocol ``backbeat`` opens when nothing else is asked for.
DEFAULT_PROTOCOL_ID = "home-back-massage"


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


def scan_library(bundled_dir: Path, user_dir: Path | None) -> list[LibraryEntry]:
    """Every protocol file, bundled first; broken files are listed with their error.

    ``user_dir`` None scans the bundled folder alone."""
    entries: list[LibraryEntry] = []
    folders = [(bundled_dir, True)] + ([(user_dir, False)] if user_dir is not None else [])
    for folder, bundled in folders:
        for path in _yaml_files(folder):
            try:
                entries.append(LibraryEntry(path, bundled, load_protocol(path)))
            except ProtocolError as error:
                entries.append(LibraryEntry(path, bundled, None, error))
    return entries


def find_protocol(entries: list[LibraryEntry], protocol_id: str) -> LibraryEntry | None:
    for entry in entries:
        if entry.protocol is not None and entry.protocol.id == protocol_id:
            return entry
    return None
