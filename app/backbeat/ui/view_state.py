"""Plain frozen values the widgets render. Widgets never see the engine or the plan.

The controller builds these (see :mod:`backbeat.ui.session_state`) and hands them down;
each widget paints what it is given and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from backbeat.core.model import Direction, Hands, Mode, Path, Pressure


@dataclass(frozen=True)
class Problem:
    """A message for the banner: what is wrong and what to do."""

    text: str
    level: str = "warning"  # "warning" | "error"
    retry: bool = False  # the banner offers Retry (e.g. opening the sound device again)
    details: str = ""  # the technical reason, as a tooltip (for a bug report, not to act on)


#: What the banner says when no sound device opens (the device's own error goes to the log).
NO_SOUND_TEXT = (
    "No sound: the session will run silently. Check that speakers are connected, then choose Retry."
)


@dataclass(frozen=True)
class ZoneDiagramState:
    active_zones: frozenset[str] = frozenset()
    gentle_near: frozenset[str] = frozenset()  # gentle areas the active zones lie over
    direction: Direction | None = None
    path: Path | None = None
    beat_index: int = 0
    beat_phase: float = 0.0  # 0 on a click, towards 1 before the next
    animate: bool = True  # False under "reduced motion": the marker stays still
    rhythm: int = 0  # movements per minute: how often the marker needs to move (0: always)


@dataclass(frozen=True)
class BeatState:
    beat_index: int = 0
    beat_phase: float = 0.0
    rhythm: int = 0  # movements per minute
    running: bool = False
    metronome_on: bool = True
    animate: bool = True


@dataclass(frozen=True)
class RingState:
    step_left: float = 0.0
    step_duration: float = 1.0
    label: str = "0:00"
    paused: bool = False


@dataclass(frozen=True)
class TimelineBlock:
    title: str
    start: float
    duration: float


@dataclass(frozen=True)
class TimelineState:
    blocks: tuple[TimelineBlock, ...] = ()
    total: float = 1.0
    session_time: float = 0.0


@dataclass(frozen=True)
class ControlsState:
    paused: bool = False
    metronome_on: bool = True
    voice_on: bool = True
    volume_percent: int = 70
    full_screen: bool = False
    last_step: bool = False  # → then finishes the session (after a second press)
    too_much: bool = False  # Esc then ends the session (after a second press)
    sound_ok: bool = True


@dataclass(frozen=True)
class SessionViewState:
    block_title: str = ""
    step_label: str = ""  # "Technique 3 of 11"
    session_clock: str = ""  # "12:30 of 20:00"
    sound_status: str = ""  # "Volume 70%, metronome off" / "No sound — follow the screen"
    technique_title: str = ""
    how: str = ""
    hands: str = ""
    pressure: str = ""
    direction: str = ""
    path: str = ""
    rhythm: str = ""
    cautions: str = ""
    next_up: str = ""
    caption: str = ""  # the last spoken cue, as text
    paused: bool = False
    too_much: bool = False
    lighter: bool = False  # "continue lighter" was chosen; until the next technique
    ring: RingState = RingState()
    beat: BeatState = BeatState()
    zones: ZoneDiagramState = ZoneDiagramState()
    timeline: TimelineState = TimelineState()
    controls: ControlsState = ControlsState()


@dataclass(frozen=True)
class ProtocolChoice:
    key: str  # the file path, unique in the list
    title: str
    subtitle: str  # "Built-in · 20:00" / "Yours · 15:00" / "Does not load"
    loadable: bool = True


@dataclass(frozen=True)
class DurationRow:
    block_id: str
    title: str
    text: str  # minutes as shown in the editor
    default_text: str  # the protocol's own minutes
    edited: bool = False
    error: str = ""


@dataclass(frozen=True)
class StartViewState:
    choices: tuple[ProtocolChoice, ...] = ()
    selected: int = -1
    library_note: str = ""  # "Reading your protocols…" while the user's folder is read
    title: str = ""
    description: str = ""
    blocks_summary: str = ""  # "Stroking · Rubbing · Kneading ..."
    mode: Mode = Mode.RELAXING
    rows: tuple[DurationRow, ...] = ()
    total_label: str = ""  # the session length the rows add up to, "20 min"
    total_exact: str = ""  # "2:20" when the rows' tenths of a minute round it
    total_text: str = ""  # what the user typed as a wanted total ("" = none)
    total_error: str = ""
    plan_error: str = ""
    edited: bool = False
    save_title: str = ""
    save_message: str = ""
    save_error: str = ""
    saved_path: str = ""
    saving: bool = False  # the save button waits while the file is written
    sound_note: str = ""  # "The metronome is off (M turns it on)."
    acknowledged: bool = False
    can_start: bool = False
    start_hint: str = ""  # why Start is not possible yet


@dataclass(frozen=True)
class SummaryBlockRow:
    title: str
    planned: str
    spent: str


@dataclass(frozen=True)
class SummaryTechniqueRow:
    block_title: str
    title: str
    spent: str
    status: str  # "done" | "partly" | "skipped"


@dataclass(frozen=True)
class SummaryViewState:
    headline: str = ""
    total: str = ""
    planned_total: str = ""
    blocks: tuple[SummaryBlockRow, ...] = ()
    techniques: tuple[SummaryTechniqueRow, ...] = ()


HANDS_LABELS: dict[Hands, str] = {
    Hands.ONE: "One hand",
    Hands.BOTH: "Both hands",
    Hands.ALTERNATING: "Hands alternating",
    Hands.WEIGHTED: "One hand on the other",
}

PRESSURE_LABELS: dict[Pressure, str] = {
    Pressure.LIGHT: "Light pressure",
    Pressure.MEDIUM: "Medium pressure",
    Pressure.DEEP: "Deep pressure",
}

DIRECTION_LABELS: dict[Direction, str] = {
    Direction.BOTTOM_UP: "↑ Upwards",
    Direction.TOP_DOWN: "↓ Downwards",
    Direction.CENTRE_TO_SIDES: "↔ Spine to sides",
    Direction.ALONG_MUSCLE: "↕ Along the muscle",
    Direction.ACROSS_MUSCLE: "⇄ Across the muscle",
}

PATH_LABELS: dict[Path, str] = {
    Path.STRAIGHT: "Straight strokes",
    Path.CIRCULAR: "Circles",
    Path.SPIRAL: "Spirals",
    Path.FIGURE_EIGHT: "Figure eights",
    Path.ZIGZAG: "Zigzags",
    Path.TAPPING: "Tapping",
}
