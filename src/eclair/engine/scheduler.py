"""The batching scheduler: one thread, one llama context, one ``llama_decode`` per step.

Contract:
- Every llama.cpp context call happens on the scheduler thread. The event loop only submits
  jobs (:meth:`Scheduler.submit`, which may raise :class:`~eclair.errors.Overloaded`) and flips
  ``job.cancelled``; events come back through ``loop.call_soon_threadsafe``, once per step.
- Each step builds one batch: for every decoding sequence its pending token plus its
  prompt-lookup draft tokens (logits for all of them), then chunks of pending prefills, in
  admission order, until ``batch_tokens`` is spent. A long prompt therefore advances by chunks
  while the other streams keep decoding. Requests join and leave between steps.
- Drafts are verified in the same decode: a draft token is kept only while it equals what the
  request's own sampler picks at that position, so speculation never changes the choice rule
  (at temperature 0 it changes nothing but floating-point rounding). Rejected draft positions
  are removed from the sequence's KV cache before the next step.
- A cancelled request (consumer gone) or one past its deadline leaves at the next step start
  and its slot is free for the next admission. Finished sequences keep their KV cache in their
  slot for prefix reuse (:mod:`eclair.engine.slots`).
- Admission control: at most ``n_slots + max_queue`` requests are in the engine; beyond that
  :meth:`submit` raises ``Overloaded`` with a ``retry_after`` estimated from recent service times.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque

import numpy as np
import numpy.typing as npt

from eclair.engine.job import Job, Outbox, flush
from eclair.engine.llama_runtime import Batch, LlamaRuntime
from eclair.engine.prompt_lookup import StepCost
from eclair.engine.protocol import EngineStats
from eclair.engine.sampling import PENALTY_LAST_N, GreedyPicker, TextAssembler, TokenSampler
from eclair.engine.slots import SlotTable
from eclair.errors import EngineError, Overloaded

logger = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        runtime: LlamaRuntime,
        *,
        batch_tokens: int,
        max_queue: int,
        prefix_cache: bool = True,
        max_draft: int = 8,
    ):
        self._rt = runtime
        self.n_slots = runtime.n_seq_max
        self.n_ctx = runtime.n_ctx_seq
        self.max_queue = max_queue
        self.max_draft = max_draft
        self._slots = SlotTable(self.n_slots, prefix_cache=prefix_cache)
        self._batch = Batch(batch_tokens)
        self._inbox: deque[Job] = deque()
        self._waiting: deque[Job] = deque()
        self._active: list[Job] = []  # admission order
        self._outbox: Outbox = []
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._in_engine = 0
        self._service_s = 5.0  # running mean of request durations, for Retry-After
        self._cost = StepCost()
        # counters (written by the scheduler thread only)
        self.prefix_hit_tokens = 0
        self.prefill_tokens = 0
        self.generated_tokens = 0
        self.draft_tokens = 0
        self.accepted_draft_tokens = 0
        self.steps = 0

    # -- event-loop side -------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="eclair-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the thread; in-flight and queued requests end with ``cancelled``."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._in_engine >= self.n_slots + self.max_queue:
                raise Overloaded("the engine is at capacity; retry shortly", retry_after=self._retry_after())
            self._in_engine += 1
        self._inbox.append(job)
        self._wake.set()

    def cancel(self, job: Job) -> None:
        """The consumer went away: the job leaves at the next step start."""
        job.cancelled = True
        self._wake.set()

    def stats(self) -> EngineStats:
        return EngineStats(
            active_slots=len(self._active),
            total_slots=self.n_slots,
            queue_depth=len(self._waiting) + len(self._inbox),
            prefix_hit_tokens=self.prefix_hit_tokens,
            prefill_tokens=self.prefill_tokens,
            generated_tokens=self.generated_tokens,
            draft_tokens=self.draft_tokens,
            accepted_draft_tokens=self.accepted_draft_tokens,
        )

    def _retry_after(self) -> float:
        waiting = len(self._waiting) + len(self._inbox)
        return float(max(1, min(60, math.ceil(self._service_s * (waiting + 1) / self.n_slots))))

    # -- scheduler thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping:
                self._wake.clear()
                while self._inbox:
                    self._waiting.append(self._inbox.popleft())
                now = time.monotonic()
                self._drop_cancelled_and_expired(now)
                self._admit(now)
                if not self._active:
                    flush(self._outbox)
                    self._wake.wait(1.0)
                    continue
                try:
                    self._step()
                except Exception as exc:  # reported to every request in the batch
                    logger.exception("engine step failed")
                    self._fail_active(EngineError(f"generation failed: {exc}"))
                flush(self._outbox)
        finally:
            now = time.monotonic()
            while self._inbox:
                self._waiting.append(self._inbox.popleft())
            for job in [*self._active, *self._waiting]:
                job.finish("cancelled", self._outbox, now)
            self._active.clear()
            self._waiting.clear()
            flush(self._outbox)

    def _drop_cancelled_and_expired(self, now: float) -> None:
        for job in [j for j in self._active if j.cancelled or now > j.deadline]:
            # Past the deadline the answer is cut short, like a length limit.
            self._retire(job, "cancelled" if job.cancelled else "length", now)
        if any(j.cancelled or now > j.deadline for j in self._waiting):
            kept: deque[Job] = deque()
            for job in self._waiting:
                if job.cancelled:
                    job.finish("cancelled", self._outbox, now)
                elif now > job.deadline:
                    job.fail(Overloaded("timed out waiting for a free slot", retry_after=1), self._outbox)
                else:
                    kept.append(job)
                    continue
                self._leave()
            self._waiting = kept

    def _admit(self, now: float) -> None:
        while self._waiting and self._slots.has_free():
            job = self._waiting.popleft()
            slot, shared = self._slots.choose(job.prompt)
            shared = min(shared, len(job.prompt) - 1)  # the last prompt token must run for logits
            self._rt.seq_rm(slot.seq, shared, -1)
            self._slots.acquire(slot)
            params = job.request.params
            if params.temperature > 0:
                job.sampler = TokenSampler(params, self._rt.n_vocab)
                job.sampler.accept(job.prompt)
            else:
                job.picker = GreedyPicker(params)
            job.text = TextAssembler(params.stop, self._rt.piece)
            job.tokens = list(job.prompt)
            job.slot, job.n_past, job.cached = slot, shared, shared
            self.prefix_hit_tokens += shared
            self._active.append(job)

    def _step(self) -> None:
        rt, batch = self._rt, self._batch
        batch.clear()
        ordered = sorted(self._active, key=lambda j: j.slot.seq if j.slot else 0)
        decoders = [j for j in ordered if j.decoding]
        budget = batch.capacity - len(decoders)
        # 1. Drafts for decoding sequences, as long as the cost model says they pay.
        cost = self._cost.estimate()
        for job in decoders:
            job.drafts = self._draft(job, min(budget, self.max_draft), cost, len(decoders) - 1)
            budget -= len(job.drafts)
        # 2. Prefill chunks, first come first served, under the remaining budget.
        for job in self._active:
            if not job.decoding:
                job.chunk = max(0, min(budget, len(job.prompt) - job.n_past))
                budget -= job.chunk
        # 3. One batch in sequence order (llama.cpp groups contiguous sequence ids).
        n_out = 0
        for job in ordered:
            assert job.slot is not None
            if job.decoding:
                job.row = batch.add(job.slot.seq, [job.tokens[-1], *job.drafts], job.n_past, outputs="all")
                job.out_row, n_out = n_out, n_out + 1 + len(job.drafts)
            elif job.chunk:
                end = job.n_past + job.chunk
                last = end == len(job.prompt)
                job.row = batch.add(
                    job.slot.seq, job.prompt[job.n_past : end], job.n_past, outputs="last" if last else "none"
                )
                if last:
                    job.row += job.chunk - 1
                    job.out_row, n_out = n_out, n_out + 1
        started, cpu_before = time.perf_counter(), time.process_time()
        rt.decode(batch)
        if len(ordered) == 1 and decoders:  # one micro-batch: a clean sample of the step cost
            self._cost.observe(batch.n, time.perf_counter() - started)
        # The decode's CPU time (every llama.cpp worker thread) is shared by token count.
        cpu_per_token = (time.process_time() - cpu_before) / max(1, batch.n)
        for job in ordered:
            job.cpu_s += cpu_per_token * ((1 + len(job.drafts)) if job.decoding else job.chunk)
        self.steps += 1
        # 4. Choose tokens, verify drafts, emit text.
        logits = rt.logits(n_out)
        now = time.monotonic()
        for job in ordered:
            if job.decoding:
                self._verify(job, logits, now)
            elif job.chunk:
                job.n_past += job.chunk
                self.prefill_tokens += job.chunk
                if job.n_past == len(job.prompt):
                    job.decoding = True
                    self._accept(job, [self._pick(job, logits, 0, [])], now)
        for job in [j for j in self._active if j.done]:
            self._retire(job, "stop", now)

    def _draft(self, job: Job, limit: int, cost: tuple[float, float], others: int) -> list[int]:
        limit = min(limit, job.remaining - 1, self.n_ctx - job.n_past - 1)
        if limit <= 0 or job.ngrams is None or job.policy is None:
            return []
        tokens, ngram = job.ngrams.draft(limit)
        if not tokens:
            return []
        budget = job.policy.budget(ngram, cost, others)
        if budget == 0:
            job.shadow = tokens[0]
        return tokens[:budget]

    def _pick(self, job: Job, logits: npt.NDArray[np.float32], offset: int, chosen: list[int]) -> int:
        """The job's token at its ``offset``-th output row, after the tokens ``chosen`` this step."""
        if job.sampler is not None:
            return job.sampler.sample(self._rt.ctx, job.row + offset)
        assert job.picker is not None
        history = job.tokens[-PENALTY_LAST_N:] + chosen if chosen else job.tokens
        return job.picker.pick(logits[job.out_row + offset], history)

    def _verify(self, job: Job, logits: npt.NDArray[np.float32], now: float) -> None:
        drafts = job.drafts
        chosen = [self._pick(job, logits, 0, [])]
        if job.shadow is not None:
            assert job.policy is not None
            job.policy.shadow(chosen[0] == job.shadow)
            job.shadow = None
        while len(chosen) <= len(drafts) and chosen[-1] == drafts[len(chosen) - 1]:
            chosen.append(self._pick(job, logits, len(chosen), chosen))
        accepted = len(chosen) - 1
        job.n_past += 1 + accepted
        if drafts:
            if accepted < len(drafts):
                self._rt.seq_rm(job.slot.seq, job.n_past, -1)  # type: ignore[union-attr]
            assert job.policy is not None
            job.policy.update(len(drafts), accepted)
            job.draft_tokens += len(drafts)
            job.accepted_tokens += accepted
            self.draft_tokens += len(drafts)
            self.accepted_draft_tokens += accepted
        self._accept(job, chosen, now)

    def _accept(self, job: Job, chosen: list[int], now: float) -> None:
        """Record the model's tokens, then emit them until the job finishes."""
        job.tokens.extend(chosen)
        if job.ngrams is not None:
            job.ngrams.extend(chosen)
        eog = self._rt.eog
        before = job.generated
        for token in chosen:
            if job.on_token(token, token in eog, self._outbox, now):
                break
        self.generated_tokens += job.generated - before
        if not job.done and job.n_past >= self.n_ctx:
            job.finish("length", self._outbox, now)

    def _retire(self, job: Job, reason: str, now: float) -> None:
        job.finish(reason, self._outbox, now)  # type: ignore[arg-type]
        if job.slot is not None:
            self._slots.release(job.slot, job.tokens[: job.n_past])
            job.slot = None
        self._active.remove(job)
        self._service_s += 0.2 * (now - job.request.arrival_time - self._service_s)
        self._leave()

    def _leave(self) -> None:
        with self._lock:
            self._in_engine -= 1

    def _fail_active(self, error: BaseException) -> None:
        for job in list(self._active):
            job.fail(error, self._outbox)
            if job.slot is not None:
                self._rt.seq_rm(job.slot.seq, 0, -1)
                self._slots.release(job.slot, [])
                job.slot = None
            self._active.remove(job)
            self._leave()
