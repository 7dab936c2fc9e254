"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from backbeat.core.durations import format_clock
from backbeat.core.plan import SessionPlan


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def render_plan(plan: SessionPlan) -> str:
    """The plan as a person reads it: one row per technique, a subtotal per block."""
    protocol = plan.protocol
    rows: list[list[str]] = []
    for step in plan.steps:
        rows.append(
            [
                step.block.id,
                step.technique.title,
                format_clock(step.start),
                format_clock(step.duration),
                f"{step.rhythm}/min",
                ", ".join(z.value for z in step.zones),
            ]
        )
        is_block_end = (
            step.index + 1 == len(plan.steps)
            or plan.steps[step.index + 1].block.id != step.block.id
        )
        if is_block_end:
            rows.append(
                ["", f"= {step.block.title}", "", format_clock(step.block.duration), "", ""]
            )
    title = f"{protocol.title} ({protocol.id}), {plan.mode.value}, {format_clock(plan.total)}"
    table = render_table(
        ["Block", "Technique", "Start", "Length", "Rhythm", "Zones"], rows, {2, 3, 4}
    )
    spoken = (
        f"{len(plan.cues)} voice prompts, {sum(s.beat_count for s in plan.steps)} metronome clicks"
    )
    return f"{title}\n\n{table}\n\nTotal {format_clock(plan.total)}; {spoken}."
