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


def build_chat_service(
    engine: Engine,
    settings: Settings,
    engines: Mapping[str, Engine] | None = None,
    *,
    knowledge: KnowledgeBase | None = None,
) -> ChatService:
    """The chat service: ``eclair`` (the answer pipeline over ``engine``, grounded in
    ``knowledge``) plus the raw models; ``engines`` (a models file's) are served by id too."""
    pipeline = AnswerPipeline(engine, knowledge)
    return ChatService(engine, settings, pipeline, engines=engines)
