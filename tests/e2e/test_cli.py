"""The command line as a person types it: real subprocesses, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROTOCOLS_DIR

HOME = PROTOCOLS_DIR / "home-back-massage.yaml"


def backbeat(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backbeat", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def assert_clear_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    result = backbeat("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"backbeat {version('backbeat')}"


def test_validate_accepts_every_bundled_protocol() -> None:
    files = sorted(PROTOCOLS_DIR.glob("*.yaml"))
    result = backbeat("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == len(files)


def test_validate_reports_each_problem_with_its_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = HOME.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("default_mode: relaxing", "default_mode: sleepy", 1), encoding="utf-8"
    )
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("default_mode:"))
    result = backbeat("validate", HOME, broken)
    assert_clear_failure(result, f"{broken}:{line}:")
    assert "relaxing" in result.stderr and "stimulating" in result.stderr
    assert f"{HOME}: ok" in result.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\xff\xfe binary",
        "\u00e9".encode("latin-1"),
        b"[unclosed",
        b"- just\n- a list\n",
    ],
    ids=["empty", "binary", "not-utf8", "syntax", "not-a-mapping"],
)
def test_validate_never_shows_a_traceback(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    assert_clear_failure(backbeat("validate", bad), str(bad))


def test_validate_missing_file_and_directory(tmp_path: Path) -> None:
    assert_clear_failure(backbeat("validate", ""), "empty file name")
    assert_clear_failure(backbeat("validate", tmp_path / "nope.yaml"), "nope.yaml")
    assert_clear_failure(backbeat("validate", tmp_path), str(tmp_path))


def test_plan_prints_a_readable_table() -> None:
    result = backbeat("plan", HOME)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for header in ("Block", "Technique", "Start", "Length", "Rhythm", "Zones"):
        assert header in out
    assert "kneading" in out and "Total " in out
    assert "/min" in out


def test_plan_json_has_exactly_the_documented_shape() -> None:
    result = backbeat("plan", HOME, "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == {"protocol", "mode", "total", "steps", "cues"}
    assert plan["protocol"] == "home-back-massage"
    assert plan["mode"] == "relaxing"
    step_keys = {"block", "technique", "start", "duration", "rhythm", "zones", "spot_limit"}
    assert all(set(step) == step_keys for step in plan["steps"])
    assert all(set(cue) == {"time", "kind", "text"} for cue in plan["cues"])
    ends = [s["start"] + s["duration"] for s in plan["steps"]]
    assert [s["start"] for s in plan["steps"][1:]] == pytest.approx(ends[:-1])
    assert plan["total"] == pytest.approx(ends[-1])
    kinds = {c["kind"] for c in plan["cues"]}
    assert {"start", "announce", "spot", "halfway", "final", "end"} <= kinds


def test_plan_modes_overrides_and_total() -> None:
    relaxing = json.loads(backbeat("plan", HOME, "--json").stdout)
    stimulating = json.loads(backbeat("plan", HOME, "--json", "--mode", "stimulating").stdout)
    assert stimulating["mode"] == "stimulating"
    assert sum(s["rhythm"] for s in stimulating["steps"]) > sum(
        s["rhythm"] for s in relaxing["steps"]
    )

    longer = json.loads(backbeat("plan", HOME, "--json", "--set", "kneading=12m").stdout)
    kneading = sum(s["duration"] for s in longer["steps"] if s["block"] == "kneading")
    assert kneading == pytest.approx(720)

    short = json.loads(backbeat("plan", HOME, "--json", "--total", "15m").stdout)
    assert short["total"] == pytest.approx(900)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--set", "nosuchblock=3m"], "nosuchblock"),
        (["--set", "kneading=-3m"], "kneading"),
        (["--set", "kneading=0"], "kneading"),
        (["--set", "kneading"], "BLOCK=DURATION"),
        (["--set", "kneading=soon"], "soon"),
        (["--total", "0"], "--total"),
        (["--total", "-5m"], "more than zero"),  # not argparse's "expected one argument"
        (["--total", "ten minutes"], "ten minutes"),
        (["--total", "20s"], "movements"),
        (["--mode", "sleepy"], "sleepy"),
    ],
)
def test_plan_refuses_bad_requests_clearly(args: list[str], fragment: str) -> None:
    assert_clear_failure(backbeat("plan", HOME, *args), fragment)


def test_list_shows_bundled_and_user_protocols(tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    user_dir = data_home / "backbeat" / "protocols"
    user_dir.mkdir(parents=True)
    mine = HOME.read_text(encoding="utf-8").replace("id: home-back-massage", "id: my-massage", 1)
    (user_dir / "my-massage.yaml").write_text(mine, encoding="utf-8")
    (user_dir / "broken.yaml").write_text("id: [", encoding="utf-8")
    result = backbeat("list", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    for protocol in PROTOCOLS_DIR.glob("*.yaml"):
        assert protocol.stem in result.stdout
    assert "my-massage" in result.stdout and "yours" in result.stdout
    assert "broken" in result.stdout and "does not load" in result.stdout


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "backbeat", "plan", str(HOME)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head -0`: gone before backbeat has even started writing
    stderr = reader.stderr.read()
    reader.wait(timeout=60)
    assert "Traceback" not in stderr, stderr


def test_every_line_of_a_multi_problem_error_is_labelled(tmp_path: Path) -> None:
    broken = tmp_path / "two-problems.yaml"
    text = HOME.read_text(encoding="utf-8")
    text = text.replace("default_mode: relaxing", "default_mode: sleepy", 1)
    broken.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    result = backbeat("plan", broken)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) >= 2
    assert all(line.startswith(f"backbeat: {broken}:") for line in lines), result.stderr


@pytest.mark.parametrize("command", [[], ["gui"], ["run", str(HOME)]], ids=["bare", "gui", "run"])
def test_without_a_display_the_window_says_what_to_do(command: list[str]) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "backbeat", *command],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert "no graphical display" in result.stderr and "--no-gui" in result.stderr
