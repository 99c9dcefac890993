"""Tools in chat templates: Qwen 2.5's template renders them itself, every other family gets
the generic format, and earlier calls and results render either way."""

from __future__ import annotations

import pytest

from eclair.engine.chat_template import ChatTemplate
from eclair.engine.protocol import ChatMessage, ToolCall
from eclair.engine.tool_format import GENERIC, HERMES
from tests.engine import templates

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather of a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]
ROUND_TRIP = [
    ChatMessage("user", "Weather in Paris?"),
    ChatMessage("assistant", "", tool_calls=(ToolCall("call_1", "get_weather", '{"city": "Paris"}'),)),
    ChatMessage("tool", "sunny", tool_call_id="call_1"),
]


def test_a_template_that_declares_tool_calls_renders_them_itself() -> None:
    template = ChatTemplate(templates.QWEN2_5)
    assert template.tool_format == HERMES
    prompt = template.render(ROUND_TRIP, tools=TOOLS)
    assert "get_weather" in prompt.split("<tools>")[2].split("</tools>")[0]  # Qwen's own <tools> block
    assert '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' in prompt
    assert "<tool_response>\nsunny\n</tool_response>" in prompt
    assert "You can call functions" not in prompt  # not the generic description


@pytest.mark.parametrize("source", [templates.SMOLLM2, templates.LLAMA_3, templates.MISTRAL_SMALL_3])
def test_other_templates_get_the_generic_format(source: str) -> None:
    template = ChatTemplate(source)
    assert template.tool_format == GENERIC
    prompt = template.render(ROUND_TRIP, tools=TOOLS)
    assert "You can call functions" in prompt and '"name": "get_weather"' in prompt
    assert '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' in prompt
    assert "<tool_response>\nsunny\n</tool_response>" in prompt


def test_without_tools_nothing_changes() -> None:
    template = ChatTemplate(templates.SMOLLM2)
    messages = [ChatMessage("user", "Hello")]
    assert template.render(messages, tools=None) == template.render(messages)
    assert "tool" not in template.render(messages)
