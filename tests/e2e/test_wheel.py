"""The wheel carries the bundled protocols and assets.

It is built from a copy of the source tree, installed into a new virtual environment that
cannot see this one or the checkout, and its ``backbeat`` is run from there. Only the
packages that ``list``, ``validate`` and ``--version`` import are installed next to it: they
must not need Qt, numpy or the voice, so a missing data file cannot hide behind an import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

# Left out of the copy at the top level only: the build must not see a stale build/ or dist/.
TOP_LEVEL_SKIPPED = {
    ".git",
    ".venv",
    "build",
    "dist",
    "out",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}
# Light runtime dependencies of the commands exercised here, pinned to what the tests run with.
LIGHT_DEPENDENCIES = ("pyyaml", "platformdirs")


def run(
    command: list[str | Path], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=cwd,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def skip_build_clutter(root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
        if Path(folder) == root:
            skipped |= TOP_LEVEL_SKIPPED & set(names)
        return skipped

    return ignore


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source") / "backbeat"
    shutil.copytree(REPO_ROOT, source, ignore=skip_build_clutter(REPO_ROOT))
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheelhouse, source])
    (built,) = wheelhouse.glob("backbeat-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clean") / "venv"
    run([sys.executable, "-m", "venv", root])
    python = root / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel])
    pinned = [f"{name}=={version(name)}" for name in LIGHT_DEPENDENCIES]
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", *pinned])
    return root


def clean_env(venv: Path) -> dict[str, str]:
    """This process's environment without any way back to the checkout or its .venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), os.defpath])
    return env


def installed(venv: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run([venv / "bin" / "backbeat", *args], env=clean_env(venv), cwd=venv)


def installed_data_dir(venv: Path) -> Path:
    (data,) = venv.glob("lib/python3*/site-packages/backbeat/data")
    return data


def repo_files(name: str) -> set[str]:
    folder = REPO_ROOT / name
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def bundled_ids() -> list[str]:
    return sorted(p.stem for p in (REPO_ROOT / "protocols").glob("*.yaml"))


@pytest.mark.parametrize("name", ["protocols", "assets"])
def test_the_wheel_carries_every_file_of_the_top_level_folder(wheel: Path, name: str) -> None:
    prefix = f"backbeat/data/{name}/"
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {n.removeprefix(prefix) for n in archive.namelist() if n.startswith(prefix)}
    expected = repo_files(name)
    assert expected, f"{name}/ is empty in the checkout"
    assert in_wheel == expected


def test_the_installed_package_finds_its_data_inside_site_packages(venv: Path) -> None:
    script = (
        "from backbeat import resources;"
        "print(resources.bundled_protocols_dir());print(resources.assets_dir())"
    )
    result = run([venv / "bin" / "python", "-c", script], env=clean_env(venv), cwd=venv)
    protocols, assets = (Path(line) for line in result.stdout.splitlines())
    assert protocols == installed_data_dir(venv) / "protocols"
    assert assets == installed_data_dir(venv) / "assets"


def test_the_installed_version_comes_from_the_package_metadata(venv: Path) -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    result = installed(venv, "--version")
    assert result.stdout.strip() == f"backbeat {project['project']['version']}"


def test_installed_list_shows_every_bundled_protocol(venv: Path) -> None:
    listing = installed(venv, "list").stdout
    for protocol_id in bundled_ids():
        rows = [line for line in listing.splitlines() if line.startswith(f"{protocol_id} ")]
        assert len(rows) == 1, listing
        assert rows[0].endswith("bundled"), rows[0]


def test_installed_validate_accepts_every_installed_protocol(venv: Path) -> None:
    files = sorted((installed_data_dir(venv) / "protocols").glob("*.yaml"))
    assert sorted(f.stem for f in files) == bundled_ids()
    output = installed(venv, "validate", *files).stdout
    for file in files:
        assert f"{file}: ok ({file.stem}," in output, output
