"""What ``backbeat export`` says about the voice, and the formats it knows."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import soundfile

from backbeat.audio.voice import CHIME_MESSAGE, VoiceStatus
from backbeat.cli.export_cmd import _voice_message
from tests.e2e.session_files import backbeat, write_short_protocol


def _voice(status: VoiceStatus) -> SimpleNamespace:
    return SimpleNamespace(status=status)


def test_a_chime_only_export_says_the_file_has_no_words_and_points_to_the_cue_sheet() -> None:
    status = VoiceStatus("chime", f"No speech engine works here (piper: gone). {CHIME_MESSAGE}")
    with_sheet = _voice_message(_voice(status), Path("plan.json"))
    assert "text is shown" not in with_sheet
    assert "no spoken words" in with_sheet and "plan.json" in with_sheet
    assert "piper: gone" in with_sheet
    without = _voice_message(_voice(status), None)
    assert "--cues" in without


def test_a_speaking_voice_is_simply_named() -> None:
    status = VoiceStatus("piper", "Using the Piper voice.")
    assert _voice_message(_voice(status), None) == "Using the Piper voice."


def test_the_extension_picks_the_format_and_the_sound_options_are_checked(
    tmp_path: Path,
) -> None:
    protocol_file = write_short_protocol(tmp_path)
    out = tmp_path / "session.ogg"
    result = backbeat("export", protocol_file, "-o", out, "--no-voice", "--metronome-volume", "0.5")
    assert result.returncode == 0, result.stderr
    assert "Ogg Vorbis" in result.stderr and out.exists()
    assert soundfile.info(str(out)).subtype == "VORBIS"
    bad = backbeat("export", protocol_file, "-o", tmp_path / "x.mp3", "--voice-volume", "3")
    assert bad.returncode == 1 and "--voice-volume 3.0: give a volume from 0" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.mp3").exists()
