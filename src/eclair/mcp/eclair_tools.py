"""Éclair's own tools as function definitions and one executor: the calculator, date
questions and document search, as ``eclair mcp`` serves them.

Contract:
- :data:`DEFINITIONS` are OpenAI ``tools`` entries (JSON Schema parameters); :func:`execute`
  runs one by name and returns a :class:`~eclair.mcp.client.ToolOutcome` (``is_error`` for a
  refusal the caller should read: an expression that cannot be computed, a question no date
  rule reads). Unknown names and bad arguments are errors too; nothing raises but bugs.
- The tools are the answer pipeline's own pieces, unchanged: the exact calculator
  (:func:`eclair.answer.calculator.calculate`), the router's date answers
  (:func:`eclair.answer.router.answer_with_tools`, date route only) and the knowledge base's
  search (:meth:`eclair.knowledge.base.KnowledgeBase.search`, then the knowledge packs).
- This is the single adapter between those pieces and any tool-calling surface; when a shared
  module of Éclair's function tools exists, ``DEFINITIONS`` and ``execute`` are what to swap.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.language import detect_language
from eclair.answer.numfmt import format_fraction, format_number
from eclair.answer.router import answer_with_tools
from eclair.mcp.client import ToolOutcome
from eclair.text.passages import Passage

MAX_PASSAGES = 10

DEFINITIONS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "calculator",
            "description": "Compute an arithmetic expression exactly (+ - * / ^, parentheses, %, !, "
            "sqrt, cbrt, abs, pi). Returns the value.",
            "parameters": {
                "type": "object",
                "properties": {"expression": {"type": "string", "description": "e.g. '(310 - 25) * 4'"}},
                "required": ["expression"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "dates",
            "description": "Answer a question about dates in English or French: days between two dates, "
            "a date plus or minus a duration, the weekday of a date, an age.",
            "parameters": {
                "type": "object",
                "properties": {
                    "question": {
                        "type": "string",
                        "description": "e.g. 'What day is 90 days after 2024-03-01?'",
                    },
                    "today": {"type": "string", "description": "Today's date (YYYY-MM-DD); default: today"},
                },
                "required": ["question"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search_documents",
            "description": "Search the user's documents (and the installed offline encyclopedias) "
            "for passages about a question. Returns the best passages with their sources.",
            "parameters": {
                "type": "object",
                "properties": {
                    "query": {"type": "string"},
                    "k": {"type": "integer", "minimum": 1, "maximum": MAX_PASSAGES, "default": 5},
                },
                "required": ["query"],
            },
        },
    },
]

Search = Callable[[str, int], Awaitable[list[Passage]]]


@dataclass(slots=True)
class ToolEnvironment:
    """What the tools read: a passage search (documents, then packs); None: no documents."""

    search: Search | None = None


def _calculator(arguments: dict[str, Any]) -> ToolOutcome:
    expression = arguments.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        return ToolOutcome("error: 'expression' must be a non-empty string", is_error=True)
    try:
        value = calculate(expression).value
    except CalcError as exc:
        return ToolOutcome(f"error: cannot compute {expression!r} ({exc.code})", is_error=True)
    text, exact = format_number(value.q, exact=value.exact)
    fraction = format_fraction(value.q) if value.exact else None
    shown = text if exact else f"≈ {text}"
    return ToolOutcome(f"{shown} (= {fraction})" if fraction else shown)


def _dates(arguments: dict[str, Any]) -> ToolOutcome:
    question = arguments.get("question")
    if not isinstance(question, str) or not question.strip():
        return ToolOutcome("error: 'question' must be a non-empty string", is_error=True)
    today = date.today()
    if isinstance(arguments.get("today"), str):
        try:
            today = date.fromisoformat(arguments["today"])
        except ValueError:
            return ToolOutcome("error: 'today' must be a date written YYYY-MM-DD", is_error=True)
    reply = answer_with_tools(question, detect_language(question, "en"), today)
    if reply is None or reply.route != "date":
        return ToolOutcome(
            "error: no date rule reads this question; rephrase it with explicit dates", is_error=True
        )
    return ToolOutcome(reply.text, is_error=reply.abstained)


async def _search(arguments: dict[str, Any], environment: ToolEnvironment) -> ToolOutcome:
    query = arguments.get("query")
    k = arguments.get("k", 5)
    if not isinstance(query, str) or not query.strip():
        return ToolOutcome("error: 'query' must be a non-empty string", is_error=True)
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_PASSAGES:
        return ToolOutcome(f"error: 'k' must be an integer from 1 to {MAX_PASSAGES}", is_error=True)
    if environment.search is None:
        return ToolOutcome("error: no documents are available here", is_error=True)
    passages = await environment.search(query, k)
    if not passages:
        return ToolOutcome("No passage matches this query.")
    return ToolOutcome(
        "\n\n".join(f"[{i}] {p.source}\n{p.text.strip()}" for i, p in enumerate(passages[:k], 1))
    )


async def execute(name: str, arguments: dict[str, Any], environment: ToolEnvironment) -> ToolOutcome:
    """Run Éclair's tool ``name``."""
    if name == "calculator":
        return _calculator(arguments)
    if name == "dates":
        return _dates(arguments)
    if name == "search_documents":
        return await _search(arguments, environment)
    return ToolOutcome(f"error: there is no tool named {name!r}", is_error=True)
