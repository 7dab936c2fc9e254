"""The direct ALSA output's writer threads, with a fake libasound: one stop per play, and
the device closed only once its writer has finished."""

from __future__ import annotations

import ctypes
import threading
from typing import Any

import numpy as np
import pytest

from backbeat.audio import alsa_output
from backbeat.audio.alsa_output import AlsaOutput

PERIOD = 441
EBADFD = -77


class _FakeAsound:
    """Enough of libasound for AlsaOutput. ``stuck`` makes the next write block until
    released, ignoring drops: a writer that outlives its stop's join."""

    def __init__(self) -> None:
        self.writes: list[int] = []  # buffer address of each piece written
        self.stuck = threading.Event()
        self.release = threading.Event()
        self.inside_write = threading.Event()
        self.closed_while_writing: list[bool] = []
        self.dropped = False
        self._lock = threading.Lock()

    def snd_pcm_open(self, pcm: Any, device: bytes, stream: int, mode: int) -> int:
        ctypes.cast(pcm, ctypes.POINTER(ctypes.c_void_p)).contents.value = 1234
        return 0

    def snd_pcm_set_params(self, *args: Any) -> int:
        return 0

    def snd_pcm_get_params(self, pcm: Any, buffer: Any, period: Any) -> int:
        ctypes.cast(period, ctypes.POINTER(ctypes.c_ulong)).contents.value = PERIOD
        return 0

    def snd_pcm_prepare(self, pcm: Any) -> int:
        self.dropped = False
        return 0

    def snd_pcm_drop(self, pcm: Any) -> int:
        self.dropped = True
        return 0

    def snd_pcm_writei(self, pcm: Any, address: int, count: int) -> int:
        if self.stuck.is_set():
            self.stuck.clear()
            self.inside_write.set()
            self.release.wait(10)
            self.inside_write.clear()
        elif self.dropped:
            return EBADFD
        with self._lock:
            self.writes.append(address)
        return count

    def snd_pcm_drain(self, pcm: Any) -> int:
        return 0

    def snd_pcm_recover(self, pcm: Any, error: int, silent: int) -> int:
        return 0

    def snd_pcm_close(self, pcm: Any) -> int:
        self.closed_while_writing.append(self.inside_write.is_set())
        return 0

    def snd_strerror(self, error: int) -> bytes:
        return b"fake error"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> _FakeAsound:
    lib = _FakeAsound()
    monkeypatch.setattr(alsa_output, "_load_library", lambda: lib)
    monkeypatch.setattr(alsa_output, "STOP_JOIN_SECONDS", 0.05)
    return lib


def _stuck_play(output: AlsaOutput, fake: _FakeAsound, samples: np.ndarray) -> None:
    """Play ``samples`` with the writer blocked inside a write that ignores the drop."""
    fake.stuck.set()
    output.play(samples)
    assert fake.inside_write.wait(10)


def test_a_writer_that_outlives_its_stop_writes_nothing_after_the_next_play(
    fake: _FakeAsound,
) -> None:
    output = AlsaOutput()
    first = np.ones(100 * PERIOD, dtype=np.int16)
    _stuck_play(output, fake, first)
    (old_writer,) = [t for t in threading.enumerate() if t.name == "backbeat-alsa"]
    second = np.full(2 * PERIOD, 2, dtype=np.int16)
    output.play(second)  # the first writer's join times out: it is still in its write
    fake.release.set()
    old_writer.join(10)
    output.close()
    first_address = first.ctypes.data
    late = [a for a in fake.writes if first_address < a < first_address + first.nbytes]
    assert late == []  # the old writer stopped after its stuck write


def test_the_device_is_not_closed_under_a_writer_that_is_still_writing(
    fake: _FakeAsound,
) -> None:
    output = AlsaOutput()
    _stuck_play(output, fake, np.ones(100 * PERIOD, dtype=np.int16))
    output.close()  # the writer is still inside snd_pcm_writei
    assert fake.closed_while_writing == []
    fake.release.set()
    output.close()  # once it has finished, the device is closed
    assert fake.closed_while_writing == [False]
