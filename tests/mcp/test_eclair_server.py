"""``eclair mcp``: a real process serving Éclair's tools, reached with the official SDK client
over stdio and over Streamable HTTP; the tools themselves in process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters

import eclair
from eclair.bench.servers import free_port
from eclair.mcp.eclair_tools import ToolEnvironment
from eclair.mcp.server import build_server
from eclair.text.passages import Passage
from tests.mcp.conftest import _wait_port

SRC = str(Path(eclair.__file__).resolve().parents[1])


def _text(result) -> str:  # type: ignore[no-untyped-def]
    return "".join(block.text for block in result.content)


async def _check_tools(client: Client) -> None:
    listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(listed) == {"calculator", "dates", "search_documents"}
    assert listed["calculator"].input_schema["required"] == ["expression"]
    result = await client.call_tool("calculator", {"expression": "(310 - 25) * 4"})
    assert _text(result) == "1140" and not result.is_error
    third = await client.call_tool("calculator", {"expression": "1/3"})
    assert "1/3" in _text(third)
    refused = await client.call_tool("calculator", {"expression": "9^9^9^9"})
    assert refused.is_error and "too_large" in _text(refused)
    day = await client.call_tool(
        "dates", {"question": "What day is 90 days after 2024-03-01?", "today": "2025-01-01"}
    )
    assert "30 May 2024" in _text(day) and not day.is_error


async def test_eclair_mcp_over_stdio(tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "eclair", "mcp", "--data-dir", str(tmp_path / "data")],
        env={"PYTHONPATH": SRC, "ECLAIR_KNOWLEDGE_DENSE": "false", "ECLAIR_LOG_LEVEL": "warning"},
    )
    async with Client(params, read_timeout_seconds=60) as client:
        await _check_tools(client)
        empty = await client.call_tool("search_documents", {"query": "tower height"})
        assert not empty.is_error and _text(empty) == "No passage matches this query."


async def test_eclair_mcp_over_streamable_http(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": SRC, "ECLAIR_KNOWLEDGE_DENSE": "false", "ECLAIR_LOG_LEVEL": "warning"}
    command = [
        sys.executable,
        "-m",
        "eclair",
        "mcp",
        "--http",
        str(port),
        "--data-dir",
        str(tmp_path / "data"),
    ]
    with (tmp_path / "mcp.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_port(port, process, timeout=60)
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60) as client:
                await _check_tools(client)
        finally:
            process.terminate()
            process.wait(10)


async def test_search_returns_passages_with_their_sources() -> None:
    asked: list[tuple[str, int]] = []

    async def search(query: str, k: int) -> list[Passage]:
        asked.append((query, k))
        return [
            Passage(chunk_id="d:0", source="tower.md", text="The tower is 330 metres tall.", start=0, end=29)
        ]

    async with Client(build_server(ToolEnvironment(search=search))) as client:
        found = await client.call_tool("search_documents", {"query": "tower height", "k": 3})
        assert _text(found) == "[1] tower.md\nThe tower is 330 metres tall."
        assert asked == [("tower height", 3)]
        bad = await client.call_tool("search_documents", {"query": "x", "k": 99})
        assert bad.is_error
        unknown = await client.call_tool("nothing", {})
        assert unknown.is_error


@pytest.mark.parametrize("question", ["hello there", ""])
async def test_dates_refuse_what_they_cannot_read(question: str) -> None:
    async with Client(build_server(ToolEnvironment())) as client:
        result = await client.call_tool("dates", {"question": question})
        assert result.is_error
