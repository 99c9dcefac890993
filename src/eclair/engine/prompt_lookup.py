"""Prompt-lookup drafts for speculative decoding.

The cheapest draft model is the text itself: when a model rewrites, quotes or summarises a
passage it was given, the next few tokens often repeat a span that already occurred in the
prompt or in the answer so far. :class:`NgramIndex` finds the most recent earlier occurrence
of the sequence's last *n* tokens (``n`` from ``max_ngram`` down to ``min_ngram``) and proposes
the tokens that followed it. Lookups and updates are O(1) per token: every appended token adds
one entry per n-gram size to a dictionary, so the scheduler can draft for every sequence at every
step without scanning the history.

:class:`DraftPolicy` decides how many draft tokens a sequence may spend in a step. Verifying a
draft token costs a good share of a decode step on a CPU, so drafting pays only when drafts are
usually accepted: the policy estimates each request's acceptance probability and, from the
step-cost model :class:`StepCost` (fixed + per-token time, fitted online by the scheduler),
picks the draft length with the best expected tokens per second, which is 0 for chat that
does not repeat its input. A paused request keeps its estimate fresh for free: the scheduler
compares the draft's first token, which it did not send, with the token the model then picks
(:meth:`DraftPolicy.shadow`), so drafting resumes when the text turns repetitive without
spending a verification on it. (A real probe would cost a whole extra micro-batch when other
sequences decode in the same step.)

Contract: drafts never change what is generated, only how many tokens one step can confirm;
the scheduler verifies every draft token against the model's own choice.
"""

from __future__ import annotations

from collections.abc import Sequence


class NgramIndex:
    """Latest continuation position of every n-gram (``min_ngram`` ≤ n ≤ ``max_ngram``) seen so far."""

    __slots__ = ("_history", "_max_n", "_min_n", "_tables")

    def __init__(self, tokens: Sequence[int] = (), *, min_ngram: int = 2, max_ngram: int = 4):
        if not 1 <= min_ngram <= max_ngram:
            raise ValueError("need 1 <= min_ngram <= max_ngram")
        self._min_n = min_ngram
        self._max_n = max_ngram
        self._history: list[int] = []
        # _tables[n - min_n][ngram] = index of the token that followed the latest occurrence.
        self._tables: list[dict[tuple[int, ...], int]] = [{} for _ in range(min_ngram, max_ngram + 1)]
        self.extend(tokens)

    def __len__(self) -> int:
        return len(self._history)

    def append(self, token: int) -> None:
        history = self._history
        end = len(history)
        # The n-grams that end just before the new token now have a known continuation.
        for n, table in enumerate(self._tables, start=self._min_n):
            if end >= n:
                table[tuple(history[end - n : end])] = end
        history.append(token)

    def extend(self, tokens: Sequence[int]) -> None:
        for token in tokens:
            self.append(token)

    def draft(self, max_tokens: int) -> tuple[list[int], int]:
        """Up to ``max_tokens`` tokens that followed the longest matching suffix, and its length.

        Returns ``([], 0)`` when no suffix of at least ``min_ngram`` tokens occurred before.
        """
        if max_tokens <= 0:
            return [], 0
        history = self._history
        end = len(history)
        for n in range(min(self._max_n, end), self._min_n - 1, -1):
            start = self._tables[n - self._min_n].get(tuple(history[end - n :]))
            if start is not None:
                return history[start : start + max_tokens], n
        return [], 0


