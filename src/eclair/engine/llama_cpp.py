"""The embedded llama.cpp backend (llama-cpp-python).

Contract:
- One worker thread owns the llama context; every llama.cpp call happens on it, never on
  the event loop. Requests wait in a bounded queue (``max_queue``); beyond it ``generate()``
  raises :class:`~eclair.errors.Overloaded` at call time.
- Tokens reach the event loop through ``loop.call_soon_threadsafe`` into a per-request
  asyncio queue. Closing the consumer's iterator flags the job; the worker checks the flag
  before each token, so a disconnected client stops generation within one token.
- The chat template comes from the GGUF metadata and is rendered in a Jinja2 sandbox
  (:mod:`eclair.engine.chat_template`).

This backend decodes one request at a time; the batching scheduler (flash-engine issue)
replaces the worker loop behind the same class.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eclair.engine.chat_template import CHATML_TEMPLATE, ChatTemplate
from eclair.engine.protocol import (
    ChatMessage,
    Engine,
    EngineStats,
    Finished,
    GenerationRequest,
    StreamEvent,
    TextDelta,
    Usage,
)
from eclair.engine.stops import StopMatcher
from eclair.errors import ConfigurationError, ContextLengthExceeded, EngineError, Overloaded

if TYPE_CHECKING:
    from eclair.config import Settings

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class _Job:
    request: GenerationRequest
    tokens: list[int]
    loop: asyncio.AbstractEventLoop
    events: asyncio.Queue[StreamEvent | BaseException] = field(default_factory=asyncio.Queue)
    cancelled: bool = False

    def emit(self, event: StreamEvent | BaseException) -> None:
        self.loop.call_soon_threadsafe(self.events.put_nowait, event)


class LlamaCppEngine(Engine):
    backend_name = "llama_cpp"
    supports_concurrency = False
    supports_prefix_cache = True  # llama-cpp-python reuses the previous prompt's common prefix

    def __init__(
        self,
        model_path: Path,
        *,
        model_id: str,
        context_size: int = 4096,
        threads: int = 2,
        batch_tokens: int = 512,
        max_queue: int = 64,
        request_timeout_s: float = 600.0,
    ):
        self.model_path = model_path
        self.model_id = model_id
        self.context_size = context_size
        self.threads = threads
        self.batch_tokens = batch_tokens
        self.max_queue = max_queue
        self.request_timeout_s = request_timeout_s
        self._llama: Any = None
        self._template: ChatTemplate | None = None
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._waiting = 0
        self._active = 0
        self._generated = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppEngine:
        return cls(
            settings.model_path(),
            model_id=settings.served_model_id(),
            context_size=settings.ctx_size,
            threads=settings.threads,
            batch_tokens=settings.batch_tokens,
            max_queue=settings.max_queue,
            request_timeout_s=settings.request_timeout_s,
        )

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        await asyncio.to_thread(self._load)
        self._worker = threading.Thread(target=self._run, name="eclair-llama", daemon=True)
        self._worker.start()

    def _load(self) -> None:
        from llama_cpp import Llama

        if not self.model_path.is_file():
            raise ConfigurationError(f"model file not found: {self.model_path}")
        self._llama = Llama(
            model_path=str(self.model_path),
            n_ctx=self.context_size,
            n_threads=self.threads,
            n_threads_batch=self.threads,
            n_batch=self.batch_tokens,
            verbose=False,
        )
        metadata = self._llama.metadata or {}
        source = metadata.get("tokenizer.chat_template") or CHATML_TEMPLATE
        self._template = ChatTemplate(
            source, bos_token=self._token_text(self._llama.token_bos()),
            eos_token=self._token_text(self._llama.token_eos()),
        )

    def _is_end_of_generation(self, token: int) -> bool:
        import llama_cpp

        return bool(llama_cpp.llama_vocab_is_eog(self._llama._model.vocab, token))

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return bytes(self._llama.detokenize([token], special=True)).decode("utf-8", errors="ignore")

    async def close(self) -> None:
        if self._worker is not None:
            self._jobs.put(None)
            await asyncio.to_thread(self._worker.join, 10)
            self._worker = None
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    # -- tokens and templates ----------------------------------------------------------

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        template = self._template or ChatTemplate(CHATML_TEMPLATE)
        return template.render(messages)

    def tokenize(self, text: str) -> list[int]:
        if self._llama is None:
            raise EngineError("the model is not loaded")
        tokens: list[int] = self._llama.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        bos = self._llama.token_bos()
        if len(tokens) >= 2 and tokens[0] == bos and tokens[1] == bos:
            tokens = tokens[1:]
        return tokens

    def stats(self) -> EngineStats:
        return EngineStats(
            active_slots=self._active, total_slots=1, queue_depth=self._waiting,
            generated_tokens=self._generated,
        )

    # -- generation --------------------------------------------------------------------

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        if self._worker is None:
            raise EngineError("the engine is not started")
        tokens = list(request.prompt) if not isinstance(request.prompt, str) else self.tokenize(request.prompt)
        if len(tokens) >= self.context_size:
            raise ContextLengthExceeded(
                f"the prompt is {len(tokens)} tokens; the context window is {self.context_size}"
            )
        if self._waiting >= self.max_queue:
            raise Overloaded("too many requests are waiting; retry shortly", retry_after=2)
        job = _Job(request, tokens, asyncio.get_running_loop())
        self._waiting += 1
        self._jobs.put(job)
        return self._events(job)

    async def _events(self, job: _Job) -> AsyncIterator[StreamEvent]:
        try:
            while True:
                event = await job.events.get()
                if isinstance(event, BaseException):
                    raise event
                yield event
                if isinstance(event, Finished):
                    return
        finally:
            job.cancelled = True

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._waiting -= 1
            if job.cancelled:
                continue
            self._active += 1
            try:
                self._decode(job)
            except Exception as exc:  # reported to the consumer, not swallowed
                logger.exception("generation failed")
                job.emit(EngineError(f"generation failed: {exc}"))
            finally:
                self._active -= 1

    def _decode(self, job: _Job) -> None:
        llama = self._llama
        params = job.request.params
        deadline = job.request.deadline or (job.request.arrival_time + self.request_timeout_s)
        max_tokens = min(params.max_tokens, self.context_size - len(job.tokens))
        if params.seed is not None:
            llama.set_seed(params.seed)
        cpu_start = time.process_time()
        matcher = StopMatcher(params.stop)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        produced, first_at, reason = 0, None, "length"
        cached = _common_prefix(llama.input_ids[: llama.n_tokens].tolist(), job.tokens)
        greedy = params.temperature <= 0
        for token in llama.generate(
            job.tokens,
            top_k=1 if greedy else params.top_k,
            top_p=params.top_p,
            min_p=0.0 if greedy else params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
            frequency_penalty=params.frequency_penalty,
            presence_penalty=params.presence_penalty,
        ):
            if job.cancelled or time.monotonic() > deadline:
                reason = "cancelled"
                break
            if self._is_end_of_generation(token):
                reason = "stop"
                break
            produced += 1
            if first_at is None:
                first_at = time.monotonic()
            text = matcher.feed(decoder.decode(bytes(llama.detokenize([token]))))
            if text:
                job.emit(TextDelta(text))
            if matcher.stopped:
                reason = "stop"
                break
            if produced >= max_tokens:
                break
        if reason != "cancelled":
            tail = matcher.feed(decoder.decode(b"", final=True)) + matcher.flush()
            if tail:
                job.emit(TextDelta(tail, tokens=0))
        self._generated += produced
        now = time.monotonic()
        job.emit(
            Finished(
                finish_reason=reason,  # type: ignore[arg-type]
                usage=Usage(len(job.tokens), produced, cached_tokens=cached),
                ttft_s=None if first_at is None else first_at - job.request.arrival_time,
                decode_s=0.0 if first_at is None else now - first_at,
                cpu_s=time.process_time() - cpu_start,
            )
        )


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
