"""Where an export may write: never onto its input, never onto each other, never onto
anything but a regular file or a new name.

A symbolic link is followed when it leads to a regular file the user may write: the file
it points at is replaced (atomically) and the link stays a link, as an editor saving
through a link would do. A link to anything else, or to nothing, is refused, as are
folders, devices, pipes and sockets: writing "a WAV" onto ``/dev/sda`` or a FIFO is
never what was meant.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from backbeat.cli.options import CliError


@dataclass(frozen=True)
class OutputPath:
    """A checked place to write: ``given`` as typed, ``target`` the file really written."""

    given: Path
    target: Path
    what: str  # "the output", "the cue sheet"


def check_output(given: Path, what: str, example: str) -> OutputPath:
    """``given`` as a place to write a new file (or replace a regular one), or a CliError
    saying why not and what to do."""
    shown = f"{what} {given}"
    try:
        link = given.is_symlink()
        info = os.stat(given) if given.exists() else None
    except OSError as error:
        raise CliError(f"cannot write {shown}: {error.strerror or error}") from None
    if link and info is None:
        raise CliError(f"{shown} is a link to nothing ({os.readlink(given)}); give a file name")
    target = given.resolve() if link else given
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise CliError(f"{shown} is a folder; give a file name, e.g. {given / example}")
        if not stat.S_ISREG(info.st_mode):
            raise CliError(
                f"{shown} is not a regular file (a device, a pipe or a socket); "
                "give the name of a new file or of a file to replace"
            )
        if not os.access(target, os.W_OK):
            raise CliError(f"cannot write {shown}: permission denied; choose another place")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(f"cannot write {shown}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(f"cannot write {shown}: permission denied in {folder}; choose another place")
    return OutputPath(given, target, what)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet: compare where they would be
        return a.resolve() == b.resolve()


def refuse_overlaps(inputs: list[tuple[Path, str]], outputs: list[OutputPath]) -> None:
    """No output may be an input (the protocol), and no two outputs the same file."""
    for output in outputs:
        for path, name in inputs:
            if _same_file(output.target, path):
                raise CliError(
                    f"{output.what} {output.given} is {name} {path}: writing it would destroy "
                    f"{name}; give {output.what} a name of its own"
                )
    for index, first in enumerate(outputs):
        for second in outputs[index + 1 :]:
            if _same_file(first.target, second.target):
                raise CliError(
                    f"{second.what} {second.given} is the same file as {first.what} "
                    f"{first.given}: one would overwrite the other; give each its own name"
                )
