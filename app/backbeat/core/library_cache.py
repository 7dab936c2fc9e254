"""Protocol files remembered between runs, so a folder of hundreds of protocols is listed
(and the window opens) without parsing any file that did not change.

One JSON file holds, for each protocol file, the stamp it had (size, modification time,
inode) and what loading it gave: the protocol, or its problems. A row is used only while
the file still has that stamp; a missing, damaged or foreign cache costs only reading
the files again. The YAML reader is pure Python (it keeps positions for the messages),
so reading 500 files takes seconds; reading their rows takes milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from backbeat.core.model import (
    Block,
    Direction,
    Hands,
    Mode,
    Pressure,
    Protocol,
    Rhythm,
    Technique,
)
from backbeat.core.model import Path as MovementPath
from backbeat.core.protocol_errors import Problem, ProtocolError
from backbeat.core.safe_files import atomic_write
from backbeat.core.zones import Zone

log = logging.getLogger(__name__)
Loaded = tuple[Protocol | None, ProtocolError | None]


def _protocol_from(row: dict[str, Any], source: str) -> Protocol:
    def technique(t: dict[str, Any]) -> Technique:
        return Technique(
            id=str(t["id"]),
            title=str(t["title"]),
            how=str(t["how"]),
            hands=Hands(t["hands"]),
            path=MovementPath(t["path"]),
            direction=Direction(t["direction"]),
            zones=tuple(Zone(z) for z in t["zones"]),
            pressure=Pressure(t["pressure"]),
            rhythm=Rhythm(int(t["rhythm"]["relaxing"]), int(t["rhythm"]["stimulating"])),
            spot_limit=None if t["spot_limit"] is None else float(t["spot_limit"]),
            min_repetitions=int(t["min_repetitions"]),
            cautions=tuple(str(c) for c in t["cautions"]),
            share=float(t["share"]),
        )

    blocks = tuple(
        Block(
            str(b["id"]),
            str(b["title"]),
            float(b["duration"]),
            tuple(technique(t) for t in b["techniques"]),
        )
        for b in row["blocks"]
    )
    return Protocol(
        str(row["id"]),
        str(row["title"]),
        str(row["description"]),
        Mode(row["default_mode"]),
        blocks,
        source,
    )


class LibraryCache:
    """What loading each protocol file gave, by path, valid while the file is unchanged."""

    #: Bump when the checks or the model change what loading a file gives.
    FORMAT = 1

    def __init__(self, path: Path, checks_version: str) -> None:
        self.path = path
        self.version = f"{self.FORMAT}/{checks_version}"
        self._rows: dict[str, Any] = self._read()
        self._changed = False

    def _read(self) -> dict[str, Any]:
        try:
            info = os.stat(self.path)
            if not stat.S_ISREG(info.st_mode):
                return {}
            with self.path.open(encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        rows = data.get("files")
        return rows if isinstance(rows, dict) else {}

    def load(self, path: Path, loader: Callable[[Path], Loaded]) -> Loaded:
        """``loader(path)``, or what it gave last time if the file has not changed."""
        try:
            info = path.stat()
            stamp: list[int] | None = [info.st_size, info.st_mtime_ns, info.st_ino]
        except OSError:
            stamp = None
        row = self._rows.get(str(path))
        if stamp is not None and isinstance(row, dict) and row.get("stamp") == stamp:
            with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
                if row.get("problems"):
                    problems = [
                        Problem(str(p), int(a), int(b), str(m)) for p, a, b, m in row["problems"]
                    ]
                    return None, ProtocolError(problems)
                return _protocol_from(row["protocol"], str(path)), None
        protocol, error = loader(path)
        if stamp is not None:
            new_row: dict[str, Any] = {"stamp": stamp}
            if protocol is not None:
                new_row["protocol"] = asdict(protocol) | {"source": None}
            else:
                found = error.problems if error else ()
                new_row["problems"] = [[p.path, p.line, p.column, p.message] for p in found]
            self._rows[str(path)] = new_row
            self._changed = True
        return protocol, error

    def save(self, keep: set[str]) -> None:
        """Write the cache (atomically) if it changed, keeping only the files in ``keep``."""
        if not self._changed and not set(self._rows) - keep:
            return
        rows = {name: row for name, row in self._rows.items() if name in keep}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(self.path) as stream:
                json.dump({"version": self.version, "files": rows}, stream)
        except (OSError, TypeError, ValueError) as error:
            log.info("could not write the protocol cache %s: %s", self.path, error)
        self._changed = False
