"""A private PulseAudio server with a null sink, to record what the app really plays
(tests and benchmarks).

The app plays through ALSA (PortAudio's ALSA host API, or simpleaudio); the ALSA pulse
plugin (Debian: libasound2-plugins) routes it to PulseAudio. Each setup starts its own
server on a socket in its own folder (``PULSE_SERVER``), so tests never touch another
server and may stop and restart theirs. Everything is set through environment variables
for the child processes: no system file is edited, and what is started here is stopped
again when done.
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


def keep_sink_awake(sink: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Silence into ``sink`` at 10 ms latency, for as long as the process runs: an idle
    null sink works in 2-second blocks, which starves a low-latency stream."""
    with open("/dev/zero", "rb") as zero:
        return subprocess.Popen(
            [
                "pacat",
                "--playback",
                "--latency-msec=10",
                "--format=s16le",
                "--channels=1",
                f"--rate={RATE}",
                "-d",
                sink,
            ],
            stdin=zero,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **env},
        )


def _pactl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pactl", *args], capture_output=True, text=True, timeout=10, env={**os.environ, **env}
    )


#: The name the server gives a stream played through the ALSA pulse plugin (PortAudio).
APP_STREAM = "ALSA Playback"


@dataclass
class PulseSetup:
    """What :func:`start_pulse` set up, so that :meth:`close` undoes exactly that: the
    server only if it started it, the null sink only if it loaded it, its temp folder."""

    env: dict[str, str]
    folder: Path
    server: subprocess.Popen[bytes] | None = None
    keep_alive: subprocess.Popen[bytes] | None = None

    def stop_server(self) -> None:
        """Stop the server (a test may start it again with :meth:`start_server`)."""
        self._stop_keep_alive()
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(10)
            self.server = None

    def kill_server(self) -> None:
        """The server dies at once, as when it crashes."""
        self._stop_keep_alive()
        if self.server is not None:
            self.server.kill()
            self.server.wait(10)
            self.server = None

    def underruns(self, stream: str = APP_STREAM) -> int:
        """How often the server ran out of ``stream``'s sound and played silence in its
        place (its debug log names each time; the app's own callback cannot see these)."""
        log = self.folder / "pulseaudio.log"
        if not log.exists():
            return 0
        lines = log.read_text(errors="replace").splitlines()
        return sum("nderrun" in line and f"'{stream}'" in line for line in lines)

    def start_server(self) -> str:
        """Start (again) the server; "" or why it did not start."""
        self.server, reason = _start_server(self.folder, self.env)
        if self.server is not None:
            self._start_keep_alive()
        return reason

    def _start_keep_alive(self) -> None:
        """Silence played into the sink all along, at a low latency: an idle null sink
        works in 2-second blocks and lets a new stream wait that long before it takes
        its first frames (a real sound card does not)."""
        self.keep_alive = keep_sink_awake(SINK, self.env)
        time.sleep(2.5)  # the sink's first long block passes

    def _stop_keep_alive(self) -> None:
        if self.keep_alive is not None:
            self.keep_alive.kill()
            self.keep_alive.wait(10)
            self.keep_alive = None

    def close(self) -> None:
        self.stop_server()
        shutil.rmtree(self.folder, ignore_errors=True)


def _start_server(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes] | None, str]:
    """A PulseAudio server in the foreground, as our child (so it can be stopped by its
    own handle), on the setup's own socket, with the capture sink loaded; its log at
    debug level (which names each underrun)."""
    log = (folder / "pulseaudio.log").open("ab")
    server = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "-n",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disallow-exit",
            "--log-level=debug",
            "-L",
            f"module-native-protocol-unix socket={folder / 'native'}",
            "-L",
            f"module-null-sink sink_name={SINK}",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env={**os.environ, **env},
    )
    log.close()
    deadline = time.monotonic() + 10
    while _pactl(env, "info").returncode != 0:
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
        "PULSE_SERVER": f"unix:{folder / 'native'}",
        "PULSE_RUNTIME_PATH": str(folder / "runtime"),
        "PULSE_SINK": SINK,
    }
    setup = PulseSetup(env, folder)
    reason = setup.start_server()
    if reason:
        setup.close()
        return None, reason
    return setup, ""


@contextmanager
def pulse() -> Iterator[tuple[dict[str, str] | None, str]]:
    """:func:`start_pulse` around a block: (environment for the app, "") or (None, why
    not), and everything it set up undone afterwards."""
    with pulse_setup() as (setup, reason):
        yield (setup.env if setup else None), reason


@contextmanager
def pulse_setup() -> Iterator[tuple[PulseSetup | None, str]]:
    """Like :func:`pulse`, with the setup itself (to stop and restart the server)."""
    setup, reason = start_pulse()
    try:
        yield setup, reason
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
def recording(path: Path, env: dict[str, str]) -> Iterator[None]:
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
            env={**os.environ, **env},
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
