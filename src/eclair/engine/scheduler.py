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
- A request with a grammar (``request.constraint``: structured output, tool calls) has its own
  logits rows masked before its token is chosen, and no one else's; its next mask is computed
  on a worker thread while ``llama_decode`` runs (:mod:`eclair.engine.constrain`).
- A cancelled request (consumer gone) or one past its deadline leaves at the next step start
  and its slot is free for the next admission: past its deadline, a request that had a slot
  ends with :class:`~eclair.errors.DeadlineExceeded` (the text already sent stays sent), one
  still waiting with ``Overloaded``. Finished and timed-out sequences keep their KV cache in
  their slot for prefix reuse (:mod:`eclair.engine.slots`); with ``states``, a slot's cache
  is saved before another conversation takes it and loaded back when it returns
  (:mod:`eclair.engine.seqstate`).
- Admission control: at most ``n_slots + max_queue`` requests are in the engine; beyond that
  :meth:`submit` raises ``Overloaded`` with a ``retry_after`` estimated from recent service times.

Failures fail only the requests they concern, each with an error event, never a silent hang:

- an exception while admitting one request (its slot, sampler, text assembler) fails that
  request; its slot goes back with an empty cache;
- ``llama_decode`` answering ``NO_KV_SLOT`` wrote nothing: the same step is planned again at
  once with half the tokens (the step's token limit halves, down to one token, and doubles back
  after each good step), so nobody fails and no cache is dropped; only a single token that
  still finds no room fails its request;
- any other decode result, or an exception from ``decode`` or ``logits``, fails the requests
  *in that batch* and clears their sequences' KV cache; requests not in the batch and the idle
  slots' prefix caches are untouched;
- an exception while choosing one request's tokens (sampler, text, stop strings) fails it alone;
- anything else that escapes the loop ends the thread: the active requests fail with
  ``EngineError`` (code ``engine_restarted``) and the others stay submitted, for the
  :class:`~eclair.engine.supervisor.Supervisor` to move to a fresh scheduler
  (:meth:`Scheduler.unfinished`). ``heartbeat`` (set once per loop turn; under about a second
  old when idle) and ``alive`` are what the supervisor watches; neither costs per-token work.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections import deque

import numpy as np
import numpy.typing as npt

from eclair.engine.constrain import MaskWorker
from eclair.engine.job import Job, Outbox, flush
from eclair.engine.llama_runtime import NO_KV_SLOT, Batch, Runtime
from eclair.engine.prompt_lookup import StepCost
from eclair.engine.protocol import EngineStats, FinishReason
from eclair.engine.sampling import PENALTY_LAST_N, GreedyPicker, TextAssembler, TokenSampler, token_logprob
from eclair.engine.seqstate import SequenceStates
from eclair.engine.slots import SlotTable
from eclair.errors import DeadlineExceeded, EclairError, EngineError, Overloaded

logger = logging.getLogger(__name__)


def engine_restarted() -> EngineError:
    """What a request in progress gets when the scheduler loop crashed under it."""
    return EngineError(
        "the engine failed while answering and is restarting; retry the request", code="engine_restarted"
    )


