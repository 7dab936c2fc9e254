"""The window's link to :mod:`backbeat.audio`, and a silent stand-in when sound is missing.

Only this module imports the audio package, and only inside functions: if it cannot be
imported, or no device opens, the window still runs the session on a clock and says why
in its banner.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Protocol

from backbeat.core import prompts
from backbeat.core.clock import Clock, MonotonicClock
from backbeat.core.plan import SessionPlan
from backbeat.ui.settings import AppSettings

if TYPE_CHECKING:
    from backbeat.audio.mixer import SoundSettings
    from backbeat.audio.output import AudioOutput
    from backbeat.audio.session_audio import SessionAudio
    from backbeat.audio.voice import PromptVoice


class SessionSound(Protocol):
    """What the controller needs of a session's sound (see ``AUDIO_API``)."""

    @property
    def clock(self) -> Clock: ...

    def play_from(self, session_time: float) -> None: ...

    def stop(self) -> None: ...

    def tick(self) -> None: ...

    def apply_settings(self, settings: AppSettings) -> None: ...

    def speak_now(self, text: str) -> None: ...

    def close(self) -> None: ...


class SoundSystem(Protocol):
    """Opened once per window; makes one :class:`SessionSound` per session."""

    @property
    def problems(self) -> tuple[str, ...]: ...

    def prepare(self, plan: SessionPlan, settings: AppSettings) -> None: ...

    def session(self, plan: SessionPlan, settings: AppSettings) -> SessionSound: ...


def sound_settings(settings: AppSettings) -> SoundSettings:
    """The sound part of the app's settings: every SoundSettings field, by name."""
    from backbeat.audio.mixer import SoundSettings

    names = [f.name for f in fields(SoundSettings) if hasattr(settings, f.name)]
    return SoundSettings(**{name: getattr(settings, name) for name in names})


class AudioSession:
    """A :class:`backbeat.audio.session_audio.SessionAudio` behind the controller's names."""

    def __init__(self, audio: SessionAudio) -> None:
        self.audio = audio

    @property
    def clock(self) -> Clock:
        return self.audio.clock

    def play_from(self, session_time: float) -> None:
        self.audio.play_from(session_time)

    def stop(self) -> None:
        self.audio.stop()

    def tick(self) -> None:
        self.audio.tick()

    def apply_settings(self, settings: AppSettings) -> None:
        self.audio.set_settings(sound_settings(settings))

    def speak_now(self, text: str) -> None:
        self.audio.speak_now(text)

    def close(self) -> None:
        self.audio.close()


@dataclass
class AudioSoundSystem:
    output: AudioOutput
    voice: PromptVoice
    problems: tuple[str, ...] = ()

    def prepare(self, plan: SessionPlan, settings: AppSettings) -> None:
        """Start synthesising the plan's prompts while the user is still choosing."""
        if settings.voice_on:
            # The "too much" prompt too, so that every prompt is ready and the voice can let
            # go of its model (about 100 MB) once they are all made.
            self.voice.prepare([*(c.text for c in plan.cues), prompts.EASE_OFF])

    def session(self, plan: SessionPlan, settings: AppSettings) -> SessionSound:
        from backbeat.audio.session_audio import SessionAudio

        audio = SessionAudio(plan, self.output, self.voice, sound_settings(settings))
        return AudioSession(audio)


class SilentSession:
    """No sound at all: the session runs on a plain clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    @property
    def clock(self) -> Clock:
        return self._clock

    def play_from(self, session_time: float) -> None:
        pass

    def stop(self) -> None:
        pass

    def tick(self) -> None:
        pass

    def apply_settings(self, settings: AppSettings) -> None:
        pass

    def speak_now(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class SilentSoundSystem:
    clock: Clock
    problems: tuple[str, ...] = ()

    def prepare(self, plan: SessionPlan, settings: AppSettings) -> None:
        pass

    def session(self, plan: SessionPlan, settings: AppSettings) -> SessionSound:
        return SilentSession(self.clock)


def open_sound_system(output_kind: str = "auto", voice: str = "auto") -> SoundSystem:
    """The real sound, or silence with the reason. Never raises."""
    try:
        from backbeat.audio.output import open_output
        from backbeat.audio.voice import choose_voice
    except Exception as error:  # a broken install must not stop the window
        return SilentSoundSystem(
            MonotonicClock(),
            (
                f"Sound is not available ({error}). The session runs silently with the "
                "prompts shown on screen; reinstall Backbeat to get sound back.",
            ),
        )
    output, output_problem = open_output(output_kind)
    prompt_voice, status = choose_voice(voice)
    problems = [p for p in (output_problem,) if p]
    if status.engine != "piper":
        problems.append(status.message)
    return AudioSoundSystem(output, prompt_voice, tuple(problems))
