"""Builds the services behind the API from settings and an engine.

Shared by the app factory and the in-process terminal client, so ``eclair ask`` answers
exactly as ``POST /v1/chat/completions`` does.
"""

from __future__ import annotations

from collections.abc import Mapping

from eclair.answer.pipeline import AnswerPipeline
from eclair.api.serving_chat import ChatService
from eclair.config import Settings
from eclair.engine.protocol import Engine
from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.search import PackSearch


def build_pack_search(settings: Settings) -> tuple[PackRegistry, PackSearch | None]:
    """The data directory's packs, and their search unless ``knowledge_packs`` is off."""
    registry = PackRegistry(settings.data_dir)
    return registry, PackSearch(registry) if settings.knowledge_packs else None


def build_chat_service(
    engine: Engine,
    settings: Settings,
    engines: Mapping[str, Engine] | None = None,
    *,
    knowledge: KnowledgeBase | None = None,
    packs: PackSearch | None = None,
) -> ChatService:
    """The chat service: ``eclair`` (the answer pipeline over ``engine``, grounded in
    ``knowledge`` and the knowledge ``packs``) plus the raw models; ``engines`` (a models
    file's) are served by id too."""
    pipeline = AnswerPipeline(engine, knowledge, packs=packs)
    return ChatService(engine, settings, pipeline, engines=engines)
