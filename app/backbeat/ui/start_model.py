"""What the start screen shows and edits, as immutable values (no Qt, no file I/O).

The controller keeps one :class:`StartModel`, replaces it on every user request and
renders it with :meth:`StartModel.view_state`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from backbeat.core.durations import (
    MAX_DURATION_SECONDS,
    DurationError,
    format_clock,
    parse_duration,
)
from backbeat.core.library import LibraryEntry
from backbeat.core.model import Mode, Protocol
from backbeat.core.plan import PlanError, PlanOverrides, SessionPlan, build_plan, check_plan
from backbeat.ui.view_state import DurationRow, ProtocolChoice, StartViewState

#: Under the list of protocols while the user's own are read (off the UI thread).
READING_NOTE = "Reading your protocols…"
MINUTES_HELP = "write minutes, e.g. 4 or 2.5 (or 2m30s)"
#: Text written with units ("0m", "999m", "2m 30s"): when such a text is refused, the
#: parser's own reason (zero, too long) is more useful than "not a time".
_WITH_UNITS = re.compile(r"^-?(?:\s*\d+(?:\.\d+)?\s*[hms])+\s*$", re.IGNORECASE)


def minutes_text(seconds: float) -> str:
    minutes = round(seconds / 60.0, 1)
    return f"{minutes:g}"


def tenths_adding_up(seconds: list[float], fixed: set[int]) -> list[int]:
    """Each duration in tenths of a minute, rounded so that they add up to the rounded
    sum (largest remainder): rounding each alone can show 2.4 for a 2.5-minute session.
    The entries in ``fixed`` (typed by the user) keep their own rounding."""
    exact = [s / 6.0 for s in seconds]
    shown = [round(x) if i in fixed else math.floor(x) for i, x in enumerate(exact)]
    target = round(sum(exact))
    free = sorted(
        (i for i in range(len(exact)) if i not in fixed),
        key=lambda i: exact[i] - shown[i],
        reverse=True,
    )
    for i in free[: max(0, target - sum(shown))]:
        shown[i] += 1
    return shown


def tenths_text(tenths: int) -> str:
    return f"{tenths / 10:g}"


def without_mine(title: str) -> str:
    """``"Home (mine)"`` -> ``"Home"``: saving a saved copy again must not say it twice."""
    return re.sub(r"(\s*\(mine(?: \d+)?\))+$", "", title).strip() or title


def total_problem(protocol: Protocol, typed: dict[str, float], total: float) -> str:
    """Why the typed blocks and the typed session length cannot go together, in plain words."""
    fixed = sum(typed.values())
    free = [b for b in protocol.blocks if b.id not in typed]
    if not free and abs(fixed - total) > 0.5:
        return (
            f"Every block has a time you typed, {tenths_text(round(fixed / 6))} min together, "
            f"so the session cannot be {tenths_text(round(total / 6))} min. Clear this field, "
            "or one block's time."
        )
    if free and total - fixed <= 0:
        return (
            f"The block times you typed already take {tenths_text(round(fixed / 6))} min, "
            f"which leaves nothing of a {tenths_text(round(total / 6))}-minute session for "
            "the other blocks. Type a longer session, or shorter block times."
        )
    return ""


def parse_minutes(text: str) -> float:
    """Seconds from what a person types as minutes: ``4``, ``2.5``, ``2,5`` or ``2m30s``."""
    compact = text.strip().replace(",", ".")
    if not compact:
        raise DurationError(f"empty: {MINUTES_HELP}")
    try:
        minutes = float(compact)
    except ValueError:
        try:
            return parse_duration(compact)
        except DurationError:
            if _WITH_UNITS.match(compact):
                raise
            raise DurationError(f"{text.strip()!r} is not a time: {MINUTES_HELP}") from None
    if not math.isfinite(minutes) or minutes <= 0:
        raise DurationError("must be more than zero minutes")
    if minutes * 60 > MAX_DURATION_SECONDS:
        raise DurationError(f"at most {round(MAX_DURATION_SECONDS / 60)} minutes")
    return minutes * 60.0


def protocol_id_for(title: str, taken: set[str]) -> str:
    """A file-friendly id from a title, different from every id in ``taken``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "my-protocol"
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


