"""The coach's voice: every prompt of a plan synthesised ahead of time, off the UI thread,
cached on disk, with a fallback chain Piper -> espeak-ng -> chime.

The user is told once which voice speaks and why (:class:`VoiceStatus`).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from backbeat import resources
from backbeat.audio import OUTPUT_RATE
from backbeat.audio.chime import ChimeEngine
from backbeat.audio.espeak_engine import EspeakEngine
from backbeat.audio.loudness import PROMPT_LOUDNESS_LUFS, VOICE_CEILING_DBTP, normalise
from backbeat.audio.piper_engine import PiperEngine
from backbeat.audio.resample import resample
from backbeat.audio.tts import EngineUnavailable, PromptSamples, SpeechEngine, to_int16
from backbeat.audio.voice_cache import VoiceCache, cache_key
from backbeat.core.prompts import VoiceSpeed

FloatArray = npt.NDArray[np.float32]
log = logging.getLogger(__name__)

#: Anything quieter than this, relative to the peak, at either end is trimmed, so the
#: voice really begins at the cue's time.
TRIM_DB = -45.0
TRIM_KEEP_SECONDS = 0.005
#: How long closing waits for the prompt being made to stop (an engine stops at once when
#: cancelled; only a model still loading, which cannot be cut short, makes it wait).
CLOSE_WAIT_SECONDS = 0.4


@dataclass(frozen=True)
class VoiceStatus:
    engine: str  # "piper" | "espeak-ng" | "chime"
    message: str


def default_cache_dir() -> Path:
    return resources.cache_dir() / "voice"


def prepare_speech(samples: FloatArray, rate: int, out_rate: int = OUTPUT_RATE) -> FloatArray:
    """Trim silence at both ends, resample, and bring the prompt to the voice's loudness
    (BS.1770), its true peak no higher than the voice's ceiling."""
    x = np.asarray(samples, dtype=np.float32)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak <= 0:
        return np.zeros(0, dtype=np.float32)
    loud = np.nonzero(np.abs(x) >= peak * 10 ** (TRIM_DB / 20))[0]
    keep = round(TRIM_KEEP_SECONDS * rate)
    x = x[max(0, loud[0] - keep) : loud[-1] + keep + 1]
    y = resample(x, rate, out_rate)
    return normalise(y, out_rate, PROMPT_LOUDNESS_LUFS, VOICE_CEILING_DBTP)


@dataclass(frozen=True)
class EngineProblem:
    """Why an engine better than the one speaking is not used, and what would help."""

    engine: str
    reason: str
    hint: str = ""


#: What a chime-only voice means for the listener (the window shows each prompt's text; an
#: export has none, so ``backbeat export`` says so and points to its cue sheet).
CHIME_MESSAGE = (
    "A short chime marks each prompt (one for a new technique, one for moving to the next "
    "spot, one for a caution) and the text is shown."
)


def _status_for(engine: SpeechEngine, skipped: Sequence[EngineProblem]) -> VoiceStatus:
    why = "; ".join(f"{p.engine}: {p.reason}" for p in skipped)
    hints = " ".join(dict.fromkeys(p.hint for p in skipped if p.hint))
    if not skipped:
        if engine.name == "chime":
            return VoiceStatus("chime", CHIME_MESSAGE)
        label = "Piper" if engine.name == "piper" else engine.name
        return VoiceStatus(engine.name, f"Using the {label} voice.")
    if engine.name == "chime":
        return VoiceStatus(
            "chime",
            f"No speech engine works here ({why}). {CHIME_MESSAGE} "
            f"{hints or 'Install piper-tts or espeak-ng for a spoken voice.'}",
        )
    message = f"Using the {engine.name} voice because {why}."
    return VoiceStatus(engine.name, f"{message} {hints}" if hints else message)


