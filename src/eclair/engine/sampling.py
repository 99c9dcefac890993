"""Per-request token choice and text assembly inside the batched scheduler.

:class:`TokenSampler` picks the next token of one sequence from a row of the step's logits.
Greedy requests (temperature 0) are served by :class:`GreedyPicker`: NumPy applies the
repetition penalties to the few tokens of the recent history, in place in the step's logits
row, and takes the argmax (tens of microseconds, no copy of the vocabulary). Sampled requests
use a llama.cpp sampler chain per request (penalties → top-k → top-p → min-p → temperature →
seeded draw), the order llama.cpp's own tools use. Both penalise the last
:data:`PENALTY_LAST_N` tokens of prompt and answer, as llama-cpp-python does; a chain
remembers what it accepted, and a fixed ``seed`` reproduces the same draws.

:class:`TextAssembler` turns sampled tokens into text deltas: bytes are decoded incrementally
(a UTF-8 character split across tokens is emitted once complete) and passed through a
:class:`~eclair.engine.stops.StopMatcher`, so stop strings are honoured across token boundaries.

Neither class knows about slots, batches or asyncio.
"""

from __future__ import annotations

import codecs
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from eclair.engine.protocol import SamplingParams, TokenLogprob
from eclair.engine.stops import StopMatcher

#: Tokens of history the repetition penalties look at (llama.cpp's default).
PENALTY_LAST_N = 64


def _has_penalties(params: SamplingParams) -> bool:
    return params.repeat_penalty != 1.0 or params.presence_penalty != 0.0 or params.frequency_penalty != 0.0


class GreedyPicker:
    """Temperature 0: the argmax of the logits after llama.cpp's repetition penalties."""

    __slots__ = ("_freq", "_penalised", "_presence", "_repeat")

    def __init__(self, params: SamplingParams):
        self._penalised = _has_penalties(params)
        self._repeat = params.repeat_penalty
        self._freq = params.frequency_penalty
        self._presence = params.presence_penalty

    def pick(self, row: npt.NDArray[np.float32], history: Sequence[int]) -> int:
        """Best token of ``row`` (modified in place) given the tokens so far."""
        if self._penalised and history:
            seen = Counter(history[-PENALTY_LAST_N:])
            tokens = np.fromiter(seen.keys(), dtype=np.int64, count=len(seen))
            counts = np.fromiter(seen.values(), dtype=np.float32, count=len(seen))
            values = row[tokens]
            if self._repeat != 1.0:
                values = np.where(values > 0, values / self._repeat, values * self._repeat)
            row[tokens] = values - counts * self._freq - self._presence
        return int(row.argmax())


def token_logprob(
    row: npt.NDArray[np.float32], token: int, top: int, piece: Callable[[int], bytes]
) -> TokenLogprob:
    """``token``'s log-probability under the softmax of ``row`` (raw logits), with the ``top``
    most likely tokens of that row."""
    peak = float(row.max())
    log_total = peak + float(np.log(np.exp(row - peak, dtype=np.float32).sum(dtype=np.float64)))
    best: tuple[tuple[bytes, float], ...] = ()
    if top > 0:
        ids = np.argpartition(row, -top)[-top:]
        ids = ids[np.argsort(row[ids])[::-1]]
        best = tuple((piece(int(i)), float(row[i]) - log_total) for i in ids)
    return TokenLogprob(piece(token), float(row[token]) - log_total, best)


class TokenSampler:
    """A llama.cpp sampler chain built from :class:`SamplingParams` (temperature > 0)."""

    __slots__ = ("_chain", "_lib")

    def __init__(self, params: SamplingParams, n_vocab: int):
        import llama_cpp

        self._lib: Any = llama_cpp
        chain_params = llama_cpp.llama_sampler_chain_default_params()
        chain_params.no_perf = True
        self._chain = llama_cpp.llama_sampler_chain_init(chain_params)
        add = lambda sampler: llama_cpp.llama_sampler_chain_add(self._chain, sampler)  # noqa: E731
        if params.repeat_penalty != 1.0 or params.presence_penalty or params.frequency_penalty:
            add(
                llama_cpp.llama_sampler_init_penalties(
                    n_vocab,
                    PENALTY_LAST_N,
                    params.repeat_penalty,
                    params.frequency_penalty,
                    params.presence_penalty,
                )
            )
        if params.top_k > 0:
            add(llama_cpp.llama_sampler_init_top_k(params.top_k))
        if params.top_p < 1.0:
            add(llama_cpp.llama_sampler_init_top_p(params.top_p, 1))
        if params.min_p > 0.0:
            add(llama_cpp.llama_sampler_init_min_p(params.min_p, 1))
        add(llama_cpp.llama_sampler_init_temp(params.temperature))
        seed = params.seed if params.seed is not None else random.getrandbits(32)
        add(llama_cpp.llama_sampler_init_dist(seed & 0xFFFFFFFF))

    def sample(self, ctx: Any, row: int) -> int:
        """Sample from batch row ``row`` of the last decode and record it in the chain."""
        return int(self._lib.llama_sampler_sample(self._chain, ctx, row))

    def accept(self, tokens: Sequence[int]) -> None:
        """Record tokens the chain did not sample itself (the prompt's tail, for penalties)."""
        for token in tokens[-PENALTY_LAST_N:]:
            self._lib.llama_sampler_accept(self._chain, token)

    def close(self) -> None:
        if self._chain is not None:
            self._lib.llama_sampler_free(self._chain)
            self._chain = None


class TextAssembler:
    """Tokens in, safe-to-show text out: incremental UTF-8 plus stop strings."""

    __slots__ = ("_decoder", "_matcher", "_piece", "pending_tokens")

    def __init__(self, stops: tuple[str, ...], piece: Callable[[int], bytes]):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._matcher = StopMatcher(stops)
        self._piece = piece
        # Tokens whose text has not been handed out yet (held by the decoder or the matcher).
        self.pending_tokens = 0

    @property
    def stopped(self) -> bool:
        return self._matcher.stopped

    def feed(self, token: int) -> str:
        self.pending_tokens += 1
        return self._matcher.feed(self._decoder.decode(self._piece(token)))

    def finish(self) -> str:
        """Text still held back at the end of generation (nothing after a stop string)."""
        if self._matcher.stopped:
            return ""
        return self._matcher.feed(self._decoder.decode(b"", final=True)) + self._matcher.flush()
