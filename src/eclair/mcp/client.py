"""The MCP client manager: one connection per configured server, their tools as OpenAI
functions, and calls with timeouts and clear errors.

Contract:
- :class:`McpClients` connects lazily: the first :meth:`McpClients.tools` starts every enabled
  server (stdio subprocess or Streamable HTTP session, with the official ``mcp`` SDK) and lists
  its tools, each server within ``connect_timeout_s``. A server that fails is left out; its
  :class:`ServerStatus` says why, and the next listing tries it again.
- A tool is offered to the model as an OpenAI function named ``mcp__<server>__<tool>``
  (:func:`function_name`: only ``[A-Za-z0-9_-]``, at most 64 characters, a hash suffix when
  it had to be shortened), so two servers' tools never collide and Éclair's own tools
  (no ``mcp__`` prefix) never meet them.
- :meth:`McpClients.call` runs one call within ``call_timeout_s`` and returns a
  :class:`ToolOutcome` (the result as text for a ``role: tool`` message, ``is_error`` when the
  server said the tool failed). It raises :class:`ToolCallFailed` only when the call could not
  be made or answered (unknown function, server down, timeout); the text of that error is meant
  for the model and the user. Results longer than :data:`MAX_RESULT_CHARS` are cut, saying so.
- Each connection lives in its own task, which enters and leaves the SDK client (its anyio
  task groups need that); calls from any task go through the session. A connection whose
  server died is reopened on the next call. :meth:`McpClients.close` stops every server.
- This module knows nothing of approval: callers decide whether a call may run
  (:mod:`eclair.agent.approval`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp_types import CallToolResult, Implementation, TextContent

from eclair import __version__
from eclair.errors import ConfigurationError, NotFound
from eclair.mcp.config import (
    HttpServer,
    McpConfig,
    ServerConfig,
    StdioServer,
    check_name,
    load_config,
    parse_server,
    save_config,
)

logger = logging.getLogger(__name__)

PREFIX = "mcp__"
MAX_FUNCTION_NAME = 64
MAX_RESULT_CHARS = 20_000
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def function_name(server: str, tool: str) -> str:
    """The OpenAI function name of ``tool`` of ``server`` (stable across restarts)."""
    name = f"{PREFIX}{_UNSAFE.sub('_', server)}__{_UNSAFE.sub('_', tool)}"
    if len(name) <= MAX_FUNCTION_NAME and name == f"{PREFIX}{server}__{tool}":
        return name
    digest = hashlib.sha256(f"{server}\0{tool}".encode()).hexdigest()[:8]
    return f"{name[: MAX_FUNCTION_NAME - 9]}_{digest}"


class ToolCallFailed(Exception):
    """A tool call that could not be made or answered. ``code``: ``unknown_tool``,
    ``server_unavailable``, ``timeout`` or ``protocol_error``. Seen by the model (as the
    tool's result) and by the user (in the call's audit record), never as an HTTP error."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class McpTool:
    server: str
    name: str  # the tool's own name on its server
    function: str  # the name the model calls it by
    description: str
    parameters: dict[str, Any]

    def definition(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry."""
        return {
            "type": "function",
            "function": {
                "name": self.function,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    text: str
    is_error: bool = False


@dataclass(slots=True)
class ServerStatus:
    name: str
    state: Literal["idle", "connecting", "ready", "failed", "disabled"] = "idle"
    error: str | None = None
    tools: list[McpTool] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "state": self.state,
            "error": self.error,
            "tools": [
                {"name": t.name, "function": t.function, "description": t.description} for t in self.tools
            ],
        }


def _describe(exc: BaseException) -> str:
    """One line for the user: the innermost reason of an SDK or transport failure."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]


def result_text(result: CallToolResult) -> str:
    """A tool result as the text of a ``role: tool`` message."""
    parts: list[str] = []
    for block in result.content:
        if isinstance(block, TextContent):
            parts.append(block.text)
        else:
            mime = getattr(block, "mime_type", None) or getattr(block, "mimeType", None)
            parts.append(f"[{block.type}{': ' + mime if mime else ''} omitted]")
    if not parts and result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    text = "\n".join(parts)
    if len(text) > MAX_RESULT_CHARS:
        text = text[:MAX_RESULT_CHARS] + f"\n[… cut: the result had {len(text)} characters]"
    return text


class _Connection:
    """One server's SDK client, owned by one task."""

    def __init__(self, name: str, config: ServerConfig, errlog: TextIO | None):
        self.name = name
        self.config = config
        self.errlog = errlog
        self.client: Client | None = None
        self.status = ServerStatus(name, state="disabled" if config.disabled else "idle")
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._lock = asyncio.Lock()

    async def _transport(self, stack: AsyncExitStack) -> Any:
        config = self.config
        if isinstance(config, StdioServer):
            params = StdioServerParameters(
                command=config.command, args=config.args, env=config.env or None, cwd=config.cwd
            )
            return stdio_client(params, errlog=self.errlog) if self.errlog else stdio_client(params)
        assert isinstance(config, HttpServer)
        # our own HTTP client, for the configured headers; the stack closes it after the session
        http = await stack.enter_async_context(create_mcp_http_client(headers=config.headers))
        return streamable_http_client(config.url, http_client=http)

    async def _own(self, ready: asyncio.Future[list[McpTool]]) -> None:
        try:
            async with AsyncExitStack() as stack:
                transport = await self._transport(stack)
                client = Client(transport, client_info=Implementation(name="eclair", version=__version__))
                await stack.enter_async_context(client)
                tools = await _list_tools(self.name, client)
                self.client = client
                ready.set_result(tools)
                await self._stop.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            elif not isinstance(exc, asyncio.CancelledError):
                logger.warning("MCP server %r stopped: %s", self.name, _describe(exc))
                self.status.state, self.status.error = "failed", _describe(exc)
        finally:
            self.client = None

    async def connect(self, timeout_s: float) -> ServerStatus:
        async with self._lock:
            if self.client is not None and self._task is not None and not self._task.done():
                return self.status
            await self._stop_task()
            self._stop = asyncio.Event()
            ready: asyncio.Future[list[McpTool]] = asyncio.get_running_loop().create_future()
            self.status.state, self.status.error = "connecting", None
            self._task = asyncio.create_task(self._own(ready), name=f"mcp:{self.name}")
            try:
                tools = await asyncio.wait_for(asyncio.shield(ready), timeout_s)
            except TimeoutError:
                ready.cancel()  # the owner's late outcome goes nowhere
                await self._stop_task()
                self.status.state = "failed"
                self.status.error = f"no answer within {timeout_s:g} s"
            except Exception as exc:
                await self._stop_task()
                self.status.state, self.status.error = "failed", _describe(exc)
            else:
                self.status.state, self.status.tools = "ready", tools
            if self.status.state == "failed":
                logger.warning("MCP server %r is unavailable: %s", self.name, self.status.error)
            return self.status

    async def _stop_task(self) -> None:
        task = self._task
        self._task = None
        if task is None or task.done():
            return
        if self.client is None:  # still connecting: nothing to close gracefully
            task.cancel()
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), 10)
        except (TimeoutError, Exception):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    async def close(self) -> None:
        async with self._lock:
            await self._stop_task()
            self.status.state = "disabled" if self.config.disabled else "idle"


