"""The app's own session sound (voice and clicks) as the microphone would hear it, and
when its prompts sound, for the "never fooled by itself" tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.clicks import ClickBank
from backbeat.audio.mixer import DEFAULT_SOUND, cue_is_spoken, render_window, voice_clips
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.voice import PromptVoice
from backbeat.audio.voice_cache import VoiceCache
from backbeat.core.model import Mode
from backbeat.core.plan import SessionPlan, build_plan
from backbeat.core.protocol_io import load_protocol
from backbeat.listen.sources import to_recogniser_rate

REPO = Path(__file__).resolve().parents[2]
HOME_MASSAGE = REPO / "protocols" / "home-back-massage.yaml"


@dataclass(frozen=True)
class OwnAudio:
    samples: npt.NDArray[np.int16]  # 16 kHz
    voice: list[tuple[float, float]]  # (start, end) seconds of each prompt
    clicks: list[tuple[float, float]]  # (start, end) seconds of each metronome click

    @property
    def seconds(self) -> float:
        return len(self.samples) / 16000


def home_plan() -> SessionPlan:
    protocol = load_protocol(HOME_MASSAGE)
    return build_plan(protocol, Mode.RELAXING)


def render_own_audio(cache: Path, seconds: float | None = None, start: float = 0.0) -> OwnAudio:
    """[start, start + seconds) of the home massage as played (the whole of it when
    ``seconds`` is None), with the Piper voice, cached under ``cache`` (the click times
    are not: they are the plan's)."""
    plan = home_plan()
    end = plan.total if seconds is None else min(plan.total, start + seconds)
    key = cache / f"own-{start:g}-{end:g}.npz"
    if key.exists():
        data = np.load(key)
        voice = [tuple(v) for v in data["voice"].tolist()]
        return OwnAudio(data["samples"], voice, click_times(plan, start, end))
    voice = PromptVoice([PiperEngine()], VoiceCache(cache / "voice"))
    try:
        for cue in plan.cues:
            if cue_is_spoken(cue, DEFAULT_SOUND) and start - 30 <= cue.time < end:
                voice.synthesize_now(cue.text)
        clips, _ = voice_clips(plan, DEFAULT_SOUND, voice.samples_for, OUTPUT_RATE)
    finally:
        voice.close()
    bank = ClickBank(DEFAULT_SOUND.click_sound, OUTPUT_RATE)
    first, last = round(start * OUTPUT_RATE), round(end * OUTPUT_RATE)
    pieces = []
    step = 20 * OUTPUT_RATE
    for at in range(first, last, step):
        count = min(step, last - at)
        pieces.append(render_window(plan, at, count, DEFAULT_SOUND, clips, bank))
    mixed = np.concatenate(pieces)
    intervals = [
        (c.start / OUTPUT_RATE - start, c.end / OUTPUT_RATE - start)
        for c in clips
        if c.end > first and c.start < last
    ]
    samples = to_recogniser_rate(mixed, OUTPUT_RATE)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(key, samples=samples, voice=np.array(intervals, dtype=np.float64).reshape(-1, 2))
    return OwnAudio(samples, intervals, click_times(plan, start, end))


def click_times(plan: SessionPlan, start: float, end: float) -> list[tuple[float, float]]:
    """(start, end) seconds from ``start`` of every click heard in [start, end), as the
    session's own-sound monitor reports them."""
    bank = ClickBank(DEFAULT_SOUND.click_sound, OUTPUT_RATE)
    return [
        (beat.time - start, beat.time - start + len(bank.for_beat(plan, beat)) / OUTPUT_RATE)
        for beat in plan.beats_between(start, end)
    ]
