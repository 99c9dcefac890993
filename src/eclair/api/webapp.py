"""The web app's share of the application: its routers, and the store in the lifespan.

``create_app`` calls :func:`install` once (routers, the ``/v1`` identity rule) and the lifespan
calls :func:`open_store` / :func:`close_store`. Opening runs the migrations, marks answers left
``streaming`` by a previous process as ``interrupted`` (and tool calls left ``pending`` as
interrupted), and puts ``store``, ``accounts``, ``approvals`` (the tool-approval broker) and
``conversations`` on ``app.state``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from eclair.accounts.service import Accounts, is_loopback
from eclair.accounts.throttle import LoginThrottle
from eclair.agent.approval import ApprovalBroker
from eclair.agent.loop import ToolLoop
from eclair.api import auth, conversations, documents, keys, preferences, tools_routes, web
from eclair.api.deps import authenticated_user
from eclair.api.identity import v1_user_id
from eclair.api.serving_conversations import ConversationService
from eclair.api.serving_tools import ToolAnswers
from eclair.config import Settings
from eclair.store import Store

logger = logging.getLogger(__name__)


def install(app: FastAPI) -> None:
    app.include_router(auth.router)
    app.include_router(keys.router)
    app.include_router(preferences.router)
    app.include_router(conversations.router)
    app.include_router(documents.router)
    app.include_router(tools_routes.router)
    app.include_router(web.router)
    # /v1 callers are resolved by the accounts rules (user keys, operator key, single-user).
    app.dependency_overrides[authenticated_user] = v1_user_id


def _open(settings: Settings) -> Store:
    store = Store.from_settings(settings)
    interrupted = store.conversations.interrupt_streaming()
    if interrupted:
        logger.warning("%d answer(s) were cut short by the last shutdown: marked interrupted", interrupted)
    store.users.purge_sessions()
    if abandoned := store.tools.abandon_pending():
        logger.warning("%d tool call(s) were cut short by the last shutdown", abandoned)
    return store


async def open_store(app: FastAPI) -> None:
    state = app.state
    store = await run_in_threadpool(_open, state.settings)
    state.store = store
    settings = state.settings
    throttle = LoginThrottle(
        free_failures=settings.login_free_failures, max_delay_s=settings.login_max_delay_s
    )
    state.accounts = Accounts(
        store, bind_host=settings.host, throttle=throttle, hash_slots=settings.password_hash_slots
    )
    state.approvals = ApprovalBroker(
        granted=store.tools.granted, grant=store.tools.grant, wait_s=settings.tool_approval_wait_s
    )
    loop = ToolLoop(state.mcp, state.approvals, audit=store.tools, max_rounds=settings.max_tool_rounds)
    tools = ToolAnswers(loop, lambda: state.chat)
    state.chat.tool_answers = tools  # /v1 requests to a named model, under eclair.tool_approval
    state.conversations = ConversationService(
        store,
        lambda: state.chat,
        tools=tools,
        knowledge_of=lambda: getattr(state, "knowledge", None),
    )
    if state.accounts.single_user():
        logger.info("single-user mode: no login (loopback, no account); `eclair users add` to change")
    elif is_loopback(settings.host) and not await run_in_threadpool(store.users.count_with_password):
        logger.warning("no account left, login still required: `eclair users add` or `eclair users reopen`")


async def close_store(app: FastAPI) -> None:
    store: Store | None = getattr(app.state, "store", None)
    if store is not None:
        await run_in_threadpool(store.close)
