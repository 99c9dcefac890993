"""The MCP client manager against a real MCP server process, over stdio and Streamable HTTP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eclair.mcp.client import MAX_FUNCTION_NAME, McpClients, ToolCallFailed, function_name
from eclair.mcp.config import McpConfig, StdioServer
from tests.mcp.conftest import calls_made


@pytest.mark.parametrize("transport", ["stdio", "http"])
async def test_lists_tools_as_functions_and_calls_them(
    transport: str, request: pytest.FixtureRequest, calls_file: Path
) -> None:
    config: McpConfig = request.getfixturevalue(f"{transport}_config")
    clients = McpClients(lambda: config, connect_timeout_s=20, call_timeout_s=10)
    try:
        tools = await clients.tools()
        names = {t.function for t in tools}
        assert {"mcp__toy__add", "mcp__toy__shout", "mcp__toy__broken"} <= names
        add = next(t for t in tools if t.name == "add")
        definition = add.definition()
        assert definition["type"] == "function"
        assert definition["function"]["parameters"]["required"] == ["a", "b"]
        assert "Add two integers" in definition["function"]["description"]

        outcome = await clients.call("mcp__toy__add", {"a": 20, "b": 22})
        assert outcome.text == "42" and not outcome.is_error
        shouted = await clients.call("mcp__toy__shout", {"text": "été"})
        assert shouted.text == "ÉTÉ"
        # the server's own failure is a result the model reads, flagged as an error
        failed = await clients.call("mcp__toy__broken", {"reason": "test"})
        assert failed.is_error and failed.text
        assert calls_made(calls_file) == ["add", "shout", "broken"]
    finally:
        await clients.close()


async def test_unknown_function_and_timeout(stdio_config: McpConfig) -> None:
    clients = McpClients(lambda: stdio_config, connect_timeout_s=20, call_timeout_s=0.5)
    try:
        await clients.tools()
        with pytest.raises(ToolCallFailed) as unknown:
            await clients.call("mcp__toy__nothing", {})
        assert unknown.value.code == "unknown_tool"
        with pytest.raises(ToolCallFailed) as slow:
            await clients.call("mcp__toy__slow", {"seconds": 3})
        assert slow.value.code == "timeout" and "0.5 s" in str(slow.value)
    finally:
        await clients.close()


async def test_a_server_that_cannot_start_is_reported_not_fatal(
    stdio_config: McpConfig, tmp_path: Path
) -> None:
    config = McpConfig(
        {
            **stdio_config.servers,
            "ghost": StdioServer(command=str(tmp_path / "no-such-binary")),
            "mute": StdioServer(command=sys.executable, args=["-c", "import time; time.sleep(30)"]),
            "off": StdioServer(command=str(tmp_path / "never-started"), disabled=True),
        }
    )
    clients = McpClients(lambda: config, connect_timeout_s=3, call_timeout_s=5)
    try:
        tools = await clients.tools()
        assert {t.server for t in tools} == {"toy"}
        statuses = {s.name: s for s in await clients.statuses(connect=False)}
        assert statuses["toy"].state == "ready"
        assert statuses["ghost"].state == "failed" and statuses["ghost"].error
        assert statuses["mute"].state == "failed" and "3 s" in (statuses["mute"].error or "")
        assert statuses["off"].state == "disabled"
        json.dumps([s.to_json() for s in statuses.values()])
    finally:
        await clients.close()


async def test_a_server_that_dies_is_restarted_on_the_next_call(stdio_config: McpConfig) -> None:
    clients = McpClients(lambda: stdio_config, connect_timeout_s=20, call_timeout_s=10)
    try:
        await clients.tools()
        with pytest.raises(ToolCallFailed) as died:
            await clients.call("mcp__toy__crash", {})
        assert died.value.code in ("protocol_error", "timeout")
        assert (await clients.call("mcp__toy__add", {"a": 1, "b": 2})).text == "3"
    finally:
        await clients.close()


def test_function_names_are_safe_unique_and_short() -> None:
    assert function_name("toy", "add") == "mcp__toy__add"
    odd = function_name("my server", "get.weather/now")
    assert odd.startswith("mcp__my_server__get_weather_now_") and len(odd) <= MAX_FUNCTION_NAME
    long_a = function_name("s" * 40, "t" * 40 + "a")
    long_b = function_name("s" * 40, "t" * 40 + "b")
    assert len(long_a) == MAX_FUNCTION_NAME and long_a != long_b
    assert function_name("a b", "c") != function_name("a_b", "c")