@dataclass(frozen=True)
class DraftResult:
    """What a draft gives: the times each block gets, what is wrong, and the plan once its
    cues are placed (:meth:`DurationDraft.check` leaves that out: it is the slow part)."""

    effective: Protocol  # the protocol with the typed times, as far as they go
    durations: dict[str, float]  # effective seconds per block
    row_errors: dict[str, str]
    total_error: str
    plan_error: str
    plan: SessionPlan | None = None

    @property
    def ok(self) -> bool:
        """Nothing is wrong: the draft plans (its plan may still be on its way)."""
        return not (self.row_errors or self.total_error or self.plan_error)


@dataclass(frozen=True)
class DurationDraft:
    """The user's edits to a protocol's block durations, as typed."""

    protocol: Protocol
    mode: Mode
    block_texts: tuple[tuple[str, str], ...] = ()
    total_text: str = ""

    def with_block(self, block_id: str, text: str) -> DurationDraft:
        texts = dict(self.block_texts)
        texts[block_id] = text
        return replace(self, block_texts=tuple(texts.items()))

    def with_total(self, text: str) -> DurationDraft:
        return replace(self, total_text=text.strip())

    def with_mode(self, mode: Mode) -> DurationDraft:
        return replace(self, mode=mode)

    def reset(self) -> DurationDraft:
        return DurationDraft(self.protocol, self.mode)

    @property
    def edited(self) -> bool:
        return bool(self.block_texts or self.total_text)

    def check(self) -> DraftResult:
        """Every time and every error the start screen shows, without the plan: fast
        enough for each keystroke whatever the length of the session."""
        row_errors: dict[str, str] = {}
        durations: dict[str, float] = {}
        for block_id, text in self.block_texts:
            try:
                durations[block_id] = parse_minutes(text)
            except DurationError as error:
                row_errors[block_id] = str(error)
        total: float | None = None
        total_error = ""
        if self.total_text:
            try:
                total = parse_minutes(self.total_text)
            except DurationError as error:
                total_error = f"Session length: {error}."
            else:
                total_error = total_problem(self.protocol, durations, total)
                if total_error:
                    total = None  # the blocks keep what they show; the field is marked
        plan_error = ""
        try:
            effective = check_plan(self.protocol, self.mode, PlanOverrides(durations, total))
        except PlanError as error:
            effective, plan_error = self.protocol.with_block_durations(durations), str(error)
        return DraftResult(
            effective,
            {b.id: b.duration for b in effective.blocks},
            row_errors,
            total_error,
            plan_error,
        )

    def evaluate(self) -> DraftResult:
        """:meth:`check`, and the plan when nothing is wrong."""
        result = self.check()
        if not result.ok:
            return result
        try:
            # The checked protocol already has the typed times; the plan places its cues.
            plan = build_plan(result.effective, self.mode)
        except PlanError as error:
            return replace(result, plan_error=str(error))
        return replace(result, plan=plan)


