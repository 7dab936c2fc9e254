"""Turn where the engine is into the frozen states the widgets render. Pure functions."""

from __future__ import annotations

from dataclasses import replace

from backbeat.audio.mixer import SoundSettings
from backbeat.core.durations import format_clock
from backbeat.core.engine import Position, SessionSummary
from backbeat.core.plan import SessionPlan, Step
from backbeat.core.zones import GENTLE_AREA_LABELS, gentle_areas_for
from backbeat.ui.settings import AppSettings
from backbeat.ui.view_state import (
    DIRECTION_LABELS,
    HANDS_LABELS,
    PATH_LABELS,
    PRESSURE_LABELS,
    BeatState,
    ControlsState,
    RingState,
    SessionViewState,
    SummaryBlockRow,
    SummaryTechniqueRow,
    SummaryViewState,
    TimelineBlock,
    TimelineState,
    ZoneDiagramState,
)


def timeline_blocks(plan: SessionPlan) -> tuple[TimelineBlock, ...]:
    blocks: list[TimelineBlock] = []
    start = 0.0
    for block in plan.protocol.blocks:
        blocks.append(TimelineBlock(block.title, start, block.duration))
        start += block.duration
    return tuple(blocks)


def next_up_text(plan: SessionPlan, step: Step) -> str:
    if step.index + 1 >= len(plan.steps):
        return "Next: the end of the session – slow down and finish softly."
    following = plan.steps[step.index + 1]
    where = "" if following.block.id == step.block.id else f"{following.block.title} – "
    return (
        f"Next: {where}{following.technique.title} "
        f"({format_clock(following.duration)} at {following.rhythm}/min)"
    )


def cautions_text(step: Step) -> str:
    parts = list(step.technique.cautions)
    areas = gentle_areas_for(step.zones)
    if areas and not parts:  # the protocol's own cautions already say it
        names = [GENTLE_AREA_LABELS[a] for a in areas]
        parts.append("Gently near " + " and ".join(names) + ".")
    if step.spot_limit:
        parts.append(f"Move to a new spot every {round(step.spot_limit)} s.")
    return "  ".join(parts)


NO_SOUND_STATUS = "No sound — follow the screen"
#: More techniques than this left unreached after an early end become one line.
FOLD_AFTER = 4


def start_sound_note(settings: SoundSettings, sound_ok: bool = True) -> str:
    """What the start page says about the sound, so that M or V pressed in an earlier
    session does not surprise anyone in this one."""
    if not sound_ok:
        return "No sound: the session will run silently; follow the screen."
    off = [
        name
        for name, on in (("metronome", settings.metronome_on), ("voice", settings.voice_on))
        if not on
    ]
    if not off:
        return ""
    keys = " and ".join({"metronome": "M", "voice": "V"}[name] for name in off)
    things = " and the ".join(off)
    verb, pronoun = ("are", "them") if len(off) > 1 else ("is", "it")
    return f"The {things} {verb} off: {keys} in the session, or Settings, turns {pronoun} on."


def sound_status_text(settings: SoundSettings, sound_ok: bool = True) -> str:
    if not sound_ok:
        return NO_SOUND_STATUS
    parts = [f"Volume {settings.volume_percent} %"]
    if not settings.metronome_on:
        parts.append("metronome off")
    if not settings.voice_on:
        parts.append("voice off")
    return ", ".join(parts)


def session_view_state(
    plan: SessionPlan,
    position: Position,
    settings: AppSettings,
    *,
    caption: str = "",
    paused: bool = False,
    too_much: bool = False,
    full_screen: bool = False,
    lighter: bool = False,
    sound_ok: bool = True,
    sound_lost: bool = False,
) -> SessionViewState:
    """``lighter``: the user chose "continue lighter" during this technique; ``sound_ok``:
    False when no sound device could be opened (the session runs on the screen alone)."""
    step = position.step
    technique = step.technique
    sound = settings.sound
    running = not paused and not too_much
    animate = not settings.reduced_motion
    return SessionViewState(
        block_title=step.block.title,
        step_label=f"Technique {step.index + 1} of {len(plan.steps)}",
        session_clock=f"{format_clock(position.session_time)} of {format_clock(plan.total)}",
        sound_status=sound_status_text(sound, sound_ok and not sound_lost),
        technique_title=technique.title,
        how=technique.how,
        hands=HANDS_LABELS[technique.hands],
        pressure=PRESSURE_LABELS[technique.pressure],
        direction=DIRECTION_LABELS[technique.direction],
        path=PATH_LABELS[technique.path],
        rhythm=f"{step.rhythm} per minute",
        cautions=cautions_text(step),
        next_up=next_up_text(plan, step),
        caption=caption,
        paused=paused,
        too_much=too_much,
        lighter=lighter and not too_much,
        ring=RingState(
            step_left=position.step_left,
            step_duration=step.duration,
            label=format_clock(position.step_left),
            paused=not running,
        ),
        beat=BeatState(
            beat_index=position.beat_index,
            beat_phase=position.beat_phase,
            rhythm=step.rhythm,
            running=running,
            metronome_on=sound.metronome_on,
            animate=animate,
        ),
        zones=ZoneDiagramState(
            active_zones=frozenset(z.value for z in step.zones),
            gentle_near=frozenset(a.value for a in gentle_areas_for(step.zones)),
            direction=technique.direction,
            path=technique.path,
            beat_index=position.beat_index,
            beat_phase=position.beat_phase if animate else 0.0,
            animate=animate,
            rhythm=step.rhythm,
        ),
        timeline=TimelineState(timeline_blocks(plan), plan.total, position.session_time),
        controls=ControlsState(
            paused=not running,
            metronome_on=sound.metronome_on,
            voice_on=sound.voice_on,
            volume_percent=sound.volume_percent,
            full_screen=full_screen,
            last_step=step.index + 1 >= len(plan.steps),
            too_much=too_much,
            sound_ok=sound_ok,
        ),
    )


