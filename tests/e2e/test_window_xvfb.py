"""The real window on a real (virtual) X display: started as ``python -m backbeat``,
driven only by keys (xdotool), photographed with ImageMagick, and quit with Ctrl+Q.

Skips cleanly where Xvfb, xdotool or ImageMagick are missing. Screenshots go to
``$BACKBEAT_SCREENSHOTS`` when set (to look at them), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

TOOLS = ("Xvfb", "xdotool", "import")
WIDTH, HEIGHT = 1280, 800
_SERVERS: dict[str, subprocess.Popen[bytes]] = {}  # display -> its Xvfb, for diagnostics


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (see packaging/system-deps.sh --test)")
    number = next(
        (
            n
            for n in range(90, 200)
            if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()
        ),
        None,
    )
    if number is None:
        pytest.skip("no free X display number")
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    env = {**os.environ, "DISPLAY": f":{number}"}
    while subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True).returncode:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip(f"Xvfb did not start on :{number}")
        time.sleep(0.1)
    _SERVERS[f":{number}"] = server
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def private_home(tmp_path: Path) -> dict[str, str]:
    """A home and XDG folders of the test's own: the app never reads the real user's."""
    folders = {
        "HOME": tmp_path / "home",
        "XDG_CONFIG_HOME": tmp_path / "home" / ".config",
        "XDG_DATA_HOME": tmp_path / "home" / ".local" / "share",
        "XDG_CACHE_HOME": tmp_path / "home" / ".cache",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


def x_env(display: str, settings: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
    env.update(private_home(settings.parent))
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        BACKBEAT_SETTINGS_FILE=str(settings),
        BACKBEAT_AUDIO_OUTPUT="null",  # no sound device needed; the session runs on the clock
    )
    return env


def xdotool(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30)
    server = _SERVERS.get(env["DISPLAY"])
    assert result.returncode == 0, (
        f"xdotool {' '.join(args)}: {result.stderr} (DISPLAY={env['DISPLAY']}, "
        f"Xvfb exit status {server.poll() if server else '?'}, "
        f"sockets {sorted(os.listdir('/tmp/.X11-unix'))})"
    )
    return result.stdout.strip()


def screenshot(env: dict[str, str], path: Path) -> Path:
    subprocess.run(["import", "-window", "root", str(path)], env=env, check=True, timeout=30)
    return path


def colours_in(path: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert (image.width(), image.height()) == (WIDTH, HEIGHT)
    return len({image.pixel(x, y) for x in range(0, WIDTH, 40) for y in range(0, HEIGHT, 40)})


def changed_fraction(first: Path, second: Path) -> float:
    """The share of sampled pixels that differ between two screenshots."""
    from PySide6.QtGui import QImage

    a, b = QImage(str(first)), QImage(str(second))
    points = [(x, y) for x in range(0, WIDTH, 20) for y in range(0, HEIGHT, 20)]
    return sum(a.pixel(x, y) != b.pixel(x, y) for x, y in points) / len(points)


def wait_for_paint(env: dict[str, str], path: Path, timeout: float = 20.0) -> None:
    """Screenshots until the window has drawn something (the first paint takes a moment)."""
    deadline = time.monotonic() + timeout
    while colours_in(screenshot(env, path)) <= 8:
        assert time.monotonic() < deadline, "the screenshot stayed blank: nothing was drawn"
        time.sleep(0.3)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_real_window_starts_runs_a_session_and_quits(
    display: str, tmp_path: Path, theme: str
) -> None:
    shots = Path(os.environ.get("BACKBEAT_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "settings.ini"
    settings.write_text(f"[preferences]\ntheme={theme}\n")
    env = x_env(display, settings)
    app = subprocess.Popen(
        [sys.executable, "-m", "backbeat"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "Backbeat")
        assert window, f"no Backbeat window appeared: {app.poll()=}"
        window = window.splitlines()[0]
        wait_for_paint(env, shots / f"start-{theme}.png")
        time.sleep(0.5)  # the sound opens after the first paint; its banner may follow
        screenshot(env, shots / f"start-{theme}.png")
        xdotool(env, "windowfocus", "--sync", window)
        xdotool(env, "key", "--delay", "150", "alt+n")
        time.sleep(0.4)  # Qt animates the mnemonic's click
        xdotool(env, "key", "Return")
        time.sleep(0.5)
        # On to the fifth technique (circles beside the spine), as a foot pedal would.
        xdotool(env, "key", "--delay", "200", "Right", "Right", "Right", "Right")
        time.sleep(2.5)
        session_shot = screenshot(env, shots / f"session-{theme}.png")
        assert colours_in(session_shot) > 8
        # The session page (body diagram, timeline, controls) replaces the whole start
        # page: a start screen still showing would differ by a banner at most.
        changed = changed_fraction(shots / f"start-{theme}.png", session_shot)
        assert changed > 0.25, f"only {changed:.0%} of the screen changed: no session page?"
        xdotool(env, "key", "--delay", "300", "ctrl+q", "ctrl+q")  # twice during a session
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


@pytest.mark.pulse
def test_the_window_shows_a_large_banner_when_the_sound_is_lost_and_when_it_is_back(
    display: str, tmp_path: Path
) -> None:
    from tests.e2e.pulse_capture import pulse_setup

    shots = Path(os.environ.get("BACKBEAT_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "settings.ini"
    settings.write_text("[preferences]\nvoice_on=false\n")
    with pulse_setup() as (pulse, reason):
        if pulse is None:
            pytest.skip(reason)
        env = {**x_env(display, settings), **pulse.env, "BACKBEAT_AUDIO_OUTPUT": "portaudio"}
        app = subprocess.Popen(
            [sys.executable, "-m", "backbeat"], env=env, stderr=subprocess.PIPE, text=True
        )
        try:
            window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "Backbeat")
            window = window.splitlines()[0]
            wait_for_paint(env, shots / "sound-before.png")
            time.sleep(1.5)  # the sound opens after the first paint
            xdotool(env, "windowfocus", "--sync", window)
            xdotool(env, "key", "--delay", "150", "alt+n")
            time.sleep(0.4)
            xdotool(env, "key", "Return")
            time.sleep(2.0)
            playing = screenshot(env, shots / "sound-playing.png")
            pulse.kill_server()
            time.sleep(2.5)  # noticed within 2 s
            lost = screenshot(env, shots / "sound-lost.png")
            assert changed_fraction(playing, lost) > 0.02  # the banner appeared
            assert pulse.start_server() == ""
            time.sleep(3.0)
            screenshot(env, shots / "sound-back.png")
            xdotool(env, "key", "--delay", "300", "ctrl+q", "ctrl+q")  # twice during a session
            status = app.wait(timeout=20)
        finally:
            if app.poll() is None:
                app.kill()
        err = app.communicate()[1]
    assert status == 0, err
    assert "Traceback" not in err and "ALSA lib" not in err
