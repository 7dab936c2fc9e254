"""16-bit mono WAV files: whole-buffer read/write and a streaming writer for long exports."""

from __future__ import annotations

import os
import struct
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from backbeat.core.safe_files import commit_temp, locked_temp, new_file_mode

Int16Array = npt.NDArray[np.int16]


class WavError(ValueError):
    """A file that is not a 16-bit PCM WAV we can read."""


def _header(sample_rate: int, data_bytes: int) -> bytes:
    return b"".join(
        [
            b"RIFF",
            struct.pack("<I", 36 + data_bytes),
            b"WAVEfmt ",
            struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16),
            b"data",
            struct.pack("<I", data_bytes),
        ]
    )


class WavStreamWriter:
    """Writes a mono 16-bit WAV chunk by chunk to a temporary file next to ``path`` and
    moves it into place on :meth:`commit`, so a failed export never leaves half a file."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self.frames = 0
        self._mode = new_file_mode(path)
        fd, self._tmp = locked_temp(path)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._file.write(_header(sample_rate, 0))

    def write(self, samples: Int16Array) -> None:
        self._file.write(np.ascontiguousarray(samples, dtype="<i2").tobytes())
        self.frames += len(samples)

    def commit(self) -> None:
        self._file.seek(0)
        self._file.write(_header(self.sample_rate, self.frames * 2))
        self._file.flush()
        try:
            commit_temp(self._file.fileno(), self._tmp, self.path, self._mode)
        except OSError:
            self.abort()
            raise
        self._file.close()

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> WavStreamWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_wav(path: Path, samples: Int16Array, sample_rate: int) -> None:
    """Write a whole buffer atomically."""
    with WavStreamWriter(path, sample_rate) as writer:
        writer.write(samples)


def parse_wav(data: bytes) -> tuple[Int16Array, int]:
    """Mono or multi-channel 16-bit PCM WAV bytes -> (first channel, sample rate).

    Tolerates the bogus sizes of streamed headers (``espeak-ng --stdout`` writes them)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError("not a RIFF/WAVE file")
    pos = 12
    channels = rate = bits = 0
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        body = pos + 8
        if chunk_id == b"fmt ":
            fmt, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[body : body + 16])
            if fmt != 1 or bits != 16:
                raise WavError(f"only 16-bit PCM is supported (format {fmt}, {bits} bits)")
        elif chunk_id == b"data":
            if not rate:
                raise WavError("the data chunk comes before the format chunk")
            end = min(len(data), body + size)
            end -= (end - body) % (2 * channels)
            frames = np.frombuffer(data[body:end], dtype="<i2").astype(np.int16)
            return frames.reshape(-1, channels)[:, 0].copy(), rate
        pos = body + size + (size & 1)
    raise WavError("no audio data found")


def read_wav(path: Path) -> tuple[Int16Array, int]:
    return parse_wav(path.read_bytes())