def with_motion(view: SessionViewState, position: Position) -> SessionViewState:
    """``view`` with only what moves between two frames of one second brought to
    ``position`` (the beat, the marker, the ring's arc, the timeline's "now"): building
    the whole state 25 times a second cost more than painting what changed."""
    animate = view.zones.animate
    return replace(
        view,
        ring=replace(view.ring, step_left=position.step_left),
        beat=replace(view.beat, beat_index=position.beat_index, beat_phase=position.beat_phase),
        zones=replace(
            view.zones,
            beat_index=position.beat_index,
            beat_phase=position.beat_phase if animate else 0.0,
        ),
        timeline=replace(view.timeline, session_time=position.session_time),
    )


class SessionViews:
    """Builds the session page's state each frame; within one second of one technique
    only the moving parts are brought up to date (:func:`with_motion`)."""

    def __init__(self) -> None:
        self._last: tuple[tuple[object, ...], SessionViewState] | None = None

    def build(
        self,
        plan: SessionPlan,
        position: Position,
        settings: AppSettings,
        *,
        caption: str,
        paused: bool,
        too_much: bool,
        full_screen: bool,
        lighter: bool,
        sound_ok: bool,
        sound_lost: bool,
    ) -> SessionViewState:
        key = (
            plan,
            position.step.index,
            format_clock(position.session_time),
            format_clock(position.step_left),
            settings,
            (caption, paused, too_much, full_screen, lighter, sound_ok, sound_lost),
        )
        if self._last is not None and key == self._last[0]:
            return with_motion(self._last[1], position)
        view = session_view_state(
            plan,
            position,
            settings,
            caption=caption,
            paused=paused,
            too_much=too_much,
            full_screen=full_screen,
            lighter=lighter,
            sound_ok=sound_ok,
            sound_lost=sound_lost,
        )
        self._last = (key, view)
        return view


def summary_view_state(
    summary: SessionSummary, plan: SessionPlan, stopped_early: bool
) -> SummaryViewState:
    planned = {b.id: b.duration for b in plan.protocol.blocks}
    blocks = tuple(
        SummaryBlockRow(title, format_clock(planned.get(block_id, 0.0)), format_clock(spent))
        for block_id, title, spent in summary.block_seconds()
    )
    techniques = []
    for record in summary.steps:
        if record.completed:
            status = "done"
        elif record.seconds >= 1.0:
            status = "partly"
        else:
            status = "skipped"
        techniques.append(
            SummaryTechniqueRow(
                record.step.block.title,
                record.step.technique.title,
                format_clock(record.seconds),
                status,
            )
        )
    done = sum(1 for t in techniques if t.status == "done")
    count = len(techniques)
    # After an early end, a long tail of techniques never reached is one line, so the
    # summary needs no scrolling.
    reached = max((i for i, t in enumerate(techniques) if t.status != "skipped"), default=-1)
    if stopped_early and count - reached - 1 > FOLD_AFTER:
        left = count - reached - 1
        techniques = [
            *techniques[: reached + 1],
            SummaryTechniqueRow("", f"{left} more, not reached", "", "skipped"),
        ]
    headline = (
        "Session ended early – that is fine. Let your partner rest a moment."
        if stopped_early
        else "Well done – the massage is complete. Let your partner rest a moment."
    )
    return SummaryViewState(
        headline=headline,
        total=f"{format_clock(summary.total_seconds)} of massage, {done} of {count} techniques done",
        planned_total=f"Planned: {format_clock(plan.total)}",
        blocks=blocks,
        techniques=tuple(techniques),
    )
