"""Outputs never destroy inputs: -o and --cues checked, files written whole with the
user's umask, and leftovers of killed saves cleaned on the next save."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.e2e.session_files import write_short_protocol
from tests.e2e.test_cli import assert_clear_failure, backbeat


@pytest.fixture
def protocol(tmp_path: Path) -> Path:
    return write_short_protocol(tmp_path)


def test_the_cue_sheet_may_not_overwrite_the_protocol(protocol: Path, tmp_path: Path) -> None:
    before = protocol.read_bytes()
    result = backbeat("export", protocol, "-o", tmp_path / "out.wav", "--cues", protocol)
    assert_clear_failure(result, "the cue sheet", "is the protocol", "would destroy")
    assert protocol.read_bytes() == before and not (tmp_path / "out.wav").exists()


def test_the_wav_may_not_overwrite_a_protocol_named_like_a_wav(protocol: Path) -> None:
    named_wav = protocol.with_name("p.wav")
    named_wav.write_bytes(protocol.read_bytes())
    result = backbeat("export", named_wav, "-o", named_wav, "--no-voice")
    assert_clear_failure(result, "the output", "is the protocol")
    assert named_wav.read_bytes() == protocol.read_bytes()


def test_the_wav_and_the_cue_sheet_may_not_be_one_file(protocol: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    result = backbeat("export", protocol, "-o", out, "--cues", out, "--no-voice")
    assert_clear_failure(result, "is the same file as the output")


def test_devices_pipes_and_dangling_links_are_refused(protocol: Path, tmp_path: Path) -> None:
    (tmp_path / "null.wav").symlink_to("/dev/null")
    (tmp_path / "nowhere.wav").symlink_to(tmp_path / "missing" / "x.wav")
    os.mkfifo(tmp_path / "fifo.wav")
    for name, fragment in (
        ("null.wav", "not a regular file"),
        ("fifo.wav", "not a regular file"),
        ("nowhere.wav", "a link to nothing"),
    ):
        result = backbeat("export", protocol, "-o", tmp_path / name, "--no-voice")
        assert_clear_failure(result, fragment)
    assert (tmp_path / "null.wav").is_symlink()


def test_a_link_to_a_regular_file_writes_the_file_and_keeps_the_link(
    protocol: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.wav"
    real.write_bytes(b"old")
    link = tmp_path / "link.wav"
    link.symlink_to(real.name)
    result = backbeat("export", protocol, "-o", link, "--no-voice")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_bytes()[:4] == b"RIFF"


def test_new_files_follow_the_umask_and_the_cue_sheet_is_strict_json(
    protocol: Path, tmp_path: Path
) -> None:
    out, cues = tmp_path / "out.wav", tmp_path / "plan.json"
    script = textwrap.dedent(
        f"""
        import os, sys
        os.umask(0o077)
        from backbeat.cli import main
        sys.exit(main(["export", {str(protocol)!r}, "-o", {str(out)!r}, "--cues",
                       {str(cues)!r}, "--no-voice"]))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600 and cues.stat().st_mode & 0o777 == 0o600
    json.loads(cues.read_text(encoding="utf-8"), parse_constant=pytest.fail)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_saver_killed_again_and_again_leaves_a_whole_file_and_no_pile_of_temps(
    tmp_path: Path,
) -> None:
    from backbeat.core.protocol_io import load_protocol, save_protocol
    from tests.conftest import PROTOCOLS_DIR

    target = tmp_path / "mine.yaml"
    versions = [load_protocol(p) for p in sorted(PROTOCOLS_DIR.glob("*.yaml"))[:2]]
    save_protocol(versions[0], target)
    saver = textwrap.dedent(
        f"""
        from pathlib import Path
        from backbeat.core.protocol_io import load_protocol, save_protocol
        versions = [load_protocol(p) for p in sorted(Path({str(PROTOCOLS_DIR)!r}).glob("*.yaml"))[:2]]
        print("ready", flush=True)
        n = 0
        while True:
            save_protocol(versions[n % 2], Path({str(target)!r}))
            n += 1
        """
    )
    for round_number in range(12):
        process = subprocess.Popen([sys.executable, "-c", saver], stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        time.sleep(0.05 + 0.013 * round_number)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        process.stdout.close()
        assert load_protocol(target).id in {v.id for v in versions}
        leftovers = [p for p in tmp_path.iterdir() if p.name != "mine.yaml"]
        assert len(leftovers) <= 1, leftovers  # at most the one the last kill interrupted
    save_protocol(versions[1], target)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]
