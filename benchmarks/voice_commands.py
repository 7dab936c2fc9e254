"""Voice commands: recognition in noise and over the session's own sound, false commands
on the app's own 20-minute session and on ordinary speech, latency and CPU, and gating
against subtracting the known playback.

    .venv/bin/python benchmarks/voice_commands.py            # everything (~15 min)
    .venv/bin/python benchmarks/voice_commands.py --quick    # first phrases, 4 min of own audio

The corpus (Piper and espeak-ng, two voices each, three speeds) and the rendered session
audio are cached in .pytest_cache/d/backbeat-voice-corpus, shared with tests/listen.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "app"), str(REPO)]

from benchmarks._echo import gating_against_subtraction  # noqa: E402
from tests.listen.corpus import (  # noqa: E402
    ESPEAK_VOICES,
    PIPER_VOICES,
    Synthesiser,
    Utterance,
    command_corpus,
    padded,
    pink_noise,
)
from tests.listen.evaluation import (  # noqa: E402
    Rates,
    false_commands,
    gate_open_clicks,
    gate_open_stretches,
    own_audio_monitor,
    recognition,
)
from tests.listen.own_audio import OwnAudio, render_own_audio  # noqa: E402

from backbeat.core.protocol_io import load_protocol  # noqa: E402
from backbeat.listen.commands import PHRASES, Command, CommandSet, Heard  # noqa: E402
from backbeat.listen.gate import NothingPlays, OwnSoundGate  # noqa: E402
from backbeat.listen.listener import VoiceListener  # noqa: E402
from backbeat.listen.recogniser import RECOGNISER_RATE, PocketSphinxRecogniser  # noqa: E402
from backbeat.listen.sources import ArraySource  # noqa: E402

CACHE = REPO / ".pytest_cache" / "d" / "backbeat-voice-corpus"
SNRS = (20.0, 10.0, 5.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller corpus, for exploring")
    parser.add_argument("--only", choices=["recognition", "false", "latency", "echo"])
    args = parser.parse_args()
    synth = Synthesiser(CACHE / "speech")
    own = render_own_audio(CACHE / "own", 240.0 if args.quick else None)
    print(f"own session audio: {own.seconds / 60:.1f} min, {len(own.voice)} prompts")
    if args.only in (None, "recognition"):
        recognition_table(synth, own, all_phrases=not args.quick)
    if args.only in (None, "false"):
        false_command_rates(synth, own)
    if args.only in (None, "latency"):
        latency_and_cpu(synth, own)
    if args.only in (None, "echo"):
        gating_against_subtraction(synth, own)


# -- recognition ---------------------------------------------------------------------
def recognition_table(synth: Synthesiser, own: OwnAudio, all_phrases: bool) -> None:
    families = {"piper": tuple(PIPER_VOICES), "espeak-ng": ESPEAK_VOICES}
    corpora = {
        name: list(command_corpus(synth, all_phrases=all_phrases, voices=voices))
        for name, voices in families.items()
    }
    # The session's clicks are told to the recogniser where they sound, as the gate does.
    interferers = {
        "pink noise": (pink_noise(RECOGNISER_RATE * 120), []),
        "session sound": (gate_open_stretches(own), gate_open_clicks(own)),
    }
    columns: list[tuple[str, dict[str, Rates]]] = []
    began = time.process_time()
    columns.append(("clean", {n: recognition(c) for n, c in corpora.items()}))
    for label, (background, clicks) in interferers.items():
        for snr in SNRS:
            rates = {
                n: recognition(c, background=background, snr_db=snr, clicks=clicks)
                for n, c in corpora.items()
            }
            columns.append((f"{label} {snr:g} dB", rates))
    count = sum(len(c) for c in corpora.values())
    print(
        f"\nrecognition, {count} utterances per condition "
        f"({'all phrases' if all_phrases else 'first phrase'} of every command, wake word on; "
        f"{time.process_time() - began:.0f} s CPU)"
    )
    print("| command | " + " | ".join(label for label, _ in columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for command in Command:
        cells = []
        for _, rates in columns:
            taken = sum(r.taken[command] for r in rates.values())
            said = sum(r.said[command] for r in rates.values())
            cells.append(f"{100 * taken / said:.0f}" if said else "-")
        print(f"| {PHRASES[command][0]} | " + " | ".join(cells) + " |")
    for family in families:
        cells = [f"{100 * rates[family].rate:.1f}" for _, rates in columns]
        print(f"| **all, {family}** | " + " | ".join(cells) + " |")
    cells = [f"{sum(r.wrong for r in rates.values())}" for _, rates in columns]
    print("| wrong command | " + " | ".join(cells) + " |")


# -- false commands ------------------------------------------------------------------
def descriptions() -> list[str]:
    texts = []
    for path in sorted((REPO / "protocols").glob("*.yaml")):
        protocol = load_protocol(path)
        texts.append(protocol.description)
        for block in protocol.blocks:
            for technique in block.techniques:
                texts.append(technique.how)
                texts.extend(technique.cautions)
    return [re.sub(r"\s+", " ", t).strip() for t in texts if t.strip()]


def false_command_rates(synth: Synthesiser, own: OwnAudio) -> None:
    hours = own.seconds / 3600
    print(
        f"\nfalse commands, the session's own sound fed as the microphone ({own.seconds / 60:.1f} min)"
    )
    for wake_word in (True, False):
        gated = false_commands(own.samples, wake_word, own_audio_monitor(own))
        ungated = false_commands(own.samples, wake_word)
        print(
            f"  wake word {'on ' if wake_word else 'off'}: gated {len(gated)} "
            f"({len(gated) / hours:.1f}/h); without the gate {len(ungated)} "
            f"({len(ungated) / hours:.1f}/h) {_words(ungated)}"
        )
    texts = descriptions()
    pieces = [synth.speak(t, voice, "normal") for t in texts for voice in ESPEAK_VOICES]
    speech = np.concatenate(pieces)
    hours = len(speech) / RECOGNISER_RATE / 3600
    print(
        f"\nfalse commands, {len(texts)} protocol descriptions read by espeak-ng "
        f"({', '.join(ESPEAK_VOICES)}; {hours * 60:.1f} min)"
    )
    for wake_word in (True, False):
        heard = [h for p in pieces for h in false_commands(p, wake_word)]
        print(
            f"  wake word {'on ' if wake_word else 'off'}: {len(heard)} "
            f"({len(heard) / hours:.1f}/h) {_words(heard)}"
        )


def _words(heard: list[Heard]) -> str:
    return "[" + ", ".join(repr(h.words) for h in heard[:6]) + (" ...]" if len(heard) > 6 else "]")


# -- latency and CPU -----------------------------------------------------------------
def latency_and_cpu(synth: Synthesiser, own: OwnAudio) -> None:
    """Utterances fed at the microphone's pace through the listener thread: the time
    from the end of the speech (its last loud sample) to the command reaching the front
    end's callback (the model is loaded before, as the app loads it once). The front end then acts on its next poll (the terminal coach polls
    every 40 ms, the window at once through a queued signal)."""
    utterances = list(command_corpus(synth, voices=("piper-joe", "en+klatt2"), speeds=("normal",)))
    delays: list[float] = []
    missed = 0
    for utterance in utterances:
        delay = _one_latency(utterance)
        if delay is None:
            missed += 1
        else:
            delays.append(delay)
    ms = np.array(delays) * 1000
    print(
        f"\nlatency, end of speech to the command, {len(delays)} utterances in real time "
        f"({missed} not taken): median {np.median(ms):.0f} ms, p90 {np.percentile(ms, 90):.0f} ms, "
        f"max {ms.max():.0f} ms"
    )
    for label, samples in (
        ("the session's own sound", own.samples),
        ("pink noise at -40 dBFS", (pink_noise(RECOGNISER_RATE * 300) * 328).astype(np.int16)),
    ):
        cpu, seconds = _cpu_listening(samples)
        print(
            f"CPU while listening to {label} ({seconds / 60:.0f} min, gate open): "
            f"{100 * cpu / seconds:.2f} % of one core"
        )


def _one_latency(utterance: Utterance) -> float | None:
    before = 0.5
    signal = padded(utterance.samples, before=before, after=1.5)
    loud = np.nonzero(np.abs(utterance.samples.astype(np.int32)) > 300)[0]
    speech_end = before + (loud[-1] + 1) / RECOGNISER_RATE
    taken: list[float] = []
    arrived = threading.Event()

    def on_heard(heard: Heard) -> None:
        taken.append(time.monotonic())
        arrived.set()

    recogniser = PocketSphinxRecogniser(CommandSet())  # loaded before the clock starts
    start = time.monotonic()
    listener = VoiceListener(
        ArraySource(signal, start_time=start, realtime=True),
        recogniser,
        OwnSoundGate(NothingPlays()),
        on_heard=on_heard,
    )
    listener.start()
    arrived.wait(len(signal) / RECOGNISER_RATE + 1.0)
    listener.close()
    return taken[0] - (start + speech_end) if taken else None


def _cpu_listening(samples: np.ndarray) -> tuple[float, float]:
    began = time.process_time()
    false_commands(samples, wake_word=True)
    return time.process_time() - began, len(samples) / RECOGNISER_RATE


if __name__ == "__main__":
    main()
