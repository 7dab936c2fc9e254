"""Running the recogniser over the corpus: recognition rates and false commands, shared
by the tests (a CI-sized part) and benchmarks/voice_commands.py (all of it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from backbeat.listen.commands import Command, CommandSet, Heard
from backbeat.listen.gate import (
    DEFAULT_TAIL_SECONDS,
    NothingPlays,
    OwnSoundGate,
    OwnSoundMonitor,
    PlaybackIntervals,
)
from backbeat.listen.listener import VoiceListener
from backbeat.listen.recogniser import RECOGNISER_RATE, PocketSphinxRecogniser
from backbeat.listen.sources import ArraySource
from tests.listen.corpus import FloatArray, Utterance, padded, with_hiss
from tests.listen.own_audio import OwnAudio


@dataclass
class Rates:
    taken: Counter[Command] = field(default_factory=Counter)
    said: Counter[Command] = field(default_factory=Counter)
    wrong: int = 0  # another command than the one said

    @property
    def rate(self) -> float:
        total = sum(self.said.values())
        return sum(self.taken.values()) / total if total else 0.0

    def per_command(self) -> dict[Command, float]:
        return {c: self.taken[c] / n for c, n in self.said.items()}


def recognition(
    utterances: Iterable[Utterance],
    wake_word: bool = True,
    background: FloatArray | None = None,
    snr_db: float | None = None,
    recogniser: PocketSphinxRecogniser | None = None,
    clicks: Sequence[tuple[float, float]] = (),
) -> Rates:
    """Each utterance alone (with 0.5 s before and 2 s after), over ``background`` at
    ``snr_db`` when given; the background runs on from one utterance to the next, as a
    room's noise does (the endpointer adapts to it). ``clicks``: the seconds of the
    background where the session's clicks sound, told to the recogniser as the gate
    tells it. ``recogniser``: one made otherwise than the app makes it (its command set
    must match ``wake_word``)."""
    if recogniser is None:
        recogniser = PocketSphinxRecogniser(CommandSet(wake_word=wake_word))
    rates = Rates()
    cursor = 0
    for utterance in utterances:
        signal = padded(utterance.samples, after=2.0)
        told: list[tuple[float, float]] = []
        if background is not None and snr_db is not None:
            if cursor + len(signal) > len(background):
                cursor = 0
            piece = background[cursor : cursor + len(signal)]
            told = _clicks_told(clicks, cursor / RECOGNISER_RATE, len(signal) / RECOGNISER_RATE)
            cursor += len(signal)
            signal = mix_at_snr_padded(signal, utterance.samples, piece, snr_db)
        heard = recogniser.feed(signal, 0.0, told)
        recogniser.interrupt()  # each utterance stands alone
        rates.said[utterance.command] += 1
        commands = [h.command for h in heard]
        if utterance.command in commands:
            rates.taken[utterance.command] += 1
        elif commands:
            rates.wrong += 1
    recogniser.close()
    return rates


def _clicks_told(
    clicks: Sequence[tuple[float, float]], offset: float, seconds: float
) -> list[tuple[float, float]]:
    """What the gate tells of ``clicks`` in [offset, offset + seconds) of the
    background, in seconds from ``offset``."""
    monitor = PlaybackIntervals()
    for start, end in clicks:
        if end >= offset - 1.0 and start <= offset + seconds + 1.0:
            monitor.add_click(start - offset, end - offset)
    return OwnSoundGate(monitor).clicks(0.0, seconds)


def mix_at_snr_padded(
    signal: np.ndarray, speech: np.ndarray, background: FloatArray, snr_db: float
) -> np.ndarray:
    """The SNR is set against the speech itself, not its padding."""
    s = speech.astype(np.float32) / 32768.0
    b = background.astype(np.float32)
    s_rms = float(np.sqrt(np.mean(s**2)))
    b_rms = float(np.sqrt(np.mean(b**2))) or 1.0
    scaled = b * (s_rms / b_rms / 10 ** (snr_db / 20)) * 32768.0
    mixed = signal.astype(np.float32) + scaled[: len(signal)]
    peak = float(np.max(np.abs(mixed)))
    if peak > 32000:
        mixed *= 32000 / peak
    return mixed.astype(np.int16)


def false_commands(
    samples: np.ndarray, wake_word: bool, monitor: OwnSoundMonitor | None = None
) -> list[Heard]:
    """Every command taken from ``samples`` (16 kHz) fed as the microphone, block by
    block through the gate with ``monitor`` (times: seconds from the start)."""
    heard: list[Heard] = []
    listener = VoiceListener(
        ArraySource(with_hiss(samples), RECOGNISER_RATE),
        PocketSphinxRecogniser(CommandSet(wake_word=wake_word)),
        OwnSoundGate(monitor or NothingPlays()),
        on_heard=heard.append,
    )
    source = listener.source
    source.start()
    while (block := source.read(0.0)) is not None:
        listener.process(block)
    listener.close()
    return heard


def own_audio_monitor(own: OwnAudio) -> PlaybackIntervals:
    """What the session side would report: each prompt's interval (here the speaker and
    the microphone share one timeline, so no latency is added)."""
    monitor = PlaybackIntervals()
    for start, end in own.voice:
        monitor.add(start, end)
    for start, end in own.clicks:
        monitor.add_click(start, end)
    return monitor


def gate_open_stretches(own: OwnAudio, tail: float = DEFAULT_TAIL_SECONDS) -> FloatArray:
    """The session's sound where the gate lets the microphone through (clicks, no voice):
    the only background a command can be heard over. During a prompt a command is
    dropped by design and has to be said again."""
    keep = np.ones(len(own.samples), dtype=bool)
    for start, end in own.voice:
        keep[max(0, round(start * RECOGNISER_RATE)) : round((end + tail) * RECOGNISER_RATE)] = False
    result: FloatArray = own.samples[keep].astype(np.float32) / 32768.0
    return result


def gate_open_clicks(
    own: OwnAudio, tail: float = DEFAULT_TAIL_SECONDS
) -> list[tuple[float, float]]:
    """The clicks of :func:`gate_open_stretches`, in its seconds."""
    keep = np.ones(len(own.samples), dtype=bool)
    for start, end in own.voice:
        keep[max(0, round(start * RECOGNISER_RATE)) : round((end + tail) * RECOGNISER_RATE)] = False
    kept_before = np.concatenate([[0], np.cumsum(keep)])  # kept samples before each one
    clicks = []
    for start, end in own.clicks:
        first = min(len(keep), round(start * RECOGNISER_RATE))
        last = min(len(keep), round(end * RECOGNISER_RATE))
        count = int(kept_before[last] - kept_before[first])
        if count > 0:
            begin = int(kept_before[first])
            clicks.append((begin / RECOGNISER_RATE, (begin + count) / RECOGNISER_RATE))
    return clicks
