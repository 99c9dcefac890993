"""A thin, allocation-free layer over llama-cpp-python's low-level API.

:class:`LlamaRuntime` owns one model and one llama context with ``n_seq_max`` sequences
(one per scheduler slot). It exposes only what the scheduler needs: tokenize, token pieces,
end-of-generation tests, one ``decode`` of a :class:`Batch`, the logits of the rows that asked
for them, and per-sequence KV-memory operations.

:class:`Batch` builds a ``llama_batch`` whose arrays are NumPy buffers owned by Python, so
filling a step costs a handful of slice assignments rather than one ctypes call per token.

Threading contract: ``decode``, ``logits`` and the memory operations must be called from one
thread at a time: the scheduler's (after a scheduler crash, its successor's, which starts by
clearing the memory). ``tokenize`` and ``piece`` only read the vocabulary and are safe from any
thread.

The KV cache is *unified* by default (one buffer shared by all sequences): every step is one
micro-batch whatever mix of decode, draft and prefill tokens it holds, and a prefix can be
shared between sequences by copying cell metadata (``seq_cp``) instead of data.
"""

from __future__ import annotations

import ctypes
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from eclair.errors import ConfigurationError, EngineError

#: ``llama_decode`` found no room in the KV cache for the batch (retry with fewer tokens).
NO_KV_SLOT = 1
#: KV cache types by name (ggml type ids).
KV_TYPES = {"f16": 1, "q8_0": 8}

_log_lock = threading.Lock()
_log_callback: object = None


def silence_llama_logs() -> None:
    """Route llama.cpp's own logging nowhere (it prints to stderr by default)."""
    global _log_callback
    import llama_cpp

    with _log_lock:
        if _log_callback is None:
            _log_callback = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
            llama_cpp.llama_log_set(_log_callback, ctypes.c_void_p(0))


class Runtime(Protocol):
    """What the scheduler needs from a runtime: :class:`LlamaRuntime`, or a test's wrapper of it
    that injects faults (``LlamaCppEngine(runtime_hook=...)``)."""

    n_seq_max: int
    n_ctx_seq: int
    n_vocab: int
    eog: frozenset[int]

    @property
    def ctx(self) -> Any: ...
    def piece(self, token: int) -> bytes: ...
    def decode(self, batch: Batch) -> int: ...
    def logits(self, n_rows: int) -> npt.NDArray[np.float32]: ...
    def seq_rm(self, seq: int, p0: int, p1: int = -1) -> None: ...
    def clear_memory(self) -> None: ...


class Batch:
    """A reusable ``llama_batch`` backed by NumPy arrays (one sequence id per token)."""

    def __init__(self, capacity: int):
        import llama_cpp

        self.capacity = capacity
        self.n = 0
        self.token = np.zeros(capacity, dtype=np.int32)
        self.pos = np.zeros(capacity, dtype=np.int32)
        self.seq = np.zeros(capacity, dtype=np.int32)
        self.output = np.zeros(capacity, dtype=np.int8)
        self._n_seq_id = np.ones(capacity, dtype=np.int32)
        int32_p = ctypes.POINTER(ctypes.c_int32)
        base = self.seq.ctypes.data
        self._seq_ptrs = (int32_p * capacity)(*(ctypes.cast(base + 4 * i, int32_p) for i in range(capacity)))
        struct: Any = llama_cpp.llama_batch()
        struct.token = self.token.ctypes.data_as(int32_p)
        struct.embd = ctypes.POINTER(ctypes.c_float)()
        struct.pos = self.pos.ctypes.data_as(int32_p)
        struct.n_seq_id = self._n_seq_id.ctypes.data_as(int32_p)
        struct.seq_id = ctypes.cast(self._seq_ptrs, ctypes.POINTER(int32_p))
        struct.logits = self.output.ctypes.data_as(ctypes.POINTER(ctypes.c_int8))
        self.struct = struct

    def clear(self) -> None:
        self.n = 0

    @property
    def free(self) -> int:
        return self.capacity - self.n

    def add(self, seq: int, tokens: list[int], start_pos: int, *, outputs: str) -> int:
        """Append ``tokens`` of sequence ``seq`` at positions ``start_pos…``; return the first row.

        ``outputs`` is ``"all"`` (logits for every token), ``"last"`` or ``"none"``.
        """
        first, count = self.n, len(tokens)
        end = first + count
        if end > self.capacity:
            raise EngineError("batch overflow")
        if count == 1:
            self.token[first] = tokens[0]
            self.pos[first] = start_pos
            self.seq[first] = seq
            self.output[first] = outputs != "none"
        else:
            self.token[first:end] = tokens
            self.pos[first:end] = np.arange(start_pos, start_pos + count, dtype=np.int32)
            self.seq[first:end] = seq
            self.output[first:end] = outputs == "all"
            if outputs == "last":
                self.output[end - 1] = 1
        self.n = end
        return first


