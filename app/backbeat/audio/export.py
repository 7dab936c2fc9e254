"""The whole guided session rendered to a file (WAV, FLAC, Ogg Vorbis, Opus or MP3, by the
extension), streamed in chunks (constant memory), tagged, and moved into place only once
it is complete.

Before rendering, every prompt is synthesised and the cues are placed again from the real
speech (:meth:`SessionPlan.with_speech_lengths`), so a caution follows its start prompt by
the planned gap whatever the estimate said; the plan used is returned for the cue sheet.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile
from mutagen import MutagenError

from backbeat.audio.chime import CueSounds
from backbeat.audio.clicks import ClickBank
from backbeat.audio.export_formats import (
    Chapter,
    ExportFormat,
    ExportTags,
    format_for,
    open_for_writing,
    write_tags,
)
from backbeat.audio.mixer import (
    DEFAULT_SOUND,
    SoundSettings,
    VoiceClip,
    cue_is_a_sound,
    cue_is_spoken,
    render_window,
    session_length,
    voice_clips,
)
from backbeat.audio.resample import resample
from backbeat.audio.tts import ClipSamples, as_floats, to_int16
from backbeat.audio.voice import PromptVoice
from backbeat.core.plan import CueKind, SessionPlan

#: Rendered and written at a time: large enough for numpy to be efficient, small enough
#: that memory does not grow with the session.
CHUNK_SECONDS = 20.0
#: progress(stage, done, total): stage is "voice" (prompts) or "render" (samples).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ExportResult:
    frames: int
    sample_rate: int
    plan: SessionPlan  # the plan heard: cues placed from the real speech
    format: ExportFormat

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


def _nothing(text: str) -> None:
    return None


def default_tags(plan: SessionPlan) -> ExportTags:
    chapters = [
        Chapter(s.start, s.end, f"{s.block.title}: {s.technique.title}") for s in plan.steps
    ]
    return ExportTags(
        title=f"{plan.protocol.title} ({plan.mode.value})",
        artist="Backbeat",
        album="Backbeat massage sessions",
        chapters=chapters,
    )


def synthesize_prompts(
    plan: SessionPlan, voice: PromptVoice, settings: SoundSettings, progress: Progress | None
) -> None:
    texts = list(dict.fromkeys(c.text for c in plan.cues if cue_is_spoken(c, settings)))
    for done, text in enumerate(texts):
        if progress is not None:
            progress("voice", done, len(texts))
        voice.synthesize_now(text)
    if progress is not None:
        progress("voice", len(texts), len(texts))


class _VoiceAtRate:
    """The voice's prompts at the export's rate (Opus needs 48 kHz), resampled once."""

    def __init__(self, voice: PromptVoice, rate: int) -> None:
        self.voice = voice
        self.rate = rate
        self._done: dict[str, ClipSamples | None] = {}

    def samples_for(self, text: str) -> ClipSamples | None:
        if text not in self._done:
            samples: ClipSamples | None = self.voice.samples_for(text)
            if samples is not None and self.voice.sample_rate != self.rate:
                samples = resample(as_floats(samples), self.voice.sample_rate, self.rate)
            self._done[text] = samples
        return self._done[text]


def _heard_plan(
    plan: SessionPlan,
    voice: _VoiceAtRate,
    sounds: CueSounds,
    settings: SoundSettings,
    chime_voice: bool,
) -> SessionPlan:
    """The plan with its cues placed from the lengths of what is really heard."""
    lengths: dict[str, float] = {}
    for cue in plan.cues:
        if cue_is_a_sound(cue, settings, chime_voice):
            lengths[cue.text] = len(sounds.for_kind(cue.kind)) / voice.rate
        elif (samples := voice.samples_for(cue.text)) is not None:
            lengths.setdefault(cue.text, len(samples) / voice.rate)
    if not settings.spot_reminders:  # reminders not heard take no room
        for cue in plan.cues:
            if cue.kind is CueKind.SPOT:
                lengths[cue.text] = 0.0
    return plan.with_speech_lengths(lambda text: lengths.get(text, 0.0))


def export_session(
    plan: SessionPlan,
    path: Path,
    voice: PromptVoice | None,
    settings: SoundSettings = DEFAULT_SOUND,
    progress: Progress | None = None,
    tags: ExportTags | None = None,
) -> ExportResult:
    """Write the session to ``path`` in the format its extension names (atomically)."""
    fmt = format_for(path)
    rate = fmt.sample_rate
    sounds = CueSounds(rate)
    if voice is None or not settings.voice_on:
        voice = None
        settings = replace(settings, voice_on=False)
        samples_for: Callable[[str], ClipSamples | None] = _nothing
        chime_voice = False
    else:
        synthesize_prompts(plan, voice, settings, progress)
        at_rate = _VoiceAtRate(voice, rate)
        samples_for = at_rate.samples_for
        chime_voice = voice.engine.name == "chime"
        plan = _heard_plan(plan, at_rate, sounds, settings, chime_voice)
    clips = voice_clips(plan, settings, samples_for, rate, sounds, chime_voice=chime_voice)[0]
    bank = ClickBank(settings.click_sound, rate)
    total = session_length(plan, settings, samples_for, rate, sounds, chime_voice=chime_voice)
    tags = tags if tags is not None else default_tags(plan)
    _write_atomically(path, fmt, tags, total, progress, plan, settings, clips, bank)
    return ExportResult(total, rate, plan, fmt)


def _write_atomically(
    path: Path,
    fmt: ExportFormat,
    tags: ExportTags,
    total: int,
    progress: Progress | None,
    plan: SessionPlan,
    settings: SoundSettings,
    clips: list[VoiceClip],
    bank: ClickBank,
) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        chunk = round(CHUNK_SECONDS * fmt.sample_rate)
        with open_for_writing(temporary, fmt, tags) as sound_file:
            for start in range(0, total, chunk):
                count = min(chunk, total - start)
                mixed = render_window(plan, start, count, settings, clips, bank)
                if fmt.lossy:  # the encoder takes floats; clip as the 16-bit path does
                    sound_file.write(np.clip(mixed, -1.0, 1.0))
                else:
                    sound_file.write(to_int16(mixed))
                if progress is not None:
                    progress("render", start + count, total)
        write_tags(temporary, fmt, tags)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, soundfile.SoundFileError | MutagenError):
            # The encoder or the tagger failed (a full disk shows up here too).
            raise OSError(f"could not encode {fmt.label}: {error}") from error
        raise


def _umask() -> int:
    """The process's umask (mkstemp makes files 0600; an export should be readable as
    any file the user saves)."""
    current = os.umask(0)
    os.umask(current)
    return current
