"""The engine seam: one async streaming protocol that every backend implements.

Contract:
- An engine turns a :class:`GenerationRequest` (a rendered prompt, as text or token ids,
  plus :class:`SamplingParams`) into an async stream of :class:`TextDelta` events that ends
  with exactly one :class:`Finished` event carrying the finish reason and token usage.
- Stop strings are honoured by the engine, across token boundaries; text that belongs to a
  stop string is never emitted.
- Admission is decided when ``generate()`` is *called*: a backend that cannot take the
  request (queue full, prompt too long) raises :class:`~eclair.errors.Overloaded` or
  :class:`~eclair.errors.ContextLengthExceeded` from the call itself, before any iteration,
  so the API can still answer with a proper status code. ``generate`` is therefore a plain
  method returning an async iterator (an async generator function is fine for backends that
  never refuse).
- Cancellation is the consumer's business: closing the async iterator (``aclose()``, or the
  task that iterates being cancelled) must stop generation within one engine step and free
  whatever the request held.
- The engine knows nothing about HTTP, OpenAI shapes or the answer pipeline. It does own
  the tokenizer and the chat template, because both come from the model file.

Backends declare capabilities as class attributes and register by name in
:mod:`eclair.engine.registry`.
"""

from __future__ import annotations

import abc
import dataclasses
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from eclair.engine.tool_format import ToolFormat

FinishReason = Literal["stop", "length", "cancelled", "error"]


@dataclass(frozen=True, slots=True)
class SamplingParams:
    """Per-request decoding settings. Defaults reproduce greedy-ish chat decoding."""

    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 1.0
    top_k: int = 40
    min_p: float = 0.05
    seed: int | None = None
    stop: tuple[str, ...] = ()
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    repeat_penalty: float = 1.1
    # Prompt-lookup speculative decoding; backends without it ignore the flag.
    speculative: bool = True
    # Log-probabilities of the chosen tokens (None: not computed) with this many alternatives
    # each (0: the chosen token's only). Backends that cannot compute them leave them out.
    logprobs: int | None = None


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function call the model made; ``arguments`` is JSON text, as OpenAI sends it."""

    id: str
    name: str
    arguments: str

    def to_openai(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str
    content: str
    # An assistant turn's function calls, and the call a ``tool`` turn answers.
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None


@dataclass(frozen=True, slots=True)
class Constraint:
    """A grammar the output must follow (:mod:`eclair.engine.grammars` builds them).

    ``grammar`` is an llguidance grammar (Lark syntax, JSON Schemas inline with ``%json``).
    With a ``trigger``, the output is free until the text contains it; from the trigger on
    (the trigger included) it must follow the grammar: a tool call the model chose to open.
    Backends that cannot constrain decoding ignore it; callers parse the output anyway.
    """

    grammar: str
    trigger: str | None = None


@dataclass(slots=True)
class GenerationRequest:
    """A prompt ready for the engine: rendered text (or token ids) and its sampling."""

    prompt: str | Sequence[int]
    params: SamplingParams = field(default_factory=SamplingParams)
    request_id: str = ""
    # Opaque key a caching backend may use to pin prefix state (e.g. a conversation id).
    cache_key: str | None = None
    # Absolute monotonic deadline; a backend drops the request when it passes.
    deadline: float | None = None
    arrival_time: float = field(default_factory=time.monotonic)
    # The conversation ``prompt`` renders, when it came from a chat. Backends that apply
    # their own chat template elsewhere (remote OpenAI-compatible servers) send these
    # messages instead of the prompt; backends that run the model here ignore them.
    messages: Sequence[ChatMessage] | None = None
    # Structured output: the grammar this request's own tokens must follow (None: free text).
    constraint: Constraint | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    # Prompt tokens served from a cached prefix rather than prefilled.
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """One generated token with its log-probability under the model (before any grammar mask
    or penalty), and the most likely alternatives at its position (``top``: token, logprob)."""

    token: bytes
    logprob: float
    top: tuple[tuple[bytes, float], ...] = ()


@dataclass(frozen=True, slots=True)
class TextDelta:
    """New text for the consumer; ``tokens`` is how many tokens produced it; ``logprobs``
    (when the request asked for them) one entry per such token."""

    text: str
    tokens: int = 1
    logprobs: tuple[TokenLogprob, ...] | None = None


@dataclass(frozen=True, slots=True)
class Finished:
    """Always the last event of a stream."""

    finish_reason: FinishReason
    usage: Usage
    # Seconds from arrival to first token, measured by the engine (None if no token).
    ttft_s: float | None = None
    # Seconds spent decoding after the first token.
    decode_s: float = 0.0
    # CPU seconds attributable to this request, where the backend can tell.
    cpu_s: float | None = None


StreamEvent = TextDelta | Finished


@dataclass(frozen=True, slots=True)
class EngineStats:
    """A snapshot of an engine's counters, published by ``/metrics`` later."""

    active_slots: int = 0
    total_slots: int = 1
    queue_depth: int = 0
    prefix_hit_tokens: int = 0
    prefill_tokens: int = 0
    generated_tokens: int = 0
    draft_tokens: int = 0
    accepted_draft_tokens: int = 0
    # Times a crashed scheduler was replaced (:mod:`eclair.engine.supervisor`).
    restarts: int = 0
    # Saved states of conversations evicted from their slots (:mod:`eclair.engine.seqstate`).
    saved_state_ram_bytes: int = 0
    saved_state_disk_bytes: int = 0
    saved_states: int = 0
    state_saves: int = 0
    state_restores: int = 0
    state_restored_tokens: int = 0

    #: Fields that count since the process started (never go backwards); the others are gauges.
    COUNTERS: ClassVar[tuple[str, ...]] = (
        "prefix_hit_tokens",
        "prefill_tokens",
        "generated_tokens",
        "draft_tokens",
        "accepted_draft_tokens",
        "restarts",
        "state_saves",
        "state_restores",
        "state_restored_tokens",
    )

    def plus(self, earlier: EngineStats) -> EngineStats:
        """These figures with the counters of ``earlier`` (an engine since closed) added."""
        return dataclasses.replace(
            self, **{name: getattr(self, name) + getattr(earlier, name) for name in self.COUNTERS}
        )


