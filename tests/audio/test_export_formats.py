"""Exports in every format: decoded back, their clicks on the plan's grid (lossless to the
sample, lossy within 2 ms), tags and chapter marks read back, atomic writing."""

from __future__ import annotations

from pathlib import Path

import mutagen
import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3

from backbeat.audio import export as export_module
from backbeat.audio.clicks import ClickBank
from backbeat.audio.export import default_tags, export_session
from backbeat.audio.export_formats import FORMATS, UnknownFormat, chapter_stamp, format_for
from backbeat.audio.mixer import SoundSettings
from backbeat.audio.opus_writer import OpusWriter
from backbeat.core.plan import SessionPlan
from tests.audio.helpers import onsets, short_plan

CLICKS_ONLY = SoundSettings(voice_on=False)


@pytest.fixture(scope="module")
def plan() -> SessionPlan:
    return short_plan()


@pytest.fixture(scope="module")
def exports(plan: SessionPlan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    files = {}
    for fmt in FORMATS:
        path = folder / f"session{fmt.extension}"
        export_session(plan, path, None, CLICKS_ONLY)
        files[fmt.extension] = path
    return files


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.extension)
def test_every_format_decodes_with_its_clicks_on_the_grid(
    fmt: object, plan: SessionPlan, exports: dict[str, Path]
) -> None:
    fmt = format_for(Path(f"x{fmt.extension}"))  # type: ignore[attr-defined]
    samples, rate = soundfile.read(exports[fmt.extension], dtype="float32")
    assert rate == fmt.sample_rate
    beats = plan.beats_between(0, plan.total)
    planned = np.array([round(b.time * rate) for b in beats])
    if not fmt.lossy:
        found = np.array(onsets(samples, 1e-4))
        assert len(found) == len(planned)
        assert np.array_equal(found, planned)  # every click on its sample
        return
    # A lossy codec blurs the first quiet samples: find each click where it is loud, less
    # the time its own attack takes to get there.
    bank = ClickBank(CLICKS_ONLY.click_sound, rate)
    level = 0.05
    rise = [
        int(np.argmax(np.abs(bank.for_beat(plan, b)) * CLICKS_ONLY.metronome_volume > level))
        for b in beats
    ]
    found = np.array(onsets(samples, level)) - np.array(rise)
    assert len(found) == len(planned)
    assert np.abs(found - planned).max() <= 0.002 * rate


@pytest.mark.parametrize("extension", [".flac", ".ogg", ".opus"])
def test_vorbis_comment_chapters_and_tags_read_back(
    extension: str, plan: SessionPlan, exports: dict[str, Path]
) -> None:
    audio = mutagen.File(exports[extension])
    assert audio is not None and audio.tags is not None
    tags = default_tags(plan)
    assert audio["title"] == [tags.title] and audio["artist"] == ["Backbeat"]
    assert audio["album"] == [tags.album]
    for number, step in enumerate(plan.steps, start=1):
        assert audio[f"CHAPTER{number:03d}"] == [chapter_stamp(step.start)]
        assert audio[f"CHAPTER{number:03d}NAME"] == [f"{step.block.title}: {step.technique.title}"]
    assert f"CHAPTER{len(plan.steps) + 1:03d}" not in audio


def test_mp3_has_id3_chapters_and_a_table_of_contents(
    plan: SessionPlan, exports: dict[str, Path]
) -> None:
    id3 = ID3(exports[".mp3"])
    assert id3["TIT2"].text == [default_tags(plan).title] and id3["TPE1"].text == ["Backbeat"]
    chapters = sorted(id3.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.start_time for c in chapters] == [round(s.start * 1000) for s in plan.steps]
    assert [c.end_time for c in chapters] == [round(s.end * 1000) for s in plan.steps]
    assert chapters[0].sub_frames["TIT2"].text == [
        f"{plan.steps[0].block.title}: {plan.steps[0].technique.title}"
    ]
    (toc,) = id3.getall("CTOC")
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]


def test_wav_has_title_artist_and_album(plan: SessionPlan, exports: dict[str, Path]) -> None:
    with soundfile.SoundFile(exports[".wav"]) as wav:
        assert wav.title == default_tags(plan).title
        assert wav.artist == "Backbeat" and wav.album == default_tags(plan).album


def test_an_unknown_extension_lists_the_formats() -> None:
    with pytest.raises(UnknownFormat) as caught:
        format_for(Path("session.aac"))
    assert all(f.extension in str(caught.value) for f in FORMATS)
    with pytest.raises(UnknownFormat, match="no extension"):
        format_for(Path("session"))


@pytest.mark.parametrize("extension", [".ogg", ".opus"])  # libsndfile and PyAV
def test_a_failed_export_leaves_nothing_behind(
    plan: SessionPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extension: str
) -> None:
    target = tmp_path / f"session{extension}"
    target.write_bytes(b"an older export")
    calls = []

    def failing_render(*args: object, **kwargs: object) -> np.ndarray:
        if calls:
            raise OSError(28, "No space left on device")
        calls.append(1)
        return np.zeros(args[2], dtype=np.float32)  # type: ignore[call-overload]

    monkeypatch.setattr(export_module, "CHUNK_SECONDS", 5.0)
    monkeypatch.setattr(export_module, "render_window", failing_render)
    with pytest.raises(OSError, match="No space"):
        export_session(plan, target, None, CLICKS_ONLY)
    assert target.read_bytes() == b"an older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_the_opus_encoder_failing_is_an_os_error_with_the_reason(tmp_path: Path) -> None:
    with (
        pytest.raises(OSError, match=r"could not encode Opus: .*No such file"),
        OpusWriter(tmp_path / "no such folder" / "x.opus", 48000) as writer,
    ):
        writer.write(np.zeros(48000, dtype=np.float32))
