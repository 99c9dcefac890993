"""``eclair mcp``: Éclair's own tools served to other assistants as an MCP server.

Contract:
- :func:`build_server` makes an MCP server (the official SDK's low-level ``Server``) that lists
  :data:`eclair.mcp.eclair_tools.DEFINITIONS` and runs :func:`eclair.mcp.eclair_tools.execute`;
  a tool's refusal is a result with ``isError``, never a protocol error.
- :func:`serve_stdio` speaks MCP on stdin/stdout (what Claude Desktop, LM Studio and others
  start); nothing else may write to stdout, so logs go to stderr. :func:`serve_http` serves
  Streamable HTTP at ``http://HOST:PORT/mcp`` (loopback by default, with the SDK's DNS
  rebinding protection there).
- Document search reads the data directory's knowledge base as the local user of single-user
  mode sees it (shared documents and that user's), and the installed knowledge packs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp_types import (
    CallToolRequestParams,
    CallToolResult,
    ListToolsResult,
    PaginatedRequestParams,
    TextContent,
    Tool,
)

from eclair import __version__
from eclair.answer.language import detect_language
from eclair.config import Settings
from eclair.mcp.eclair_tools import DEFINITIONS, ToolEnvironment, execute
from eclair.text.passages import Passage

logger = logging.getLogger(__name__)

_SCHEMAS = {d["function"]["name"]: d["function"]["parameters"] for d in DEFINITIONS}


def build_server(environment: ToolEnvironment) -> Server[Any]:
    async def list_tools(_ctx: Any, _params: PaginatedRequestParams | None) -> ListToolsResult:
        return ListToolsResult(
            tools=[
                Tool(
                    name=d["function"]["name"],
                    description=d["function"]["description"],
                    input_schema=d["function"]["parameters"],
                )
                for d in DEFINITIONS
            ]
        )

    async def call_tool(_ctx: Any, params: CallToolRequestParams) -> CallToolResult:
        outcome = await execute(params.name, dict(params.arguments or {}), environment)
        return CallToolResult(
            content=[TextContent(type="text", text=outcome.text)], is_error=outcome.is_error
        )

    return Server(
        "eclair",
        version=__version__,
        instructions="Éclair's tools: an exact calculator, date arithmetic, and search in the user's documents.",
        get_tool_input_schema=_SCHEMAS.get,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


@asynccontextmanager
async def environment_for(settings: Settings) -> AsyncIterator[ToolEnvironment]:
    """The tools' view of the data directory (knowledge base and packs), closed on exit."""
    import asyncio

    from eclair.api.services import build_pack_search
    from eclair.knowledge.base import KnowledgeBase
    from eclair.store import Store

    knowledge = KnowledgeBase.from_settings(settings)
    _, packs = build_pack_search(settings)
    local_user: str | None = None
    try:
        store = await asyncio.to_thread(Store.from_settings, settings)
        local = await asyncio.to_thread(store.users.local)
        local_user = None if local is None else local.id
        await asyncio.to_thread(store.close)
    except Exception as exc:  # the tools still work on shared documents
        logger.warning("could not open the store to find the local user: %s", exc)

    async def search(query: str, k: int) -> list[Passage]:
        passages = await knowledge.search(query, user_id=local_user, k=k, leads=False)
        if len(passages) < k and packs is not None and await asyncio.to_thread(packs.available):
            passages += await asyncio.to_thread(packs.search, query, detect_language(query, "en"))
        return passages[:k]

    try:
        yield ToolEnvironment(search=search)
    finally:
        await knowledge.close()


async def serve_stdio(settings: Settings) -> None:
    async with environment_for(settings) as environment, stdio_server() as (read, write):
        server = build_server(environment)
        await server.run(read, write, server.create_initialization_options())


async def serve_http(settings: Settings, *, host: str, port: int) -> None:
    import uvicorn

    async with environment_for(settings) as environment:
        app = build_server(environment).streamable_http_app(host=host)
        config = uvicorn.Config(app, host=host, port=port, log_level=settings.log_level)
        await uvicorn.Server(config).serve()
