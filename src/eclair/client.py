"""Chat clients for the terminal commands: over HTTP, or with the model in-process.

Both expose the same small surface: ``model``, ``stream(messages)`` yielding text pieces,
``complete(messages)`` returning the OpenAI-shaped response object (with ``eclair``), and
``close()``. Errors surface as :class:`~eclair.errors.EclairError` with a readable message.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator, Iterator
from typing import Any

from eclair.config import Settings
from eclair.engine.protocol import TextDelta
from eclair.errors import EclairError

Messages = list[dict[str, str]]


def api_base(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/v1") else url + "/v1"


class HttpChat:
    """Talks to a running ``eclair serve`` (or any OpenAI-compatible server)."""

    def __init__(self, url: str, *, model: str | None = None):
        import openai

        self._openai = openai
        self.url = api_base(url)
        self._client = openai.OpenAI(base_url=self.url, api_key=os.environ.get("ECLAIR_API_KEY") or "none")
        self.model = model or self._default_model()

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except self._openai.APIConnectionError:
            raise EclairError(f"cannot reach {self.url}: is `eclair serve` running?") from None
        except self._openai.APIStatusError as exc:
            raise EclairError(f"the server answered {exc.status_code}: {exc.message}") from None

    def _default_model(self) -> str:
        ids = [m.id for m in self._call(self._client.models.list).data]
        if not ids:
            raise EclairError(f"{self.url} serves no model")
        return "eclair" if "eclair" in ids else ids[0]

    def stream(self, messages: Messages) -> Iterator[str]:
        chunks = self._call(
            self._client.chat.completions.create, model=self.model, messages=messages, stream=True
        )
        try:
            for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        finally:
            chunks.close()

    def complete(self, messages: Messages) -> dict[str, Any]:
        response = self._call(self._client.chat.completions.create, model=self.model, messages=messages)
        data: dict[str, Any] = response.model_dump()
        return data

    def close(self) -> None:
        self._client.close()


class InProcessChat:
    """Loads the engine in this process and answers through the same chat service as the API."""

    def __init__(self, settings: Settings, *, model: str | None = None):
        from eclair.api.services import build_chat_service, build_pack_search
        from eclair.engine.registry import create_engine
        from eclair.knowledge.base import KnowledgeBase

        self._loop = asyncio.new_event_loop()
        self._engine = create_engine(settings)
        self._loop.run_until_complete(self._engine.start())
        self._knowledge = KnowledgeBase.from_settings(settings)
        _, packs = build_pack_search(settings)
        self._chat = build_chat_service(self._engine, settings, knowledge=self._knowledge, packs=packs)
        self.model = self._chat.resolve_model(model)

    def _request(self, messages: Messages, stream: bool) -> Any:
        from eclair.api.protocol import ChatCompletionRequest

        return ChatCompletionRequest.model_validate(
            {"model": self.model, "messages": messages, "stream": stream}
        )

    async def _pieces(self, messages: Messages) -> AsyncGenerator[str, None]:
        _, answer = await self._chat.answer(self._request(messages, True))
        events = answer.events
        try:
            async for event in events:
                if isinstance(event, TextDelta) and event.text:
                    yield event.text
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()

    def stream(self, messages: Messages) -> Iterator[str]:
        pieces = self._pieces(messages)
        try:
            while True:
                try:
                    yield self._loop.run_until_complete(pieces.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            self._loop.run_until_complete(pieces.aclose())

    def complete(self, messages: Messages) -> dict[str, Any]:
        result = self._loop.run_until_complete(self._chat.create(self._request(messages, False)))
        assert isinstance(result, dict)
        return result

    def close(self) -> None:
        self._loop.run_until_complete(self._engine.close())
        self._loop.run_until_complete(self._knowledge.close())
        self._loop.close()
