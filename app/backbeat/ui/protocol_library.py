"""The protocols the start screen offers, and "Save as my protocol". File I/O, no Qt.

Bundled protocols are read-only; a saved protocol always gets a new id and a new file in
the user's folder, so nothing is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from backbeat import __version__, resources
from backbeat.core.library import DEFAULT_PROTOCOL_ID, LibraryEntry, find_protocol, scan_library
from backbeat.core.library_cache import LibraryCache
from backbeat.core.protocol_io import ProtocolError, load_protocol, save_protocol
from backbeat.ui.start_model import StartModel, protocol_id_for
from backbeat.ui.view_state import Problem


@dataclass(frozen=True)
class OpenedLibrary:
    entries: tuple[LibraryEntry, ...]
    select: Path | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ProtocolLibrary:
    bundled_dir: Path
    user_dir: Path
    #: Unchanged files are read from here, so 500 protocols do not hold up the window.
    cache_file: Path | None = field(default_factory=resources.library_cache_file)

    def _cache(self) -> LibraryCache | None:
        if self.cache_file is None:
            return None
        return LibraryCache(self.cache_file, __version__)

    def scan(self) -> tuple[LibraryEntry, ...]:
        return self.scan_reporting()[0]

    def scan_reporting(self) -> tuple[tuple[LibraryEntry, ...], Problem | None]:
        """Every protocol that can be read, and what went wrong reading a folder, if anything.

        An unreadable user folder must not cost the bundled protocols (or the window).
        """
        try:
            return tuple(scan_library(self.bundled_dir, self.user_dir, self._cache())), None
        except OSError as error:
            problem = Problem(_unreadable(error, self.user_dir), "error")
        try:
            return tuple(scan_library(self.bundled_dir, None, self._cache())), problem
        except OSError:
            return (), problem

    def open(self, protocol_path: Path | None = None) -> OpenedLibrary:
        """Every protocol, plus ``protocol_path`` when it lives elsewhere, and what to select."""
        scanned, scan_problem = self.scan_reporting()
        entries = list(scanned)
        problems = [] if scan_problem is None else [scan_problem]
        if self.user_dir.exists() and not self.user_dir.is_dir():
            problems.append(
                Problem(
                    f"Your protocols folder {self.user_dir} is a file, not a folder, so your "
                    "protocols cannot be shown or saved; move that file away.",
                    "error",
                )
            )
        problems += [
            Problem(f"One of your protocols does not load:\n{_first_problem(e.error)}", "error")
            for e in entries
            if e.error is not None and not e.bundled
        ]
        select: Path | None = None
        if protocol_path is not None:
            known = {e.path.resolve(): e.path for e in entries}
            select = known.get(protocol_path.resolve())
            if select is None:
                try:
                    extra = LibraryEntry(protocol_path, False, load_protocol(protocol_path))
                except ProtocolError as error:
                    extra = LibraryEntry(protocol_path, False, None, error)
                    problems.append(
                        Problem(f"The protocol you asked for does not load:\n{error}", "error")
                    )
                entries.insert(0, extra)
                select = protocol_path
        if select is None:
            default = find_protocol(entries, DEFAULT_PROTOCOL_ID)
            select = default.path if default else None
        if not entries:
            problems.append(
                Problem(
                    f"No protocols found in {self.bundled_dir} or {self.user_dir}. Reinstall "
                    "Backbeat, or open a protocol file with: backbeat run FILE",
                    "error",
                )
            )
        return OpenedLibrary(tuple(entries), select, tuple(problems))

    def save_as(self, model: StartModel, title: str) -> tuple[StartModel, Path | None]:
        """Write the edited protocol as a new user protocol; the model then selects it."""
        title = " ".join(title.split())
        draft = model.draft
        result = draft.evaluate() if draft else None
        if not title:
            return replace(model, save_error="Give your protocol a title first."), None
        if result is None or result.plan is None:
            return replace(model, save_error="Fix the block times first."), None
        try:
            taken = {e.id for e in model.entries}
            taken |= {e.id for e in scan_library(self.bundled_dir, self.user_dir, self._cache())}
            if self.user_dir.is_dir():
                taken |= {p.stem for p in self.user_dir.iterdir()}
        except OSError as error:
            return replace(model, save_error=_unreadable(error, self.user_dir)), None
        new_id = protocol_id_for(title, taken)
        path = self.user_dir / f"{new_id}.yaml"
        protocol = replace(
            result.plan.protocol.with_identity(new_id, title), default_mode=result.plan.mode
        )
        try:
            self.user_dir.mkdir(parents=True, exist_ok=True)
            save_protocol(protocol, path)
        except (OSError, ProtocolError) as error:
            return replace(model, save_error=f"Could not save: {error}"), None
        extra = tuple(
            e for e in model.entries if e.path.parent not in (self.bundled_dir, self.user_dir)
        )
        updated = model.with_entries(extra + self.scan(), path)
        saved = replace(updated, save_message=f"Saved “{title}”. Its file:", saved_path=str(path))
        return saved, path


def _first_problem(error: ProtocolError) -> str:
    """The first message, and how many more there are: a banner is no place for forty."""
    first, *rest = error.problems or (None,)
    more = f"\n(and {len(rest)} more: backbeat validate shows them all)" if rest else ""
    return f"{first}{more}" if first is not None else str(error)


def _unreadable(error: OSError, folder: Path) -> str:
    where = error.filename or folder
    reason = error.strerror or str(error)
    return (
        f"Could not read {where}: {reason}. Check that you may read and write {folder} "
        "(its owner and permissions)."
    )