class StepCost:
    """Online estimate of a decode step's time: ``fixed + per_token × tokens`` (seconds).

    Fitted by exponentially weighted least squares over recent single-sequence steps (one
    micro-batch each), starting from a prior typical of small models on a few CPU cores.
    """

    __slots__ = ("_n", "_sx", "_sxx", "_sxy", "_sy")

    DECAY = 0.98
    PRIOR_FIXED = 0.015
    PRIOR_PER_TOKEN = 0.006

    def __init__(self) -> None:
        self._n = self._sx = self._sy = self._sxx = self._sxy = 0.0

    def observe(self, tokens: int, seconds: float) -> None:
        d = self.DECAY
        self._n = self._n * d + 1
        self._sx = self._sx * d + tokens
        self._sy = self._sy * d + seconds
        self._sxx = self._sxx * d + tokens * tokens
        self._sxy = self._sxy * d + tokens * seconds

    def estimate(self) -> tuple[float, float]:
        """``(fixed, per_token)``; the prior until steps of different sizes were seen."""
        if self._n < 4:
            return self.PRIOR_FIXED, self.PRIOR_PER_TOKEN
        mean_x, mean_y = self._sx / self._n, self._sy / self._n
        var = self._sxx / self._n - mean_x * mean_x
        if var < 0.5:  # all steps the same size: keep the prior's split of the mean
            share = self.PRIOR_FIXED / (self.PRIOR_FIXED + self.PRIOR_PER_TOKEN * max(mean_x, 1))
            return mean_y * share, mean_y * (1 - share) / max(mean_x, 1)
        per_token = max(1e-5, (self._sxy / self._n - mean_x * mean_y) / var)
        return max(1e-4, mean_y - per_token * mean_x), per_token


class DraftPolicy:
    """Per-request draft length that maximises expected tokens per second.

    Each draft token is accepted with probability ``p`` (estimated per request: accepted draft
    tokens over positions verified, the geometric model's estimate), so ``k`` draft tokens yield
    ``1 + p + … + p^k`` tokens for a step costing ``fixed + per_token × (1 + k)``. The policy picks
    the ``k`` with the best ratio; while that is 0, :meth:`shadow` observations (draft tokens
    checked against the model's pick without being sent) keep ``p`` current.
    """

    __slots__ = ("_accepted", "_verified", "max_draft")

    #: Weight the history keeps per newly verified position (recent behaviour matters most).
    DECAY = 0.8

    # Pessimistic start: shadow checks cost nothing, so drafting waits for evidence that the
    # text repeats (three matching shadows are enough) instead of paying to find out.
    def __init__(self, max_draft: int = 8, initial_rate: float = 0.0):
        self.max_draft = max_draft
        self._accepted = 2.0 * initial_rate
        self._verified = 2.0

    @property
    def rate(self) -> float:
        """Estimated probability that the next draft token is accepted."""
        return self._accepted / self._verified

    def budget(
        self,
        ngram: int,
        cost: tuple[float, float] = (StepCost.PRIOR_FIXED, StepCost.PRIOR_PER_TOKEN),
        others: int = 0,
    ) -> int:
        """Draft tokens to spend this step for a match of ``ngram`` tokens (0 = do not draft).

        ``others`` sequences decode one token each in the same step. With a per-sequence KV
        cache, llama.cpp runs a sequence that has more tokens than the others as an extra
        micro-batch, so a draft then also pays one more fixed cost.
        """
        fixed, per_token = cost
        p = min(self.rate, 0.99) * (1.0 if ngram >= 3 else 0.8)
        base_tokens = others + 1.0
        extra_fixed = fixed if others else 0.0
        best_k, best_rate = 0, base_tokens / (fixed + per_token * base_tokens)
        expected, gain = base_tokens, 1.0
        for k in range(1, self.max_draft + 1):
            gain *= p
            expected += gain
            rate = expected / (fixed + extra_fixed + per_token * (base_tokens + k))
            if rate > best_rate:
                best_k, best_rate = k, rate
        if best_k:
            return best_k if ngram >= 3 else min(best_k, 2)  # short matches predict little
        return 0

    def shadow(self, matched: bool) -> None:
        """Record a draft token that was not sent: would the model have accepted it?"""
        self.update(1, 1 if matched else 0)

    def update(self, drafted: int, accepted: int) -> None:
        """Record a verification: ``accepted`` of ``drafted`` tokens matched the model."""
        if drafted <= 0:
            return
        verified = accepted + (1 if accepted < drafted else 0)
        keep = self.DECAY**verified
        self._accepted = self._accepted * keep + accepted
        self._verified = self._verified * keep + verified
