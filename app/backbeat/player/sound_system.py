"""The sound a front end opens once: the output device and the voice, with what to tell
the user about them, and their one owner (``close()``)."""

from __future__ import annotations

from dataclasses import dataclass

from backbeat.audio.mixer import SoundSettings
from backbeat.audio.output import AudioOutput, NullOutput, open_output
from backbeat.audio.session_audio import SessionAudio
from backbeat.audio.voice import PromptVoice, choose_voice
from backbeat.core import prompts
from backbeat.core.clock import Clock
from backbeat.core.plan import SessionPlan
from backbeat.core.prompts import VoiceSpeed


@dataclass
class SoundSystem:
    output: AudioOutput
    voice: PromptVoice
    #: Which output plays, or why nothing will be heard: one line.
    output_message: str = ""
    #: True when nothing will be heard (no device), so front ends can say so.
    silent: bool = False
    #: False when the voice was not wanted (``--no-voice``): nothing to say about it.
    speaks: bool = True

    @property
    def messages(self) -> list[str]:
        """What the terminal coach prints first: the output, then the voice."""
        voice = self.voice.status.message if self.speaks else "Voice: off (clicks only)."
        return [m for m in (self.output_message, voice) if m]

    @property
    def problems(self) -> list[str]:
        """What the window's banner shows: only what is not as it should be."""
        problems = [self.output_message] if self.silent and self.output_message else []
        if self.speaks and self.voice.status.engine != "piper":
            problems.append(self.voice.status.message)
        return problems

    def prepare(self, plan: SessionPlan, settings: SoundSettings) -> None:
        """Start making the plan's prompts while the user is still choosing (and the "too
        much" one right after the first, since it can be asked for at any moment; once
        all are made the voice can let go of its model)."""
        if settings.voice_on:
            texts = [c.text for c in plan.cues]
            self.voice.prepare([*texts[:1], prompts.EASE_OFF, *texts[1:]])

    def session(self, plan: SessionPlan, settings: SoundSettings) -> SessionAudio:
        self.prepare(plan, settings)  # queued already when the window asked first
        return SessionAudio(plan, self.output, self.voice, settings)

    def close(self) -> None:
        """The output first (its stream reads the voice's prompts), then the voice."""
        self.output.close()
        self.voice.close()


def open_sound_system(
    output_kind: str = "auto",
    device: str | None = None,
    voice: str = "auto",
    *,
    with_voice: bool = True,
    voice_speed: VoiceSpeed = VoiceSpeed.NORMAL,
) -> SoundSystem:
    """The real output and voice, or silence with the reason. Raises
    :class:`~backbeat.audio.portaudio_output.UnknownDevice` for a device that does not
    exist (the caller lists the choices)."""
    opened = open_output(output_kind, device)
    prompt_voice = (
        choose_voice(voice, speed=voice_speed)[0] if with_voice else PromptVoice([], None)
    )
    return SoundSystem(opened.output, prompt_voice, opened.message, opened.silent, with_voice)


def silent_sound_system(clock: Clock | None = None, message: str = "") -> SoundSystem:
    """No device and no speech: the session runs on the clock (tests, and a window whose
    sound is still being opened)."""
    return SoundSystem(NullOutput(clock), PromptVoice([], None), message, True, speaks=False)


def output_device_names() -> list[str]:
    """The output devices to choose from (none where PortAudio cannot be loaded)."""
    from backbeat.audio.portaudio_output import PortAudioUnavailable
    from backbeat.audio.portaudio_output import output_device_names as names

    try:
        return names()
    except PortAudioUnavailable:
        return []
