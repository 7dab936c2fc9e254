"""The listener thread with an injected source: it hears, it is gated, it closes."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from backbeat.audio.clicks import make_click
from backbeat.listen.commands import Command, CommandSet, Heard
from backbeat.listen.endpointer import FRAME_SAMPLES
from backbeat.listen.gate import NothingPlays, OwnSoundGate, PlaybackIntervals
from backbeat.listen.listener import VoiceListener
from backbeat.listen.recogniser import RECOGNISER_RATE, PocketSphinxRecogniser
from backbeat.listen.sources import ArraySource, AudioBlock
from tests.listen.corpus import Synthesiser, padded


def _said(synth: Synthesiser, text: str) -> np.ndarray:
    return padded(synth.speak(text, "piper-joe", "normal"), before=1.0, after=1.0)


def test_the_thread_hears_a_command_and_closes(synth: Synthesiser) -> None:
    heard: list[Heard] = []
    done = threading.Event()

    def on_heard(item: Heard) -> None:
        heard.append(item)
        done.set()

    listener = VoiceListener(
        ArraySource(_said(synth, "Coach, next.")),
        PocketSphinxRecogniser(CommandSet()),
        OwnSoundGate(NothingPlays()),
        on_heard=on_heard,
    )
    listener.start()
    assert done.wait(20)
    listener.close()
    assert not listener.running
    assert [h.command for h in heard] == [Command.NEXT]
    assert heard[0].words == "coach next"


def test_levels_are_reported_for_the_indicator(synth: Synthesiser) -> None:
    levels: list[float] = []
    listener = VoiceListener(
        ArraySource(_said(synth, "Coach, pause.")),
        PocketSphinxRecogniser(CommandSet()),
        OwnSoundGate(NothingPlays()),
        on_heard=lambda heard: None,
        on_level=levels.append,
    )
    listener.start()
    listener.wait(20)
    listener.close()
    assert levels[0] < 0.001 and max(levels) > 0.02  # the hiss, then the voice


def test_what_sounds_while_the_app_speaks_is_dropped(synth: Synthesiser) -> None:
    """The same command, said while the monitor reports the app's voice: not taken."""
    samples = _said(synth, "Coach, next.")
    monitor = PlaybackIntervals()
    monitor.add(0.8, 1.6)  # the app's voice overlaps the first half of the command
    heard: list[Heard] = []
    listener = VoiceListener(
        ArraySource(samples),
        PocketSphinxRecogniser(CommandSet()),
        OwnSoundGate(monitor),
        on_heard=heard.append,
    )
    source = listener.source
    source.start()
    while (block := source.read(0.0)) is not None:
        listener.process(block)
    listener.close()
    assert heard == []
    assert listener.gate.dropped_seconds >= 0.8


def test_a_failing_source_stops_the_thread_with_the_reason() -> None:
    class Broken(ArraySource):
        def read(self, timeout: float) -> AudioBlock | None:
            raise OSError("the device went away")

    listener = VoiceListener(
        Broken(np.zeros(16000, np.int16)),
        PocketSphinxRecogniser(CommandSet()),
        OwnSoundGate(NothingPlays()),
        on_heard=lambda heard: None,
    )
    listener.start()
    listener.wait(5)
    assert isinstance(listener.error, OSError)
    listener.close()


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
def test_array_sources_resample_to_the_recogniser(rate: int) -> None:
    source = ArraySource(np.zeros(rate, np.float32), rate, start_time=5.0)
    source.start()
    first = source.read(0.0)
    assert first is not None and first.start == 5.0 and len(first.samples) == 1600


def _over_clicks(speech: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """``speech`` padded, with metronome clicks 0.9 s apart, one in the breath after
    "coach" (its longest quiet stretch), and the clicks' times."""
    count = len(speech) // FRAME_SAMPLES
    frames = speech[: count * FRAME_SAMPLES].reshape(count, FRAME_SAMPLES).astype(np.float64)
    loud = np.mean(frames**2, axis=1) > np.max(np.mean(frames**2, axis=1)) / 300
    first, last = np.nonzero(loud)[0][[0, -1]]
    longest, quiet_from, run = 0, first, 0  # the longest run of quiet frames, and its start
    for k in range(first, last):
        run = 0 if loud[k] else run + 1
        if run > longest:
            longest, quiet_from = run, k - run + 1
    breath = 1.0 + (quiet_from + longest / 2) * FRAME_SAMPLES / RECOGNISER_RATE
    times = [breath - 1.8, breath - 0.9, breath, breath + 0.9]
    click = make_click("wood", RECOGNISER_RATE) * 0.5 * 32768
    signal = padded(speech, before=1.0, after=1.0).astype(np.float64)
    for time in times:
        start = round(time * RECOGNISER_RATE)
        signal[start : start + len(click)] += click
    return np.clip(signal, -32768, 32767).astype(np.int16), times


def test_a_click_in_the_breath_after_coach_is_taken_out_when_the_gate_knows_it(
    synth: Synthesiser,
) -> None:
    signal, times = _over_clicks(synth.speak("Coach, too much.", "piper-joe", "normal"))
    heard: dict[bool, list[Command]] = {}
    for told in (False, True):
        monitor = PlaybackIntervals()
        for time in times if told else []:
            monitor.add_click(time, time + 0.09)
        found: list[Heard] = []
        listener = VoiceListener(
            ArraySource(signal),
            PocketSphinxRecogniser(CommandSet()),
            OwnSoundGate(monitor),
            on_heard=found.append,
        )
        listener.source.start()
        while (block := listener.source.read(0.0)) is not None:
            listener.process(block)
        listener.close()
        heard[told] = [h.command for h in found]
    assert heard[True] == [Command.TOO_MUCH]
    assert heard[False] == []  # the click filled the breath: "coach too much" ran on
