"""``/api/me/preferences``: what a user sets once for the web page (thin routes).

Custom instructions (the system message of their conversations, honoured by the answer
pipeline), the model new conversations start with, the page's language and theme. Kept in the
user's ``settings`` under ``"preferences"``; an API key may read them, like conversations.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from eclair.api.app_protocol import PreferencesIn, PreferencesOut, errors
from eclair.api.identity import current_user
from eclair.api.serving_conversations import ConversationService
from eclair.store import User

router = APIRouter(prefix="/api/me", tags=["accounts"], responses=errors(401, 403))


def preferences_of(user: User) -> PreferencesOut:
    stored: Any = user.settings.get("preferences") if isinstance(user.settings, dict) else None
    return PreferencesOut.model_validate(stored if isinstance(stored, dict) else {})


@router.get("/preferences", response_model=PreferencesOut)
async def read_preferences(user: User = Depends(current_user)) -> PreferencesOut:
    return preferences_of(user)


@router.patch("/preferences", response_model=PreferencesOut, responses=errors(400, 404))
async def update_preferences(
    body: PreferencesIn, request: Request, user: User = Depends(current_user)
) -> PreferencesOut:
    conversations: ConversationService = request.app.state.conversations
    if body.default_model:
        conversations.chat.resolve_model(body.default_model)  # 404 for a model not served
    merged = preferences_of(user).model_copy(update=body.model_dump(exclude_none=True))
    merged.instructions = merged.instructions.strip()
    settings = {**user.settings, "preferences": merged.model_dump()}
    await run_in_threadpool(lambda: request.app.state.store.users.update(user.id, settings=settings))
    return merged
