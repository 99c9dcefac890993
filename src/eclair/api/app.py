"""The application factory: ``create_app(settings, engine=None)``.

Everything the app holds lives on ``app.state`` (settings, engine, model pool, services,
readiness); no module globals. The lifespan starts loading the default model in the background
so that ``/health`` answers at once and ``/ready`` says 503 until it is loaded; other models
load on their first request and unload when idle (:mod:`eclair.engine.pool`). Shutdown closes
every engine.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from eclair import __version__
from eclair.api import files, headers, metrics_routes, packs, webapp
from eclair.api.errors import install_error_handlers
from eclair.api.middleware import BodySizeLimit
from eclair.api.openai_routes import health_router
from eclair.api.openai_routes import router as openai_router
from eclair.api.openapi import document_errors
from eclair.api.services import build_chat_service, build_model_pool, build_pack_search
from eclair.api.serving_completion import CompletionService
from eclair.config import Settings
from eclair.engine.catalog import assistant_engine, create_engines
from eclair.engine.pool import ModelPool
from eclair.engine.protocol import Engine
from eclair.engine.registry import create_engine
from eclair.knowledge.base import KnowledgeBase
from eclair.mcp.client import McpClients

logger = logging.getLogger(__name__)


async def _load_engine(app: FastAPI) -> None:
    state = app.state
    try:
        # the assistant's model, and the backends of remote models: the rest load when asked for
        await state.pool.start(preload=[state.engine.model_id])
    except Exception as exc:
        state.load_error = str(exc.__cause__ or exc)  # what failed, not the pool's wrapping
        logger.error("the model failed to load: %s", exc)
        return
    state.ready = True
    logger.info("model %s ready", state.engine.model_id)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await webapp.open_store(app)
    await metrics_routes.startup(app)
    loading = asyncio.create_task(_load_engine(app))
    try:
        yield
    finally:
        app.state.ready = False
        loading.cancel()
        await app.state.pool.close()
        await app.state.knowledge.close()
        await app.state.mcp.close()
        await webapp.close_store(app)
        await metrics_routes.shutdown(app)


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, *, pool: ModelPool | None = None
) -> FastAPI:
    """The app. ``engine`` (tests: a fake) replaces the configured one; ``pool`` (tests) is the
    model pool to serve, ``engine`` among its models."""
    settings = settings or Settings()
    engines = None
    # Installed GGUFs are served too when the server runs its own configured llama.cpp model.
    installed = engine is None and settings.models_file is None and settings.backend == "llama_cpp"
    if engine is None and settings.models_file is not None:
        engines = create_engines(settings)  # several named models, each behind a router
        engine = assistant_engine(engines, settings)
    engine = engine or create_engine(settings)
    pool = pool or build_model_pool(settings, engine, engines, installed=installed)
    app = FastAPI(
        title="Éclair",
        version=__version__,
        description="A sovereign AI chat assistant with an OpenAI-compatible API.",
        lifespan=lifespan,
        # Off unless asked for: those pages load their scripts from a CDN (see api_docs).
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    state = app.state
    state.settings = settings
    state.engine = engine
    state.engines = engines
    state.pool = pool
    state.ready = False
    state.load_error = None
    state.started_at = int(time.time())
    # documents for /v1/files, the web page and grounded answers (opens nothing until used)
    state.knowledge = KnowledgeBase.from_settings(settings)
    # offline encyclopedias (ZIM files) for general questions, and their reader at /kb
    state.packs, pack_search = build_pack_search(settings)
    state.chat = build_chat_service(
        engine, settings, engines, knowledge=state.knowledge, packs=pack_search, pool=pool
    )
    state.completions = CompletionService(engine, settings, engines=engines, pool=pool)
    # MCP servers of mcp.json, started when their tools are first needed
    state.mcp = McpClients(
        settings.mcp_config_path(),
        connect_timeout_s=settings.mcp_connect_timeout_s,
        call_timeout_s=settings.mcp_call_timeout_s,
        log_dir=settings.data_dir / "logs" / "mcp",
    )

    install_error_handlers(app)
    document_errors(app)  # the OpenAPI document lists the error responses (400, 401, …, 503)
    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    app.include_router(health_router)
    app.include_router(openai_router)
    app.include_router(files.router)
    app.include_router(packs.router)
    webapp.install(app)
    metrics_routes.install(app)  # /metrics, quotas, energy, drain; its gate is the outermost middleware
    headers.install(app, docs=settings.api_docs)  # security headers around it all, 500s included
    return app
