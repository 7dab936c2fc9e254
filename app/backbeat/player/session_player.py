"""The one session player: the engine, the sound, the "too much" state and the caption.

Every front end (the window, the terminal coach, voice commands) drives a session through
this object and nothing else: intents in (:meth:`SessionPlayer.pause`, :meth:`next`, …),
and once per frame :meth:`SessionPlayer.frame` says what happened and where the session
is. The transport rules live here once: the engine and the sound always move together,
and the engine's clock is the sound's, so what is shown is what is heard.

No Qt: the window's controller and the terminal coach are thin adapters over it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from backbeat.audio.mixer import SoundSettings
from backbeat.audio.session_audio import SessionAudio
from backbeat.audio.voice import VoiceStatus
from backbeat.core import prompts
from backbeat.core.engine import (
    CueDue,
    EngineState,
    Finished,
    Position,
    SessionEngine,
    SessionSummary,
    StepChanged,
)
from backbeat.core.plan import Cue, CueKind, PlanError, SessionPlan

LIGHTER_CAPTION = "Carry on, more lightly."
#: "Stay here": how much longer the technique playing lasts.
STAY_LONGER_SECONDS = 30.0
#: Cues of a longer plan are placed from this long after the session time on: the sound
#: just ahead of the play head may be in the device already (SAFETY_SECONDS), and a
#: prompt must not begin inside it.
REPLAN_MARGIN_SECONDS = 1.0
#: Half a sample at 44.1 kHz: a session time this close to a limit has reached it.
LIMIT_TOLERANCE_SECONDS = 0.5 / 44100


class PlayerState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    TOO_MUCH = "too much"  # paused, asking the user to ease off
    FINISHED = "finished"


@dataclass(frozen=True)
class PlayerFrame:
    """What happened since the last frame, and where the session is now."""

    position: Position
    state: PlayerState
    caption: str
    #: True from "continue lighter" until the next technique begins.
    lighter: bool
    #: The technique that began in this frame (its step index), if one did.
    step_changed: int | None
    #: Cues that fell due in this frame, in order (spot reminders only when wanted).
    cues: tuple[Cue, ...]
    #: Messages for the user: the sound was lost or is back, the voice changed.
    notices: tuple[str, ...]
    #: Set on the frame where the session ended: whether it ended before its end.
    stopped_early: bool | None
    #: The sound device is gone (the session still runs on its clock).
    sound_lost: bool


class SessionPlayer:
    def __init__(
        self, plan: SessionPlan, audio: SessionAudio, *, limit: float | None = None
    ) -> None:
        self.plan = plan
        self.audio = audio
        self.engine = SessionEngine(plan, audio.clock)
        self._asked_limit = limit
        #: Added by "stay here", for the summary and the status lines.
        self.added_seconds = 0.0
        self._too_much = False
        self._lighter = False
        self._caption = ""
        self._sound_lost = False
        self._voice_status: VoiceStatus = audio.voice.status
        self._finished_reported = False

    # -- state ----------------------------------------------------------------------------
    @property
    def settings(self) -> SoundSettings:
        return self.audio.settings

    @property
    def state(self) -> PlayerState:
        engine_state = self.engine.state
        if engine_state is EngineState.PAUSED and self._too_much:
            return PlayerState.TOO_MUCH
        return PlayerState(engine_state.value)

    @property
    def limit(self) -> float | None:
        """Stop exactly at this session time (``run --for``; never past the plan's end)."""
        return None if self._asked_limit is None else min(self._asked_limit, self.plan.total)

    @property
    def caption(self) -> str:
        return self._caption

    def position(self) -> Position:
        return self.engine.position()

    def summary(self) -> SessionSummary:
        return self.engine.summary()

    # -- the transport --------------------------------------------------------------------
    def start(self) -> None:
        if self.engine.state is EngineState.READY:
            self.engine.start()
            self._play_from_engine()

    def pause(self) -> None:
        if self.engine.state is EngineState.RUNNING:
            self.audio.pause()  # first: the clock stops on the frame where the sound stops
            self.engine.pause()

    def resume(self) -> None:
        if self.engine.state is EngineState.PAUSED:
            self._too_much = False
            self.engine.resume()
            self.audio.resume()

    def toggle_pause(self) -> None:
        """Space: start, pause, go on (after "too much": go on, lighter)."""
        if self._too_much:
            self.continue_lighter()
        elif self.engine.state is EngineState.READY:
            self.start()
        elif self.engine.state is EngineState.RUNNING:
            self.pause()
        else:
            self.resume()

    def next(self) -> None:
        """The next technique; on the last one, the end of the session."""
        self._jump(forwards=True)

    def previous(self) -> None:
        """The previous technique; on the first one, its start again."""
        self._jump(forwards=False)

    def _jump(self, *, forwards: bool) -> None:
        if self._too_much or self.engine.state in (EngineState.READY, EngineState.FINISHED):
            return
        self.audio.clock.hold()  # the engine and the new program start from one value
        self.engine.next_step() if forwards else self.engine.previous_step()
        after = self.state  # a fresh look: the jump may have ended the session
        if after is PlayerState.FINISHED:
            self.audio.stop()
        elif after is PlayerState.RUNNING:
            self._play_from_engine()
        else:  # paused: the new place is heard when the user goes on
            self.audio.play_from(self.engine.session_time(), until=self.limit, paused=True)

    def stay_longer(self, seconds: float = STAY_LONGER_SECONDS) -> bool:
        """ "Stay here": about ``seconds`` more on the technique playing (a whole number
        of its beats). The session grows by as much, so nothing planned is lost; the rest
        of the plan moves later, and the sound plays on without a break. Returns whether
        the plan changed (not before the start, after the end, or on the "too much" page)."""
        if self._too_much or self.engine.state not in (EngineState.RUNNING, EngineState.PAUSED):
            return False
        now = self.engine.session_time()
        step = self.plan.step_at(now)
        try:
            plan, added = self.plan.with_step_longer(
                step.index,
                seconds,
                after=now + REPLAN_MARGIN_SECONDS,
                speech_seconds=self._speech_seconds,
            )
        except PlanError as error:
            self._caption = f"Cannot stay longer: {error}."
            return False
        self.engine.replan(plan, inserted_at=step.end, seconds=added)
        self.plan = plan
        self.audio.replan(plan, until=self.limit)
        self.added_seconds += added
        self._caption = f"Staying {spoken_duration(added)} longer on {step.technique.title}."
        return True

    def _speech_seconds(self, text: str) -> float:
        """How long a prompt lasts: the voice's own length once made, else the estimate."""
        samples = self.audio.voice.samples_for(text)
        if samples is not None and len(samples):
            return len(samples) / self.audio.rate
        return prompts.estimate_speech_seconds(text, self.settings.voice_speed)

    def too_much(self) -> None:
        """Esc: pause and ask the user to ease off; a second time: end the session."""
        if self.engine.state in (EngineState.READY, EngineState.FINISHED):
            return
        if self._too_much:
            self.end()
            return
        self.pause()
        self._too_much = True
        self._caption = prompts.EASE_OFF
        if self.settings.voice_on:
            self.audio.speak_now(prompts.EASE_OFF)

    def continue_lighter(self) -> None:
        if not self._too_much:
            return
        self._lighter = True
        self._caption = LIGHTER_CAPTION
        self.resume()

    def end(self) -> None:
        if self.engine.state is EngineState.FINISHED:
            return
        self._too_much = False
        self.engine.stop()
        self.audio.stop()

    # -- sound settings -------------------------------------------------------------------
    def set_settings(self, settings: SoundSettings) -> None:
        turned_on = settings.voice_on and not self.settings.voice_on
        self.audio.set_settings(settings)
        if turned_on and self._too_much:
            self.audio.speak_now(prompts.EASE_OFF)

    def louder(self) -> None:
        self.set_settings(self.settings.louder())

    def quieter(self) -> None:
        self.set_settings(self.settings.quieter())

    def set_metronome(self, on: bool) -> None:
        self.set_settings(replace(self.settings, metronome_on=on))

    def set_voice(self, on: bool) -> None:
        self.set_settings(replace(self.settings, voice_on=on))

    # -- spoken on request ----------------------------------------------------------------
    def repeat_prompt(self) -> None:
        """Say the last prompt again."""
        if self._caption and self.settings.voice_on:
            self.audio.speak_now(self._caption)

    def time_left_text(self) -> str:
        position = self.engine.position()
        end = self.limit if self.limit is not None else self.plan.total
        technique = spoken_duration(position.step_left)
        session = spoken_duration(max(0.0, end - position.session_time))
        return f"{technique} left in this technique, {session} in the session."

    def tell_time_left(self) -> None:
        text = self.time_left_text()
        self._caption = text
        if self.settings.voice_on:
            self.audio.speak_now(text)

    # -- once per frame -------------------------------------------------------------------
    def frame(self) -> PlayerFrame:
        """Top up the sound, collect what happened, and say where the session is."""
        self.audio.tick()
        notices = self._sound_notices() + self._voice_notices()
        if self.engine.state is EngineState.RUNNING and self._reached_limit():
            self.end()
        step_changed: int | None = None
        cues: list[Cue] = []
        stopped_early: bool | None = None
        for event in self.engine.advance():
            if isinstance(event, StepChanged):
                step_changed = event.current
                if event.previous is not None:
                    self._lighter = False
            elif isinstance(event, CueDue) and self._wanted(event.cue):
                cues.append(event.cue)
                self._caption = event.cue.text
            elif isinstance(event, Finished):
                stopped_early = event.stopped_early and not self._reached_limit()
        return PlayerFrame(
            position=self.engine.position(),
            state=self.state,
            caption=self._caption,
            lighter=self._lighter,
            step_changed=step_changed,
            cues=tuple(cues),
            notices=tuple(notices),
            stopped_early=stopped_early,
            sound_lost=self._sound_lost,
        )

    def close(self) -> None:
        """Silence; the output and the voice belong to the sound system, which closes them."""
        self.audio.close()

    # -- inside ---------------------------------------------------------------------------
    def _play_from_engine(self) -> None:
        self.audio.play_from(self.engine.session_time(), until=self.limit)

    def _wanted(self, cue: Cue) -> bool:
        return cue.kind is not CueKind.SPOT or self.settings.spot_reminders

    def _reached_limit(self) -> bool:
        return self.limit is not None and (
            self.engine.session_time() >= self.limit - LIMIT_TOLERANCE_SECONDS
        )

    def _sound_notices(self) -> list[str]:
        notices, self.audio.notices = self.audio.notices, []
        for notice in notices:
            self._sound_lost = notice.lost
        return [notice.text for notice in notices]

    def _voice_notices(self) -> list[str]:
        """An engine that fails while speaking hands over to the next: say so, so the
        user is never left believing the first message."""
        status = self.audio.voice.status
        if status == self._voice_status or not self.settings.voice_on:
            self._voice_status = status
            return []
        self._voice_status = status
        return [status.message]


def spoken_duration(seconds: float) -> str:
    """ "2 minutes 30 seconds": what a voice can say (not "2m30s")."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
