"""Builds the services behind the API from settings and an engine.

Shared by the app factory and the in-process terminal client, so ``eclair ask`` answers
exactly as ``POST /v1/chat/completions`` does.
"""

from __future__ import annotations

from eclair.api.serving_chat import ChatService
from eclair.config import Settings
from eclair.engine.protocol import Engine


def build_chat_service(engine: Engine, settings: Settings) -> ChatService:
    return ChatService(engine, settings)
