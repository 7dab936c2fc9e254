"""Playback backends: the silent fallbacks, the WAV writer and the stream buffer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backbeat.audio.output import (
    MemoryOutput,
    NullOutput,
    SimpleAudioOutput,
    WavFileOutput,
    open_output,
)
from backbeat.audio.stream_buffer import StreamBuffer
from backbeat.audio.wav import WavError, parse_wav, read_wav, write_wav
from backbeat.core.clock import FakeClock
from tests.audio.helpers import RATE


class _NoDevice:
    def play_buffer(self, *args: Any) -> Any:
        raise RuntimeError("Error opening PCM device. -- CODE: -2")


class _Recorder:
    def __init__(self) -> None:
        self.buffers: list[Any] = []
        self.stopped = 0

    def play_buffer(self, buffer: Any, channels: int, width: int, rate: int) -> Any:
        assert (channels, width, rate) == (1, 2, RATE)
        self.buffers.append(buffer)
        recorder = self

        class _Play:
            def stop(self) -> None:
                recorder.stopped += 1

            def is_playing(self) -> bool:
                return False

        return _Play()


def test_a_missing_device_turns_the_output_silent_with_a_clear_message() -> None:
    output = SimpleAudioOutput(_NoDevice())
    output.play(np.zeros(RATE, dtype=np.int16))
    assert output.problem is not None
    assert output.problem.startswith("No sound device found (Error opening PCM device.")
    assert "runs silently" in output.problem
    assert output.position() is not None  # the session still runs on the clock


def test_simpleaudio_streams_from_the_callers_buffer_without_copying() -> None:
    backend = _Recorder()
    output = SimpleAudioOutput(backend)
    samples = np.zeros(RATE, dtype=np.int16)
    output.play(samples)
    assert np.shares_memory(backend.buffers[0], samples)  # later writes are heard
    output.play(samples)
    assert backend.stopped == 1  # a new buffer replaces the old one
    output.stop()
    assert backend.stopped == 2 and output.position() is None


def test_null_output_keeps_time_without_sound() -> None:
    clock = FakeClock()
    output = NullOutput(clock)
    assert output.position() is None
    output.play(np.zeros(2 * RATE, dtype=np.int16))
    clock.advance(1.5)
    assert output.position() == pytest.approx(1.5)
    clock.advance(5.0)
    assert output.position() == pytest.approx(2.0)  # not past the buffer's end


def test_open_output_null_is_silent_on_purpose() -> None:
    output, problem = open_output("null")
    assert isinstance(output, NullOutput) and problem is None


def test_memory_output_cuts_each_buffer_where_it_was_replaced() -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    output.play(np.full(RATE, 1, dtype=np.int16))
    clock.advance(0.5)
    output.play(np.full(RATE, 2, dtype=np.int16))
    clock.advance(0.25)
    output.stop()
    heard = output.heard()
    assert len(heard) == RATE // 2 + RATE // 4
    assert set(heard[: RATE // 2].tolist()) == {1} and set(heard[RATE // 2 :].tolist()) == {2}


def test_wav_output_writes_what_would_be_heard(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "heard.wav"
    output = WavFileOutput(path, clock)
    output.play(np.full(RATE, 7, dtype=np.int16))
    clock.advance(0.1)
    output.stop()
    output.play(np.full(RATE, 9, dtype=np.int16))
    clock.advance(0.2)
    output.close()
    samples, rate = read_wav(path)
    assert rate == RATE
    assert samples.tolist() == [7] * (RATE // 10) + [9] * (RATE // 5)


def test_wav_round_trip_and_bad_files(tmp_path: Path) -> None:
    data = (np.arange(-500, 500) * 30).astype(np.int16)
    write_wav(tmp_path / "a.wav", data, 22050)
    back, rate = read_wav(tmp_path / "a.wav")
    assert rate == 22050 and np.array_equal(back, data)
    with pytest.raises(WavError):
        parse_wav(b"not a wav file at all")


def test_the_stream_buffer_hands_heard_pages_back_as_silence() -> None:
    buffer = StreamBuffer(10 * RATE)
    buffer.write(0, np.full(10 * RATE, 5, dtype=np.int16))
    buffer.release_before(5 * RATE)
    assert buffer.samples[5 * RATE :].min() == 5  # what is ahead is kept
    assert buffer.samples[: 4 * RATE].max() == 0  # heard pages are gone
