"""Odd terminals: signals, closed or full standard streams, and protocol texts that try
to drive the terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.session_files import write_short_protocol
from tests.e2e.test_cli import HOME, backbeat
from tests.e2e.test_terminal_coach import SILENT, _Terminal

#: A title that would retitle and clear the terminal if printed raw (a file name can do
#: the same, and file names are not checked by the loader).
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J"


@pytest.fixture
def protocol(tmp_path: Path) -> Path:
    return write_short_protocol(tmp_path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_an_ending_signal_restores_the_terminal_modes(protocol: Path, signum: int) -> None:
    term = _Terminal("run", str(protocol), "--no-gui", "--no-voice", "--for", "60s")
    try:
        term.read_until("Space pause/resume")
        term.read_until("Stroking · Planar stroking")
        assert not term.echo_and_canonical()  # the coach is in key mode now
        term.process.send_signal(signum)
        assert term.finish() == 128 + signum
        assert "Traceback" not in term.seen
        assert term.echo_and_canonical()
    finally:
        term.close()


def _run(command: str, protocol: Path) -> subprocess.CompletedProcess[str]:
    """``command`` in a shell, so streams can be closed the way a user closes them."""
    python = f"{sys.executable} -m backbeat"
    return subprocess.run(
        ["sh", "-c", command.format(backbeat=python, protocol=protocol)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **SILENT},
    )


def test_with_stdin_closed_the_coach_just_plays(protocol: Path) -> None:
    result = _run("{backbeat} run {protocol} --no-gui --no-voice --for 2s <&-", protocol)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Planar stroking" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        "{backbeat} run {protocol} --no-gui --no-voice --for 2s >&-",
        "{backbeat} plan {protocol} >&-",
        "{backbeat} plan {protocol} >/dev/full",
        "{backbeat} list >/dev/full",
        "{backbeat} plan {protocol} --json >/dev/full",
    ],
    ids=["run-closed", "plan-closed", "plan-full", "list-full", "json-full"],
)
def test_a_closed_or_full_stdout_is_one_line_and_a_failure(command: str, protocol: Path) -> None:
    result = _run(command, protocol)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backbeat: "), result.stderr
    assert "standard output" in lines[0]


def test_escape_sequences_in_names_are_never_written_raw(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    user_dir = data_home / "backbeat" / "protocols"
    user_dir.mkdir(parents=True)
    (user_dir / f"evil{ESCAPES}.yaml").write_text("id: [", encoding="utf-8")
    env = {"XDG_DATA_HOME": str(data_home), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    listing = backbeat("list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "\x1b" not in listing.stdout and "\\x1b]0;PWNED\\x07" in listing.stdout
    validated = backbeat("validate", user_dir / f"evil{ESCAPES}.yaml")
    assert validated.returncode == 1 and "\x1b" not in validated.stderr


def test_escape_sequences_in_a_title_are_refused_by_the_loader(tmp_path: Path) -> None:
    text = HOME.read_text(encoding="utf-8").replace(
        "title: Home back massage", 'title: "Home\\e]0;PWNED\\a\\e[2J"', 1
    )
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    result = backbeat("plan", tmp_path / "evil.yaml")
    assert result.returncode == 1 and "\x1b" not in result.stdout + result.stderr
    assert "control character U+001B" in result.stderr


def test_list_shows_a_broken_protocol_with_its_first_problem_and_lists_the_rest(
    tmp_path: Path,
) -> None:
    data_home = tmp_path / "data"
    user_dir = data_home / "backbeat" / "protocols"
    user_dir.mkdir(parents=True)
    text = HOME.read_text(encoding="utf-8")
    (user_dir / "surrogate.yaml").write_text(
        text.replace("title: Home back massage", 'title: "Home \\ud800"', 1), encoding="utf-8"
    )
    (user_dir / "mine.yaml").write_text(text.replace("id: home-back-massage", "id: mine", 1))
    env = {"XDG_DATA_HOME": str(data_home), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the second answer comes from the summary cache
        result = backbeat("list", env=env)
        assert result.returncode == 0, result.stderr
        assert "mine" in result.stdout and "surrogate" in result.stdout
        assert "lone surrogate U+D800" in result.stdout
    (user_dir / "mine.yaml").write_text(text.replace("id: home-back-massage", "id: changed", 1))
    assert "changed" in backbeat("list", env=env).stdout


def test_a_protocols_folder_that_is_a_file_is_said(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    (data_home / "backbeat").mkdir(parents=True)
    (data_home / "backbeat" / "protocols").write_text("not a folder")
    result = backbeat("list", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0 and "home-back-massage" in result.stdout
    assert "it is not a folder" in result.stderr


def test_a_display_whose_x_server_is_gone_gets_the_apps_own_message() -> None:
    free = next(n for n in range(391, 499) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    env = {k: v for k, v in os.environ.items() if k not in {"WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run(
        [sys.executable, "-m", "backbeat", "gui"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "DISPLAY": f":{free}"},
    )
    assert result.returncode == 1, (result.returncode, result.stderr)  # not SIGABRT (-6)
    assert "cannot open the window" in result.stderr and "--no-gui" in result.stderr
