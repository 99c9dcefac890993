"""Builds the services behind the API from settings and an engine.

Shared by the app factory and the in-process terminal client, so ``eclair ask`` answers
exactly as ``POST /v1/chat/completions`` does.
"""

from __future__ import annotations

from collections.abc import Mapping

from eclair.answer.pipeline import AnswerPipeline, default_grounded
from eclair.api.serving_chat import ChatService
from eclair.config import Settings
from eclair.engine.installed import discovery
from eclair.engine.pool import ModelPool
from eclair.engine.protocol import Engine
from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.search import PackSearch


def build_pack_search(settings: Settings) -> tuple[PackRegistry, PackSearch | None]:
    """The data directory's packs, and their search unless ``knowledge_packs`` is off."""
    registry = PackRegistry(settings.data_dir)
    return registry, PackSearch(registry) if settings.knowledge_packs else None


def build_model_pool(
    settings: Settings, engine: Engine, engines: Mapping[str, Engine] | None, *, installed: bool
) -> ModelPool:
    """The models the server serves, loaded on demand within ``models_memory_budget``:
    ``engines`` (a models file's) or ``engine``, and with ``installed`` every GGUF installed on
    this machine (:mod:`eclair.engine.installed`)."""
    served = dict(engines) if engines else {engine.model_id: engine}
    pool = ModelPool(
        budget=settings.models_memory_budget,
        keep_alive_s=settings.models_keep_alive,
        wait_s=settings.models_load_wait_s,
        discover=discovery(settings, served.values()) if installed else None,
    )
    for model_id, served_engine in served.items():
        pool.add_engine(model_id, served_engine)
    pool.refresh(force=True)
    return pool


def build_chat_service(
    engine: Engine,
    settings: Settings,
    engines: Mapping[str, Engine] | None = None,
    *,
    knowledge: KnowledgeBase | None = None,
    packs: PackSearch | None = None,
    pool: ModelPool | None = None,
) -> ChatService:
    """The chat service: ``eclair`` (the answer pipeline over ``engine``, grounded in
    ``knowledge`` and the knowledge ``packs``) plus the raw models: those of ``pool`` if given,
    else ``engines`` (a models file's) or ``engine``, started by the caller."""
    grounded = default_grounded(settings.grounded_quote_after_s)
    pipeline = AnswerPipeline(engine, knowledge, packs=packs, grounded=grounded)
    return ChatService(engine, settings, pipeline, engines=engines, pool=pool)
