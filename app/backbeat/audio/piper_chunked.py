"""Piper's decoder run over a sentence in overlapping chunks, so that a long sentence costs
no more memory than a short one.

The whole model runs its HiFi-GAN decoder over the sentence at once: ~17 MB of
activations per second of speech (a 6 s sentence adds ~106 MB). Split once (by
:mod:`backbeat.audio.piper_split`, in a child process), the front model makes the decoder's
input ``z`` for the whole sentence, and the decoder then runs over ``CHUNK_FRAMES`` frames
at a time, each with ``OVERLAP_FRAMES`` of context on either side whose samples are
dropped. With 20 frames of overlap the result equals the decoder's over the whole sentence
to float rounding (max difference ~1e-7, benchmarks/voice_chunking.py); 5 frames are
audibly not enough. The split's weights are stored at half precision (see
:mod:`backbeat.audio.piper_split`).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from backbeat.audio.load_proof import files_key
from backbeat.audio.piper_split import DECODER_FILE, FRONT_FILE

log = logging.getLogger(__name__)

#: Frames of ``z`` the decoder makes at a time (~86 frames a second: 256 samples each).
CHUNK_FRAMES = 100
#: Frames of context on each side of a chunk: more than the decoder's receptive field.
OVERLAP_FRAMES = 20
#: What the split depends on: a new version of ``onnx`` splits the model again.
_SPLITTING_PACKAGES = ("onnx",)
#: Raised with the split's own format, so that a changed split is made again.
_SPLIT_FORMAT = 2  # 2: weights stored at half precision
_SPLIT_PREFIX = "piper-split-"
_SPLIT_TIMEOUT_SECONDS = 120


class ChunkedDecoderSession:
    """Runs like the whole model's session (``run(output_names, feed)``): the front model
    once, then the decoder chunk by chunk, every run with ``run_options`` (which another
    thread can terminate)."""

    def __init__(self, front: Any, decoder: Any, run_options: Any) -> None:
        self._front = front
        self._decoder = decoder
        self.run_options = run_options
        self._z = front.get_outputs()[0].name
        self._decoder_input = decoder.get_inputs()[0].name
        self._output = decoder.get_outputs()[0].name

    def run(self, output_names: Any, feed: Any) -> list[Any]:
        if output_names is not None and list(output_names) != [self._output]:
            raise ValueError(f"the chunked session makes only {self._output}")
        (z,) = self._front.run([self._z], feed, self.run_options)
        return [self.decode(z)]

    def decode(self, z: Any) -> Any:
        frames = int(z.shape[-1])
        if frames <= CHUNK_FRAMES:
            return self._decode_frames(z)
        pieces = []
        for start in range(0, frames, CHUNK_FRAMES):
            end = min(frames, start + CHUNK_FRAMES)
            low, high = max(0, start - OVERLAP_FRAMES), min(frames, end + OVERLAP_FRAMES)
            audio = self._decode_frames(np.ascontiguousarray(z[..., low:high]))
            hop = audio.shape[-1] // (high - low)
            pieces.append(audio[..., (start - low) * hop : (end - low) * hop])
        return np.concatenate(pieces, axis=-1)

    def _decode_frames(self, z: Any) -> Any:
        (audio,) = self._decoder.run([self._output], {self._decoder_input: z}, self.run_options)
        return audio


def installed_splits_dir() -> Path:
    """Where set-up leaves the split (``./dev setup`` runs :func:`install_split`): in the
    environment Backbeat runs from, so that an emptied cache does not make it again."""
    return Path(sys.prefix) / "share" / "backbeat"


def split_directory(model: Path, cache_dir: Path, installed_dir: Path | None = None) -> Path | None:
    """Where the split of ``model`` is: the one set-up made (in ``installed_dir``, by
    default :func:`installed_splits_dir`), else one in ``cache_dir``, made now if need be.
    None without ``onnx`` or when the split fails (then the whole model is used)."""
    name = _split_name(model)
    if name is None:
        log.info("Piper's decoder runs whole: the onnx package is not installed")
        return None
    installed = (installed_dir or installed_splits_dir()) / name
    if _is_complete(installed):
        return installed
    return _made_split(model, cache_dir / name)


def install_split(model: Path, installed_dir: Path | None = None) -> Path | None:
    """Set-up's step: the split of ``model`` made into ``installed_dir`` (older ones there
    removed), or None (logged) when it cannot be; the app then makes it when first needed."""
    name = _split_name(model)
    if name is None:
        log.warning("Piper's model is not split: the onnx package is not installed")
        return None
    return _made_split(model, (installed_dir or installed_splits_dir()) / name)


def _split_name(model: Path) -> str | None:
    """The split's folder name: it changes with the model file, onnx and the split format."""
    key = files_key([model], _SPLITTING_PACKAGES)
    return None if key is None else f"{_SPLIT_PREFIX}{_SPLIT_FORMAT}-{key}"


def _is_complete(directory: Path) -> bool:
    return all((directory / name).is_file() for name in (FRONT_FILE, DECODER_FILE))


def _made_split(model: Path, directory: Path) -> Path | None:
    """``directory`` holding the split of ``model``, made by the child if it is not there;
    older splits beside it (of another model or onnx) are removed first."""
    if _is_complete(directory):
        return directory
    _remove_splits(directory.parent)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "backbeat.audio.piper_split", str(model), str(directory)],
            capture_output=True,
            text=True,
            timeout=_SPLIT_TIMEOUT_SECONDS,
            env=_child_environment(),
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("Piper's decoder runs whole: its model could not be split (%s)", error)
        return None
    if result.returncode != 0 and not _is_complete(directory):  # else another made it first
        reason = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        log.warning("Piper's decoder runs whole: its model could not be split (%s)", reason)
        return None
    return directory


def forget_split(directory: Path) -> None:
    """A split that would not load: the next load makes it again."""
    shutil.rmtree(directory, ignore_errors=True)


def _remove_splits(cache_dir: Path) -> None:
    """Splits of an older model or onnx (~63 MB each), and any left half made."""
    if cache_dir.is_dir():
        for old in cache_dir.glob(f"{_SPLIT_PREFIX}*"):
            shutil.rmtree(old, ignore_errors=True)


def _child_environment() -> dict[str, str]:
    """This process's environment, with the folder backbeat is imported from first on the
    child's path (a source checkout run with ``PYTHONPATH`` or none)."""
    import backbeat

    environment = dict(os.environ)
    package_root = str(Path(backbeat.__file__).resolve().parent.parent)
    paths = [package_root, *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return environment


def load_chunked_session(
    model: Path, cache_dir: Path, open_session: Callable[[Path], Any], run_options: Any
) -> ChunkedDecoderSession | None:
    """The chunked session for ``model`` (split into ``cache_dir`` first if need be), each
    part opened by ``open_session``; None, logged, when it cannot be had."""
    directory = split_directory(model, cache_dir)
    if directory is None:
        return None
    try:
        front = open_session(directory / FRONT_FILE)
        decoder = open_session(directory / DECODER_FILE)
        if len(front.get_outputs()) != 1 or len(decoder.get_inputs()) != 1:
            raise ValueError("the parts do not fit together")
    except Exception as error:  # onnxruntime raises many kinds
        log.warning("Piper's decoder runs whole: its split would not load (%s)", error)
        forget_split(directory)
        return None
    return ChunkedDecoderSession(front, decoder, run_options)
