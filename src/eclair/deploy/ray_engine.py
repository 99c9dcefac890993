"""The ``ray`` backend: the API's engine is a fleet of :class:`~eclair.deploy.ray_app.EngineReplica`
on Ray Serve, reached through a deployment handle (Ray balances requests over replicas).

Contract:
- ``start()`` joins the Ray cluster (``ray_address``; empty: ``RAY_ADDRESS`` or the local
  one) and asks a replica for the model id and context size.
- Like the ``openai`` backend, prompts cross the wire as messages or text
  (:mod:`eclair.engine.prompts`); ``tokenize()`` estimates, and the replica, which holds the
  real tokenizer, has the last word on context length.
- A replica that dies or is unreachable before the first event is retried on another
  (Serve replaces dead replicas); after the first event, the failure ends the stream with
  :class:`~eclair.errors.EngineError`. Errors raised by the engine inside a replica reach the
  API as the same Éclair error.
- Closing the iterator cancels the call, which cancels generation in the replica.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

import ray
from ray import serve
from ray.exceptions import RayError, RayTaskError

from eclair.deploy.ray_app import APP_NAME, DEPLOYMENT_NAME, request_payload
from eclair.engine.prompts import RenderedChat, TextTokens, chat_messages, chatml, prompt_text
from eclair.engine.protocol import ChatMessage, Engine, GenerationRequest, StreamEvent
from eclair.engine.remote import estimate_tokens
from eclair.errors import EclairError, EngineError, InvalidRequest, Overloaded, UpstreamUnavailable

if TYPE_CHECKING:
    from eclair.config import Settings

logger = logging.getLogger(__name__)


class RayEngine(Engine):
    backend_name = "ray"
    supports_concurrency = True

    def __init__(
        self,
        *,
        address: str | None = None,
        app_name: str = APP_NAME,
        model_id: str | None = None,
        max_retries: int = 5,
    ):
        self.address = address
        self.app_name = app_name
        self.model_id = model_id or ""
        self.context_size = 4096
        self.max_retries = max_retries
        self._handle: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RayEngine:
        return cls(address=settings.ray_address, model_id=settings.model_id)

    async def start(self) -> None:
        if not ray.is_initialized():
            await asyncio.to_thread(
                ray.init, address=self.address or "auto", ignore_reinit_error=True, log_to_driver=False
            )
        self._handle = await asyncio.to_thread(serve.get_deployment_handle, DEPLOYMENT_NAME, self.app_name)
        info = await self._handle.info.remote()
        self.model_id = self.model_id or info["model_id"]
        self.context_size = info["context_size"]

    @property
    def handle(self) -> Any:
        if self._handle is None:
            raise Overloaded("the Ray backend is not connected yet")
        return self._handle

    def render_chat(self, messages: Sequence[ChatMessage]) -> str:
        return RenderedChat(chatml(messages), messages)

    def tokenize(self, text: str) -> list[int]:
        """An estimate (the replicas hold the tokenizer); see :mod:`eclair.engine.remote`."""
        return TextTokens([0] * estimate_tokens(text), text)

    async def check_health(self) -> bool:
        try:
            await asyncio.wait_for(self.handle.info.remote(), 10)
        except Exception:
            return False
        return True

    def generate(self, request: GenerationRequest) -> AsyncIterator[StreamEvent]:
        messages = chat_messages(request)
        text = prompt_text(request)
        if messages is None and text is None:
            raise InvalidRequest("a Ray-served model needs a text prompt, not token ids", param="prompt")
        if messages is not None:
            payload = request_payload(request, list(messages), None)
        else:
            payload = request_payload(request, None, text)
        return self._stream(self.handle, payload)

    async def _stream(self, handle: Any, payload: dict[str, Any]) -> AsyncIterator[StreamEvent]:
        attempt = 0
        while True:
            started = False
            response = handle.options(stream=True).generate.remote(payload)
            try:
                async for event in response:
                    started = True
                    yield event
                return
            except RayTaskError as exc:  # the engine inside the replica raised
                cause = getattr(exc, "cause", None)
                if isinstance(cause, EclairError):
                    raise cause from None
                raise EngineError("the engine replica failed") from exc
            except RayError as exc:  # the replica died or could not be reached
                if started:
                    raise EngineError("the engine replica died mid-answer") from exc
                attempt += 1
                if attempt > self.max_retries:
                    raise UpstreamUnavailable("no engine replica could take the request") from exc
                logger.warning("engine replica unavailable (%s); retrying on another", type(exc).__name__)
                await asyncio.sleep(min(1.0, 0.1 * 2**attempt))  # until Serve drops the dead replica
            finally:
                response.cancel()  # no-op once finished; stops the replica if we were closed