class PromptVoice:
    """Synthesises prompts in a background thread; :meth:`samples_for` never blocks."""

    def __init__(
        self,
        engines: Sequence[SpeechEngine],
        cache: VoiceCache | None,
        sample_rate: int = OUTPUT_RATE,
        skipped: Sequence[EngineProblem] = (),
    ) -> None:
        if not engines:
            engines = [ChimeEngine()]
        self._engines = list(engines)
        self._skipped = list(skipped)
        self.cache = cache
        self.sample_rate = sample_rate
        self.status = _status_for(self._engines[0], self._skipped)
        self._ready: dict[str, PromptSamples] = {}
        self._pending: list[str] = []
        # Guards _ready, _pending, _engines and _skipped; never held while synthesising.
        self._lock = threading.Lock()
        # Notified (with _lock) whenever a prompt becomes ready.
        self._made = threading.Condition(self._lock)
        # One prompt is made at a time, by the worker or synthesize_now: the engines and
        # the fallback chain are not safe to use from two threads at once. Taken before
        # _lock, never after it.
        self._producing = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._worker: threading.Thread | None = None
        self._closed = False

    @property
    def engine(self) -> SpeechEngine:
        with self._lock:
            return self._engines[0]

    # -- the contract ---------------------------------------------------------------
    def prepare(self, texts: Iterable[str], *, first: bool = False) -> None:
        """Make these prompts in the background, in this order after what is queued, or
        before it with ``first`` (a prompt someone is waiting for now)."""
        with self._lock:
            if self._closed:
                return
            wanted = [t for t in dict.fromkeys(texts) if t not in self._ready]
            if first:
                # (The prompt being made is dropped from the queue by text when it is done.)
                self._pending = [*wanted, *(t for t in self._pending if t not in wanted)]
            else:
                self._pending += [t for t in wanted if t not in self._pending]
            if not self._pending:
                return
            self._idle.clear()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._work, name="backbeat-voice", daemon=True
                )
                self._worker.start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until everything asked for with :meth:`prepare` is made."""
        return self._idle.wait(timeout)

    def wait_for(self, texts: Iterable[str], timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for these prompts (already asked for with
        :meth:`prepare`) to be ready; True when they all are."""
        wanted = set(texts)
        with self._made:
            return self._made.wait_for(lambda: wanted.issubset(self._ready), timeout)

    def samples_for(self, text: str) -> PromptSamples | None:
        with self._lock:
            return self._ready.get(text)

    def synthesize_now(self, text: str) -> PromptSamples:
        """Blocking: the prompt now (from memory, the cache or the engine)."""
        ready = self.samples_for(text)
        if ready is not None:
            return ready
        with self._producing:
            ready = self.samples_for(text)  # the worker may have made it meanwhile
            if ready is not None:
                return ready
            samples = self._produce(text)
            self._store(text, samples)
        return samples

    def close(self, timeout: float = CLOSE_WAIT_SECONDS) -> None:
        """Drop what is queued, stop the prompt being made (it is not kept, in memory or
        on disk) and wait a moment for the worker to end, so quitting is quick whatever
        the engine is doing. The voice's owner calls this; later prompts are not made."""
        with self._lock:
            self._closed = True
            self._pending.clear()
            worker = self._worker
            engines = list(self._engines)
        for engine in engines:
            engine.cancel()
        if worker is not None and worker.is_alive():
            worker.join(timeout)

    @property
    def worker_running(self) -> bool:
        """True while the background worker has not ended (tests of :meth:`close`)."""
        worker = self._worker
        return worker is not None and worker.is_alive()

    # -- the work -------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            self._make_pending()
            # Every prompt asked for is made: let the engine drop its model until it is
            # needed again (a late prompt reloads it), so a running session does not carry it.
            with self._producing:
                self.engine.release()
            with self._lock:
                if not self._pending or self._closed:  # nothing more was asked for meanwhile
                    self._idle.set()
                    return

    def _make_pending(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    return
                text = self._pending[0]
            with self._producing:
                samples = self.samples_for(text)  # synthesize_now may have made it
                if samples is None:
                    try:
                        samples = self._produce(text)
                    except Exception:  # a bug in an engine must not kill the session's voice
                        if self._closed:  # cancelled: nothing is kept
                            return
                        log.exception("could not synthesise %r", text)
                        samples = np.zeros(0, dtype=np.int16)
                if self._closed:
                    return
                self._store(text, samples)

    def _store(self, text: str, samples: PromptSamples) -> None:
        with self._made:
            self._ready[text] = samples
            if text in self._pending:
                self._pending.remove(text)
            self._made.notify_all()

    def _produce(self, text: str) -> PromptSamples:
        """One prompt, falling back along the chain. Only with ``_producing`` held.

        An engine that fails on one text but still speaks a plain one is kept: only that
        prompt moves down the chain (a NUL in a title must not cost the whole session its
        best voice). An engine that fails on the plain text too is dropped for good."""
        spoken = speakable(text)
        rank = 0  # how far down the chain this prompt has gone
        while True:
            with self._lock:
                engines = list(self._engines)
            engine = engines[min(rank, len(engines) - 1)]
            if engine.cacheable and self.cache is not None:
                cached = self.cache.load(self._key(engine, spoken), self.sample_rate)
                if cached is not None:
                    return cached
            try:
                raw, rate = engine.synthesize(spoken)
            except EngineUnavailable as error:
                if self._closed:  # stopped by close(): no engine is at fault
                    raise
                if rank + 1 < len(engines) and _still_speaks(engine):
                    log.warning(
                        "voice %s cannot say %r (%s); the next voice says it",
                        engine.name,
                        spoken,
                        error,
                    )
                    rank += 1
                    continue
                if rank == 0 and self._fall_back(engine, error):
                    continue
                if rank + 1 < len(engines):
                    rank += 1
                    continue
                raise
            # What is played is what a cached copy holds: 16-bit samples.
            samples = to_int16(prepare_speech(raw, rate, self.sample_rate))
            if engine.cacheable and self.cache is not None:
                # Keyed after: loading its model can change an engine's settings_id.
                self.cache.store(self._key(engine, spoken), samples, self.sample_rate)
            return samples

    def _key(self, engine: SpeechEngine, text: str) -> str:
        return cache_key(engine.name, engine.voice_id, engine.settings_id, self.sample_rate, text)

    def _fall_back(self, engine: SpeechEngine, error: EngineUnavailable) -> bool:
        """Drop ``engine`` for the next one; False when it is the last."""
        with self._lock:
            if len(self._engines) == 1:
                return False
            log.warning("voice %s failed: %s", engine.name, error)
            self._skipped.append(EngineProblem(engine.name, str(error), error.hint))
            self._engines.pop(0)
            self.status = _status_for(self._engines[0], self._skipped)
        return True


#: Said by an engine that just failed, to tell a text it cannot say from a broken engine.
PROBE_TEXT = "Ready."


def _still_speaks(engine: SpeechEngine) -> bool:
    try:
        engine.synthesize(PROBE_TEXT)
    except EngineUnavailable:
        return False
    return True


def speakable(text: str) -> str:
    """``text`` as an engine is given it: control characters and lone surrogates (which
    the protocol checks refuse, but a prompt may come from elsewhere) become spaces, and
    runs of white space one space."""
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") else char for char in text
    )
    return " ".join(cleaned.split()) or "."


