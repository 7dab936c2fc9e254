"""Playback outputs: the silent and memory outputs, simpleaudio and PortAudio behind fake
backends (what they do with pause, resume, a lost device), and the choice of one."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from backbeat.audio import portaudio_output, simpleaudio_output
from backbeat.audio.output import MemoryOutput, NullOutput, open_output
from backbeat.audio.portaudio_output import PortAudioOutput, UnknownDevice, resolve_device
from backbeat.audio.simpleaudio_output import SimpleAudioOutput, SimpleAudioUnavailable
from backbeat.audio.stream_buffer import StreamBuffer
from backbeat.audio.wav import WavError, parse_wav, read_wav, write_wav
from backbeat.core.clock import FakeClock
from tests.audio.helpers import RATE


def _program(seconds: float, value: int = 1000) -> StreamBuffer:
    buffer = StreamBuffer(round(seconds * RATE))
    buffer.write(0, np.full(buffer.frames, value, dtype=np.int16))
    buffer.filled = buffer.frames
    return buffer


def test_null_output_keeps_time_without_sound() -> None:
    clock = FakeClock()
    output = NullOutput(clock)
    assert output.position() is None
    output.play(_program(2.0))
    clock.advance(1.5)
    assert output.position() == pytest.approx(1.5)
    clock.advance(5.0)
    assert output.position() == pytest.approx(2.0)  # not past the program's end


def test_open_output_null_is_silent_on_purpose() -> None:
    opened = open_output("null")
    assert isinstance(opened.output, NullOutput) and not opened.silent  # not a problem
    assert "as asked" in opened.message


def test_memory_output_delivers_silence_then_the_program_faded_in() -> None:
    clock = FakeClock()
    output = MemoryOutput(clock)
    clock.advance(0.5)
    output.play(_program(1.0, 1000), fade_in=True)
    clock.advance(0.25)
    heard = output.delivered()
    assert len(heard) == round(0.75 * RATE)
    assert not heard[: RATE // 2].any()
    program = heard[RATE // 2 :]
    assert 0 < program[0] < program[100] < 1000 and set(program[1000:].tolist()) == {1000}


# -- simpleaudio ----------------------------------------------------------------------------
class _FakeSimpleAudio:
    """Plays nothing; a stopped buffer keeps "draining" for ``drain`` seconds."""

    def __init__(self, drain: float = 0.05, fail: bool = False) -> None:
        self.buffers: list[Any] = []
        self.drain = drain
        self.fail = fail

    def play_buffer(self, buffer: Any, channels: int, width: int, rate: int) -> Any:
        if self.fail:
            raise RuntimeError("Error opening PCM device. -- CODE: -2")
        assert (channels, width, rate) == (1, 2, RATE)
        self.buffers.append(buffer)
        drain = self.drain

        class _Play:
            stopped_at: float | None = None

            def stop(self) -> None:
                self.stopped_at = time.monotonic()

            def is_playing(self) -> bool:
                return self.stopped_at is None or time.monotonic() < self.stopped_at + drain

        return _Play()


def test_simpleaudio_streams_from_the_programs_own_buffer() -> None:
    backend = _FakeSimpleAudio()
    output = SimpleAudioOutput(backend)
    program = _program(1.0)
    output.play(program, 100)
    assert np.shares_memory(backend.buffers[0], program.samples)  # later writes are heard
    output.close()


def test_simpleaudio_pause_waits_for_the_drain_and_resumes_where_the_sound_stopped() -> None:
    backend = _FakeSimpleAudio(drain=0.08)
    output = SimpleAudioOutput(backend)
    output.play(_program(10.0))
    time.sleep(0.1)
    began = time.monotonic()
    output.pause()
    waited = time.monotonic() - began
    assert waited >= 0.08  # it returned once the sound had really stopped
    stopped = output.position()
    assert stopped is not None and stopped >= 0.18 - 0.01  # 0.1 s played + 0.08 s drained
    time.sleep(0.05)
    assert output.position() == stopped  # frozen while paused
    output.resume()
    resumed = backend.buffers[-1]
    assert len(resumed) == 10 * RATE - round(stopped * RATE)  # nothing heard twice
    output.close()


def test_simpleaudio_losing_the_device_is_reported_once() -> None:
    backend = _FakeSimpleAudio()
    output = SimpleAudioOutput(backend)
    backend.fail = True
    output.play(_program(1.0))
    notices = output.poll()
    assert len(notices) == 1 and notices[0].lost and "Sound lost" in notices[0].text
    assert output.poll() == []
    assert output.position() is not None  # the session still runs on the clock


def test_open_simpleaudio_without_a_device_says_so() -> None:
    with pytest.raises(SimpleAudioUnavailable, match="no sound device found"):
        simpleaudio_output.open_simpleaudio(_FakeSimpleAudio(fail=True))


# -- PortAudio ------------------------------------------------------------------------------
class _FakeStream:
    """A callback stream whose callback the test calls, as PortAudio's thread would."""

    def __init__(self, **kwargs: Any) -> None:
        self.callback = kwargs["callback"]
        self.finished = kwargs["finished_callback"]
        self.device = kwargs["device"]
        self.asked_latency = kwargs["latency"]
        self.started = False
        self.closed = False

    def start(self) -> None:
        self.started = True

    def abort(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def run(self, frames: int, lag: float = 0.02, underflow: bool = False) -> np.ndarray:
        out = np.zeros((frames, 1), dtype=np.int16)
        info = SimpleNamespace(currentTime=10.0, outputBufferDacTime=10.0 + lag)
        self.callback(out, frames, info, SimpleNamespace(output_underflow=underflow))
        return out[:, 0].copy()


class _FakeSoundDevice:
    def __init__(self) -> None:
        self.streams: list[_FakeStream] = []
        self.fail_open = False
        self.devices = [
            {"name": "default", "max_output_channels": 32},
            {"name": "USB Headset: Audio", "max_output_channels": 2},
            {"name": "Microphone", "max_output_channels": 0},
        ]

    def query_devices(self) -> list[dict[str, Any]]:
        return self.devices

    def OutputStream(self, **kwargs: Any) -> _FakeStream:
        if self.fail_open:
            raise RuntimeError("Device unavailable [PaErrorCode -9985]")
        self.streams.append(_FakeStream(**kwargs))
        return self.streams[-1]

    def _terminate(self) -> None:
        pass

    def _initialize(self) -> None:
        pass


def test_a_device_name_is_matched_or_the_choices_are_listed() -> None:
    sd = _FakeSoundDevice()
    assert resolve_device(None, sd) is None
    assert resolve_device("usb headset", sd) == 1
    with pytest.raises(UnknownDevice, match="'default', 'USB Headset: Audio'"):
        resolve_device("speakers", sd)
    with pytest.raises(UnknownDevice):
        resolve_device("Microphone", sd)  # an input only


def test_portaudio_pause_fades_out_and_resume_goes_on_from_that_frame() -> None:
    sd = _FakeSoundDevice()
    output = PortAudioOutput(sd)
    stream = sd.streams[0]
    assert stream.started
    program = _program(5.0)
    program.samples[:] = np.arange(program.frames) % 3000
    output.play(program)
    first = stream.run(4410)
    output.pause()
    fading = stream.run(4410)
    silent = stream.run(4410)
    output.resume()
    resumed = stream.run(4410)
    fade = round(0.008 * RATE)
    assert np.array_equal(first[fade:], program.samples[fade:4410])
    assert abs(int(fading[0])) <= abs(int(program.samples[4410])) and not fading[fade + 1 :].any()
    assert not silent.any()
    assert np.array_equal(resumed[fade:], program.samples[4410 + fade : 8820])
    output.close()
    assert stream.closed


def test_portaudio_position_allows_for_the_latency_the_device_reports() -> None:
    sd = _FakeSoundDevice()
    output = PortAudioOutput(sd)
    output.play(_program(5.0))
    sd.streams[0].run(4410, lag=0.05)  # its first frame reaches the speaker in 50 ms
    assert output.position() == 0.0  # not heard yet
    time.sleep(0.07)
    position = output.position()
    assert position is not None and 0.01 < position <= 0.1
    output.close()


def test_a_stalled_device_is_reported_timed_on_and_reconnected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(portaudio_output, "STALL_SECONDS", 0.05)
    monkeypatch.setattr(portaudio_output, "RECONNECT_SECONDS", 0.05)
    monkeypatch.setattr(portaudio_output, "STARTUP_GRACE_SECONDS", 0.0)
    sd = _FakeSoundDevice()
    output = PortAudioOutput(sd)
    output.play(_program(30.0))
    sd.streams[0].run(441)
    sd.fail_open = True
    notices: list[Any] = []
    deadline = time.monotonic() + 2.0
    while not notices and time.monotonic() < deadline:  # polled as a front end does
        time.sleep(0.01)  # no callback: the device is gone
        notices = output.poll()
    assert [n.lost for n in notices] == [True]
    assert "Still timing the session; trying to reconnect" in notices[0].text
    before = output.position()
    time.sleep(0.2)
    after = output.position()
    assert before is not None and after is not None and after - before >= 0.15  # on the clock
    sd.fail_open = False
    deadline = time.monotonic() + 2.0
    back: list[Any] = []
    while not back and time.monotonic() < deadline:
        time.sleep(0.02)
        back = output.poll()
    assert [n.lost for n in back] == [False] and "Sound is back" in back[0].text
    fresh = sd.streams[-1]
    assert fresh.started and fresh is not sd.streams[0]
    assert fresh.run(4410)[441:].any()  # the program again, faded in
    output.close()


def test_a_process_that_could_not_run_is_not_a_lost_device(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading the recogniser's model holds the interpreter's lock for half a second or
    more: no callback could run, and no poll either. That is not "Sound lost"."""
    monkeypatch.setattr(portaudio_output, "STALL_SECONDS", 0.05)
    monkeypatch.setattr(portaudio_output, "STARTUP_GRACE_SECONDS", 0.0)
    sd = _FakeSoundDevice()
    output = PortAudioOutput(sd)
    output.play(_program(30.0))
    sd.streams[0].run(441)
    output.poll()
    time.sleep(0.2)  # neither the callback nor the front end ran
    assert output.poll() == []
    sd.streams[0].run(441)  # the device answers again
    time.sleep(0.01)
    assert output.poll() == []
    output.close()


def test_repeated_underruns_reopen_the_stream_with_a_longer_buffer_quietly() -> None:
    sd = _FakeSoundDevice()
    output = PortAudioOutput(sd, latency=0.025)
    output.play(_program(30.0))
    for _ in range(portaudio_output.UNDERRUNS_BEFORE_LONGER):
        sd.streams[0].run(441, underflow=True)
    assert output.poll() == []  # nothing for the user to act on
    deadline = time.monotonic() + 2.0
    while len(sd.streams) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
        output.poll()
    assert sd.streams[1].asked_latency == pytest.approx(0.05) and sd.streams[1].started
    assert output.poll() == []  # and no "Sound is back" either
    assert output.underruns == 3
    output.close()


def test_open_output_falls_back_to_simpleaudio_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_portaudio() -> Any:
        raise portaudio_output.PortAudioUnavailable("PortAudio is not installed (install it)")

    monkeypatch.setattr(portaudio_output, "_sounddevice", no_portaudio)
    monkeypatch.setattr(
        simpleaudio_output, "open_simpleaudio", lambda: SimpleAudioOutput(_FakeSimpleAudio())
    )
    opened = open_output("auto")
    assert isinstance(opened.output, SimpleAudioOutput) and not opened.silent
    assert opened.message.startswith("Sound output: simpleaudio")
    assert "PortAudio is not installed" in opened.message


def test_open_output_with_no_device_at_all_is_silent_with_the_reasons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_portaudio() -> Any:
        raise portaudio_output.PortAudioUnavailable("the sound device cannot be opened (busy)")

    def no_simpleaudio() -> Any:
        raise SimpleAudioUnavailable("no sound device found (no ALSA)")

    monkeypatch.setattr(portaudio_output, "_sounddevice", no_portaudio)
    monkeypatch.setattr(simpleaudio_output, "open_simpleaudio", no_simpleaudio)
    opened = open_output("auto")
    assert isinstance(opened.output, NullOutput) and opened.silent
    assert "busy" in opened.message and "no ALSA" in opened.message
    assert "runs silently" in opened.message


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
