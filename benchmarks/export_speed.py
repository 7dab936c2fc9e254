"""Export speed and memory for a 20-minute session, and a listener's check of the result:
every click where the plan puts it, speech where every prompt begins.

The voice cache is warmed first (the export figure is rendering, not synthesis; see
voice_synthesis.py for that). Peak memory: tracemalloc (Python and numpy allocations)
and the process's maximum resident size.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "app"))

import soundfile  # noqa: E402

from backbeat.audio.clicks import ClickBank  # noqa: E402
from backbeat.audio.export import export_session  # noqa: E402
from backbeat.audio.mixer import SoundSettings  # noqa: E402
from backbeat.audio.voice import choose_voice  # noqa: E402
from backbeat.core.plan import SessionPlan, build_plan  # noqa: E402
from backbeat.core.protocol_io import load_protocol  # noqa: E402

RATE = 44100


def click_offsets(samples: np.ndarray, plan: SessionPlan, bank: ClickBank) -> np.ndarray:
    """For each planned click: where the click waveform best matches, in samples from
    the plan's position (normalised cross-correlation within ±5 ms)."""
    template = bank.main.astype(np.float64)
    alternate = bank.alternate.astype(np.float64)
    x = samples.astype(np.float64)
    search = round(0.005 * RATE)
    offsets = []
    for beat in plan.beats_between(0, plan.total):
        at = round(beat.time * RATE)
        t = alternate if bank.for_beat(plan, beat) is bank.alternate else template
        best, best_score = 0, -np.inf
        for lag in range(-search, search + 1):
            start = at + lag
            if start < 0:
                continue
            piece = x[start : start + len(t)]
            score = float(piece @ t[: len(piece)]) / float(np.linalg.norm(piece) + 1e-9)
            if score > best_score:
                best, best_score = lag, score
        offsets.append(best)
    return np.array(offsets)


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def live_player_memory(plan: SessionPlan, voice: object) -> None:
    """The live player over a whole session on a fake clock (ticks at 25 Hz): resident
    memory stays flat because heard pages are handed back."""
    from backbeat.audio.output import NullOutput
    from backbeat.audio.session_audio import SessionAudio
    from backbeat.core.clock import FakeClock

    clock = FakeClock()
    audio = SessionAudio(plan, NullOutput(clock), voice)  # type: ignore[arg-type]
    before = _resident_mib()
    audio.play_from(0.0)
    readings = []
    began = time.perf_counter()
    for tick in range(round(plan.total * 25)):
        clock.advance(0.04)
        audio.tick()
        if tick % (25 * 300) == 0:
            readings.append(_resident_mib() - before)
    elapsed = time.perf_counter() - began
    audio.close()
    print(
        "live player over the whole session: resident memory above the start "
        + ", ".join(f"{r:+.0f}" for r in readings)
        + f" MiB (every 5 min); {round(plan.total * 25)} ticks took {elapsed:.1f} s "
        f"({elapsed / round(plan.total * 25) * 1000:.2f} ms a tick on average)"
    )


def main() -> None:
    protocol = load_protocol(REPO / "protocols" / "home-back-massage.yaml")
    plan = build_plan(protocol, protocol.default_mode)
    voice, status = choose_voice(cache_dir=Path(tempfile.mkdtemp()) / "voice")
    print(f"{protocol.title}: {plan.total / 60:.0f} min, {len(plan.cues)} cues; {status.message}")
    out = Path(tempfile.mkdtemp()) / "session.wav"
    export_session(plan, out, voice)  # warms the voice cache
    tracemalloc.start()
    began = time.perf_counter()
    frames = export_session(plan, out, voice).frames
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"export: {frames / RATE:.0f} s of audio in {elapsed:.2f} s = "
        f"{frames / RATE / elapsed:.0f}x real time; traced peak {peak / 2**20:.1f} MiB, "
        f"max RSS of the process {rss:.0f} MiB; file {out.stat().st_size / 2**20:.0f} MiB"
    )

    samples, _ = soundfile.read(out, dtype="int16")
    offsets = click_offsets(samples, plan, ClickBank(SoundSettings().click_sound, RATE))
    print(
        f"clicks in the full mix by correlation: {len(offsets)} planned, "
        f"{np.count_nonzero(offsets == 0)} found exactly on their sample "
        f"(the rest sit under speech, 13 dB below the voice, where correlation fails)"
    )
    voice_only = out.with_name("voice-only.wav")
    export_session(plan, voice_only, voice, SoundSettings(metronome_on=False))
    residual = samples.astype(np.int32) - soundfile.read(voice_only, dtype="int16")[0].astype(
        np.int32
    )
    planned = np.array([round(b.time * RATE) for b in plan.beats_between(0, plan.total)])
    loud = np.nonzero(np.abs(residual) > 20)[0]
    starts = loud[np.concatenate([[0], np.nonzero(np.diff(loud) > round(0.03 * RATE))[0] + 1])]
    matched = len(starts) == len(planned) and bool(np.all(np.abs(starts - planned) <= 1))
    print(
        f"full mix minus the voice-only export: {len(starts)} click onsets, "
        f"all within ±1 sample of the plan: {matched} "
        f"(max |offset| {np.max(np.abs(starts - planned)) if len(starts) == len(planned) else 'n/a'})"
    )
    x = samples.astype(np.float64) / 32768
    spoken = []
    for cue in plan.cues:
        at = round(cue.time * RATE)
        spoken.append(np.sqrt(np.mean(x[at : at + round(0.3 * RATE)] ** 2)))
    quiet = [c for c, level in zip(plan.cues, spoken, strict=True) if level < 0.02]
    print(
        f"speech at each cue: RMS over the first 300 ms min {min(spoken):.3f} "
        f"median {np.median(spoken):.3f}; cues without speech: {len(quiet)}"
    )
    print(f"voice peak {20 * np.log10(np.max(np.abs(x))):.1f} dBFS")
    live_player_memory(plan, voice)


if __name__ == "__main__":
    main()
