"""Synthesised prompts on disk, so a second start costs nothing.

One WAV per prompt, named by a hash of everything that changes the sound: engine, voice,
synthesis settings, processing version, output rate and the text. Each file carries a
checksum of its samples in a chunk of its own (players skip unknown chunks), and every
entry is checked before use: its header, its exact length and the checksum. A damaged
entry (cut short, zero channels, bit rot) is made again and replaced atomically; an
entry that is not a regular file (a FIFO, a folder) is skipped without being opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import struct
from pathlib import Path

import numpy as np

from backbeat.audio.tts import PromptSamples
from backbeat.core.safe_files import commit_temp, locked_temp, new_file_mode

log = logging.getLogger(__name__)

#: Bump when the trimming/normalising or the file layout changes, so old files are not
#: reused ("2": the checksum chunk; "3": normalised by loudness, BS.1770, not by peak).
PROCESSING_VERSION = "3"
#: RIFF header, 16-byte format chunk, data chunk header.
_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")
_CHECK_CHUNK = b"bbsh"  # Backbeat's own: the SHA-256 of the data chunk's bytes
_CHECK_SIZE = 32
#: A prompt is a sentence or two; anything bigger is not one of ours.
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def cache_key(engine: str, voice_id: str, settings_id: str, sample_rate: int, text: str) -> str:
    parts = [engine, voice_id, settings_id, PROCESSING_VERSION, str(sample_rate), text]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def encode_entry(samples: PromptSamples, sample_rate: int) -> bytes:
    """Mono 16-bit WAV bytes with the checksum chunk after the samples."""
    data = samples.astype("<i2", copy=False).tobytes()
    total = _HEADER.size + len(data) + 8 + _CHECK_SIZE
    header = _HEADER.pack(
        b"RIFF", total - 8, b"WAVE", b"fmt ", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16,
        b"data", len(data),
    )  # fmt: skip
    checksum = hashlib.sha256(data).digest()
    return header + data + _CHECK_CHUNK + struct.pack("<I", _CHECK_SIZE) + checksum


def decode_entry(blob: bytes, sample_rate: int) -> PromptSamples | None:
    """The samples of an entry written by :func:`encode_entry`, or None when anything in
    it is not exactly what that writer makes (so a damaged file is never half played)."""
    if len(blob) < _HEADER.size + 8 + _CHECK_SIZE:
        return None
    riff, size, wave, fmt, fmt_size, pcm, channels, rate, byte_rate, align, bits, data_id, n = (
        _HEADER.unpack_from(blob)
    )
    expected = (b"RIFF", b"WAVE", b"fmt ", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16, b"data")
    if (riff, wave, fmt, fmt_size, pcm, channels, rate, byte_rate, align, bits, data_id) != (
        expected
    ):
        return None
    if size != len(blob) - 8 or n % 2 or len(blob) != _HEADER.size + n + 8 + _CHECK_SIZE:
        return None
    data = blob[_HEADER.size : _HEADER.size + n]
    tail = blob[_HEADER.size + n :]
    if tail[:8] != _CHECK_CHUNK + struct.pack("<I", _CHECK_SIZE):
        return None
    if tail[8:] != hashlib.sha256(data).digest():
        return None
    return np.frombuffer(data, dtype="<i2").astype(np.int16)  # a copy: the blob is let go


class VoiceCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self.healed = 0  # damaged entries found (each is made again)

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key}.wav"

    def load(self, key: str, sample_rate: int) -> PromptSamples | None:
        path = self.path_for(key)
        blob = self._read_regular(path)
        samples = decode_entry(blob, sample_rate) if blob is not None else None
        if samples is None:
            self.misses += 1
            if blob is not None:
                self.healed += 1
                log.warning("a cached prompt is damaged and is made again: %s", path)
            return None
        self.hits += 1
        return samples

    def _read_regular(self, path: Path) -> bytes | None:
        """The file's bytes when it is a regular file of a sensible size; None otherwise.
        Checked before opening (opening a FIFO would wait forever) and again after,
        in case it was swapped in between."""
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            log.warning("skipping %s in the voice cache: it is not a regular file", path)
            return None
        if info.st_size > MAX_ENTRY_BYTES:
            return b""  # damaged: made again and replaced
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return stream.read(MAX_ENTRY_BYTES + 1)

    def store(self, key: str, samples: PromptSamples, sample_rate: int) -> None:
        """Best effort, atomically: a read-only or full disk only costs a re-synthesis next
        time. An entry that is not a regular file (a folder) is left alone."""
        path = self.path_for(key)
        with contextlib.suppress(FileNotFoundError):
            mode = os.lstat(path).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            mode = new_file_mode(path)
            fd, temp = locked_temp(path)
        except OSError as error:
            log.warning("could not cache a prompt in %s: %s", self.directory, error)
            return
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(encode_entry(samples, sample_rate))
                stream.flush()
                commit_temp(stream.fileno(), temp, path, mode)
        except OSError as error:
            log.warning("could not cache a prompt in %s: %s", self.directory, error)
            with contextlib.suppress(OSError):
                os.unlink(temp)
