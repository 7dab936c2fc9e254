"""The file formats a session can be exported to, picked by the file's extension, and how
each gets its tags and chapter marks.

Audio goes through soundfile (libsndfile), except Opus, which PyAV encodes four times
faster (see opus_writer.py); tags and chapters through mutagen wherever libsndfile cannot
write them: Vorbis comments (``CHAPTER001=00:00:00.000``,
``CHAPTER001NAME=...``) in FLAC, Ogg Vorbis and Opus, ID3 ``CHAP``/``CTOC`` frames in MP3.
A WAV gets its title, artist and album as a RIFF INFO list (libsndfile) and no chapters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, cast

import numpy as np
import numpy.typing as npt
import soundfile

from backbeat.audio import OUTPUT_RATE
from backbeat.audio.opus_writer import OpusWriter

#: Opus runs at 48 kHz only (libsndfile refuses 44.1 kHz for it).
OPUS_RATE = 48000


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    label: str
    container: str  # libsndfile's major format
    subtype: str
    sample_rate: int
    lossy: bool
    # soundfile's compression level 0..1 (None: libsndfile's default): for Vorbis and Opus
    # the quality falls as it rises; chosen so 20 minutes of speech and clicks stay small.
    compression_level: float | None = None
    bitrate_mode: str | None = None

    @property
    def chapters(self) -> str | None:
        """How chapter marks are written: "vorbis" comments, "id3" frames, or None."""
        if self.container in ("FLAC", "OGG"):
            return "vorbis"
        if self.container == "MP3":
            return "id3"
        return None


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(".wav", "WAV (16-bit PCM)", "WAV", "PCM_16", OUTPUT_RATE, lossy=False),
    ExportFormat(".flac", "FLAC (lossless)", "FLAC", "PCM_16", OUTPUT_RATE, lossy=False),
    ExportFormat(".ogg", "Ogg Vorbis", "OGG", "VORBIS", OUTPUT_RATE, lossy=True,
                 compression_level=0.6),
    ExportFormat(".opus", "Opus", "OGG", "OPUS", OPUS_RATE, lossy=True),
    ExportFormat(".mp3", "MP3", "MP3", "MPEG_LAYER_III", OUTPUT_RATE, lossy=True,
                 compression_level=0.6, bitrate_mode="VARIABLE"),
)  # fmt: skip


class UnknownFormat(ValueError):
    """An output name whose extension is not one of :data:`FORMATS`."""


def format_names() -> str:
    return ", ".join(f"{f.extension} ({f.label})" for f in FORMATS)


def format_for(path: Path) -> ExportFormat:
    suffix = path.suffix.lower()
    for candidate in FORMATS:
        if candidate.extension == suffix:
            return candidate
    shown = f"'{path.suffix}'" if path.suffix else "no extension"
    raise UnknownFormat(
        f"{path} has {shown}; the format is picked by the extension: {format_names()}"
    )


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    end: float
    title: str


@dataclass(frozen=True)
class ExportTags:
    title: str
    artist: str
    album: str
    chapters: Sequence[Chapter] = ()


class AudioWriter(Protocol):
    """An encoder open on a file: float blocks in, closed on leaving the ``with``."""

    def write(self, samples: npt.NDArray[np.float32] | npt.NDArray[np.int16]) -> object: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> object: ...


def open_for_writing(path: Path, fmt: ExportFormat, tags: ExportTags) -> AudioWriter:
    """An encoder for ``fmt`` on ``path``; a WAV gets its tags here (a RIFF INFO list is
    written with the audio), the other formats from :func:`write_tags` once closed."""
    if fmt.subtype == "OPUS":
        return OpusWriter(path, fmt.sample_rate)
    extra: dict[str, object] = {}
    if fmt.compression_level is not None:
        extra["compression_level"] = fmt.compression_level
    if fmt.bitrate_mode is not None:
        extra["bitrate_mode"] = fmt.bitrate_mode
    sound_file = soundfile.SoundFile(
        path, "w", fmt.sample_rate, 1, fmt.subtype, format=fmt.container, **extra
    )
    if fmt.container == "WAV":
        sound_file.title = tags.title
        sound_file.artist = tags.artist
        sound_file.album = tags.album
    return cast(AudioWriter, sound_file)


def chapter_stamp(seconds: float) -> str:
    """``HH:MM:SS.mmm``, as the Vorbis chapter extension writes a chapter's start."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def write_tags(path: Path, fmt: ExportFormat, tags: ExportTags) -> None:
    """Tags and chapters of a closed FLAC, Ogg or MP3 file (mutagen rewrites its header)."""
    if fmt.chapters == "vorbis":
        _write_vorbis_comments(path, tags)
    elif fmt.chapters == "id3":
        _write_id3(path, tags)


def _write_vorbis_comments(path: Path, tags: ExportTags) -> None:
    import mutagen

    audio = mutagen.File(path)
    if audio is None:
        raise OSError(f"the encoded file {path} could not be read back to tag it")
    if audio.tags is None:
        audio.add_tags()
    comments: dict[str, str] = {"TITLE": tags.title, "ARTIST": tags.artist, "ALBUM": tags.album}
    for number, chapter in enumerate(tags.chapters, start=1):
        comments[f"CHAPTER{number:03d}"] = chapter_stamp(chapter.start)
        comments[f"CHAPTER{number:03d}NAME"] = chapter.title
    for key, value in comments.items():
        audio[key] = [value]
    audio.save()


def _write_id3(path: Path, tags: ExportTags) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags, ID3NoHeaderError

    try:
        id3 = ID3(path)
    except ID3NoHeaderError:
        id3 = ID3()
    id3.delall("CHAP")
    id3.delall("CTOC")
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    ids = [f"chp{number}" for number in range(1, len(tags.chapters) + 1)]
    for element_id, chapter in zip(ids, tags.chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    if ids:
        id3.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=["Techniques"])],
            )
        )
    id3.save(path, v2_version=4)