class Scheduler:
    def __init__(
        self,
        runtime: Runtime,
        *,
        batch_tokens: int,
        max_queue: int,
        prefix_cache: bool = True,
        max_draft: int = 8,
        clear_memory: bool = False,
        states: SequenceStates | None = None,
    ):
        """``clear_memory``: the context may hold a crashed predecessor's sequences, which this
        scheduler's empty slot table knows nothing of; its thread clears the KV cache first.
        ``states``: where evicted slots' caches are saved (owned by the engine: the saved
        states outlive a crashed scheduler, being bytes keyed by tokens)."""
        self._rt = runtime
        self.n_slots = runtime.n_seq_max
        self.n_ctx = runtime.n_ctx_seq
        self.max_queue = max_queue
        self.max_draft = max_draft
        self._slots = SlotTable(self.n_slots, prefix_cache=prefix_cache)
        self._states = states if prefix_cache else None
        self._batch = Batch(batch_tokens)
        # Tokens one step may hold: the batch's capacity, less after NO_KV_SLOT (see _step).
        self._limit = batch_tokens
        self._clear_memory = clear_memory
        self._inbox: deque[Job] = deque()
        self._waiting: deque[Job] = deque()
        self._active: list[Job] = []  # admission order
        self._outbox: Outbox = []
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._in_engine = 0
        # Every job submitted and not yet left, in arrival order (under _lock): after a crash,
        # what the supervisor must settle.
        self._jobs: dict[Job, None] = {}
        # Monotonic time of the last loop turn, and what ended the thread if it crashed.
        self.heartbeat = time.monotonic()
        self.crash: BaseException | None = None
        self._service_s = 5.0  # running mean of request durations, for Retry-After
        self._cost = StepCost()
        self._masks = MaskWorker()  # grammar masks of constrained requests (eclair.engine.constrain)
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

    @property
    def alive(self) -> bool:
        """Whether the scheduler thread runs (False before ``start`` and after it ended)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def busy(self) -> bool:
        """Whether requests are here (an idle loop waits up to a second between turns)."""
        return bool(self._active or self._waiting or self._inbox)

    def submit(self, job: Job) -> None:
        with self._lock:
            if self._in_engine >= self.n_slots + self.max_queue:
                raise Overloaded("the engine is at capacity; retry shortly", retry_after=self._retry_after())
            self._in_engine += 1
            self._jobs[job] = None
        self._inbox.append(job)
        self._wake.set()

    def unfinished(self) -> list[Job]:
        """Jobs submitted here that have not left, in arrival order; read once the thread ended."""
        with self._lock:
            return list(self._jobs)

    def cancel(self, job: Job) -> None:
        """The consumer went away: the job leaves at the next step start."""
        job.cancelled = True
        self._wake.set()

    def stats(self) -> EngineStats:
        saved = self._states.counters if self._states is not None else None
        return EngineStats(
            active_slots=len(self._active),
            total_slots=self.n_slots,
            queue_depth=len(self._waiting) + len(self._inbox),
            prefix_hit_tokens=self.prefix_hit_tokens,
            prefill_tokens=self.prefill_tokens,
            generated_tokens=self.generated_tokens,
            draft_tokens=self.draft_tokens,
            accepted_draft_tokens=self.accepted_draft_tokens,
            **(saved.as_stats() if saved is not None else {}),
        )

    def _retry_after(self) -> float:
        waiting = len(self._waiting) + len(self._inbox)
        return float(max(1, min(60, math.ceil(self._service_s * (waiting + 1) / self.n_slots))))

    # -- scheduler thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._clear_memory:
                self._rt.clear_memory()
            while not self._stopping:
                self._turn()
        except BaseException as exc:  # the loop itself broke: see the module docstring
            self.crash = exc
            logger.exception("the engine's scheduler loop crashed")
            self._abort_active()
            return
        finally:
            self._masks.close()
        self._cancel_all()

    def _turn(self) -> None:
        """One loop turn: take new jobs, drop cancelled and expired ones, admit, step, send events."""
        self._wake.clear()
        while self._inbox:
            self._waiting.append(self._inbox.popleft())
        now = time.monotonic()
        self.heartbeat = now
        self._drop_cancelled_and_expired(now)
        self._admit(now)
        if not self._active:
            flush(self._outbox)
            self._wake.wait(1.0)
            return
        self._step()
        flush(self._outbox)

    def _cancel_all(self) -> None:
        """On stop: every request still here ends with ``cancelled``."""
        now = time.monotonic()
        while self._inbox:
            self._waiting.append(self._inbox.popleft())
        for job in [*self._active, *self._waiting]:
            job.finish("cancelled", self._outbox, now)
        self._active.clear()
        self._waiting.clear()
        flush(self._outbox)

    def _abort_active(self) -> None:
        """After a crash: fail the requests in progress. No KV work (the runtime may be what
        broke; the successor clears the memory); whatever this misses, the supervisor settles."""
        error = engine_restarted()
        with contextlib.suppress(Exception):
            for job in self._active:
                job.fail(error, self._outbox)
            flush(self._outbox)

    def _drop_cancelled_and_expired(self, now: float) -> None:
        for job in [j for j in self._active if j.cancelled or now > j.deadline]:
            if job.cancelled:
                self._retire(job, "cancelled", now)
            else:
                late = DeadlineExceeded(f"the answer ran past its time limit after {job.generated} tokens")
                self._retire(job, "error", now, error=late)
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
                self._leave(job)
            self._waiting = kept

    def _admit(self, now: float) -> None:
        while self._waiting and self._slots.has_free():
            job = self._waiting.popleft()
            try:
                self._place(job)
            except Exception as exc:  # this request alone; its slot goes back empty
                logger.exception("a request could not be admitted")
                self._drop(job, EngineError(f"the request could not be started: {exc}"))

    def _place(self, job: Job) -> None:
        """Give ``job`` a free slot (its cached prefix reused), then its sampler and text."""
        slot, shared = self._slots.choose(job.prompt)
        if self._states is not None:
            shared = self._states.swap(self._rt.ctx, slot, job.prompt, shared)
        shared = min(shared, len(job.prompt) - 1)  # the last prompt token must run for logits
        self._slots.acquire(slot)
        job.slot = slot
        self._active.append(job)
        self._rt.seq_rm(slot.seq, shared, -1)
        params = job.request.params
        if params.temperature > 0:
            job.sampler = TokenSampler(params, self._rt.n_vocab)
            job.sampler.accept(job.prompt)
        else:
            job.picker = GreedyPicker(params)
        job.text = TextAssembler(params.stop, self._rt.piece)
        job.tokens = list(job.prompt)
        job.n_past, job.cached = shared, shared
        self.prefix_hit_tokens += shared

    def _step(self) -> None:
        rt, batch = self._rt, self._batch
        # 1-3. Plan and decode; NO_KV_SLOT wrote nothing, so the step is planned again smaller.
        while True:
            members, n_out = self._plan()
            masking = self._masks.start([job.constraint for job in members])  # while the decode runs
            started, cpu_before = time.perf_counter(), time.process_time()
            try:
                code = rt.decode(batch)
                elapsed, cpu_s = time.perf_counter() - started, time.process_time() - cpu_before
                logits = rt.logits(n_out) if code == 0 else None
                masking.wait()
            except Exception as exc:
                logger.exception("llama_decode failed")
                self._fail_batch(members, EngineError(f"generation failed: {exc}"))
                return
            if logits is not None:
                break
            if code == NO_KV_SLOT and self._limit > 1:
                logger.warning("no KV cache room for %d tokens: retrying with fewer", batch.n)
                self._limit = max(1, self._limit // 2)
                for job in members:
                    job.shadow = None
                continue
            logger.error("llama_decode returned %d for a batch of %d tokens", code, batch.n)
            reason = "the context memory is full" if code == NO_KV_SLOT else f"llama_decode returned {code}"
            self._fail_batch(members, EngineError(f"generation failed: {reason}"))
            return
        assert logits is not None
        if self._limit < batch.capacity:
            self._limit = min(batch.capacity, self._limit * 2)
        if len(members) == 1 and members[0].decoding:  # one micro-batch: a clean sample of the step cost
            self._cost.observe(batch.n, elapsed)
        # The decode's CPU time (every llama.cpp worker thread) is shared by token count.
        cpu_per_token = cpu_s / max(1, batch.n)
        for job in members:
            job.cpu_s += cpu_per_token * ((1 + len(job.drafts)) if job.decoding else job.chunk)
        self.steps += 1
        # 4. Choose tokens, verify drafts, emit text.
        now = time.monotonic()
        for job in members:
            try:
                if job.decoding:
                    self._verify(job, logits, now)
                else:
                    job.n_past += job.chunk
                    self.prefill_tokens += job.chunk
                    if job.n_past == len(job.prompt):
                        job.decoding = True
                        self._accept(job, [self._pick(job, logits, 0, [])], now)
            except Exception as exc:  # this request alone
                logger.exception("choosing a request's tokens failed")
                self._drop(job, EngineError(f"generation failed: {exc}"))
        for job in [j for j in self._active if j.done]:
            self._retire(job, "stop", now)

    def _plan(self) -> tuple[list[Job], int]:
        """Fill the batch under the step's token limit: the jobs in it, in sequence order, and
        how many logits rows it asks for."""
        batch = self._batch
        batch.clear()
        ordered = sorted(self._active, key=lambda j: j.slot.seq if j.slot else 0)
        decoders = [j for j in ordered if j.decoding]
        budget = self._limit
        if len(decoders) > budget:  # only after NO_KV_SLOT shrank the step: the rest wait
            decoders = decoders[:budget]
        budget -= len(decoders)
        # 1. Drafts for decoding sequences, as long as the cost model says they pay.
        cost = self._cost.estimate()
        for job in decoders:
            job.drafts = self._draft(job, min(budget, self.max_draft), cost, len(decoders) - 1)
            budget -= len(job.drafts)
        # 2. Prefill chunks, first come first served, under the remaining budget.
        members = set(decoders)
        for job in self._active:
            if not job.decoding:
                job.chunk = max(0, min(budget, len(job.prompt) - job.n_past))
                budget -= job.chunk
                if job.chunk:
                    members.add(job)
        # 3. One batch in sequence order (llama.cpp groups contiguous sequence ids).
        in_batch = [job for job in ordered if job in members]
        n_out = 0
        for job in in_batch:
            assert job.slot is not None
            if job.decoding:
                job.row = batch.add(job.slot.seq, [job.tokens[-1], *job.drafts], job.n_past, outputs="all")
                job.out_row, n_out = n_out, n_out + 1 + len(job.drafts)
            else:
                end = job.n_past + job.chunk
                last = end == len(job.prompt)
                job.row = batch.add(
                    job.slot.seq, job.prompt[job.n_past : end], job.n_past, outputs="last" if last else "none"
                )
                if last:
                    job.row += job.chunk - 1
                    job.out_row, n_out = n_out, n_out + 1
        return in_batch, n_out

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
        """The job's token at its ``offset``-th output row, after the tokens ``chosen`` this step.

        A constrained job's grammar masks its row first (in place: the sampler chain reads the
        same buffer); log-probabilities, when asked for, are read from the row before that."""
        row = logits[job.out_row + offset]
        raw = row.copy() if job.chosen_logprobs is not None else None
        if job.constraint is not None:
            job.constraint.apply(row, job.remaining - len(chosen))
        if job.sampler is not None:
            token = job.sampler.sample(self._rt.ctx, job.row + offset)
        else:
            assert job.picker is not None
            history = job.tokens[-PENALTY_LAST_N:] + chosen if chosen else job.tokens
            token = job.picker.pick(row, history)
        if job.constraint is not None:
            job.constraint.consume(token, self._rt.piece(token))
        if raw is not None and job.chosen_logprobs is not None:
            top = job.request.params.logprobs or 0
            job.chosen_logprobs.append(token_logprob(raw, token, top, self._rt.piece))
        return token

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

    def _retire(
        self, job: Job, reason: FinishReason, now: float, *, error: EclairError | None = None
    ) -> None:
        """``job`` leaves with ``reason`` (or ``error``); its slot keeps the cache it computed."""
        if error is None:
            job.finish(reason, self._outbox, now)
        else:
            job.fail(error, self._outbox)
        if job.slot is not None:
            self._slots.release(job.slot, job.tokens[: job.n_past])
            job.slot = None
        self._active.remove(job)
        self._service_s += 0.2 * (now - job.request.arrival_time - self._service_s)
        self._leave(job)

    def _leave(self, job: Job) -> None:
        with self._lock:
            self._in_engine -= 1
            self._jobs.pop(job, None)

    def _drop(self, job: Job, error: EclairError) -> None:
        """Fail ``job`` alone: error event, its sequence's KV cache cleared, its slot freed empty."""
        job.fail(error, self._outbox)
        slot, job.slot = job.slot, None
        if slot is not None:
            # The runtime may be what failed; the slot's next admission clears it again anyway.
            with contextlib.suppress(Exception):
                self._rt.seq_rm(slot.seq, 0, -1)
            self._slots.release(slot, [])
        if job in self._active:
            self._active.remove(job)
        self._leave(job)

    def _fail_batch(self, members: list[Job], error: EclairError) -> None:
        """A decode failed: the requests in its batch fail; nobody else is touched."""
        for job in members:
            self._drop(job, error)