async def _list_tools(server: str, client: Client) -> list[McpTool]:
    tools: list[McpTool] = []
    cursor: str | None = None
    for _ in range(100):  # a server whose pages never end cannot hang the listing
        page = await client.list_tools(cursor=cursor)
        for tool in page.tools:
            schema = dict(tool.input_schema or {"type": "object", "properties": {}})
            schema.setdefault("type", "object")
            tools.append(
                McpTool(
                    server=server,
                    name=tool.name,
                    function=function_name(server, tool.name),
                    description=(tool.description or tool.title or tool.name)[:1024],
                    parameters=schema,
                )
            )
        cursor = page.next_cursor
        if cursor is None:
            break
    return tools


class McpClients:
    """Every configured MCP server, from ``source``: the ``mcp.json`` path (which
    :meth:`set_server` and :meth:`remove_server` rewrite), or a function returning the
    configuration (tests). It is read on first use and again by :meth:`reload`."""

    def __init__(
        self,
        source: Path | Callable[[], McpConfig],
        *,
        connect_timeout_s: float = 20.0,
        call_timeout_s: float = 60.0,
        log_dir: Path | None = None,
    ):
        self.path = source if isinstance(source, Path) else None
        self._config_of: Callable[[], McpConfig] = (
            source if not isinstance(source, Path) else (lambda: load_config(source))
        )
        self._edit_lock = asyncio.Lock()
        self.connect_timeout_s = connect_timeout_s
        self.call_timeout_s = call_timeout_s
        self.log_dir = log_dir
        self._logs: list[TextIO] = []
        self._connections: dict[str, _Connection] = {}
        self.config_error: str | None = None
        self._loaded = False

    def _errlog(self, name: str) -> TextIO | None:
        """stdio servers' stderr goes to ``<log_dir>/<name>.log`` (never to the MCP pipe)."""
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.log").open("a", encoding="utf-8")
        self._logs.append(log)
        return log

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            config = self._config_of()
            self.config_error = None
        except Exception as exc:
            logger.error("MCP configuration ignored: %s", exc)
            self.config_error, config = str(exc), McpConfig()
        for name, server in config.servers.items():
            self._connections[name] = _Connection(name, server, self._errlog(name))

    async def reload(self) -> None:
        """Stop every server and read the configuration again (servers restart when next used)."""
        await self.close()
        self._loaded = False
        self._load()

    async def set_server(self, name: str, raw: Any) -> McpConfig:
        """Add or replace one server in ``mcp.json`` (checked first), then reload."""
        server = parse_server(name, raw)
        return await self._edit(lambda config: config.servers.__setitem__(name, server))

    async def remove_server(self, name: str) -> McpConfig:
        check_name(name)

        def remove(config: McpConfig) -> None:
            if config.servers.pop(name, None) is None:
                raise NotFound(f"no MCP server named {name!r}", code="mcp_server_not_found")

        return await self._edit(remove)

    async def _edit(self, change: Callable[[McpConfig], None]) -> McpConfig:
        path = self.path
        if path is None:
            raise ConfigurationError("this MCP configuration is not a file and cannot be edited")
        async with self._edit_lock:
            config = await asyncio.to_thread(load_config, path)
            change(config)
            await asyncio.to_thread(save_config, path, config)
            await self.reload()
            return config

    def current_config(self) -> McpConfig:
        """The configuration as last read (empty when it could not be read)."""
        self._load()
        return McpConfig({name: c.config for name, c in self._connections.items()})

    @property
    def configured(self) -> bool:
        self._load()
        return bool(self._connections)

    async def statuses(self, *, connect: bool = True) -> list[ServerStatus]:
        """Every server's status, connecting those not connected yet when ``connect``."""
        self._load()
        if connect:
            await self.tools()
        return [c.status for c in self._connections.values()]

    async def tools(self) -> list[McpTool]:
        """The tools of every enabled server that answers (servers are started concurrently)."""
        self._load()
        live = [c for c in self._connections.values() if not c.config.disabled]
        statuses = await asyncio.gather(*(c.connect(self.connect_timeout_s) for c in live))
        return [tool for status in statuses if status.state == "ready" for tool in status.tools]

    def find(self, function: str) -> McpTool | None:
        for connection in self._connections.values():
            for tool in connection.status.tools:
                if tool.function == function:
                    return tool
        return None

    async def call(self, function: str, arguments: dict[str, Any]) -> ToolOutcome:
        tool = self.find(function)
        if tool is None:
            raise ToolCallFailed(f"there is no tool named {function!r}", "unknown_tool")
        connection = self._connections[tool.server]
        status = await connection.connect(self.connect_timeout_s)
        client = connection.client
        if status.state != "ready" or client is None:
            raise ToolCallFailed(
                f"the MCP server {tool.server!r} is unavailable: {status.error or 'not connected'}",
                "server_unavailable",
            )
        try:
            result = await asyncio.wait_for(client.call_tool(tool.name, arguments), self.call_timeout_s)
        except TimeoutError:
            raise ToolCallFailed(
                f"the tool {tool.name!r} of {tool.server!r} did not answer within {self.call_timeout_s:g} s",
                "timeout",
            ) from None
        except Exception as exc:
            await connection.close()  # a broken session is reopened by the next call
            raise ToolCallFailed(
                f"the call to {tool.name!r} of {tool.server!r} failed: {_describe(exc)}", "protocol_error"
            ) from exc
        return ToolOutcome(result_text(result), is_error=bool(result.is_error))

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self._connections.values()))
        self._connections.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
