"""One request's life inside the scheduler: prompt, KV progress, tokens, text and events.

A :class:`Job` is created on the event loop by :class:`~eclair.engine.llama_cpp.LlamaCppEngine`
and then owned by the scheduler thread; the only field the loop writes afterwards is
``cancelled`` (a plain bool, read once per step), until that thread has ended: then the
supervisor (:mod:`eclair.engine.supervisor`) settles the jobs it left, on the loop.

Token bookkeeping, the invariant the scheduler relies on:

- ``tokens`` is the prompt followed by every token the model chose (accepted drafts included);
- the KV cache of the job's slot holds exactly ``tokens[:n_past]``;
- while prefilling, ``n_past < len(prompt)``; once decoding, ``n_past == len(tokens) - 1`` at
  the start of each step: the last token was sampled but not yet fed to the model.

Events are not sent one by one: :meth:`Job.on_token` and :meth:`Job.finish` append to the
scheduler's outbox, which is flushed to the event loop once per step, a job's text deltas of
that step merged into one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field

from eclair.engine.constrain import SequenceConstraint
from eclair.engine.prompt_lookup import DraftPolicy, NgramIndex
from eclair.engine.protocol import (
    Finished,
    FinishReason,
    GenerationRequest,
    StreamEvent,
    TextDelta,
    TokenLogprob,
    Usage,
)
from eclair.engine.sampling import GreedyPicker, TextAssembler, TokenSampler
from eclair.engine.slots import Slot

Outbox = list[tuple["Job", "StreamEvent | BaseException"]]


@dataclass(eq=False)
class Job:
    request: GenerationRequest
    prompt: list[int]
    max_tokens: int
    deadline: float
    loop: asyncio.AbstractEventLoop
    events: asyncio.Queue[StreamEvent | BaseException] = field(default_factory=asyncio.Queue)
    cancelled: bool = False
    # -- owned by the scheduler thread --------------------------------------------------------
    slot: Slot | None = None
    tokens: list[int] = field(default_factory=list)
    n_past: int = 0
    cached: int = 0
    generated: int = 0
    decoding: bool = False
    done: bool = False
    sampler: TokenSampler | None = None
    picker: GreedyPicker | None = None
    text: TextAssembler | None = None
    ngrams: NgramIndex | None = None
    policy: DraftPolicy | None = None
    drafts: list[int] = field(default_factory=list)
    # The draft's first token when the policy chose not to send it, checked after the pick.
    shadow: int | None = None
    # CPU seconds of the decodes this job took part in, shared by its tokens in each batch.
    cpu_s: float = 0.0
    row: int = 0  # first batch row of this job in the current step
    out_row: int = 0  # first logits row of this job in the current step
    chunk: int = 0  # prompt tokens fed in the current step (prefill)
    first_token_at: float | None = None
    draft_tokens: int = 0
    accepted_tokens: int = 0
    # The request's grammar (structured output, tool calls); None: free text.
    constraint: SequenceConstraint | None = None
    # With ``params.logprobs``: one entry per chosen token, taken by on_token in order, and
    # those of the tokens whose text is held back.
    chosen_logprobs: deque[TokenLogprob] | None = None
    pending_logprobs: list[TokenLogprob] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        """Tokens this job may still produce under ``max_tokens``."""
        return self.max_tokens - self.generated

    def on_token(self, token: int, eog: bool, outbox: Outbox, now: float) -> bool:
        """Handle one sampled token; return True when the job has just finished."""
        if self.chosen_logprobs:
            logprob = self.chosen_logprobs.popleft()
            if not eog:
                self.pending_logprobs.append(logprob)
        if eog:
            self.finish("stop", outbox, now)
            return True
        self.generated += 1
        if self.first_token_at is None:
            self.first_token_at = now
        assert self.text is not None
        piece = self.text.feed(token)
        if piece:
            outbox.append(
                (self, TextDelta(piece, tokens=self.text.pending_tokens, logprobs=self._logprobs()))
            )
            self.text.pending_tokens = 0
        if self.text.stopped:
            self.finish("stop", outbox, now)
        elif self.generated >= self.max_tokens:
            self.finish("length", outbox, now)
        return self.done

    def finish(self, reason: FinishReason, outbox: Outbox, now: float) -> None:
        """Send the held-back text (unless cancelled) and the final event; idempotent."""
        if self.done:
            return
        self.done = True
        if self.text is not None and reason != "cancelled":
            tail = self.text.finish()
            if tail:
                outbox.append(
                    (self, TextDelta(tail, tokens=self.text.pending_tokens, logprobs=self._logprobs()))
                )
        first = self.first_token_at
        outbox.append(
            (
                self,
                Finished(
                    finish_reason=reason,
                    usage=Usage(len(self.prompt), self.generated, cached_tokens=self.cached),
                    ttft_s=None if first is None else first - self.request.arrival_time,
                    decode_s=0.0 if first is None else now - first,
                    cpu_s=self.cpu_s,
                ),
            )
        )
        if self.sampler is not None:
            self.sampler.close()
            self.sampler = None

    def _logprobs(self) -> tuple[TokenLogprob, ...] | None:
        if self.chosen_logprobs is None:
            return None
        taken = tuple(self.pending_logprobs)
        self.pending_logprobs.clear()
        return taken

    def fail(self, error: BaseException, outbox: Outbox) -> None:
        if not self.done:
            self.done = True
            outbox.append((self, error))
            if self.sampler is not None:
                self.sampler.close()
                self.sampler = None


def deliver(batch: Outbox) -> None:
    """Runs on the event loop: hand each event to its job's queue."""
    for job, event in batch:
        job.events.put_nowait(event)


def flush(outbox: Outbox) -> None:
    """From the scheduler thread: post the step's events, one callback per event loop."""
    if not outbox:
        return
    by_loop: dict[asyncio.AbstractEventLoop, Outbox] = {}
    for job, event in outbox:
        items = by_loop.setdefault(job.loop, [])
        if items and items[-1][0] is job and isinstance(event, TextDelta):
            previous = items[-1][1]
            if isinstance(previous, TextDelta):  # one delta per job per step (speculation)
                logprobs = previous.logprobs
                if logprobs is not None and event.logprobs is not None:
                    logprobs = logprobs + event.logprobs
                merged = TextDelta(previous.text + event.text, previous.tokens + event.tokens, logprobs)
                items[-1] = (job, merged)
                continue
        items.append((job, event))
    for loop, items in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is listening any more
            loop.call_soon_threadsafe(deliver, items)
    outbox.clear()
