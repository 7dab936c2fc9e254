"""The protocols the start screen offers, and "Save as my protocol". File I/O, no Qt.

Bundled protocols are read-only; a saved protocol always gets a new id and a new file in
the user's folder, so nothing is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from backbeat import __version__, resources
from backbeat.core.library import (
    DEFAULT_PROTOCOL_ID,
    LibraryEntry,
    find_protocol,
    protocol_files,
    scan_folder,
)
from backbeat.core.library_cache import LibraryCache
from backbeat.core.model import Protocol
from backbeat.core.protocol_io import ProtocolError, load_protocol, save_protocol
from backbeat.ui.start_model import DraftResult, StartModel, protocol_id_for
from backbeat.ui.view_state import Problem


@dataclass(frozen=True)
class OpenedLibrary:
    entries: tuple[LibraryEntry, ...]
    select: Path | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class UserFolderScan:
    """What reading the user's folder gave: their protocols (broken ones too) and what to
    tell the user about the folder and its files."""

    entries: tuple[LibraryEntry, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class PendingSave:
    """A new user protocol to be written: what, where, and the title the user gave."""

    protocol: Protocol
    path: Path
    title: str


@dataclass(frozen=True)
class ProtocolLibrary:
    bundled_dir: Path
    user_dir: Path
    #: Unchanged files are read from here, so 500 protocols do not hold up the window.
    cache_file: Path | None = field(default_factory=resources.library_cache_file)

    def cache(self) -> LibraryCache | None:
        """One cache for one opening: :meth:`open` reads through it on the UI thread, then
        :meth:`scan_user` on the reader's thread, which saves it (one after the other)."""
        if self.cache_file is None:
            return None
        return LibraryCache(self.cache_file, __version__)

    def scan(self) -> tuple[LibraryEntry, ...]:
        """Both folders at once (tests; the window reads the user's folder off the UI thread)."""
        opened = self.open(cache=(cache := self.cache()))
        return opened.entries + self.scan_user(cache, opened.entries).entries

    def open(
        self, protocol_path: Path | None = None, cache: LibraryCache | None = None
    ) -> OpenedLibrary:
        """The bundled protocols, plus ``protocol_path`` when given, and which to select.
        The user's folder is not read here: :meth:`scan_user` reads it later, so however
        many files it holds the window is painted at once."""
        problems: list[Problem] = []
        try:
            entries = scan_folder(self.bundled_dir, True, cache)
        except OSError as error:
            entries = []
            problems.append(Problem(_unreadable(error, self.bundled_dir), "error"))
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
        return OpenedLibrary(tuple(entries), select, tuple(problems))

    def scan_user(
        self,
        cache: LibraryCache | None,
        listed: tuple[LibraryEntry, ...],
        stop: Callable[[], bool] | None = None,
    ) -> UserFolderScan:
        """The user's folder (no Qt: the window calls this on a worker thread). ``listed``
        are the entries :meth:`open` gave: their cache rows are kept, and when nothing at
        all is found the user is told so. ``stop`` ends the reading between two files."""
        problems: list[Problem] = []
        entries: list[LibraryEntry] = []
        try:
            entries = scan_folder(self.user_dir, False, cache, stop)
            files = protocol_files(self.user_dir)
        except OSError as error:
            problems.append(Problem(_unreadable(error, self.user_dir), "error"))
            files = []
        if cache is not None:
            # Every file that is there keeps its row, read this time or not (a stop).
            cache.save({str(e.path) for e in listed} | {str(path) for path in files})
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
            if e.error is not None
        ]
        if not entries and not listed:
            problems.append(
                Problem(
                    f"No protocols found in {self.bundled_dir} or {self.user_dir}. Reinstall "
                    "Backbeat, or open a protocol file with: backbeat run FILE",
                    "error",
                )
            )
        return UserFolderScan(tuple(entries), tuple(problems))

    def merged(
        self, listed: tuple[LibraryEntry, ...], scanned: tuple[LibraryEntry, ...]
    ) -> tuple[LibraryEntry, ...]:
        """The list once the user's folder is read: what is listed already stays as it is
        (the chosen protocol with its edits, a file saved meanwhile, one opened by path),
        the user's files follow the bundled ones in name order."""
        user_root = self.user_dir.resolve()

        def in_user_folder(entry: LibraryEntry) -> bool:
            # The folder's own files have its path as parent; a file opened by a path of
            # its own may name the folder another way (relative, through a link).
            parent = entry.path.parent
            return not entry.bundled and (parent == self.user_dir or parent.resolve() == user_root)

        mine = {e.path.name: e for e in scanned}
        mine |= {e.path.name: e for e in listed if in_user_folder(e)}
        extra = [e for e in listed if not e.bundled and not in_user_folder(e)]
        bundled = [e for e in listed if e.bundled]
        return (*extra, *bundled, *(mine[name] for name in sorted(mine)))

    def prepare_save(
        self, model: StartModel, title: str, result: DraftResult | None = None
    ) -> StartModel | PendingSave:
        """What "Save as my protocol" will write, and where (a new id and file, never one
        that exists), or the model with the reason it cannot. ``result``: the draft's,
        when already known. Fast: the folder's names are listed, no file is read."""
        title = " ".join(title.split())
        draft = model.draft
        result = result or (draft.check() if draft else None)
        if not title:
            return replace(model, save_error="Give your protocol a title first.")
        if draft is None or result is None or not result.ok:
            return replace(model, save_error="Fix the block times first.")
        try:
            taken = {e.id for e in model.entries}
            if self.user_dir.is_dir():
                taken |= {p.stem for p in self.user_dir.iterdir()}
        except OSError as error:
            return replace(model, save_error=_unreadable(error, self.user_dir))
        new_id = protocol_id_for(title, taken)
        protocol = replace(result.effective.with_identity(new_id, title), default_mode=draft.mode)
        return PendingSave(protocol, self.user_dir / f"{new_id}.yaml", title)

    def write(self, save: PendingSave) -> str:
        """Write the file (on a worker thread: the check that it loads back takes a
        third of a second); what went wrong, or "" when it is saved."""
        try:
            self.user_dir.mkdir(parents=True, exist_ok=True)
            save_protocol(save.protocol, save.path)
        except (OSError, ProtocolError) as error:
            return f"Could not save: {error}"
        return ""

    def saved(self, model: StartModel, save: PendingSave, error: str) -> StartModel:
        """The model once the file is written: the new file is added to the list and
        chosen. No folder is read again (with hundreds of files that froze the window)."""
        if error:
            return replace(model, save_error=error, save_message="")
        entry = LibraryEntry(save.path, False, replace(save.protocol, source=str(save.path)))
        updated = model.with_entries(self.merged(model.entries, (entry,)), save.path)
        return replace(
            updated, save_message=f"Saved “{save.title}”. Its file:", saved_path=str(save.path)
        )

    def save_as(
        self, model: StartModel, title: str, result: DraftResult | None = None
    ) -> tuple[StartModel, Path | None]:
        """:meth:`prepare_save`, :meth:`write` and :meth:`saved` in one go."""
        pending = self.prepare_save(model, title, result)
        if isinstance(pending, StartModel):
            return pending, None
        error = self.write(pending)
        return self.saved(model, pending, error), None if error else pending.path


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
