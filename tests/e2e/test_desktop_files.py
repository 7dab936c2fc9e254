"""Linux desktop integration files: the menu entry, the AppStream metainfo and the icons."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

APP_ID = "io.github.backbeat.backbeat"
LINUX_DIR = REPO_ROOT / "packaging" / "linux"
DESKTOP = LINUX_DIR / f"{APP_ID}.desktop"
METAINFO = LINUX_DIR / f"{APP_ID}.metainfo.xml"
ICONS = REPO_ROOT / "assets" / "icons"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_RGBA = 6


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (packaging/system-deps.sh --test installs it)")
    return path


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def project_version() -> str:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(project["project"]["version"])


def png_header(path: Path) -> tuple[int, int, int]:
    """Width, height and colour type, read from the IHDR chunk."""
    data = path.read_bytes()[:26]
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25]


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), DESKTOP], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_metainfo_passes_appstream_validation_pedantically() -> None:
    # --no-net: the homepage and screenshot URLs cannot be fetched from a machine without a
    # network; everything else is checked, hints included.
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--pedantic", "--no-net", METAINFO],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation was successful" in result.stdout
    findings = [line for line in result.stdout.splitlines() if line[:2] in {"E:", "W:", "I:", "P:"}]
    assert not findings, result.stdout


def test_the_entry_the_metainfo_and_the_icon_use_one_id() -> None:
    entry = desktop_entry(DESKTOP)
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[:2] == ["backbeat", "gui"]
    assert component.findtext("provides/binary") == "backbeat"


def test_the_metainfo_has_release_notes_for_this_version_and_a_screenshot() -> None:
    component = ET.parse(METAINFO).getroot()
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == project_version(), "add release notes for the new version"
    assert newest.find("description") is not None
    image = component.findtext("screenshots/screenshot[@type='default']/image")
    assert image is not None and image.startswith("https://")
    assert image.endswith("/docs/screenshot-session.png")


def test_the_svg_icon_is_square_svg() -> None:
    root = ET.parse(ICONS / "backbeat.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert width == height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_png_icon_has_its_size_and_transparency(size: int) -> None:
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "backbeat.png"
    assert png_header(path) == (size, size, PNG_RGBA)


def test_there_are_no_png_icons_of_other_sizes() -> None:
    found = {p.parent.parent.name for p in (ICONS / "hicolor").glob("*/apps/*.png")}
    assert found == {f"{s}x{s}" for s in ICON_SIZES}


def test_the_windows_icon_holds_the_small_and_the_large_sizes() -> None:
    data = (ICONS / "backbeat.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an ICO file"
    # In an ICO directory entry a width byte of 0 means 256.
    widths = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= widths
