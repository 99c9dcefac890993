"""The embedded llama.cpp backend: continuous batching, prefix reuse, prompt-lookup drafts.

Contract:
- One scheduler thread owns the llama context (:mod:`eclair.engine.scheduler`); the event loop
  never calls into the context. Up to ``n_slots`` requests decode together, one
  ``llama_decode`` per step; up to ``max_queue`` more wait. Beyond that ``generate()`` raises
  :class:`~eclair.errors.Overloaded` (with ``retry_after``) at call time, and a prompt that
  cannot fit the per-sequence context raises :class:`~eclair.errors.ContextLengthExceeded`.
- ``generate()`` returns an async iterator of :class:`TextDelta` events then one
  :class:`Finished`. Closing it (or cancelling the task that iterates it) frees the request's
  slot at the next engine step. Errors inside the engine are raised from the iterator as
  :class:`~eclair.errors.EngineError`, and only from the iterators of the requests they
  concern (:mod:`eclair.engine.scheduler`).
- A request past its deadline (``request.deadline``, else arrival + ``request_timeout_s``)
  raises :class:`~eclair.errors.DeadlineExceeded` if it was generating, or ``Overloaded`` if it
  never got a slot.
- The scheduler is supervised (:mod:`eclair.engine.supervisor`): a crashed scheduler thread is
  replaced within a fraction of a second, and while it is, :meth:`LlamaCppEngine.is_ready` is
  False and ``generate()`` raises ``Overloaded`` with ``retry_after``.
- The chat template comes from the GGUF metadata and is rendered in a Jinja2 sandbox
  (:mod:`eclair.engine.chat_template`).
- A request's ``constraint`` (structured output, tool calls) masks that request's tokens only
  (:mod:`eclair.engine.constrain`); the grammar is compiled by ``check_constraint`` (or, if
  the caller skipped it, by ``generate()``), with llguidance's view of the vocabulary built
  once per load. ``params.logprobs`` adds log-probabilities to the request's text deltas.
- A model named by the settings but not yet in the Hugging Face cache is pulled by ``start()``,
  in the loading thread, before it is opened (``fetch``): the server is up and not ready
  meanwhile (:mod:`eclair.engine.hub.resolve`).
- ``close()`` frees the weights, the KV cache and the scheduler; ``start()`` loads them again
  (the model pool unloads idle models: :mod:`eclair.engine.pool`), and the counters of
  ``stats()`` carry over. :meth:`LlamaCppEngine.memory_estimate` is the fit check's figure for
  the file at this context and slot count (:func:`~eclair.engine.hub.fit.memory_needed`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eclair.engine.chat_template import CHATML_TEMPLATE, ChatTemplate
from eclair.engine.constrain import GrammarCache, SequenceConstraint, Vocabulary, check_grammar, vocabulary
from eclair.engine.job import Job
from eclair.engine.prompt_lookup import DraftPolicy, NgramIndex
from eclair.engine.protocol import (
    ChatMessage,
    Constraint,
    Engine,
    EngineStats,
    Finished,
    GenerationRequest,
    StreamEvent,
)
from eclair.errors import ConfigurationError, ContextLengthExceeded, EngineError, InvalidRequest

if TYPE_CHECKING:
    from eclair.config import Settings
    from eclair.engine.llama_runtime import LlamaRuntime, Runtime
    from eclair.engine.seqstate import SequenceStates
    from eclair.engine.supervisor import Supervisor
    from eclair.engine.tool_format import ToolFormat

logger = logging.getLogger(__name__)


class LlamaCppEngine(Engine):
    backend_name = "llama_cpp"
    supports_concurrency = True
    supports_prefix_cache = True
    supports_constraints = True

    def __init__(
        self,
        model_path: Path,
        *,
        model_id: str,
        context_size: int = 4096,
        threads: int = 2,
        n_slots: int = 8,
        batch_tokens: int = 256,
        max_queue: int = 64,
        request_timeout_s: float = 600.0,
        prefix_cache: bool = True,
        speculative: bool = True,
        max_draft: int = 8,
        fetch: Callable[[], Path] | None = None,
        stall_timeout_s: float = 120.0,
        runtime_hook: Callable[[LlamaRuntime], Runtime] | None = None,
        memory_estimate: int | None = None,
        seq_state_ram: int = 0,
        seq_state_disk: int = 0,
        seq_state_dir: Path | None = None,
        kv_cache_type: str = "f16",
    ):
        """``runtime_hook`` wraps the loaded runtime before the scheduler gets it: the seam
        where tests inject faults (failing decodes, admissions, a killed loop).
        ``memory_estimate`` is the fit check's figure when the file is not on disk yet (a pull
        planned for ``start()``); otherwise it is read from the file when first asked.
        ``seq_state_ram`` > 0 (with ``prefix_cache``): evicted slots' caches are saved, in RAM
        up to that many bytes, then in ``seq_state_dir`` up to ``seq_state_disk`` bytes
        (:mod:`eclair.engine.seqstate`)."""
        self.model_path = model_path
        self._fetch = fetch  # downloads model_path (a Hub pull) before the first load
        self.model_id = model_id
        self.context_size = context_size
        self.threads = threads
        self.n_slots = n_slots
        self.batch_tokens = batch_tokens
        self.max_queue = max_queue
        self.request_timeout_s = request_timeout_s
        self.prefix_cache = prefix_cache
        self.speculative = speculative
        self.max_draft = max_draft
        self.stall_timeout_s = stall_timeout_s
        self._runtime_hook = runtime_hook
        self._runtime: LlamaRuntime | None = None
        self._supervisor: Supervisor | None = None
        self._template: ChatTemplate | None = None
        self._memory = memory_estimate
        self._earlier = EngineStats()  # counters of the runs before the last close()
        self.seq_state_ram = seq_state_ram
        self.seq_state_disk = seq_state_disk
        self.seq_state_dir = seq_state_dir
        self.kv_cache_type = kv_cache_type
        self._states: SequenceStates | None = None
        # Grammar support, built on the first constrained request and dropped with the model
        # (llguidance's tokenizer calls into the loaded vocabulary).
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_lock = threading.Lock()
        self._grammars = GrammarCache()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppEngine:
        located = settings.locate_model()  # a name's pull is planned (and fit-checked) now, run at start()
        return cls(
            located.path,
            model_id=settings.served_model_id(),
            context_size=settings.ctx_size,
            threads=settings.threads,
            n_slots=settings.n_slots,
            batch_tokens=settings.batch_tokens,
            max_queue=settings.max_queue,
            request_timeout_s=settings.request_timeout_s,
            prefix_cache=settings.prefix_cache,
            speculative=settings.speculative,
            fetch=located.ensure if located.pending is not None else None,
            stall_timeout_s=settings.stall_timeout_s,
            memory_estimate=located.pending.fit.ram_needed if located.pending is not None else None,
            seq_state_ram=settings.seq_state_ram if settings.seq_state else 0,
            seq_state_disk=settings.seq_state_disk,
            seq_state_dir=settings.data_dir / "seq-states",
            kv_cache_type=settings.kv_cache_type,
        )

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        await asyncio.to_thread(self._load)
        assert self._supervisor is not None
        self._supervisor.start()

    def _load(self) -> None:
        from eclair.engine.llama_runtime import LlamaRuntime
        from eclair.engine.scheduler import Scheduler
        from eclair.engine.seqstate import SequenceStates
        from eclair.engine.supervisor import Supervisor

        if self._fetch is not None:
            self.model_path = self._fetch()
            self._fetch = None
        if not self.model_path.is_file():
            raise ConfigurationError(f"model file not found: {self.model_path}")
        runtime = LlamaRuntime(
            self.model_path,
            n_seq_max=self.n_slots,
            n_ctx_seq=self.context_size,
            threads=self.threads,
            batch_tokens=max(self.batch_tokens, self.n_slots * (1 + self.max_draft)),
            kv_type=self.kv_cache_type,
        )
        self.context_size = runtime.n_ctx_seq
        source = runtime.metadata("tokenizer.chat_template") or CHATML_TEMPLATE
        self._template = ChatTemplate(
            source, bos_token=runtime.token_text(runtime.bos), eos_token=runtime.token_text(runtime.eos)
        )
        self._runtime = runtime
        if self.prefix_cache and self.seq_state_ram > 0:
            self._states = SequenceStates(
                self.seq_state_ram, self.seq_state_disk, self.seq_state_dir, min_tokens=32
            )
        served: Runtime = self._runtime_hook(runtime) if self._runtime_hook else runtime

        def build(clear_memory: bool) -> Scheduler:
            return Scheduler(
                served,
                batch_tokens=runtime.batch_tokens,
                max_queue=self.max_queue,
                prefix_cache=self.prefix_cache,
                max_draft=self.max_draft,
                clear_memory=clear_memory,
                states=self._states,
            )

        self._supervisor = Supervisor(build, stall_s=self.stall_timeout_s)

    async def close(self) -> None:
        if self._supervisor is not None:
            await self._supervisor.stop()
            self._earlier = self._supervisor.stats().plus(self._earlier)
            self._supervisor = None
        with self._vocabulary_lock:
            self._vocabulary = None
            self._grammars = GrammarCache()
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None
        if self._states is not None:
            self._states.clear()
            self._states = None

    # -- tokens and templates ----------------------------------------------------------

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        template = self._template or ChatTemplate(CHATML_TEMPLATE)
        return template.render(messages)

    def render_chat_with_tools(
        self, messages: Sequence[ChatMessage], tools: Sequence[Mapping[str, Any]] | None
    ) -> tuple[str, ToolFormat]:
        template = self._template or ChatTemplate(CHATML_TEMPLATE)
        return template.render(messages, tools=tools), template.tool_format

    def tokenize(self, text: str) -> list[int]:
        if self._runtime is None:
            raise EngineError("the model is not loaded")
        return self._runtime.tokenize(text)

    # -- grammars ----------------------------------------------------------------------

    def _grammar_vocabulary(self) -> Vocabulary:
        with self._vocabulary_lock:
            if self._vocabulary is None:
                runtime = self._runtime
                if runtime is None:
                    raise EngineError("the model is not loaded")
                self._vocabulary = vocabulary(runtime.vocab, runtime.n_vocab, runtime.eog)
            return self._vocabulary

    async def check_constraint(self, constraint: Constraint, timeout_s: float = 1.0) -> None:
        vocab = await asyncio.to_thread(self._grammar_vocabulary)  # once per load, not timed
        matcher = await check_grammar(constraint.grammar, vocab.tokenizer, timeout_s)
        self._grammars.put(constraint.grammar, matcher)

    def stats(self) -> EngineStats:
        if self._supervisor is None:
            return EngineStats(total_slots=self.n_slots).plus(self._earlier)
        return self._supervisor.stats().plus(self._earlier)

    def memory_estimate(self) -> int:
        if self._memory is None:
            from eclair.engine.hub.fit import memory_needed

            self._memory = memory_needed(self.model_path, ctx_size=self.context_size, n_slots=self.n_slots)
        return self._memory

    def is_ready(self) -> bool:
        return self._supervisor is not None and self._supervisor.ready

    async def check_health(self) -> bool:
        return self.is_ready()

    # -- generation --------------------------------------------------------------------

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        supervisor = self._supervisor
        if supervisor is None:
            raise EngineError("the engine is not started")
        prompt = self.tokenize(request.prompt) if isinstance(request.prompt, str) else list(request.prompt)
        if not prompt:
            raise InvalidRequest("the prompt is empty", param="prompt")
        if len(prompt) >= self.context_size:
            raise ContextLengthExceeded(
                f"the prompt is {len(prompt)} tokens; the context window is {self.context_size}"
            )
        params = request.params
        job = Job(
            request=request,
            prompt=prompt,
            max_tokens=max(1, min(params.max_tokens, self.context_size - len(prompt))),
            deadline=request.deadline or (request.arrival_time + self.request_timeout_s),
            loop=asyncio.get_running_loop(),
        )
        if self.speculative and params.speculative:
            job.ngrams = NgramIndex(prompt)
            job.policy = DraftPolicy(self.max_draft)
        if request.constraint is not None:
            vocab = self._grammar_vocabulary()
            matcher = self._grammars.fresh(request.constraint.grammar, vocab.tokenizer)
            job.constraint = SequenceConstraint(request.constraint, vocab, matcher, max_tokens=job.max_tokens)
        if params.logprobs is not None:
            job.chosen_logprobs = deque()
        supervisor.submit(job)
        return EventStream(job, supervisor)


class EventStream:
    """The async iterator ``generate()`` returns: a job's events, cancellable at any point.

    Unlike an async generator, closing it works before the first ``anext()`` too, and so does
    dropping it (garbage collection) or cancelling the task blocked in ``anext()``: each of
    these tells the scheduler, which frees the request's slot or queue place at its next step.
    """

    def __init__(self, job: Job, supervisor: Supervisor):
        self._job = job
        self._supervisor = supervisor  # not the scheduler: after a restart the job may have moved
        self._over = False

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> StreamEvent:
        if self._over:
            raise StopAsyncIteration
        try:
            event = await self._job.events.get()
        except BaseException:
            self._cancel()
            raise
        if isinstance(event, BaseException):
            self._over = True
            raise event
        if isinstance(event, Finished):
            self._over = True
        return event

    async def aclose(self) -> None:
        self._cancel()

    def _cancel(self) -> None:
        if not self._over:
            self._over = True
            self._supervisor.cancel(self._job)

    def __del__(self) -> None:
        self._cancel()