@dataclass(frozen=True)
class StartModel:
    entries: tuple[LibraryEntry, ...] = ()
    selected: int = -1
    draft: DurationDraft | None = None
    chosen_mode: Mode | None = None  # the user's pick, kept across protocols
    shown_mode: Mode = Mode.RELAXING  # what a broken choice keeps showing (the last mode)
    acknowledged: bool = False
    waiting_for_sound: bool = False  # Start was asked for while the sound is still opening
    reading_user_folder: bool = False  # the user's protocols are still being read
    saving: bool = False  # "Save as my protocol" is writing its file
    save_title: str = ""
    save_message: str = ""
    save_error: str = ""
    saved_path: str = ""  # the file the last save wrote

    @property
    def entry(self) -> LibraryEntry | None:
        return self.entries[self.selected] if 0 <= self.selected < len(self.entries) else None

    def with_entries(
        self, entries: tuple[LibraryEntry, ...], select_path: Path | None
    ) -> StartModel:
        """New library contents; keeps the current choice and its edits when it is still there."""
        keys = [e.path for e in entries]
        current = self.entry.path if self.entry else None
        updated = replace(self, entries=entries)
        if select_path is None and current in keys:
            index = keys.index(current)
            if self.draft is not None and entries[index].protocol == self.draft.protocol:
                return replace(updated, selected=index)
            return updated.select(index)
        if select_path in keys:
            return updated.select(keys.index(select_path))
        first = next((i for i, e in enumerate(entries) if e.protocol is not None), -1)
        return updated.select(first)

    def select(self, index: int) -> StartModel:
        model = replace(self, selected=index, save_message="", save_error="", saved_path="")
        entry = model.entry
        if entry is None or entry.protocol is None:
            shown = self.draft.mode if self.draft else self.chosen_mode or self.shown_mode
            return replace(model, draft=None, shown_mode=shown)
        protocol = entry.protocol
        mode = self.chosen_mode or protocol.default_mode
        return replace(
            model,
            draft=DurationDraft(protocol, mode),
            save_title=f"{without_mine(protocol.title)} (mine)",
        )

    def select_key(self, key: str) -> StartModel:
        for i, entry in enumerate(self.entries):
            if str(entry.path) == key:
                return self.select(i)
        return self

    def with_mode(self, mode: Mode) -> StartModel:
        draft = self.draft.with_mode(mode) if self.draft else None
        return replace(self, chosen_mode=mode, draft=draft)

    def with_draft(self, draft: DurationDraft) -> StartModel:
        return replace(self, draft=draft, save_message="", save_error="", saved_path="")

    def view_state(self, sound_note: str = "", result: DraftResult | None = None) -> StartViewState:
        """``sound_note``: what the start page says about the sound (metronome or voice
        off, no sound device), from the settings the controller holds. ``result``: what
        the draft gives, if already known (checked is enough: the plan is not shown)."""
        choices = tuple(_choice(e) for e in self.entries)
        draft = self.draft
        entry = self.entry
        if draft is None:
            reason = (
                "This protocol does not load; choose another." if entry else "Choose a protocol."
            )
            # The loader's own messages say what is wrong in the file, and where.
            details = (
                f"{entry.path.name} does not load. Fix the file, or choose another "
                f"protocol:\n{entry.error}"
                if entry is not None and entry.error is not None
                else ""
            )
            return StartViewState(
                choices=choices,
                library_note=READING_NOTE if self.reading_user_folder else "",
                selected=self.selected,
                mode=self.chosen_mode or self.shown_mode,
                plan_error=details,
                acknowledged=self.acknowledged,
                start_hint=reason,
                sound_note=sound_note,
            )
        result = result or draft.check()
        texts = dict(draft.block_texts)
        blocks = draft.protocol.blocks
        tenths = tenths_adding_up(
            [result.durations[b.id] for b in blocks],
            {i for i, b in enumerate(blocks) if b.id in texts},
        )
        rows = tuple(
            DurationRow(
                block.id,
                block.title,
                texts.get(block.id, tenths_text(shown)),
                minutes_text(block.duration),
                block.id in texts,
                result.row_errors.get(block.id, ""),
            )
            for block, shown in zip(blocks, tenths, strict=True)
        )
        if result.total_error:
            hint = "Fix the session length first."
        elif not result.ok:
            hint = "Fix the block times first."
        elif not self.acknowledged:
            hint = "Confirm the health check first."
        elif self.waiting_for_sound:
            hint = "Getting the sound ready…"
        else:
            hint = ""
        total = result.effective.total_duration
        shown_total = sum(tenths)
        return StartViewState(
            choices=choices,
            library_note=READING_NOTE if self.reading_user_folder else "",
            selected=self.selected,
            title=draft.protocol.title,
            description=draft.protocol.description,
            blocks_summary=" · ".join(b.title for b in draft.protocol.blocks),
            mode=draft.mode,
            rows=rows,
            total_label=f"{tenths_text(shown_total)} min",
            total_exact=format_clock(total) if abs(total - shown_total * 6) >= 1 else "",
            total_text=draft.total_text,
            total_error=result.total_error,
            plan_error=result.plan_error,
            edited=draft.edited,
            save_title=self.save_title,
            save_message=self.save_message,
            save_error=self.save_error,
            saved_path=self.saved_path,
            saving=self.saving,
            acknowledged=self.acknowledged,
            sound_note=sound_note,
            can_start=result.ok and self.acknowledged and not self.waiting_for_sound,
            start_hint=hint,
        )


def _choice(entry: LibraryEntry) -> ProtocolChoice:
    kind = "Built-in" if entry.bundled else "Yours"
    if entry.protocol is None:
        return ProtocolChoice(str(entry.path), entry.path.stem, f"{kind} · does not load", False)
    protocol = entry.protocol
    return ProtocolChoice(
        str(entry.path), protocol.title, f"{kind} · {format_clock(protocol.total_duration)}"
    )
