"""Pause -> silence, start/resume/skip -> first sound, and the beat on screen against the
click heard, measured at a PulseAudio null sink with the real PortAudio and simpleaudio
outputs side by side; plus the CPU of PortAudio's audio callback.

A capture thread timestamps every 5 ms of recorded audio as it arrives, which puts each
recorded sample on the same monotonic clock as the commands. The session's voice is
replaced by a continuous tone so there is always sound to cut when pausing.
"""

from __future__ import annotations

import os
import time

import numpy as np

from _pulse import RATE, REPO, TimedCapture, click_onsets, pulse_or_exit

TRIALS = 8
QUIET_SECONDS = 0.03


class ToneEngine:
    """A "voice" that hums a steady 440 Hz for 8 s, whatever the text."""

    name = "piper"
    voice_id = "tone"
    settings_id = "8s"
    cacheable = False

    def check(self) -> None:
        pass

    def release(self) -> None:
        pass

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        t = np.arange(8 * 22050) / 22050
        return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 22050


def segments(samples: np.ndarray, threshold: float = 20) -> list[tuple[int, int]]:
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > threshold)[0]
    if len(loud) == 0:
        return []
    breaks = np.nonzero(np.diff(loud) > round(QUIET_SECONDS * RATE))[0]
    starts = np.concatenate([[loud[0]], loud[breaks + 1]])
    ends = np.concatenate([loud[breaks], [loud[-1]]])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _run(audio: object, seconds: float, trace: list[tuple[float, float]] | None = None) -> None:
    """Keep the session rendered for ``seconds``; with ``trace``, note (wall time, session
    time the clock shows) every 5 ms, as the screen would read it."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        audio.tick()  # type: ignore[attr-defined]
        if trace is not None:
            trace.append((time.monotonic(), audio.session_time()))  # type: ignore[attr-defined]
        time.sleep(0.005 if trace is not None else 0.04)


def measure(audio: object, skip_to: float) -> None:
    starts: list[tuple[str, float]] = []
    pauses: list[float] = []
    with TimedCapture("cap") as capture:
        for _ in range(TRIALS):
            for kind in ("start", "resume", "skip"):
                starts.append((kind, time.monotonic()))
                if kind == "start":
                    audio.play_from(0.0)  # type: ignore[attr-defined]
                elif kind == "resume":
                    audio.resume()  # type: ignore[attr-defined]
                else:
                    audio.play_from(skip_to)  # type: ignore[attr-defined]
                _run(audio, 1.0)
                pauses.append(time.monotonic())
                audio.pause()  # type: ignore[attr-defined]
                _run(audio, 0.6)
            audio.stop()  # type: ignore[attr-defined]
    found = segments(capture.samples())
    if len(found) != len(starts):
        print(f"  expected {len(starts)} sound segments, found {len(found)}; not comparable")
        return
    report: dict[str, list[float]] = {"pause": []}
    for (kind, began), paused, (first, last) in zip(starts, pauses, found, strict=True):
        report.setdefault(kind, []).append((capture.wall_time(first) - began) * 1000)
        report["pause"].append((capture.wall_time(last) - paused) * 1000)
    labels = {
        "pause": "pause -> silence",
        "start": "start -> first sound",
        "resume": "resume -> first sound",
        "skip": "skip -> first sound",
    }
    for kind, label in labels.items():
        values = np.array(report[kind])
        print(
            f"  {label:<24} n={len(values):2d}  median {np.median(values):6.1f} ms  "
            f"max {values.max():6.1f} ms  min {values.min():6.1f} ms"
        )


def screen_against_speaker(audio: object, plan: object) -> None:
    """For every click heard, the session time the clock showed at that moment minus the
    click's planned time: what the beat on screen is off by."""
    from backbeat.audio.mixer import SoundSettings

    audio.set_settings(SoundSettings(voice_on=False))  # type: ignore[attr-defined]
    trace: list[tuple[float, float]] = []
    with TimedCapture("cap") as capture:
        audio.play_from(0.0)  # type: ignore[attr-defined]
        _run(audio, 12.0, trace)
        audio.stop()  # type: ignore[attr-defined]
    onsets = click_onsets(capture.samples(), 300)
    beats = [b.time for b in plan.beats_between(0, 13.0)][: len(onsets)]  # type: ignore[attr-defined]
    walls, shown = np.array(trace).T
    errors = [
        (np.interp(capture.wall_time(onset), walls, shown) - beat) * 1000
        for onset, beat in zip(onsets, beats, strict=True)
    ]
    print(
        f"  beat on screen - click heard  n={len(errors):2d}  median {np.median(errors):+6.1f} ms"
        f"  max |err| {np.max(np.abs(errors)):5.1f} ms"
    )


def main() -> None:
    os.environ.update(pulse_or_exit())  # before ALSA is first opened
    from backbeat.audio.output import open_output
    from backbeat.audio.session_audio import SessionAudio
    from backbeat.audio.voice import PromptVoice
    from backbeat.core.model import Mode
    from backbeat.core.plan import build_plan
    from backbeat.core.protocol_io import load_protocol

    plan = build_plan(
        load_protocol(REPO / "protocols" / "home-back-massage.yaml"), Mode.STIMULATING
    )
    voice = PromptVoice([ToneEngine()], None)
    voice.prepare(c.text for c in plan.cues)
    voice.wait_ready(30)
    for kind in ("portaudio", "simpleaudio"):
        opened = open_output(kind)
        if opened.silent:
            print(f"{kind}: {opened.message}")
            continue
        print(f"output: {opened.output.description}")
        began = time.monotonic()
        measure(SessionAudio(plan, opened.output, voice), plan.steps[1].start)
        screen_against_speaker(SessionAudio(plan, opened.output, voice), plan)
        cpu = getattr(opened.output, "callback_cpu_seconds", None)
        if cpu is not None:
            wall = time.monotonic() - began
            print(f"  audio callback CPU          {100 * cpu / wall:.2f} % of one core")
        opened.output.close()
    print("(simpleaudio's first sound includes the 50 ms silent lead-in of every stream)")


if __name__ == "__main__":
    main()
