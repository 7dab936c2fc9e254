"""Splits Piper's voice model at its decoder's input, in a process of its own.

The front model turns phonemes into the decoder's input (``z``, 192 values a frame); the
decoder turns ``z`` into the waveform and can then be run over a long sentence in chunks
(see :mod:`backbeat.audio.piper_chunked`). Loading the model with ``onnx`` costs several
times its 63 MB, so the app runs this module as a short child process and never imports
``onnx`` itself:

    python -m backbeat.audio.piper_split MODEL DIRECTORY

Both models are written into a temporary directory renamed to DIRECTORY at the end, so
DIRECTORY either holds both or does not exist. Only the standard library, ``onnx`` and
numpy.

Their weights are stored at half precision (16-bit floats, each cast back to 32 bits as it
is used), so the loaded voice holds ~31 MB of weights instead of ~62 MB; the arithmetic
stays 32-bit. The speech is the same to within ~0.03 dB of spectrum (median over the
bundled prompts); a phoneme now and then lasts one frame (11.6 ms) longer or shorter
(``benchmarks/voice_chunking.py``). onnxruntime must then be kept from folding the casts
back into 32-bit weights (see :func:`backbeat.audio.piper_engine.open_lean_session`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

FRONT_FILE = "front.onnx"
DECODER_FILE = "decoder.onnx"
#: The HiFi-GAN decoder's first node (VITS exported by piper): its input is ``z``.
DECODER_FIRST_NODE = "/dec/conv_pre/Conv"
#: Weights with fewer values than this stay 32-bit (biases, norms: nothing to gain).
HALF_MIN_VALUES = 1024
#: Ends the name of a weight stored at half precision; its cast keeps the old name.
HALF_SUFFIX = "/half"


class SplitError(Exception):
    """The model is not one this split knows (no decoder node, or a decoder needing more
    than ``z``, as a multi-speaker voice's would)."""


def split_model(model: Path, directory: Path) -> None:
    """Writes the decoder (copied out of the model), then the front (the model itself with
    the decoder cut away), so the model is held once: a peak of ~200 MB with onnx's own
    ~50 MB (``onnx.utils.Extractor`` copies the model twice: ~284 MB)."""
    import onnx

    proto = onnx.load(str(model))
    graph = proto.graph
    z = next((node.input[0] for node in graph.node if node.name == DECODER_FIRST_NODE), None)
    if z is None:
        raise SplitError(f"no node {DECODER_FIRST_NODE} in {model.name}")
    outputs = [value.name for value in graph.output]
    inputs = {value.name for value in graph.input}
    decoder_nodes = _nodes_making(graph, outputs, stop={z})
    front_nodes = _nodes_making(graph, [z], stop=inputs)
    z_value = onnx.helper.make_tensor_value_info(z, onnx.TensorProto.FLOAT, None)
    decoder = onnx.helper.make_model(
        onnx.helper.make_graph(
            [graph.node[i] for i in sorted(decoder_nodes)],
            "decoder",
            [z_value],
            list(graph.output),
            initializer=[w for w in graph.initializer if w.name in _read(graph, decoder_nodes)],
        ),
        opset_imports=list(proto.opset_import),
        ir_version=proto.ir_version,
    )
    if _needed_inputs(decoder.graph) != {z}:
        raise SplitError("the decoder needs more than its input z")
    temp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        _store_half(decoder.graph)
        onnx.save(decoder, str(temp / DECODER_FILE))
        del decoder
        _keep_only(graph, front_nodes, z_value)
        if not _needed_inputs(graph) <= inputs:
            raise SplitError("the front needs more than the model's inputs")
        _store_half(graph)
        onnx.save(proto, str(temp / FRONT_FILE))
        os.rename(temp, directory)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _nodes_making(graph: Any, targets: list[str], stop: set[str]) -> set[int]:
    """The indices of the nodes the targets are computed by, back to the ``stop`` tensors."""
    producer = {name: i for i, node in enumerate(graph.node) for name in node.output}
    found: set[int] = set()
    pending = list(targets)
    while pending:
        name = pending.pop()
        index = producer.get(name)
        if name in stop or index is None or index in found:
            continue
        found.add(index)
        pending.extend(graph.node[index].input)
    return found


def _read(graph: Any, nodes: set[int]) -> set[str]:
    return {name for i in nodes for name in graph.node[i].input}


def _keep_only(graph: Any, nodes: set[int], output: Any) -> None:
    """Cuts the graph down, in place, to ``nodes`` and the weights they read, ending at
    ``output``; the recorded intermediate shapes are dropped (onnxruntime infers them)."""
    read = _read(graph, nodes)
    for i in reversed(range(len(graph.node))):
        if i not in nodes:
            del graph.node[i]
    for i in reversed(range(len(graph.initializer))):
        if graph.initializer[i].name not in read:
            del graph.initializer[i]
    del graph.value_info[:]
    del graph.output[:]
    graph.output.append(output)


def _store_half(graph: Any) -> None:
    """Stores, in place, every 32-bit weight of at least ``HALF_MIN_VALUES`` values as a
    16-bit one, read through a ``Cast`` back to 32 bits under the weight's own name."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    casts = []
    for index, weight in enumerate(graph.initializer):
        if weight.data_type != onnx.TensorProto.FLOAT:
            continue
        values = numpy_helper.to_array(weight)
        if values.size < HALF_MIN_VALUES:
            continue
        name = weight.name
        half_name = name + HALF_SUFFIX
        graph.initializer[index].CopyFrom(
            numpy_helper.from_array(values.astype(np.float16), half_name)
        )
        casts.append(
            onnx.helper.make_node(
                "Cast",
                [half_name],
                [name],
                name=f"{half_name}/cast",
                to=onnx.TensorProto.FLOAT,
            )
        )
    nodes = casts + list(graph.node)  # a weight's cast comes before any node reading it
    del graph.node[:]
    graph.node.extend(nodes)


def _needed_inputs(graph: Any) -> set[str]:
    """The tensors a graph's nodes read that none of its nodes or weights make."""
    made = {name for node in graph.node for name in node.output}
    made |= {weight.name for weight in graph.initializer}
    return {name for node in graph.node for name in node.input if name} - made


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
