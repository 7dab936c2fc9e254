"""What a listener hears, measured on exports of the bundled protocols with the Piper
voice: a loudness table per protocol (voice only and full mix: BS.1770 integrated
loudness, true peak), the speaking rate, and the speech-length estimate's error against
the real prompts. ``--formats`` adds export speed and file size per format for the
20-minute home massage, and how far the decoded clicks lie from the plan's grid."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import soundfile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "app"))
sys.path.insert(0, str(REPO))

from tests.audio.helpers import onsets  # noqa: E402

from backbeat.audio import export as export_module  # noqa: E402
from backbeat.audio.clicks import ClickBank  # noqa: E402
from backbeat.audio.export import export_session  # noqa: E402
from backbeat.audio.export_formats import FORMATS, OPUS_RATE  # noqa: E402
from backbeat.audio.loudness import integrated_loudness, true_peak_dbtp  # noqa: E402
from backbeat.audio.mixer import SoundSettings  # noqa: E402
from backbeat.audio.voice import choose_voice  # noqa: E402
from backbeat.core.model import Mode  # noqa: E402
from backbeat.core.plan import SessionPlan, build_plan  # noqa: E402
from backbeat.core.prompts import estimate_speech_seconds  # noqa: E402
from backbeat.core.protocol_io import load_protocol  # noqa: E402

PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))


def speech_table(voice: object) -> None:
    texts: list[str] = []
    for path in PROTOCOLS:
        protocol = load_protocol(path)
        for mode in Mode:
            texts += [c.text for c in build_plan(protocol, mode).cues]
    texts = list(dict.fromkeys(texts))
    rate = voice.sample_rate  # type: ignore[attr-defined]
    real = np.array([len(voice.synthesize_now(t)) / rate for t in texts])  # type: ignore[attr-defined]
    estimate = np.array([estimate_speech_seconds(t) for t in texts])
    error = (estimate - real) / real
    words = sum(len(re.findall(r"[A-Za-z0-9']+", t)) for t in texts)
    print(
        f"speech: {len(texts)} distinct prompts, {real.sum():.0f} s, "
        f"{words / real.sum() * 60:.1f} words a minute"
    )
    print(
        f"speech estimate error: within ±15 % for {np.mean(np.abs(error) <= 0.15) * 100:.0f} % "
        f"of prompts; median |error| {np.median(np.abs(error)) * 100:.1f} %, "
        f"90th percentile {np.percentile(np.abs(error), 90) * 100:.1f} %, "
        f"worst {error[np.argmax(np.abs(error))] * 100:+.0f} %"
    )


def loudness_table(voice: object, folder: Path) -> None:
    print(
        "| protocol | voice only LUFS | voice only dBTP | mix LUFS | mix dBTP | clicks only LUFS |"
    )
    print("|---|---|---|---|---|---|")
    for path in PROTOCOLS:
        protocol = load_protocol(path)
        plan = build_plan(protocol, protocol.default_mode)
        row = [path.stem]
        for name, settings in (
            ("voice", SoundSettings(metronome_on=False)),
            ("mix", SoundSettings()),
            ("clicks", SoundSettings(voice_on=False)),
        ):
            out = folder / f"{name}.wav"
            export_session(plan, out, voice if settings.voice_on else None, settings)  # type: ignore[arg-type]
            samples, rate = soundfile.read(out, dtype="float32")
            row.append(f"{integrated_loudness(samples, rate):.1f}")
            if name != "clicks":
                row.append(f"{true_peak_dbtp(samples):.1f}")
        print("| " + " | ".join(row) + " |")


def format_table(voice: object, folder: Path) -> None:
    protocol = load_protocol(REPO / "protocols" / "home-back-massage.yaml")
    plan = build_plan(protocol, protocol.default_mode)
    export_session(plan, folder / "warm.wav", voice)  # type: ignore[arg-type]
    print("| format | export time | × real time | size | clicks vs grid (clicks-only export) |")
    print("|---|---|---|---|---|")
    for fmt in FORMATS:
        out = folder / f"session{fmt.extension}"
        began = time.perf_counter()
        result = export_session(plan, out, voice)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - began
        clicks = folder / f"clicks{fmt.extension}"
        export_session(plan, clicks, None, SoundSettings(voice_on=False))
        samples, rate = soundfile.read(clicks, dtype="float32")
        beats = plan.beats_between(0, plan.total)
        planned = np.array([round(b.time * rate) for b in beats])
        bank = ClickBank("wood", rate)
        level = 1e-4 if not fmt.lossy else 0.05
        rise = np.array(
            [int(np.argmax(np.abs(bank.for_beat(plan, b)) * 0.7 > level)) for b in beats]
        )
        found = np.array(onsets(samples, level))
        grid = (
            f"{len(found)}/{len(planned)} found, max {np.abs(found - rise - planned).max() / rate * 1000:.2f} ms"
            if len(found) == len(planned)
            else f"{len(found)} onsets for {len(planned)} clicks"
        )
        print(
            f"| {fmt.label} | {elapsed:.2f} s | {result.seconds / elapsed:.0f}× | "
            f"{out.stat().st_size / 1e6:.1f} MB | {grid} |"
        )
    old_opus(plan, voice, folder)


def old_opus(plan: SessionPlan, voice: object, folder: Path) -> None:
    """The same Opus export through libsndfile, as before PyAV (compression level 0.6)."""

    def through_libsndfile(path: Path, fmt: object, tags: object) -> soundfile.SoundFile:
        return soundfile.SoundFile(
            path, "w", OPUS_RATE, 1, "OPUS", format="OGG", compression_level=0.6
        )

    out = folder / "libsndfile.opus"
    with mock.patch.object(export_module, "open_for_writing", through_libsndfile):
        began = time.perf_counter()
        result = export_session(plan, out, voice)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - began
    print(
        f"| Opus through libsndfile (before) | {elapsed:.2f} s | "
        f"{result.seconds / elapsed:.0f}× | {out.stat().st_size / 1e6:.1f} MB | |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", action="store_true", help="also time every format")
    parser.add_argument("--no-loudness", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    voice, status = choose_voice(cache_dir=folder / "voice")
    print(status.message)
    speech_table(voice)
    if not args.no_loudness:
        loudness_table(voice, folder)
    if args.formats:
        format_table(voice, folder)
    voice.close()


if __name__ == "__main__":
    main()
