"""How a model is told about functions and how it writes a call.

Contract:
- A :class:`ToolFormat` names the markers a call is written between and renders a
  conversation that offers tools or holds earlier calls and results.
- :data:`HERMES`: the chat template itself declares tools (it mentions ``<tool_call>``, as
  Qwen 2.5, Hermes and SmolLM3 templates do): it receives ``tools`` and the messages' calls
  and results, and writes them its own way.
- :data:`GENERIC`, for every other template (SmolLM2's, ChatML, Llama 2...): the same
  ``<tool_call>`` markers, which many small instruct models were trained on, described in the
  system message; earlier calls become assistant text, results become user turns wrapped in
  ``<tool_response>``, so any template renders them.
- A call is ``<tool_call>\\n{"name": …, "arguments": {…}}\\n</tool_call>``; parallel calls
  follow each other, one per line. :mod:`eclair.engine.grammars` builds the grammar that
  forces this shape and :mod:`eclair.engine.tool_calls` reads it back from the stream.

Templates that declare another convention (Mistral's ``[TOOL_CALLS]``, Llama 3.1's
``<|python_tag|>``) get the generic format for now.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eclair.engine.protocol import ChatMessage, ToolCall

OPEN = "<tool_call>"
CLOSE = "</tool_call>"

_GENERIC_PROMPT = (
    "You can call functions to help you answer. To call one, reply with exactly\n"
    f'{OPEN}\n{{"name": "<function name>", "arguments": {{<arguments as JSON>}}}}\n{CLOSE}\n'
    "and nothing else; the result comes back in the next message. "
    "Answer normally when no function is needed.\n"
    "Functions:\n"
)


def call_text(call: ToolCall) -> str:
    """A call written the way the model writes it."""
    try:
        arguments = json.dumps(json.loads(call.arguments), ensure_ascii=False)
    except ValueError:
        arguments = call.arguments
    return (
        f'{OPEN}\n{{"name": {json.dumps(call.name, ensure_ascii=False)}, "arguments": {arguments}}}\n{CLOSE}'
    )


def function_of(tool: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``function`` object of an OpenAI tool definition."""
    function = tool.get("function", tool)
    return function if isinstance(function, Mapping) else {}


@dataclass(frozen=True, slots=True)
class ToolFormat:
    name: str
    #: Whether the chat template renders tools, calls and results itself.
    native: bool
    open: str = OPEN
    close: str = CLOSE

    def rewrite(
        self, messages: Sequence[ChatMessage], tools: Sequence[Mapping[str, Any]] | None
    ) -> list[ChatMessage]:
        """The conversation with the tools described and calls and results written as text
        (the generic format; a native format's template does this itself)."""
        out: list[ChatMessage] = []
        for m in messages:
            if m.tool_calls:
                text = "\n".join([*([m.content] if m.content else []), *map(call_text, m.tool_calls)])
                out.append(ChatMessage("assistant", text))
            elif m.role == "tool":
                out.append(ChatMessage("user", f"<tool_response>\n{m.content}\n</tool_response>"))
            else:
                out.append(ChatMessage(m.role, m.content))
        if tools:
            described = "\n".join(json.dumps(function_of(t), ensure_ascii=False) for t in tools)
            prompt = _GENERIC_PROMPT + described
            if out and out[0].role in ("system", "developer"):
                out[0] = ChatMessage(out[0].role, f"{out[0].content}\n\n{prompt}")
            else:
                out.insert(0, ChatMessage("system", prompt))
        return out


GENERIC = ToolFormat("generic", native=False)
HERMES = ToolFormat("hermes", native=True)


def detect(template_source: str) -> ToolFormat:
    """The format a chat template declares (:data:`GENERIC` when it declares none we know)."""
    if OPEN in template_source and "tools" in template_source:
        return HERMES
    return GENERIC


def template_payload(m: ChatMessage) -> dict[str, Any]:
    """A message as Hugging Face templates read it (calls with parsed arguments, results
    with their ``tool_call_id``)."""
    payload: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.tool_calls:
        calls = []
        for call in m.tool_calls:
            try:
                arguments: Any = json.loads(call.arguments)
            except ValueError:
                arguments = call.arguments
            function = {"name": call.name, "arguments": arguments}
            calls.append({"id": call.id, "type": "function", "function": function, **function})
        payload["tool_calls"] = calls
    if m.tool_call_id is not None:
        payload["tool_call_id"] = m.tool_call_id
    return payload
