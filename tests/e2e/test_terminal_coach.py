"""``backbeat run --no-gui``: the audio-only coach, with and without a terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.e2e.session_files import backbeat, write_short_protocol

SILENT = {"BACKBEAT_AUDIO_OUTPUT": "null"}


@pytest.fixture(scope="module")
def protocol_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_short_protocol(tmp_path_factory.mktemp("protocol"))


def test_without_a_terminal_it_just_plays_and_stops_after_for(protocol_file: Path) -> None:
    result = backbeat("run", protocol_file, "--no-gui", "--for", "2s", env=SILENT)
    assert result.returncode == 0, result.stderr
    assert "Stroking · Planar stroking" in result.stdout
    assert "» Planar stroking. Both palms glide up the back." in result.stdout
    assert "Using the" in result.stdout  # which voice speaks is said once
    assert "Rubbing" not in result.stdout  # stopped at 2 s of session time


@pytest.mark.parametrize("output", ["auto", "simpleaudio"])
def test_no_sound_device_gives_a_message_and_the_session_goes_on(
    protocol_file: Path, tmp_path: Path, output: str
) -> None:
    broken = tmp_path / "asound.conf"
    broken.write_text("pcm.!default { type hw card 99 }\n")
    env = {"ALSA_CONFIG_PATH": str(broken), "BACKBEAT_AUDIO_OUTPUT": output}
    result = backbeat("run", protocol_file, "--no-gui", "--no-voice", "--for", "1s", env=env)
    assert result.returncode == 0
    assert "No sound:" in result.stdout and "runs silently" in result.stdout
    assert "ALSA lib" not in result.stderr  # ALSA's own noise is kept away
    assert "Stroking · Planar stroking" in result.stdout


def test_an_unknown_output_device_gets_the_list_of_devices(protocol_file: Path) -> None:
    result = backbeat(
        "run", protocol_file, "--no-gui", "--output-device", "no such speakers", "--for", "1s"
    )
    assert result.returncode == 1
    assert "--output-device: output device 'no such speakers' is not a sound output here." in (
        result.stderr
    )
    assert "Output devices: " in result.stderr and "Traceback" not in result.stderr


def test_a_bad_for_duration_is_a_clear_error(protocol_file: Path) -> None:
    result = backbeat("run", protocol_file, "--no-gui", "--for", "forever", env=SILENT)
    assert result.returncode == 1 and "--for 'forever'" in result.stderr


class _Terminal:
    """The coach in a real pseudo-terminal, as a person would run it."""

    def __init__(self, *args: str) -> None:
        self.master, self.slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backbeat", *args],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env={**os.environ, **SILENT},
            start_new_session=True,
        )
        self.seen = ""
        self._mark = 0  # read_until looks only at what came after the last key press

    def read_until(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen[self._mark :] and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
        assert text in self.seen[self._mark :], self.seen[-2000:]
        return self.seen

    def press(self, key: str) -> None:
        self._mark = len(self.seen)
        os.write(self.master, key.encode())

    def finish(self) -> int:
        status = self.process.wait(30)
        return status

    def echo_and_canonical(self) -> bool:
        lflag = termios.tcgetattr(self.slave)[3]
        return bool(lflag & termios.ECHO) and bool(lflag & termios.ICANON)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def terminal_session(protocol_file: Path):  # type: ignore[no-untyped-def]
    terminal = _Terminal("run", str(protocol_file), "--no-gui", "--no-voice", "--for", "60s")
    yield terminal
    terminal.close()


def test_keys_skip_pause_stay_and_quit_and_the_terminal_is_restored(
    terminal_session: _Terminal,
) -> None:
    term = terminal_session
    term.read_until("Space pause/resume")
    term.read_until("Stroking · Planar stroking")
    term.press("n")
    term.read_until("Rubbing · Sawing")
    term.press(" ")
    term.read_until("[paused]")
    term.press(" ")
    term.read_until("Rubbing · Sawing")
    term.press("p")
    term.read_until("» Planar stroking.")
    term.read_until("Stroking · Planar stroking")
    term.press("s")  # 30 s more on this technique: the session grows from 0:30 to 1:00
    term.read_until("Staying 30 seconds longer on Planar stroking.")
    term.read_until("/1:00")
    term.press("q")
    assert term.finish() == 0
    assert term.echo_and_canonical()  # cbreak mode undone


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_ctrl_c_and_termination_restore_the_terminal(
    terminal_session: _Terminal, signum: int, status: int
) -> None:
    term = terminal_session
    term.read_until("Stroking · Planar stroking")
    os.killpg(term.process.pid, signum)
    assert term.finish() == status
    assert "Traceback" not in term.seen
    assert term.echo_and_canonical()
