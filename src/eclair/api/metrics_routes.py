"""``GET /metrics``, and the wiring of :mod:`eclair.sovereignty` into the app.

:func:`install` is called once by ``create_app``: it builds the app's metrics registry,
energy meter, quotas, drain and answer accounting (all on ``app.state``), hands the
accounting to the chat and completion services, puts the gate middleware in front of every
request, and adds the privacy routes (``/api/me/export``, ``DELETE /api/me``).
:func:`startup` and :func:`shutdown` are the lifespan's share (processor lookup, retention
purge every hour when ``retention_days`` is set).

``/metrics`` is the Prometheus text format: it carries no message text, only counts,
latencies, energy totals and opaque user ids (an erased user's are dropped). It is open like
``/health`` unless ``metrics_require_key`` is on and ``api_key`` is set: then it needs
``Authorization: Bearer <api_key>`` (401 otherwise, compared in constant time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, FastAPI, Request, Response

from eclair.accounts import credentials
from eclair.api import privacy_routes
from eclair.api.deps import bearer_token
from eclair.engine.protocol import EngineStats
from eclair.errors import Unauthorized
from eclair.sovereignty.accounting import Accounting
from eclair.sovereignty.energy import EnergyMeter
from eclair.sovereignty.gate import Gate
from eclair.sovereignty.metrics import CONTENT_TYPE, Metrics
from eclair.sovereignty.privacy import purge_older_than
from eclair.sovereignty.quotas import Quotas
from eclair.sovereignty.shutdown import Drain
from eclair.store.database import database_url

logger = logging.getLogger(__name__)
router = APIRouter()
RETENTION_PERIOD_S = 3600.0


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics; every series is named ``eclair_…``."""
    _check_scraper(request)
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)


def _check_scraper(request: Request) -> None:
    settings = request.app.state.settings
    if not settings.metrics_require_key or settings.api_key is None:
        return
    token = bearer_token(request)
    if token is None or not credentials.same(token, settings.api_key):
        raise Unauthorized("/metrics needs the operator key: send 'Authorization: Bearer <key>'")


def install(app: FastAPI) -> None:
    state = app.state
    settings, chat = state.settings, state.chat
    energy = EnergyMeter.from_settings(settings, runs_remotely=lambda model: chat.engine_for(model).is_remote)
    state.metrics = Metrics(zone=energy.zone, grid_g_per_kwh=energy.mix.kg_co2e_per_kwh * 1000)
    state.metrics.watch_engines(lambda: {e.model_id: e.stats() for e in chat.engines.values()})
    state.metrics.watch_models(lambda: state.pool.snapshot())
    state.quotas = Quotas(
        requests_per_minute=settings.rate_limit_rpm,
        tokens_per_minute=settings.rate_limit_tpm,
        storage_uri=settings.rate_limit_storage,
        database_url=database_url(settings),
    )
    if settings.metrics_require_key and settings.api_key is None:
        logger.warning("metrics_require_key is on but no api_key is set: /metrics stays open")
    state.drain = Drain(settings.shutdown_grace_s)
    state.metrics.in_flight.set_function(lambda: state.drain.in_flight)
    state.metrics.draining.set_function(lambda: float(state.drain.draining))
    state.accounting = Accounting(
        energy,
        state.metrics,
        state.quotas,
        engine_model=lambda model: chat.engine_for(model).model_id,
        engine_tokens=lambda model: _processed_tokens(chat.engine_for(model).stats()),
    )
    _attach(app)
    app.add_middleware(Gate, drain=state.drain, max_in_flight=settings.max_in_flight, metrics=state.metrics)
    app.include_router(router)
    app.include_router(privacy_routes.router)


def _processed_tokens(stats: EngineStats) -> int:
    return stats.prefill_tokens + stats.generated_tokens


def _attach(app: FastAPI) -> None:
    for service in (app.state.chat, app.state.completions):
        service.accounting = app.state.accounting


async def startup(app: FastAPI) -> None:
    # Again at start-up: services replaced between create_app and serving get measured too.
    _attach(app)
    # The processor lookup (about 2 s, once per process) runs while the model loads.
    app.state.energy_prepared = asyncio.create_task(app.state.accounting.energy.prepare())
    app.state.retention = None
    if app.state.settings.retention_days > 0:
        app.state.retention = asyncio.create_task(_retention(app))


async def _retention(app: FastAPI) -> None:
    """Purge conversations older than ``retention_days`` at start-up, then every hour."""
    days = app.state.settings.retention_days
    while True:
        store = getattr(app.state, "store", None)
        if store is not None:
            try:
                purged = await asyncio.to_thread(purge_older_than, store, app.state.knowledge, days)
                if purged:
                    logger.info("retention: purged %d conversation(s) older than %d days", purged, days)
            except Exception:
                logger.exception("retention purge failed")
        await asyncio.sleep(RETENTION_PERIOD_S)


async def shutdown(app: FastAPI) -> None:
    for name in ("energy_prepared", "retention"):
        task: asyncio.Task[None] | None = getattr(app.state, name, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    await app.state.quotas.close()
