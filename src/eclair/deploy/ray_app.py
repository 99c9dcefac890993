"""Éclair's embedded engine as N replicas on Ray Serve.

Contract:
- :class:`EngineReplica` is a Ray Serve deployment: each replica builds and starts one
  engine from the Éclair settings it is given (``llama_cpp`` with its GGUF, or ``fake``) and
  streams :mod:`~eclair.engine.protocol` events from ``generate``. Requests carry the chat
  messages, so each replica renders them with its own model's template and checks the real
  token count (admission errors are raised before any event, as the seam requires).
- :func:`deploy` (or ``python -m eclair.deploy``) puts the replicas on a running Ray cluster
  as the Serve application :data:`APP_NAME`, without Serve's HTTP proxy: the API in front
  is Éclair's own, started with ``eclair serve --backend ray`` (:mod:`eclair.deploy.ray_engine`),
  so the assistant, accounts and store are unchanged whatever serves the tokens.
- Ray's autoscaling is exposed as it is: a fixed ``replicas`` count, or ``min_replicas`` /
  ``max_replicas`` / ``target_ongoing_requests``; ``cpus_per_replica`` reserves cores.
- :func:`build_app` is an application builder for Ray's own tools:
  ``serve run eclair.deploy.ray_app:build_app replicas=2``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

from ray import serve
from ray.serve import Application

from eclair.config import Settings
from eclair.deploy.config import RayDeployConfig
from eclair.engine.protocol import ChatMessage, GenerationRequest, StreamEvent
from eclair.engine.registry import create_engine

APP_NAME = "eclair-engine"
DEPLOYMENT_NAME = "EngineReplica"


def request_payload(
    request: GenerationRequest, messages: list[ChatMessage] | None, text: str | None
) -> dict[str, Any]:
    """What crosses the wire to a replica: messages or text, never our token ids."""
    return {
        "messages": [(m.role, m.content) for m in messages] if messages is not None else None,
        "text": text,
        "params": request.params,
        "request_id": request.request_id,
        "cache_key": request.cache_key,
    }


class EngineReplica:
    """One engine in one Ray actor. Wrapped by ``serve.deployment`` in :func:`engine_deployment`."""

    async def __init__(self, settings: dict[str, Any]):  # type: ignore[misc]  # Ray allows async __init__
        self.settings = Settings(_env_file=None, **settings)  # type: ignore[call-arg]
        self.engine = create_engine(self.settings)
        await self.engine.start()
        self.replica = f"{os.uname().nodename}:{os.getpid()}"
        self.served = 0

    async def info(self) -> dict[str, Any]:
        return {"model_id": self.engine.model_id, "context_size": self.engine.context_size}

    async def whoami(self) -> tuple[str, int]:
        """This replica's name and how many answers it finished (for tests and operators)."""
        return self.replica, self.served

    async def check_health(self) -> None:
        if not await self.engine.check_health():
            raise RuntimeError("the engine is not healthy")

    async def generate(self, payload: dict[str, Any]) -> AsyncIterator[StreamEvent]:
        messages = [ChatMessage(role, content) for role, content in payload["messages"] or ()]
        prompt = self.engine.render_chat(messages) if payload["messages"] is not None else payload["text"]
        request = GenerationRequest(
            prompt=prompt,
            params=payload["params"],
            request_id=payload["request_id"],
            cache_key=payload["cache_key"],
            messages=messages if payload["messages"] is not None else None,
        )
        events = self.engine.generate(request)  # admission errors surface before any event
        try:
            async for event in events:
                yield event
            self.served += 1
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()


def engine_deployment(config: RayDeployConfig) -> Any:
    return serve.deployment(name=DEPLOYMENT_NAME, **config.deployment_options())(EngineReplica)


def build_app(args: dict[str, Any]) -> Application:
    """Application builder: Ray's ``serve run``/``serve deploy`` pass their ``key=value`` args
    here; engine settings come from the environment (``ECLAIR_*``), as for ``eclair serve``."""
    config = RayDeployConfig.model_validate(args)
    settings = Settings()
    return engine_deployment(config).bind(settings.model_dump(mode="json"))


def deploy(settings: Settings, config: RayDeployConfig) -> None:
    """Start (or update) the engine replicas on the Ray cluster at ``config.address``."""
    import ray

    ray.init(address=config.address or "auto", ignore_reinit_error=True, log_to_driver=False)
    serve.start(proxy_location="Disabled")
    app = engine_deployment(config).bind(settings.model_dump(mode="json"))
    serve.run(app, name=APP_NAME, route_prefix=None, blocking=False)
