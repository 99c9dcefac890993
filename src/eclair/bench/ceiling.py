"""The in-process batched ceiling: what llama.cpp itself gives, with no server and no scheduler.

``n`` sequences are prefilled (rendered with the model's chat template, as a server would), then decoded together for ``max_tokens`` steps with one
``llama_decode`` per step and a NumPy argmax of each sequence's logits, exactly the loop a
perfect server would run. It is written directly against llama-cpp-python's low-level API
(not Éclair's engine) so that it measures llama.cpp, not our code. The context is configured
like the engine's (one sequence per slot, per-sequence KV streams, same threads and batch), and
end-of-generation tokens are ignored so every sequence runs the full length.

Reported: decode-phase aggregate tokens/s (the ceiling proper) and the overall rate including
prefill (comparable with a benchmark that starts the clock when the requests are sent).
"""

from __future__ import annotations

import ctypes
import time
from pathlib import Path
from typing import Any

import numpy as np

from eclair.bench.prompts import OPEN_PROMPTS
from eclair.engine.chat_template import CHATML_TEMPLATE, ChatTemplate
from eclair.engine.llama_runtime import silence_llama_logs
from eclair.engine.protocol import ChatMessage


def batched_ceiling(
    model: Path,
    *,
    sequences: int = 8,
    max_tokens: int = 128,
    threads: int = 2,
    ctx_size: int = 4096,
    batch_tokens: int = 256,
    prompts: tuple[str, ...] = OPEN_PROMPTS,
) -> dict[str, Any]:
    import llama_cpp as llama

    silence_llama_logs()  # keeps its callback alive for the life of the process
    llama.llama_backend_init()
    model_ptr = llama.llama_model_load_from_file(str(model).encode(), llama.llama_model_default_params())
    vocab = llama.llama_model_get_vocab(model_ptr)
    n_vocab = llama.llama_vocab_n_tokens(vocab)
    params = llama.llama_context_default_params()
    params.n_ctx = ctx_size * sequences
    params.n_batch = params.n_ubatch = batch_tokens
    params.n_seq_max = sequences
    params.n_threads = params.n_threads_batch = threads
    params.kv_unified = False
    ctx = llama.llama_init_from_model(model_ptr, params)
    batch = llama.llama_batch_init(batch_tokens, 0, 1)
    try:
        template = _template(llama, model_ptr)
        prompt_tokens = [
            _tokenize(llama, vocab, template.render([ChatMessage("user", prompts[i % len(prompts)])]))
            for i in range(sequences)
        ]

        def submit(items: list[tuple[int, int, int, bool]]) -> None:
            batch.n_tokens = len(items)
            for i, (token, pos, seq, output) in enumerate(items):
                batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, pos, 1
                batch.seq_id[i][0], batch.logits[i] = seq, output
            if llama.llama_decode(ctx, batch) != 0:
                raise RuntimeError("llama_decode failed")

        start = time.perf_counter()
        # 1. Prefill every prompt (chunks under the batch size), keeping each last token's logits.
        pending: list[tuple[int, int, int, bool]] = [
            (tok, pos, seq, pos == len(toks) - 1) for seq, toks in enumerate(prompt_tokens)
            for pos, tok in enumerate(toks)
        ]  # fmt: skip
        last_rows: list[np.ndarray] = []
        for i in range(0, len(pending), batch_tokens):
            chunk = pending[i : i + batch_tokens]
            submit(chunk)
            n_out = sum(1 for item in chunk if item[3])
            if n_out:
                last_rows.append(
                    np.ctypeslib.as_array(llama.llama_get_logits(ctx), shape=(n_out, n_vocab)).argmax(1)
                )
        next_tokens = np.concatenate(last_rows).tolist()
        prefill_done = time.perf_counter()
        # 2. Decode all sequences together, one llama_decode per step.
        positions = [len(t) for t in prompt_tokens]
        for _ in range(max_tokens - 1):
            submit([(next_tokens[s], positions[s], s, True) for s in range(sequences)])
            logits = np.ctypeslib.as_array(llama.llama_get_logits(ctx), shape=(sequences, n_vocab))
            next_tokens = logits.argmax(axis=1).tolist()
            positions = [p + 1 for p in positions]
        end = time.perf_counter()
    finally:
        llama.llama_batch_free(batch)
        llama.llama_free(ctx)
        llama.llama_model_free(model_ptr)
    generated = sequences * max_tokens
    return {
        "sequences": sequences,
        "max_tokens": max_tokens,
        "threads": threads,
        "prompt_tokens": sum(len(t) for t in prompt_tokens),
        "prefill_s": prefill_done - start,
        "decode_s": end - prefill_done,
        "decode_tps": sequences * (max_tokens - 1) / (end - prefill_done),
        "overall_tps": generated / (end - start),
    }


def _template(llama: Any, model_ptr: Any) -> ChatTemplate:
    """The model's own chat template, so prompts match what a server would prefill."""
    buf = ctypes.create_string_buffer(1 << 16)
    n = llama.llama_model_meta_val_str(model_ptr, b"tokenizer.chat_template", buf, len(buf))
    return ChatTemplate(buf.value.decode() if 0 < n < len(buf) else CHATML_TEMPLATE)


def _tokenize(llama: Any, vocab: Any, text: str) -> list[int]:
    data = text.encode()
    out = (ctypes.c_int32 * (len(data) + 8))()
    n = llama.llama_tokenize(vocab, data, len(data), out, len(out), True, True)
    return list(out[:n])
