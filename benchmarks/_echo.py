"""Gating the microphone while the app speaks, against subtracting the known playback
(acoustic echo cancellation), on a simulated room.

The room: the session's sound leaves a small loudspeaker (soft-clipped, as small
speakers distort when loud), reaches the microphone 40 ms later (the latency the output
misreports plus 2 m of air) at half its level, with a reverberant tail (RT60 0.35 s,
10 dB under the direct sound), and the microphone adds its hiss. The canceller is a
frequency-domain NLMS filter of 1024 taps (64 ms) after a bulk delay found by
cross-correlation: the textbook echo canceller, adapting all the time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import fftconvolve
from tests.listen.corpus import Synthesiser, command_corpus, with_hiss
from tests.listen.evaluation import false_commands, own_audio_monitor
from tests.listen.own_audio import OwnAudio

from backbeat.listen.commands import Command, CommandSet
from backbeat.listen.recogniser import RECOGNISER_RATE, PocketSphinxRecogniser

FloatArray = npt.NDArray[np.float64]
ROOM_DELAY_SECONDS = 0.040
RT60_SECONDS = 0.35
BLOCK = 1024
#: Commands are said over prompts at these levels against the prompt at the microphone.
COMMAND_OVER_PROMPT_DB = (0.0, 10.0)
#: The simulation covers this much of the session (the canceller runs over all of it).
SECONDS = 600.0


def room(playback: FloatArray, seed: int = 3) -> FloatArray:
    rng = np.random.default_rng(seed)
    speaker = 0.5 * np.tanh(1.6 * playback) / np.tanh(1.6)
    delay = round(ROOM_DELAY_SECONDS * RECOGNISER_RATE)
    length = round(RT60_SECONDS * RECOGNISER_RATE)
    t = np.arange(length) / RECOGNISER_RATE
    tail = rng.standard_normal(length) * np.exp(-6.91 * t / RT60_SECONDS)
    tail *= np.sqrt(0.1 / np.sum(tail**2))  # 10 dB under the direct path
    response = np.zeros(delay + 32 + length)
    response[delay] = 1.0
    response[delay + 32 :] += tail
    result: FloatArray = fftconvolve(speaker, response)[: len(playback)]
    return result


def bulk_delay(reference: FloatArray, mic: FloatArray, most: float = 0.3) -> int:
    span = min(len(mic), 60 * RECOGNISER_RATE)
    lags = round(most * RECOGNISER_RATE)
    corr = fftconvolve(mic[:span], reference[:span][::-1])[span - 1 : span - 1 + lags]
    return int(np.argmax(np.abs(corr)))


def cancel(reference: FloatArray, mic: FloatArray, mu: float = 0.2) -> FloatArray:
    """Overlap-save frequency-domain NLMS: ``mic`` minus the echo of ``reference``."""
    delay = bulk_delay(reference, mic)
    ref = np.concatenate([np.zeros(BLOCK + delay), reference])[: len(mic) + BLOCK]
    weights = np.zeros(BLOCK + 1, dtype=complex)
    power = np.zeros(BLOCK + 1)
    out = np.zeros(len(mic))
    for k in range(len(mic) // BLOCK):
        x = np.fft.rfft(ref[k * BLOCK : (k + 2) * BLOCK])
        echo = np.fft.irfft(x * weights)[BLOCK:]
        error = mic[k * BLOCK : (k + 1) * BLOCK] - echo
        out[k * BLOCK : (k + 1) * BLOCK] = error
        spectrum = np.fft.rfft(np.concatenate([np.zeros(BLOCK), error]))
        power = 0.8 * power + 0.2 * np.abs(x) ** 2
        # Regularised: a quiet reference (between prompts) must not blow the step up.
        floor = 0.05 * float(np.mean(power)) + 1e-2
        gradient = np.fft.irfft(np.conj(x) * spectrum / (power + floor))[:BLOCK]
        weights += mu * np.fft.rfft(np.concatenate([gradient, np.zeros(BLOCK)]))
    return out


def gating_against_subtraction(synth: Synthesiser, own: OwnAudio) -> None:
    count = min(len(own.samples), round(SECONDS * RECOGNISER_RATE))
    playback = own.samples[:count].astype(np.float64) / 32768.0
    echo = room(playback)
    prompts = [(s, e) for s, e in own.voice if e * RECOGNISER_RATE < count - 3 * RECOGNISER_RATE]
    mic = echo.copy()
    cleaned = cancel(playback, mic)
    voiced = np.zeros(count, dtype=bool)
    for s, e in prompts:
        voiced[round(s * RECOGNISER_RATE) : round(e * RECOGNISER_RATE)] = True
    erle = 10 * np.log10(np.mean(mic[voiced] ** 2) / np.mean(cleaned[voiced] ** 2))
    hours = count / RECOGNISER_RATE / 3600
    print(
        f"\ngating against subtracting the playback ({count / RECOGNISER_RATE / 60:.0f} min of "
        f"the session through a simulated room, {len(prompts)} prompts)"
    )
    print(f"  echo canceller: {erle:.1f} dB less echo during the prompts (ERLE)")
    as_mic = _int16(mic)
    for wake_word in (True, False):
        gated = len(false_commands(as_mic, wake_word, own_audio_monitor(own)))
        subtracted = len(false_commands(_int16(cleaned), wake_word))
        print(
            f"  false commands, wake word {'on ' if wake_word else 'off'}: gating {gated} "
            f"({gated / hours:.1f}/h), subtracting {subtracted} ({subtracted / hours:.1f}/h)"
        )
    utterances = list(command_corpus(synth, voices=("piper-joe", "en+klatt2")))
    for level in COMMAND_OVER_PROMPT_DB:
        taken = _commands_over_prompts(utterances, playback, echo, prompts, level)
        print(
            f"  commands said over a prompt at {level:+g} dB: gating takes 0 of "
            f"{len(utterances)} (by design: say it again after the prompt), "
            f"subtracting takes {taken} of {len(utterances)}"
        )


def _commands_over_prompts(
    utterances: list, playback: FloatArray, echo: FloatArray, prompts: list, level_db: float
) -> int:
    """Each command starts 0.3 s into a prompt; the canceller runs over the whole mix
    (it must cope with the double talk), then each command's stretch is recognised."""
    mic = echo.copy()
    placed: list[tuple[int, int, Command]] = []
    for utterance, (start, end) in zip(utterances, prompts[1::2], strict=False):
        begin = round((start + 0.3) * RECOGNISER_RATE)
        speech = utterance.samples.astype(np.float64) / 32768.0
        prompt = echo[round(start * RECOGNISER_RATE) : round(end * RECOGNISER_RATE)]
        gain = np.sqrt(np.mean(prompt**2) / np.mean(speech**2)) * 10 ** (level_db / 20)
        mic[begin : begin + len(speech)] += gain * speech
        placed.append((begin, begin + len(speech), utterance.command))
    cleaned = _int16(cancel(playback, mic))
    recogniser = PocketSphinxRecogniser(CommandSet())
    taken = 0
    for begin, end, command in placed:
        piece = cleaned[max(0, begin - RECOGNISER_RATE // 2) : end + 2 * RECOGNISER_RATE]
        heard = recogniser.feed(piece, 0.0)
        recogniser.interrupt()
        taken += any(h.command is command for h in heard)
    recogniser.close()
    return taken


def _int16(signal: FloatArray) -> npt.NDArray[np.int16]:
    return with_hiss(np.clip(signal * 32768.0, -32768, 32767))