class Engine(abc.ABC):
    """What every backend implements. One instance serves one model."""

    #: Registry name, e.g. ``"llama_cpp"``.
    backend_name: ClassVar[str]
    #: Whether several requests are decoded concurrently.
    supports_concurrency: ClassVar[bool] = False
    #: Whether ``cache_key`` / shared prefixes shorten prefill.
    supports_prefix_cache: ClassVar[bool] = False
    #: Whether tokens are computed on another machine (energy is then modelled, not measured).
    is_remote: bool = False
    #: Whether ``GenerationRequest.constraint`` is enforced while decoding (else ignored).
    supports_constraints: ClassVar[bool] = False

    model_id: str
    context_size: int

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Load weights and get ready. Called before any request, and again after ``close()``
        when the model pool reloads a model it had unloaded."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release everything (memory included). In-flight streams end with
        ``finish_reason='cancelled'``. Counters in ``stats()`` survive a close and a new start."""

    @abc.abstractmethod
    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        """Render a conversation with the model's chat template, ready for generation."""

    def render_chat_with_tools(
        self, messages: Sequence[ChatMessage], tools: Sequence[Mapping[str, Any]] | None
    ) -> tuple[str, ToolFormat]:
        """Render a conversation that offers ``tools`` (OpenAI function definitions) or holds
        earlier calls and results, and say how the model writes a call. Default: the generic
        format (:mod:`eclair.engine.tool_format`) over :meth:`render_chat`; backends whose
        chat template declares a tool format override this."""
        from eclair.engine.tool_format import GENERIC

        return self.render_chat(GENERIC.rewrite(messages, tools)), GENERIC

    async def check_constraint(self, constraint: Constraint, timeout_s: float = 1.0) -> None:
        """Raise :class:`~eclair.errors.InvalidRequest` if ``constraint`` cannot be compiled
        (a malformed grammar or schema, or one that takes more than ``timeout_s`` to compile).
        The default checks it without a vocabulary; constraining backends compile it for theirs."""
        from eclair.engine.constrain import check_grammar

        await check_grammar(constraint.grammar, None, timeout_s)

    @abc.abstractmethod
    def tokenize(self, text: str) -> list[int]:
        """Token ids of a rendered prompt (special tokens parsed, no extra BOS)."""

    @abc.abstractmethod
    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        """Admit the request (or raise), then stream :class:`TextDelta` events and one :class:`Finished`."""

    def stats(self) -> EngineStats:
        return EngineStats()

    def memory_estimate(self) -> int:
        """Bytes of this machine's memory the engine holds once started (weights, KV cache,
        runtime), as the fit check figures it; 0 for engines whose model runs elsewhere. The
        model pool (:mod:`eclair.engine.pool`) budgets with it; it may read the model file."""
        return 0

    def is_ready(self) -> bool:
        """Whether the engine answers requests now; no I/O, so ``/ready`` can ask at every call.
        False while a local engine rebuilds a crashed scheduler (``generate()`` then raises
        :class:`~eclair.errors.Overloaded`)."""
        return True

    async def check_health(self) -> bool:
        """Whether the backend can take requests now. Remote backends ask their server;
        the router (:mod:`eclair.engine.router`) polls this to take backends out and back in."""
        return True
