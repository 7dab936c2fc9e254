"""A PulseAudio null sink to record what the app really plays (tests and benchmarks).

The app plays through ALSA; the ALSA pulse plugin (Debian: libasound2-plugins) routes it
to PulseAudio. Everything is set through environment variables for the child process:
no system file is edited, and what is started here is stopped again when done.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SINK = "cap"
RATE = 44100
#: A fresh null sink drops the first ~2 s of a capture: start recording this much earlier.
PRE_ROLL_SECONDS = 2.5
_PULSE_PLUGIN_DIRS = [Path("/usr/lib/x86_64-linux-gnu/alsa-lib"), Path("/usr/lib64/alsa-lib")]
_PULSE_PLUGIN_DIRS += [Path("/usr/lib/aarch64-linux-gnu/alsa-lib"), Path("/usr/lib/alsa-lib")]


def _pactl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10)


@dataclass
class PulseSetup:
    """What :func:`start_pulse` set up, so that :meth:`close` undoes exactly that: the
    server only if it started it, the null sink only if it loaded it, its temp folder."""

    env: dict[str, str]
    folder: Path
    server: subprocess.Popen[bytes] | None = None
    sink_module: str | None = None

    def close(self) -> None:
        if self.sink_module is not None:
            _pactl("unload-module", self.sink_module)
            self.sink_module = None
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(10)
            self.server = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _start_server(folder: Path) -> tuple[subprocess.Popen[bytes] | None, str]:
    """A PulseAudio server in the foreground, as our child (so it can be stopped by its
    own handle), with the capture sink loaded."""
    log = (folder / "pulseaudio.log").open("wb")
    server = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "-n",
            "--exit-idle-time=-1",
            "-L",
            "module-native-protocol-unix",
            "-L",
            f"module-null-sink sink_name={SINK}",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    log.close()
    deadline = time.monotonic() + 10
    while _pactl("info").returncode != 0:
        if server.poll() is not None or time.monotonic() > deadline:
            if server.poll() is None:
                server.terminate()
                server.wait(10)
            output = (folder / "pulseaudio.log").read_text(errors="replace").strip()
            return None, f"PulseAudio did not start: {output[-300:]}"
        time.sleep(0.1)
    return server, ""


def start_pulse() -> tuple[PulseSetup | None, str]:
    """PulseAudio with a null sink to record from, started if none runs. Returns (the
    setup, with the environment for the app, "") or (None, why it cannot run here)."""
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            return None, f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
    if not any((d / "libasound_module_pcm_pulse.so").exists() for d in _PULSE_PLUGIN_DIRS):
        return None, "the ALSA pulse plugin is missing (apt-get install libasound2-plugins)"
    folder = Path(tempfile.mkdtemp(prefix="backbeat-pulse-"))
    config = folder / "asound-pulse.conf"
    config.write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    alsa_conf = os.environ.get("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf")
    env = {
        "ALSA_CONFIG_PATH": f"{alsa_conf}:{config}",
        "PULSE_SINK": SINK,
        "BACKBEAT_AUDIO_OUTPUT": "simpleaudio",
    }
    setup = PulseSetup(env, folder)
    if _pactl("info").returncode != 0:
        setup.server, reason = _start_server(folder)
        if setup.server is None:
            setup.close()
            return None, reason
    if SINK not in _pactl("list", "short", "sinks").stdout.split():
        loaded = _pactl("load-module", "module-null-sink", f"sink_name={SINK}")
        if loaded.returncode != 0:
            setup.close()
            return None, f"could not add a null sink: {loaded.stderr.strip()}"
        setup.sink_module = loaded.stdout.strip()
    return setup, ""


@contextmanager
def pulse() -> Iterator[tuple[dict[str, str] | None, str]]:
    """:func:`start_pulse` around a block: (environment for the app, "") or (None, why
    not), and everything it set up undone afterwards."""
    setup, reason = start_pulse()
    try:
        yield (setup.env if setup else None), reason
    finally:
        if setup is not None:
            setup.close()


def ensure_pulse() -> tuple[dict[str, str] | None, str]:
    """:func:`start_pulse` for a script (the benchmarks): undone when the process exits."""
    setup, reason = start_pulse()
    if setup is None:
        return None, reason
    atexit.register(setup.close)
    return setup.env, ""


@contextmanager
def recording(path: Path) -> Iterator[None]:
    """Record the null sink's monitor (16-bit mono) into ``path`` around the block, with
    the pre-roll a fresh sink needs."""
    with path.open("wb") as out:
        parec = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{SINK}.monitor",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=20",
            ],
            stdout=out,
        )
        try:
            time.sleep(PRE_ROLL_SECONDS)
            yield
            time.sleep(0.5)
        finally:
            parec.terminate()
            parec.wait(10)


def read_capture(path: Path) -> npt.NDArray[np.int16]:
    return np.fromfile(path, dtype="<i2").astype(np.int16)


def click_onsets(samples: npt.NDArray[np.int16], threshold: float = 300) -> list[int]:
    """First sample of each click (a rise above ``threshold`` after 30 ms of quiet)."""
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > threshold)[0]
    if len(loud) == 0:
        return []
    starts = np.concatenate([[0], np.nonzero(np.diff(loud) > round(0.03 * RATE))[0] + 1])
    return [int(i) for i in loud[starts]]
