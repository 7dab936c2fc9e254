"""espeak-ng, the fallback voice: robotic but always there on Linux."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np

from backbeat.audio.tts import EngineUnavailable, FloatArray
from backbeat.audio.wav import WavError, parse_wav
from backbeat.core.prompts import VoiceSpeed

#: espeak-ng's rate (its words a minute) for each voice speed, as close as it gets to the
#: Piper voice's pace at the same setting.
RATES = {VoiceSpeed.SLOWER: 135, VoiceSpeed.NORMAL: 158, VoiceSpeed.FASTER: 182}


class EspeakEngine:
    name = "espeak-ng"
    cacheable = True

    def __init__(
        self,
        executable: str = "espeak-ng",
        voice: str = "en-us",
        speed: VoiceSpeed = VoiceSpeed.NORMAL,
    ) -> None:
        self.executable = executable
        self.voice = voice
        self.speed = RATES[speed]
        self.voice_id = voice
        self.settings_id = f"speed={self.speed}"
        self._cancelled = False

    def check(self) -> None:
        if shutil.which(self.executable) is None:
            raise EngineUnavailable(
                f"{self.executable} is not installed",
                "Install espeak-ng for a basic spoken voice.",
            )

    def release(self) -> None:
        """Each prompt is its own espeak-ng process: nothing is held."""

    def cancel(self) -> None:
        """A prompt takes espeak-ng a few milliseconds: later ones are refused."""
        self._cancelled = True

    def synthesize(self, text: str) -> tuple[FloatArray, int]:
        self.check()
        if self._cancelled:
            raise EngineUnavailable(f"{self.executable} was stopped")
        # "--": a prompt that begins with "-" (a title such as "-wfile") is text, not an option.
        command = [self.executable, "--stdout", "-v", self.voice, "-s", str(self.speed), "--", text]
        try:
            result = subprocess.run(command, capture_output=True, timeout=30, check=True)
            samples, rate = parse_wav(result.stdout)
        except (OSError, subprocess.SubprocessError, WavError) as error:
            raise EngineUnavailable(f"{self.executable} failed ({error})") from None
        return (samples.astype(np.float32) / 32768.0), rate
