"""The synthetic command corpus and the app's own session audio, made once and cached.

Voices: Piper ``joe`` (the only Piper voice installed) and a second Piper voice made from
it by raising its pitch and formants 15 % (a shorter vocal tract, as a different speaker
has), espeak-ng's ``en+klatt2`` and ``en+klatt3``. Three speeds each. Everything is kept
as 16 kHz int16 .npy files under the cache folder, keyed by what made it.

Piper speaks with its natural variation (random noise in the phoneme lengths and the
waveform), drawn the same way on every run: each text gets a fresh onnxruntime session
seeded from the text, which speaks all its Piper variants in a fixed order. So the corpus,
and every figure measured over it, is the same whatever the tests ask for first.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from backbeat.audio.resample import resample
from backbeat.listen.commands import PHRASES, WAKE_WORD, Command
from backbeat.listen.recogniser import RECOGNISER_RATE

Int16Array = npt.NDArray[np.int16]
FloatArray = npt.NDArray[np.float32]
CORPUS_VERSION = "2"

PIPER_VOICES = {"piper-joe": 1.0, "piper-joe-high": 1.15}  # pitch/formant factor
ESPEAK_VOICES = ("en+klatt2", "en+klatt3")
PIPER_SPEEDS = {"slow": 1.25, "normal": 1.0, "fast": 0.8}  # Piper length_scale
ESPEAK_SPEEDS = {"slow": 130, "normal": 165, "fast": 200}  # words per minute
VOICES = (*PIPER_VOICES, *ESPEAK_VOICES)
SPEEDS = ("slow", "normal", "fast")


@dataclass(frozen=True)
class Utterance:
    command: Command
    text: str
    voice: str
    speed: str
    samples: Int16Array  # 16 kHz, speech only (no lead-in)


class Synthesiser:
    """Piper loaded once, espeak-ng one process per utterance, both cached on disk."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)
        self._piper_model: tuple[bytes, Any] | None = None

    def speak(self, text: str, voice: str, speed: str) -> Int16Array:
        path = self._path(text, voice, speed)
        if not path.exists():
            if voice in PIPER_VOICES:
                for (each_voice, each_speed), floats in self._piper_variants(text).items():
                    self._save(self._path(text, each_voice, each_speed), floats)
            else:
                self._save(path, self._espeak_speak(text, voice, speed))
        loaded: Int16Array = np.load(path)
        return loaded

    def _path(self, text: str, voice: str, speed: str) -> Path:
        key = hashlib.sha1(f"{CORPUS_VERSION}|{voice}|{speed}|{text}".encode()).hexdigest()[:16]
        return self.cache / f"{key}.npy"

    @staticmethod
    def _save(path: Path, floats: FloatArray) -> None:
        peak = float(np.max(np.abs(floats))) or 1.0
        np.save(path, (floats / peak * 0.5 * 32767).astype(np.int16))  # -6 dBFS peaks

    def _piper_variants(self, text: str) -> dict[tuple[str, str], FloatArray]:
        """Every Piper voice and speed of ``text``, from a session seeded by the text."""
        import json

        import onnxruntime  # type: ignore[import-untyped]
        from piper import PiperVoice, SynthesisConfig
        from piper.config import PiperConfig

        from backbeat.audio.piper_engine import PiperEngine

        if self._piper_model is None:
            model, config_path = PiperEngine()._paths()
            settings = json.loads(config_path.read_text(encoding="utf-8"))
            self._piper_model = (model.read_bytes(), PiperConfig.from_dict(settings))
        model_bytes, piper_config = self._piper_model
        onnxruntime.set_seed(int(hashlib.sha1(text.encode()).hexdigest()[:8], 16))
        session = onnxruntime.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
        piper = PiperVoice(config=piper_config, session=session)
        variants: dict[tuple[str, str], FloatArray] = {}
        for voice, factor in PIPER_VOICES.items():
            for speed, length_scale in PIPER_SPEEDS.items():
                # Spoken longer by `factor`, then played faster by it: same speed, higher voice.
                spoken = SynthesisConfig(length_scale=length_scale * factor)
                chunks = [c.audio_float_array for c in piper.synthesize(text, syn_config=spoken)]
                audio = np.concatenate(chunks).astype(np.float32)
                variants[voice, speed] = resample(audio, round(22050 * factor), RECOGNISER_RATE)
        return variants

    def _espeak_speak(self, text: str, voice: str, speed: str) -> FloatArray:
        import io

        import soundfile

        command = ["espeak-ng", "--stdout", "-v", voice, "-s", str(ESPEAK_SPEEDS[speed]), text]
        wav = subprocess.run(command, capture_output=True, check=True, timeout=30).stdout
        audio, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
        return resample(audio, int(rate), RECOGNISER_RATE)


def command_text(phrase: str, wake_word: bool) -> str:
    return f"{WAKE_WORD.capitalize()}, {phrase}." if wake_word else f"{phrase.capitalize()}."


def command_corpus(
    synth: Synthesiser,
    wake_word: bool = True,
    all_phrases: bool = False,
    voices: tuple[str, ...] = VOICES,
    speeds: tuple[str, ...] = SPEEDS,
) -> Iterator[Utterance]:
    for command, phrases in PHRASES.items():
        for phrase in phrases if all_phrases else phrases[:1]:
            text = command_text(phrase, wake_word)
            for voice in voices:
                for speed in speeds:
                    yield Utterance(command, text, voice, speed, synth.speak(text, voice, speed))


def pink_noise(count: int, seed: int = 12) -> FloatArray:
    """Room-like noise (1/f power), unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(count))
    freqs = np.fft.rfftfreq(count)
    freqs[0] = freqs[1]
    shaped = np.fft.irfft(spectrum / np.sqrt(freqs), count)
    result: FloatArray = (shaped / np.sqrt(np.mean(shaped**2))).astype(np.float32)
    return result


#: A microphone never gives digital silence: its own hiss, about -66 dBFS RMS.
MIC_HISS_RMS = 16.0


def padded(samples: Int16Array, before: float = 0.5, after: float = 1.0) -> Int16Array:
    """Silence around an utterance, so the endpointer sees it begin and end, and the
    microphone's own hiss under all of it."""
    joined = np.concatenate(
        [
            np.zeros(round(before * RECOGNISER_RATE), np.float32),
            samples.astype(np.float32),
            np.zeros(round(after * RECOGNISER_RATE), np.float32),
        ]
    )
    return with_hiss(joined)


def with_hiss(samples: npt.NDArray[np.generic]) -> Int16Array:
    """What a microphone would give for ``samples``: they, plus its own hiss."""
    x = samples.astype(np.float32)
    hiss = np.random.default_rng(len(x)).normal(0.0, MIC_HISS_RMS, len(x))
    result: Int16Array = np.clip(x + hiss, -32768, 32767).astype(np.int16)
    return result
