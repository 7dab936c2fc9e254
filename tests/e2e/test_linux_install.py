"""packaging/linux/install.sh and uninstall.sh, run for real into a temporary home.

The bundle is a stand-in (a ``backbeat`` script that answers ``--version``) so the test
does not need ``make bundle``; the smoke test installs nothing and the real bundle is
checked there. Here what matters is where the files go and what the menu entry runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

APP_ID = "io.github.backbeat.backbeat"
INSTALL = REPO_ROOT / "packaging" / "linux" / "install.sh"
UNINSTALL = REPO_ROOT / "packaging" / "linux" / "uninstall.sh"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "dl" / "backbeat"
    (folder / "_internal").mkdir(parents=True)
    program = folder / "backbeat"
    program.write_text("#!/bin/sh\necho 'backbeat 9.9.9'\n", encoding="utf-8")
    program.chmod(0o755)
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "my home"  # a space, as in many real home folders
    folder.mkdir()
    return folder


def script(
    path: Path, home: Path, *args: str | Path, **env: str
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "HOME": str(home)}
    return subprocess.run(
        ["bash", str(path), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **env},
    )


def installed_files(prefix: Path, data: Path) -> list[Path]:
    return [
        prefix / "lib" / "backbeat" / "backbeat",
        prefix / "bin" / "backbeat",
        data / "applications" / f"{APP_ID}.desktop",
        data / "metainfo" / f"{APP_ID}.metainfo.xml",
        data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(data / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in ICON_SIZES),
    ]


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else b""
        for p in sorted(root.rglob("*"))
    }


def test_install_puts_the_app_its_entry_and_icons_under_local(bundle: Path, home: Path) -> None:
    result = script(INSTALL, home, bundle)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    for path in installed_files(local, local / "share"):
        assert path.exists(), f"{path} was not installed"
    assert (local / "bin" / "backbeat").resolve() == local / "lib" / "backbeat" / "backbeat"
    entry = (local / "share" / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    program = local / "lib" / "backbeat" / "backbeat"
    assert f'Exec="{program}" gui\n' in entry
    assert f"TryExec={program}\n" in entry
    assert "backbeat 9.9.9" in result.stdout


def test_the_installed_entry_still_passes_desktop_file_validate(bundle: Path, home: Path) -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed")
    assert script(INSTALL, home, bundle).returncode == 0
    entry = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    result = subprocess.run([validate, entry], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_installing_twice_leaves_the_same_files(bundle: Path, home: Path) -> None:
    assert script(INSTALL, home, bundle).returncode == 0
    first = snapshot(home)
    again = script(INSTALL, home, bundle)
    assert again.returncode == 0, again.stderr
    assert snapshot(home) == first


def test_prefix_and_xdg_data_home_are_respected(bundle: Path, home: Path, tmp_path: Path) -> None:
    data = tmp_path / "xdg data"
    assert script(INSTALL, home, bundle, XDG_DATA_HOME=str(data)).returncode == 0
    for path in installed_files(home / ".local", data):
        assert path.exists(), f"{path} was not installed"

    prefix = tmp_path / "opt"
    assert script(INSTALL, home, bundle, PREFIX=str(prefix)).returncode == 0
    for path in installed_files(prefix, prefix / "share"):
        assert path.exists(), f"{path} was not installed"


def test_uninstall_removes_everything_and_is_idempotent(bundle: Path, home: Path) -> None:
    assert script(INSTALL, home, bundle).returncode == 0
    removed = script(UNINSTALL, home)
    assert removed.returncode == 0, removed.stderr
    local = home / ".local"
    leftovers = [p for p in installed_files(local, local / "share") if p.exists() or p.is_symlink()]
    assert leftovers == []
    assert not [p for p in home.rglob("*") if p.is_file()]
    again = script(UNINSTALL, home)
    assert again.returncode == 0
    assert "nothing to remove" in again.stdout


def test_a_backbeat_command_that_is_not_ours_is_left_alone(bundle: Path, home: Path) -> None:
    other = home / ".local" / "bin" / "backbeat"  # e.g. from `pipx install backbeat`
    other.parent.mkdir(parents=True)
    other.write_text("#!/bin/sh\necho pipx\n", encoding="utf-8")
    result = script(INSTALL, home, bundle)
    assert result.returncode == 0
    assert "left" in result.stdout and "alone" in result.stdout
    assert script(UNINSTALL, home).returncode == 0
    assert other.read_text(encoding="utf-8") == "#!/bin/sh\necho pipx\n"


def test_a_missing_bundle_gets_a_clear_message(home: Path, tmp_path: Path) -> None:
    result = script(INSTALL, home, tmp_path / "nowhere")
    assert result.returncode != 0
    assert "no Backbeat bundle" in result.stderr and "make bundle" in result.stderr
    assert not (home / ".local").exists()


def test_a_bundle_that_does_not_start_is_not_installed(bundle: Path, home: Path) -> None:
    (bundle / "backbeat").write_text("#!/bin/sh\necho 'missing libfoo.so' >&2\nexit 127\n")
    result = script(INSTALL, home, bundle)
    assert result.returncode != 0
    assert "does not start" in result.stderr and "libfoo" in result.stderr
    assert not (home / ".local" / "lib" / "backbeat").exists()
