"""The whole guided session rendered to a WAV file, streamed in chunks (constant memory)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.clicks import ClickBank
from backbeat.audio.mixer import (
    DEFAULT_SOUND,
    SoundSettings,
    cue_is_spoken,
    render_window,
    to_int16,
    voice_clips,
)
from backbeat.audio.voice import PromptVoice
from backbeat.audio.wav import WavStreamWriter
from backbeat.core.plan import SessionPlan

#: Rendered and written at a time: large enough for numpy to be efficient, small enough
#: that memory does not grow with the session.
CHUNK_SECONDS = 20.0
#: Silence after the last words, so a player does not cut them off.
END_PADDING_SECONDS = 1.0

#: progress(stage, done, total): stage is "voice" (prompts) or "render" (samples).
Progress = Callable[[str, int, int], None]


def export_length(plan: SessionPlan, voice: PromptVoice | None, sample_rate: int) -> int:
    """Samples in the file: the session, the closing words that start at its end, padding."""
    end = round(plan.total * sample_rate)
    if voice is not None:
        for cue in plan.cues:
            samples = voice.samples_for(cue.text)
            if samples is not None:
                end = max(end, round(cue.time * sample_rate) + len(samples))
    return end + round(END_PADDING_SECONDS * sample_rate)


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


def export_session(
    plan: SessionPlan,
    path: Path,
    voice: PromptVoice | None,
    settings: SoundSettings = DEFAULT_SOUND,
    sample_rate: int = OUTPUT_RATE,
    progress: Progress | None = None,
) -> int:
    """Write the session to ``path`` (atomically); returns the number of samples."""
    if voice is None or not settings.voice_on:
        voice = None
        settings = replace(settings, voice_on=False)
    else:
        synthesize_prompts(plan, voice, settings, progress)
    clips = voice_clips(plan, settings, voice.samples_for, sample_rate)[0] if voice else []
    bank = ClickBank(settings.click_sound, sample_rate)
    total = export_length(plan, voice, sample_rate)
    chunk = round(CHUNK_SECONDS * sample_rate)
    with WavStreamWriter(path, sample_rate) as writer:
        for start in range(0, total, chunk):
            count = min(chunk, total - start)
            writer.write(to_int16(render_window(plan, start, count, settings, clips, bank)))
            if progress is not None:
                progress("render", start + count, total)
    return total
