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
    session_length,
    to_int16,
    voice_clips,
)
from backbeat.audio.voice import PromptVoice
from backbeat.audio.wav import WavStreamWriter
from backbeat.core.plan import SessionPlan

#: Rendered and written at a time: large enough for numpy to be efficient, small enough
#: that memory does not grow with the session.
CHUNK_SECONDS = 20.0
#: progress(stage, done, total): stage is "voice" (prompts) or "render" (samples).
Progress = Callable[[str, int, int], None]


def _nothing(text: str) -> None:
    return None


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
    total = session_length(plan, settings, voice.samples_for if voice else _nothing, sample_rate)
    chunk = round(CHUNK_SECONDS * sample_rate)
    with WavStreamWriter(path, sample_rate) as writer:
        for start in range(0, total, chunk):
            count = min(chunk, total - start)
            writer.write(to_int16(render_window(plan, start, count, settings, clips, bank)))
            if progress is not None:
                progress("render", start + count, total)
    return total
