"""Splits Piper's voice model at its decoder's input, in a process of its own.

The front model turns phonemes into the decoder's input (``z``, 192 values a frame); the
decoder turns ``z`` into the waveform and can then be run over a long sentence in chunks
(see :mod:`backbeat.audio.piper_chunked`). Loading the model with ``onnx`` costs several
times its 63 MB, so the app runs this module as a short child process and never imports
``onnx`` itself:

    python -m backbeat.audio.piper_split MODEL DIRECTORY

Both models are written into a temporary directory renamed to DIRECTORY at the end, so
DIRECTORY either holds both or does not exist. Only the standard library and ``onnx``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

FRONT_FILE = "front.onnx"
DECODER_FILE = "decoder.onnx"
#: The HiFi-GAN decoder's first node (VITS exported by piper): its input is ``z``.
DECODER_FIRST_NODE = "/dec/conv_pre/Conv"


class SplitError(Exception):
    """The model is not one this split knows (no decoder node, or a decoder needing more
    than ``z``, as a multi-speaker voice's would)."""


def split_model(model: Path, directory: Path) -> None:
    import onnx
    import onnx.utils

    proto = onnx.load(str(model))
    graph = proto.graph
    z = next((node.input[0] for node in graph.node if node.name == DECODER_FIRST_NODE), None)
    if z is None:
        raise SplitError(f"no node {DECODER_FIRST_NODE} in {model.name}")
    inputs = [value.name for value in graph.input]
    outputs = [value.name for value in graph.output]
    extractor = onnx.utils.Extractor(proto)
    del proto, graph
    decoder = extractor.extract_model([z], outputs)
    if _needed_inputs(decoder.graph) != {z}:
        raise SplitError("the decoder needs more than its input z")
    temp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        onnx.save(decoder, str(temp / DECODER_FILE))
        del decoder
        onnx.save(extractor.extract_model(inputs, [z]), str(temp / FRONT_FILE))
        os.rename(temp, directory)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _needed_inputs(graph: object) -> set[str]:
    """The tensors a graph's nodes read that none of its nodes or weights make."""
    made = {name for node in graph.node for name in node.output}  # type: ignore[attr-defined]
    made |= {weight.name for weight in graph.initializer}  # type: ignore[attr-defined]
    read = {name for node in graph.node for name in node.input if name}  # type: ignore[attr-defined]
    return read - made


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m backbeat.audio.piper_split MODEL DIRECTORY", file=sys.stderr)
        return 2
    try:
        split_model(Path(argv[0]), Path(argv[1]))
    except Exception as error:  # onnx raises many kinds; the parent logs this one line
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
