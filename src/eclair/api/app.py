"""The application factory: ``create_app(settings, engine=None)``.

Everything the app holds lives on ``app.state`` (settings, engine, services, readiness); no
module globals. The lifespan starts loading the model in the background so that ``/health``
answers at once and ``/ready`` says 503 until the model is loaded, then closes the engine on
shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from eclair import __version__
from eclair.api import files, webapp
from eclair.api.errors import install_error_handlers
from eclair.api.middleware import BodySizeLimit
from eclair.api.openai_routes import health_router
from eclair.api.openai_routes import router as openai_router
from eclair.api.services import build_chat_service
from eclair.api.serving_completion import CompletionService
from eclair.config import Settings
from eclair.engine.protocol import Engine
from eclair.engine.registry import create_engine
from eclair.knowledge.base import KnowledgeBase

logger = logging.getLogger(__name__)


async def _load_engine(app: FastAPI) -> None:
    state = app.state
    try:
        await state.engine.start()
    except Exception as exc:
        state.load_error = str(exc)
        logger.error("the model failed to load: %s", exc)
        return
    state.ready = True
    logger.info("model %s ready", state.engine.model_id)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await webapp.open_store(app)
    app.state.knowledge = await asyncio.to_thread(KnowledgeBase.from_settings, app.state.settings)
    loading = asyncio.create_task(_load_engine(app))
    try:
        yield
    finally:
        app.state.ready = False
        loading.cancel()
        await app.state.engine.close()
        await app.state.knowledge.close()
        await webapp.close_store(app)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = engine or create_engine(settings)
    app = FastAPI(
        title="Éclair",
        version=__version__,
        description="A sovereign AI chat assistant with an OpenAI-compatible API.",
        lifespan=lifespan,
    )
    state = app.state
    state.settings = settings
    state.engine = engine
    state.ready = False
    state.load_error = None
    state.started_at = int(time.time())
    state.chat = build_chat_service(engine, settings)
    state.completions = CompletionService(engine, settings)

    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    app.include_router(health_router)
    app.include_router(openai_router)
    app.include_router(files.router)
    webapp.install(app)
    return app
