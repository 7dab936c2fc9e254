"""A PulseAudio null sink to record what the app really plays (tests and benchmarks).

The app plays through ALSA; the ALSA pulse plugin (Debian: libasound2-plugins) routes it
to PulseAudio. Everything is set through environment variables for the child process:
no system file is edited.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def ensure_pulse() -> tuple[dict[str, str] | None, str]:
    """Start PulseAudio with a null sink if needed. Returns (environment for the app, "")
    or (None, why it cannot run here)."""
    for tool in ("pulseaudio", "pactl", "parec"):
        if shutil.which(tool) is None:
            return None, f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
    if not any((d / "libasound_module_pcm_pulse.so").exists() for d in _PULSE_PLUGIN_DIRS):
        return None, "the ALSA pulse plugin is missing (apt-get install libasound2-plugins)"
    if _pactl("info").returncode != 0:
        started = subprocess.run(
            [
                "pulseaudio",
                "-D",
                "-n",
                "--exit-idle-time=-1",
                "-L",
                "module-native-protocol-unix",
                "-L",
                f"module-null-sink sink_name={SINK}",
            ],
            capture_output=True,
            text=True,
            timeout=20,
        )
        deadline = time.monotonic() + 10
        while _pactl("info").returncode != 0:
            if time.monotonic() > deadline:
                return None, f"PulseAudio did not start: {started.stderr.strip()[-300:]}"
            time.sleep(0.1)
    if SINK not in _pactl("list", "short", "sinks").stdout.split():
        loaded = _pactl("load-module", "module-null-sink", f"sink_name={SINK}")
        if loaded.returncode != 0:
            return None, f"could not add a null sink: {loaded.stderr.strip()}"
    config = Path(tempfile.mkdtemp(prefix="backbeat-alsa-")) / "asound-pulse.conf"
    config.write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    alsa_conf = os.environ.get("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf")
    env = {
        "ALSA_CONFIG_PATH": f"{alsa_conf}:{config}",
        "PULSE_SINK": SINK,
        "BACKBEAT_AUDIO_OUTPUT": "simpleaudio",
    }
    return env, ""


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
