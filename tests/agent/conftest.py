"""Tool-loop fixtures: a store with a user and a conversation, the toy MCP server over stdio,
the approval broker on that store, and a model turn over the scripted fake engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from eclair.agent.approval import ApprovalBroker
from eclair.agent.loop import ToolLoop
from eclair.agent.protocol import Message, ModelTurn, ToolDefinition
from eclair.agent.turn import reading_turn
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, GenerationRequest, SamplingParams, StreamEvent, ToolCall
from eclair.engine.tool_format import ToolFormat
from eclair.mcp.client import McpClients
from eclair.store import Store
from tests.mcp.conftest import calls_file, stdio_config  # noqa: F401 - fixtures used here


@dataclass
class Bench:
    store: Store
    user_id: str
    conversation_id: str
    engine: FakeEngine
    clients: McpClients
    broker: ApprovalBroker
    loop: ToolLoop
    turn: ModelTurn


def fake_turn(engine: FakeEngine) -> ModelTurn:
    """A model turn over the fake engine, rendered as the chat service renders one with tools."""

    async def generate(
        messages: Sequence[Message], tools: Sequence[ToolDefinition]
    ) -> tuple[AsyncIterator[StreamEvent], ToolFormat | None]:
        chat = [
            ChatMessage(
                m["role"],
                m.get("content") or "",
                tool_calls=tuple(
                    ToolCall(c["id"], c["function"]["name"], c["function"]["arguments"])
                    for c in m.get("tool_calls") or ()
                ),
                tool_call_id=m.get("tool_call_id"),
            )
            for m in messages
        ]
        prompt, fmt = engine.render_chat_with_tools(chat, list(tools) or None)
        request = GenerationRequest(prompt=prompt, params=SamplingParams(max_tokens=200))
        return engine.generate(request), fmt

    return reading_turn(generate)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    yield opened
    opened.close()


@pytest.fixture
async def bench(store: Store, stdio_config) -> AsyncIterator[Bench]:  # type: ignore[no-untyped-def]  # noqa: F811
    user = store.users.create("alice", password_hash="x")
    conversation = store.conversations.create(user.id)
    clients = McpClients(lambda: stdio_config, connect_timeout_s=20, call_timeout_s=10)
    broker = ApprovalBroker(granted=store.tools.granted, grant=store.tools.grant, wait_s=5)
    engine = FakeEngine()
    loop = ToolLoop(clients, broker, audit=store.tools, max_rounds=3)
    try:
        yield Bench(store, user.id, conversation.id, engine, clients, broker, loop, fake_turn(engine))
    finally:
        await clients.close()