class LlamaRuntime:
    """One model, one context with ``n_seq_max`` sequences of up to ``n_ctx_seq`` tokens each."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_seq_max: int,
        n_ctx_seq: int,
        threads: int,
        batch_tokens: int,
        unified_kv: bool = False,
        flash_attn: bool | None = None,
        kv_type: str = "f16",
    ):
        """``kv_type``: ``"f16"`` or ``"q8_0"`` (keys and values quantised: half the memory;
        llama.cpp then needs flash attention for the values, which ``None`` lets it pick)."""
        import llama_cpp

        self._lib = llama_cpp
        silence_llama_logs()
        llama_cpp.llama_backend_init()
        model_params = llama_cpp.llama_model_default_params()
        self.model = llama_cpp.llama_model_load_from_file(str(model_path).encode(), model_params)
        if not self.model:
            raise ConfigurationError(f"llama.cpp could not load {model_path}")
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(self.vocab))
        n_ctx_train = int(llama_cpp.llama_model_n_ctx_train(self.model))
        self.n_ctx_seq = min(n_ctx_seq, n_ctx_train) if n_ctx_train > 0 else n_ctx_seq
        self.n_seq_max = n_seq_max
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = self.n_ctx_seq * n_seq_max
        params.n_batch = batch_tokens
        params.n_ubatch = batch_tokens
        params.n_seq_max = n_seq_max
        params.n_threads = threads
        params.n_threads_batch = threads
        params.kv_unified = unified_kv
        if kv_type != "f16":
            params.type_k = params.type_v = KV_TYPES[kv_type]
        if flash_attn is not None:  # None: llama.cpp decides (auto)
            params.flash_attn_type = int(flash_attn)
        params.no_perf = True
        self.ctx = llama_cpp.llama_init_from_model(self.model, params)
        if not self.ctx:
            llama_cpp.llama_model_free(self.model)
            raise ConfigurationError("llama.cpp could not create a context (out of memory?)")
        self.memory = llama_cpp.llama_get_memory(self.ctx)
        # llama.cpp may round the context; trust what each sequence really got.
        self.n_ctx_seq = min(self.n_ctx_seq, int(llama_cpp.llama_n_ctx_seq(self.ctx)))
        self.batch_tokens = batch_tokens
        self.eog = frozenset(t for t in range(self.n_vocab) if llama_cpp.llama_vocab_is_eog(self.vocab, t))
        self.bos = int(llama_cpp.llama_vocab_bos(self.vocab))
        self.eos = int(llama_cpp.llama_vocab_eos(self.vocab))
        self._piece = lru_cache(maxsize=None)(self._piece_uncached)

    def close(self) -> None:
        if self.ctx:
            self._lib.llama_free(self.ctx)
            self.ctx = None
        if self.model:
            self._lib.llama_model_free(self.model)
            self.model = None

    # -- vocabulary (any thread) -----------------------------------------------------------

    def metadata(self, key: str) -> str | None:
        buf = ctypes.create_string_buffer(1 << 16)
        n = self._lib.llama_model_meta_val_str(self.model, key.encode(), buf, len(buf))
        if n < 0:
            return None
        if n >= len(buf):
            buf = ctypes.create_string_buffer(n + 1)
            self._lib.llama_model_meta_val_str(self.model, key.encode(), buf, len(buf))
        return buf.value.decode("utf-8", errors="replace")

    def tokenize(self, text: str) -> list[int]:
        """Token ids of ``text``: special tokens parsed, BOS added if the model wants one, never twice."""
        data = text.encode("utf-8")
        capacity = len(data) + 8
        while True:
            out = (ctypes.c_int32 * capacity)()
            n = self._lib.llama_tokenize(self.vocab, data, len(data), out, capacity, True, True)
            if n >= 0:
                tokens = out[:n]
                break
            capacity = -n
        if len(tokens) >= 2 and tokens[0] == self.bos and tokens[1] == self.bos:
            tokens = tokens[1:]  # the template already wrote BOS
        return tokens

    def piece(self, token: int) -> bytes:
        """UTF-8 bytes of one token (special tokens render as nothing)."""
        return self._piece(token)

    def token_text(self, token: int) -> str:
        """Text of a (special) token, for templates: ``<|im_end|>`` and the like."""
        if token < 0:
            return ""
        buf = ctypes.create_string_buffer(256)
        n = self._lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, True)
        return buf.raw[: max(n, 0)].decode("utf-8", errors="ignore")

    def _piece_uncached(self, token: int) -> bytes:
        buf = ctypes.create_string_buffer(256)
        n = self._lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = self._lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
        return buf.raw[:n]

    # -- decoding (scheduler thread) -------------------------------------------------------

    def decode(self, batch: Batch) -> int:
        """Run one ``llama_decode``; return its result rather than raising, because the
        scheduler treats the codes differently:

        - ``0``: done; the batch's keys and values are in the KV cache;
        - ``NO_KV_SLOT`` (1): the KV cache had no room for the batch; nothing was written, the
          same tokens may be sent again in a smaller batch;
        - anything else (negative: invalid batch, allocation or compute failure): the batch
          failed; llama.cpp removed what it had written for the failed micro-batch, but the
          positions the batch covered must be treated as lost.
        """
        batch.struct.n_tokens = batch.n
        return int(self._lib.llama_decode(self.ctx, batch.struct))

    def logits(self, n_rows: int) -> npt.NDArray[np.float32]:
        """Logits of the last decode's output rows, in batch order: shape (n_rows, n_vocab).

        A view into llama.cpp's buffer, valid until the next decode.
        """
        if n_rows == 0:
            return np.empty((0, self.n_vocab), dtype=np.float32)
        address = ctypes.cast(self._lib.llama_get_logits(self.ctx), ctypes.c_void_p).value
        if not address:
            raise EngineError("llama.cpp returned no logits")
        buffer = (ctypes.c_float * (n_rows * self.n_vocab)).from_address(address)
        return np.frombuffer(memoryview(buffer), dtype=np.float32).reshape(n_rows, self.n_vocab)

    def seq_rm(self, seq: int, p0: int, p1: int = -1) -> None:
        """Forget positions [p0, p1) of ``seq`` (``p1 < 0``: to the end)."""
        self._lib.llama_memory_seq_rm(self.memory, seq, p0, p1)

    def seq_cp(self, src: int, dst: int, p0: int, p1: int) -> None:
        """Share positions [p0, p1) of ``src`` with ``dst`` (unified KV: metadata only)."""
        self._lib.llama_memory_seq_cp(self.memory, src, dst, p0, p1)

    def clear_memory(self) -> None:
        """Forget every sequence's KV cache (after a scheduler crash, whose bookkeeping is lost)."""
        self._lib.llama_memory_clear(self.memory, True)
