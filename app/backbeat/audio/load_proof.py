"""A note that a model file has loaded here before, so the next start need not load it
only to prove it can (Piper's model is 55-85 MB resident while loaded).

The note names the files (path, size, modification time) and the versions of the
packages that load them: if any of these changes, the model is loaded again to check.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
from collections.abc import Sequence
from pathlib import Path


class LoadProof:
    def __init__(self, directory: Path, name: str, files: Sequence[Path], packages: Sequence[str]):
        self._directory = directory
        self._name = name
        self._files = list(files)
        self._packages = list(packages)

    def _path(self) -> Path | None:
        """Where the note for these files and versions is; None when one cannot be read."""
        key = files_key(self._files, self._packages)
        return None if key is None else self._directory / f"{self._name}-loaded-{key}"

    def exists(self) -> bool:
        path = self._path()
        return path is not None and path.is_file()

    def record(self) -> None:
        """Best effort: without the note the next start only loads the model again."""
        path = self._path()
        if path is None:
            return
        with contextlib.suppress(OSError):
            self._directory.mkdir(parents=True, exist_ok=True)
            path.touch()

    def forget(self) -> None:
        path = self._path()
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def files_key(files: Sequence[Path], packages: Sequence[str]) -> str | None:
    """A name that changes with the files (path, size, modification time) and the versions
    of the packages; None when one of them cannot be read (a package not installed)."""
    parts: list[str] = []
    try:
        for file in files:
            info = file.stat()
            parts += [str(file.resolve()), str(info.st_size), str(info.st_mtime_ns)]
        parts += [importlib.metadata.version(p) for p in packages]
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
