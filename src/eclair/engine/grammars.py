"""Grammars for structured outputs and tool calls, as :class:`~eclair.engine.protocol.Constraint`.

Contract:
- :func:`json_schema` and :func:`json_object`: the whole output is one JSON value valid for
  the schema (any object for ``json_object``), written compactly (``", "`` and ``": "``
  separators, no other whitespace: a small model cannot loop on blank lines), properties in
  the schema's order.
- :func:`tool_calls`: the output is one call (or, with ``parallel``, one or more, one per
  line) in the :mod:`~eclair.engine.tool_format` shape, the ``name`` one of ``names`` and the
  ``arguments`` valid for that function's ``parameters``. ``lazy``: the model may first
  write free text, and the grammar holds from the moment it opens a call (``tool_choice:
  auto``); otherwise the output starts with the call (``required`` or a named function).
- The schemas given are checked (:func:`check_schema`: bounded size, Draft 7 metaschema) and
  compiled by llguidance; either failure is an :class:`~eclair.errors.InvalidRequest`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from eclair.engine.protocol import Constraint
from eclair.engine.tool_format import CLOSE, OPEN, function_of
from eclair.errors import InvalidRequest

#: llguidance's JSON options: fixed separators, no free whitespace.
JSON_OPTIONS = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
EMPTY_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}
#: Bounds of a schema a request may carry (OpenAI's structured outputs allow less).
MAX_SCHEMA_VALUES = 20_000
MAX_SCHEMA_DEPTH = 64


def _too_big(value: object, budget: int, depth: int) -> int:
    """What is left of ``budget`` (values) after walking ``value``; negative: it ran out."""
    if depth > MAX_SCHEMA_DEPTH:
        return -1
    budget -= 1
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if budget < 0:
            break
        budget = _too_big(child, budget, depth + 1)
    return budget


def check_schema(schema: object, param: str) -> dict[str, Any]:
    """``schema`` if it is a well-formed JSON Schema object, else InvalidRequest naming ``param``.

    Size first (at most :data:`MAX_SCHEMA_VALUES` values, :data:`MAX_SCHEMA_DEPTH` levels), in
    time proportional to that limit: the metaschema check and the compiler then have bounded
    work to do."""
    import jsonschema

    if not isinstance(schema, dict):
        raise InvalidRequest(f"'{param}' must be a JSON Schema object", param=param)
    if _too_big(schema, MAX_SCHEMA_VALUES, 0) < 0:
        raise InvalidRequest(
            f"'{param}' is too large (over {MAX_SCHEMA_VALUES} values or {MAX_SCHEMA_DEPTH} levels deep)",
            param=param,
            code="grammar_too_complex",
        )
    try:
        # Draft 7's metaschema: as strict on types and shapes, and five times faster to check
        # than 2020-12's (whose keywords it lets through, as it does any unknown keyword).
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise InvalidRequest(
            f"'{param}' is not a valid JSON Schema at {where}: {exc.message}", param=param
        ) from None
    return schema


def _with_options(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {**schema, "x-guidance": {**JSON_OPTIONS, **schema.get("x-guidance", {})}}


def json_schema(schema: Mapping[str, Any]) -> Constraint:
    from llguidance import LLMatcher

    try:
        return Constraint(LLMatcher.grammar_from_json_schema(_with_options(schema)))
    except (ValueError, TypeError) as exc:
        raise InvalidRequest(f"invalid JSON Schema: {exc}", param="response_format") from None


def json_object() -> Constraint:
    return json_schema({"type": "object"})


def call_schema(tools: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The JSON Schema of one call object: ``{"name": one of names, "arguments": …}``."""
    by_name = {function_of(t).get("name"): function_of(t) for t in tools}
    options = []
    for name in names:
        parameters = by_name[name].get("parameters") or EMPTY_PARAMETERS
        options.append(
            {
                "type": "object",
                "properties": {"name": {"const": name}, "arguments": parameters},
                "required": ["name", "arguments"],
                "additionalProperties": False,
            }
        )
    return options[0] if len(options) == 1 else {"anyOf": options}


def _calls_rules(tools: Sequence[Mapping[str, Any]], names: Sequence[str], parallel: bool) -> str:
    """Lark rules ``calls`` (one call, or one or more on separate lines) and ``call``."""
    call = json.dumps(_with_options(call_schema(tools, names)), ensure_ascii=False)
    more = ' ("\\n" call)*' if parallel else ""
    return (
        f"calls: call{more}\ncall: {json.dumps(OPEN + chr(10))} %json {call} {json.dumps(chr(10) + CLOSE)}\n"
    )


def tool_calls(
    tools: Sequence[Mapping[str, Any]], names: Sequence[str], *, parallel: bool, lazy: bool
) -> Constraint:
    from llguidance import LLMatcher

    lark = "start: calls\n" + _calls_rules(tools, names, parallel)
    return Constraint(LLMatcher.grammar_from_lark(lark), trigger=OPEN if lazy else None)


def calls_or_json(
    tools: Sequence[Mapping[str, Any]], names: Sequence[str], schema: Mapping[str, Any], *, parallel: bool
) -> Constraint:
    """Either tool calls or one JSON value for ``schema`` (``tool_choice: auto`` with a JSON
    ``response_format``), from the first token."""
    from llguidance import LLMatcher

    answer = json.dumps(_with_options(schema), ensure_ascii=False)
    lark = f"start: calls | %json {answer}\n" + _calls_rules(tools, names, parallel)
    return Constraint(LLMatcher.grammar_from_lark(lark))
