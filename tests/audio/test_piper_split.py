"""The split's half-precision weights: large ones stored as 16-bit floats behind a cast
under their own name, small ones left alone, and a session opened for them computes what
the 32-bit model computes to half precision's rounding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from backbeat.audio.piper_engine import open_lean_session  # noqa: E402
from backbeat.audio.piper_split import HALF_MIN_VALUES, HALF_SUFFIX, _store_half  # noqa: E402


def _model(weights: np.ndarray, bias: np.ndarray) -> Any:
    """y = x @ weights + bias, x of shape [1, rows of weights]."""
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "w"], ["xw"]),
            helper.make_node("Add", ["xw", "b"], ["y"]),
        ],
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, weights.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, weights.shape[1]])],
        initializer=[numpy_helper.from_array(weights, "w"), numpy_helper.from_array(bias, "b")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_large_weights_are_stored_at_half_precision_and_compute_as_before(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(3)
    weights = rng.standard_normal((64, 64)).astype(np.float32)  # 4096 values: halved
    bias = rng.standard_normal(64).astype(np.float32)  # 64 values: kept
    assert weights.size >= HALF_MIN_VALUES > bias.size
    full, half = _model(weights, bias), _model(weights, bias)
    _store_half(half.graph)
    onnx.checker.check_model(half)

    stored = {w.name: w.data_type for w in half.graph.initializer}
    assert stored == {"w" + HALF_SUFFIX: TensorProto.FLOAT16, "b": TensorProto.FLOAT}
    first = half.graph.node[0]
    assert first.op_type == "Cast" and list(first.output) == ["w"]

    x = {"x": rng.standard_normal((1, 64)).astype(np.float32)}
    results = []
    for name, model in (("full", full), ("half", half)):
        path = tmp_path / f"{name}.onnx"
        onnx.save(model, str(path))
        session = open_lean_session(path, half_weights=name == "half")
        results.append(session.run(None, x)[0])
    expected, got = results
    assert got.dtype == np.float32
    # Each weight rounded to 11 significant bits: the sums move by far less than 1 %.
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-2 * np.abs(expected).max())
    assert not np.array_equal(got, expected)  # the weights really are the rounded ones