def default_engines(
    speed: VoiceSpeed = VoiceSpeed.NORMAL, cache_dir: Path | None = None
) -> list[SpeechEngine]:
    """The chain; ``cache_dir`` also keeps the note that Piper's model loads here."""
    piper = PiperEngine(speed=speed, proof_dir=cache_dir)
    return [piper, EspeakEngine(speed=speed), ChimeEngine()]


def choose_voice(
    prefer: str = "auto",
    *,
    engines: Sequence[SpeechEngine] | None = None,
    cache_dir: Path | None = None,
    sample_rate: int = OUTPUT_RATE,
    speed: VoiceSpeed = VoiceSpeed.NORMAL,
) -> tuple[PromptVoice, VoiceStatus]:
    """The best working voice at ``speed``. ``prefer`` names an engine to try first
    ("auto": Piper). ``engines`` and ``cache_dir`` are injected by tests."""
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    candidates = list(engines) if engines is not None else default_engines(speed, folder)
    if prefer != "auto":
        candidates.sort(key=lambda e: e.name != prefer)
    usable: list[SpeechEngine] = []
    skipped: list[EngineProblem] = []
    for engine in candidates:
        try:
            engine.check()
        except EngineUnavailable as error:
            if not usable:  # only engines better than the one in use explain a fallback
                skipped.append(EngineProblem(engine.name, str(error), error.hint))
            continue
        usable.append(engine)
    if not any(e.name == "chime" for e in usable):
        usable.append(ChimeEngine())
    cache = VoiceCache(folder)
    voice = PromptVoice(usable, cache, sample_rate, skipped)
    return voice, voice.status
