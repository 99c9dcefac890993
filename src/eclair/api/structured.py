"""Structured chat answers: the grammar a request asks for, tool calls read back, log-probabilities.

Contract:
- :func:`constraint_for` turns ``tools``/``tool_choice``/``parallel_tool_calls`` and
  ``response_format`` into one :class:`~eclair.engine.protocol.Constraint` (None: free text):
  ``tool_choice`` ``required`` or a named function forces a call from the first token;
  ``auto`` lets the model write text and constrains it once it opens a call (with a JSON
  ``response_format`` as well, the answer is either calls or that JSON, from the start);
  ``none`` offers nothing. ``json_object`` and ``json_schema`` constrain the whole answer.
- Calls are read back by :class:`~eclair.engine.tool_calls.ToolCallReader`.
- :func:`logprobs_content` shapes engine log-probabilities as OpenAI's ``logprobs.content``.

No FastAPI here.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from eclair.api.protocol import ChatCompletionRequest, NamedToolChoice
from eclair.engine import grammars
from eclair.engine.constrain import COMPILE_TIMEOUT_S, bounded
from eclair.engine.protocol import Constraint, Engine, TokenLogprob


def offered_tools(request: ChatCompletionRequest) -> list[dict[str, Any]] | None:
    """The tools as OpenAI dicts, or None when none are offered (``tool_choice: none``)."""
    if not request.tools or request.tool_choice == "none":
        return None
    return [tool.model_dump(exclude_none=True, by_alias=True) for tool in request.tools]


async def compile_constraint(request: ChatCompletionRequest, engine: Engine) -> Constraint | None:
    """The request's constraint, checked and compiled for ``engine``, all within
    :data:`~eclair.engine.constrain.COMPILE_TIMEOUT_S` (else InvalidRequest)."""
    if not request.tools and (request.response_format is None or request.response_format.type == "text"):
        return None
    deadline = time.monotonic() + COMPILE_TIMEOUT_S
    constraint = await bounded(lambda: constraint_for(request))
    if constraint is not None:
        await engine.check_constraint(constraint, deadline - time.monotonic())
    return constraint


def constraint_for(request: ChatCompletionRequest) -> Constraint | None:
    """The grammar of the answer (schemas checked first; InvalidRequest if one is bad)."""
    tools = offered_tools(request)
    for i, tool in enumerate(tools or ()):
        if "parameters" in tool["function"]:
            grammars.check_schema(tool["function"]["parameters"], f"tools[{i}].function.parameters")
    fmt = request.response_format
    answer: dict[str, Any] | None = None
    if fmt is not None and fmt.type == "json_object":
        answer = {"type": "object"}
    elif fmt is not None and fmt.type == "json_schema" and fmt.json_schema is not None:
        answer = grammars.check_schema(fmt.json_schema.schema_, "response_format")
    if not tools:
        return None if answer is None else grammars.json_schema(answer)
    choice = request.tool_choice or "auto"
    names = [t["function"]["name"] for t in tools]
    if isinstance(choice, NamedToolChoice):
        names = [choice.function.name]
    parallel = request.parallel_tool_calls is not False
    if choice == "auto" and answer is not None:
        return grammars.calls_or_json(tools, names, answer, parallel=parallel)
    return grammars.tool_calls(tools, names, parallel=parallel, lazy=choice == "auto")


def logprobs_content(entries: Sequence[TokenLogprob]) -> list[dict[str, Any]]:
    def one(token: bytes, logprob: float) -> dict[str, Any]:
        return {"token": token.decode("utf-8", errors="replace"), "logprob": logprob, "bytes": list(token)}

    return [
        {**one(e.token, e.logprob), "top_logprobs": [one(token, logprob) for token, logprob in e.top]}
        for e in entries
    ]
