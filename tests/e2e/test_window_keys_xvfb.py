"""The real window on a bare X server (no window manager) at 1024×600 and 1920×1080,
driven through a whole session by keys alone: F11, the health check (Alt+N), Enter,
pause, "too much", lighter, M, the list of keys, → through every technique, the second
→ that finishes, back to the start and Ctrl+Q. Each step is photographed; the pictures
go to ``$BACKBEAT_SCREENSHOTS`` when set (they are the README's gallery, docs/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_window_xvfb import TOOLS, screenshot, x_env, xdotool

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

STEPS = 16  # techniques in the bundled home back massage


def free_display() -> int | None:
    return next(
        (
            n
            for n in range(120, 220)
            if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()
        ),
        None,
    )


@pytest.fixture(
    params=[
        (1024, 600, "light"),
        (1920, 1080, "dark"),
    ],
    ids=["1024x600", "1920x1080"],
)
def screen(request: pytest.FixtureRequest) -> Iterator[tuple[str, int, int, str]]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (see packaging/system-deps.sh --test)")
    width, height, theme = request.param
    number = free_display()
    if number is None:
        pytest.skip("no free X display number")
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "DISPLAY": f":{number}"}
    deadline = time.monotonic() + 15
    while subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True).returncode:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip(f"Xvfb did not start on :{number}")
        time.sleep(0.1)
    yield f":{number}", width, height, theme
    server.terminate()
    server.wait(timeout=10)


def distinct_colours(path: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), 37)
            for y in range(0, image.height(), 37)
        }
    )


def difference(first: Path, second: Path) -> float:
    from PySide6.QtGui import QImage

    a, b = QImage(str(first)), QImage(str(second))
    points = [(x, y) for x in range(0, a.width(), 16) for y in range(0, a.height(), 16)]
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in points) / len(points)


def test_a_whole_session_by_keys_alone(screen: tuple[str, int, int, str], tmp_path: Path) -> None:
    display, width, height, theme = screen
    shots = Path(os.environ.get("BACKBEAT_SCREENSHOTS", tmp_path)) / f"{width}x{height}"
    shots.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "settings.ini"
    settings.write_text(f"[preferences]\ntheme={theme}\n")
    env = x_env(display, settings)
    app = subprocess.Popen(
        [sys.executable, "-m", "backbeat"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def keys(*names: str, wait: float = 0.6) -> None:
        xdotool(env, "key", "--delay", "120", *names)
        time.sleep(wait)

    def shot(name: str) -> Path:
        return screenshot(env, shots / f"{name}.png")

    def changed(name: str, since: Path, share: float, timeout: float = 6.0) -> Path:
        """Screenshots until the screen differs from ``since`` by ``share`` (a loaded
        machine may take a moment to show what the keys did); the last one either way."""
        deadline = time.monotonic() + timeout
        taken = shot(name)
        while difference(since, taken) <= share and time.monotonic() < deadline:
            time.sleep(0.3)
            taken = shot(name)
        return taken

    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "Backbeat")
        window = window.splitlines()[0]
        deadline = time.monotonic() + 20
        while distinct_colours(shot("start")) <= 8:
            assert time.monotonic() < deadline, "nothing was drawn"
            time.sleep(0.3)
        xdotool(env, "windowfocus", "--sync", window)
        keys("F11", wait=1.2)  # no window manager here: the window fills the screen itself
        geometry = xdotool(env, "getwindowgeometry", window)
        assert f"Geometry: {width}x{height}" in geometry, geometry
        start = shot("start")
        keys("question")
        help_shot = shot("help")
        assert difference(start, help_shot) > 0.05, "? showed no list of keys"
        keys("question", "alt+n")
        keys("Return", wait=1.5)
        session = shot("session")
        assert difference(start, session) > 0.25, "no session page after Enter"
        keys("space")
        paused = shot("paused")
        assert difference(session, paused) > 0.03, "no paused overlay"
        keys("space", "Escape")
        too_much = changed("too-much", session, 0.1)
        assert difference(session, too_much) > 0.1, "Esc showed no 'too much' page"
        keys("l", "m", wait=0.3)
        osd = changed("lighter-and-metronome-off", too_much, 0.1)
        assert difference(too_much, osd) > 0.1
        keys(*["Right"] * (STEPS - 1), wait=1.0)
        keys("Right", wait=0.3)  # the last technique: asks first
        confirm = shot("press-again-to-finish")
        keys("Right", wait=1.2)
        summary = shot("summary")
        assert difference(confirm, summary) > 0.25, "the second → did not finish"
        keys("space", wait=1.0)
        back = shot("start-after")
        assert difference(summary, back) > 0.25
        keys("ctrl+q")
        status = app.wait(timeout=20)
    except AssertionError as error:
        app.kill()
        raise AssertionError(f"{error}\nthe app said: {app.communicate()[1][-2000:]}") from None
    finally:
        if app.poll() is None:
            app.kill()
    _out, err = app.communicate()
    assert status == 0, err
    assert "Traceback" not in err
