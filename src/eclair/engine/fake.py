"""A scripted, deterministic engine for fast tests.

Replies are taken from a queue filled with :meth:`FakeEngine.enqueue` (simonw/llm's
``MockModel`` habit); when the queue is empty the engine echoes the last user message.
A reply is streamed word by word, one "token" per word, with an optional delay per token so
tests can exercise cancellation. Stop strings and ``max_tokens`` behave like a real engine.
The chat template is a simple ChatML rendering; tokens are whitespace-separated words.
``memory_bytes`` is what it claims to hold once started (for the model pool's tests);
``starts`` and ``closes`` count loads and unloads.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from eclair.config import Settings

_WORDS = re.compile(r"\S+\s*|\s+")


class FakeEngine(Engine):
    backend_name = "fake"
    supports_concurrency = True

    def __init__(
        self,
        *,
        model_id: str = "fake-model",
        context_size: int = 4096,
        token_delay_s: float = 0.0,
        start_delay_s: float = 0.0,
        memory_bytes: int = 0,
    ):
        self.model_id = model_id
        self.context_size = context_size
        self.token_delay_s = token_delay_s
        self.start_delay_s = start_delay_s
        self._replies: deque[str] = deque()
        self.requests: list[GenerationRequest] = []
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self.active = 0
        self.started = False
        self.memory_bytes = memory_bytes
        self.starts = 0
        self.closes = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> FakeEngine:
        return cls(
            model_id=settings.model_id or "fake-model",
            context_size=settings.ctx_size,
            token_delay_s=settings.fake_token_delay_s,
        )

    def enqueue(self, *replies: str) -> None:
        self._replies.extend(replies)

    async def start(self) -> None:
        if self.start_delay_s:
            await asyncio.sleep(self.start_delay_s)
        self.started = True
        self.starts += 1

    async def close(self) -> None:
        self.started = False
        self.closes += 1

    def memory_estimate(self) -> int:
        return self.memory_bytes

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        parts = [f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages]
        return "".join(parts) + "<|im_start|>assistant\n"

    def tokenize(self, text: str) -> list[int]:
        """Whitespace-separated words, numbered in order of first appearance (reversible)."""
        ids = []
        for word in text.split():
            if word not in self._vocab:
                self._vocab[word] = len(self._words)
                self._words.append(word)
            ids.append(self._vocab[word])
        return ids

    def detokenize(self, ids: Sequence[int]) -> str:
        return " ".join(self._words[i] for i in ids)

    def stats(self) -> EngineStats:
        return EngineStats(active_slots=self.active, total_slots=8)

    def _next_reply(self, prompt: str) -> str:
        if self._replies:
            return self._replies.popleft()
        turns = re.findall(r"<\|im_start\|>user\s(.*?)<\|im_end\|>", prompt, re.S)
        return f"Echo: {turns[-1] if turns else prompt}"

    async def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        prompt = request.prompt if isinstance(request.prompt, str) else self.detokenize(request.prompt)
        prompt_tokens = len(prompt.split())
        pieces = _WORDS.findall(self._next_reply(prompt))
        matcher = StopMatcher(request.params.stop)
        produced = 0
        first: float | None = None
        reason = "length"
        self.active += 1
        try:
            for piece in pieces:
                if produced >= request.params.max_tokens:
                    break
                if self.token_delay_s:
                    await asyncio.sleep(self.token_delay_s)
                produced += 1
                text = matcher.feed(piece)
                if first is None:
                    first = time.monotonic()
                if text:
                    yield TextDelta(text)
                if matcher.stopped:
                    reason = "stop"
                    break
            else:
                reason = "stop"
                tail = matcher.flush()
                if tail:
                    yield TextDelta(tail, tokens=0)
            now = time.monotonic()
            yield Finished(
                finish_reason=reason,  # type: ignore[arg-type]
                usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=produced),
                ttft_s=(first - request.arrival_time) if first else None,
                decode_s=(now - first) if first else 0.0,
            )
        finally:
            self.active -= 1
