"""Éclair's own tools as functions a model (or another assistant) can call.

Contract:
- :class:`Functions` offers the exact calculator, the date tool and, when sources are given,
  search over the user's documents and the installed knowledge packs. :meth:`Functions.definitions`
  lists them as OpenAI tool definitions (``{"type": "function", "function": {name,
  description, parameters}}``, parameters as strict JSON Schemas); :meth:`Functions.call`
  runs one by name with its arguments (a JSON object, as text or already parsed) and returns
  the text result a model reads next.
- A call never raises for what the model got wrong (unknown function, bad arguments, an
  expression the calculator refuses): the result says what was wrong, so the model can try
  again or answer without it. Results are bounded (:data:`MAX_RESULT_CHARS`).
- The same tools answer the assistant's router (:mod:`eclair.answer.router`); here they are
  driven by a model that chose to call them, for models able to (the router stays the
  default for small models). ``eclair mcp`` serves them to other assistants.

Nothing here knows about HTTP or MCP.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from eclair.answer import calculator
from eclair.answer.dates import interpret_date
from eclair.answer.language import Lang
from eclair.answer.numfmt import format_number
from eclair.answer.pipeline import KnowledgeSource, PackSource
from eclair.answer.router import answer_with_tools
from eclair.text.passages import Passage

MAX_RESULT_CHARS = 4000
SEARCH_K = 5
PASSAGE_CHARS = 700  # per passage of a search: five fit MAX_RESULT_CHARS

_LANGUAGE = {
    "type": "string",
    "enum": ["en", "fr"],
    "description": "Language of the question and the answer.",
}

CALCULATE = {
    "name": "calculate",
    "description": (
        "Compute an arithmetic expression exactly (+ - * / ^ %, parentheses, sqrt, cbrt, abs, "
        "factorial !, pi), or a unit conversion or percentage written in words "
        "('15% of 80', '5 miles in km'). Use it for any arithmetic instead of computing yourself."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "expression": {
                "type": "string",
                "description": "For example '(12.5 * 4) / 3' or '3 feet in cm'.",
            },
            "language": _LANGUAGE,
        },
        "required": ["expression"],
        "additionalProperties": False,
    },
}
DATES = {
    "name": "dates",
    "description": (
        "Answer a date question exactly: today's date, the weekday of a date, days between two "
        "dates, a date plus or minus a duration, an age, leap years, days in a month."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "question": {
                "type": "string",
                "description": "For example 'what date is 90 days after 2025-03-01?'",
            },
            "language": _LANGUAGE,
        },
        "required": ["question"],
        "additionalProperties": False,
    },
}
SEARCH = {
    "name": "search_documents",
    "description": (
        "Search the user's documents and the installed offline encyclopedias; returns the most "
        "relevant passages with their source. Quote or cite them when you answer."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "What to look for, in a few words."},
            "language": _LANGUAGE,
        },
        "required": ["query"],
        "additionalProperties": False,
    },
}


def _tool(function: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": dict(function)}


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_RESULT_CHARS else text[: MAX_RESULT_CHARS - 1] + "…"


class Functions:
    """The calculator, the date tool and (with sources) document search, as callable functions."""

    def __init__(
        self,
        *,
        knowledge: KnowledgeSource | None = None,
        packs: PackSource | None = None,
        today: Callable[[], date] | None = None,
        user_id: str | None = None,
    ):
        self.knowledge = knowledge
        self.packs = packs
        self._today = today or date.today
        self.user_id = user_id  # whose documents a search reads

    def definitions(self) -> list[dict[str, Any]]:
        """OpenAI tool definitions of the functions available here."""
        functions = [CALCULATE, DATES]
        if self.knowledge is not None or self.packs is not None:
            functions.append(SEARCH)
        return [_tool(f) for f in functions]

    @property
    def names(self) -> list[str]:
        return [d["function"]["name"] for d in self.definitions()]

    async def call(self, name: str, arguments: str | Mapping[str, Any]) -> str:
        """Run function ``name``; its result, or what was wrong, as text."""
        if name not in self.names:
            return f"error: unknown function '{name}' (available: {', '.join(self.names)})"
        try:
            args = json.loads(arguments) if isinstance(arguments, str) else dict(arguments)
        except ValueError as exc:
            return f"error: the arguments are not JSON: {exc}"
        if not isinstance(args, dict):
            return "error: the arguments must be a JSON object"
        lang: Lang = "fr" if args.get("language") == "fr" else "en"
        required = {"calculate": "expression", "dates": "question", "search_documents": "query"}[name]
        value = args.get(required)
        if not isinstance(value, str) or not value.strip():
            return f"error: '{required}' must be a non-empty string"
        if name == "calculate":
            return _bounded(self._calculate(value, lang))
        if name == "dates":
            return _bounded(self._dates(value, lang))
        return await self._search(value, lang)

    def _calculate(self, expression: str, lang: Lang) -> str:
        try:
            value = calculator.calculate(expression).value
        except calculator.CalcError as exc:
            reply = answer_with_tools(expression, lang, self._today())  # words, units, percentages
            if reply is None or reply.route != "calculator" or reply.abstained:
                return f"error: {exc}"
            refused = (reply.reason or "").startswith("refused")  # said in words: 1/0, bad syntax
            return f"error: {reply.text}" if refused else reply.text
        shown, exact = format_number(value.q, lang, exact=value.exact)
        if exact:
            return shown
        if value.exact and value.q.denominator <= 10**6:  # a fraction says it exactly
            return f"{value.q.numerator}/{value.q.denominator} ≈ {shown}"
        return f"≈ {shown}"

    def _dates(self, question: str, lang: Lang) -> str:
        today = self._today()
        found = interpret_date(question, lang, today)
        if found is not None:
            return found.text
        reply = answer_with_tools(question, lang, today)
        if reply is not None and reply.route == "date" and not reply.abstained:
            return reply.text
        return f"error: not a date question the date tool reads (today is {today.isoformat()})"

    async def _search(self, query: str, lang: Lang) -> str:
        passages: list[Passage] = []
        if self.knowledge is not None:
            passages += await self.knowledge.search(query, user_id=self.user_id, k=SEARCH_K)
        if self.packs is not None and len(passages) < SEARCH_K:
            passages += self.packs.search(query, lang)[: SEARCH_K - len(passages)]
        if not passages:
            return "no passage found"
        found = [
            {"source": p.source, "text": p.text[:PASSAGE_CHARS], **({"url": p.url} if p.url else {})}
            for p in passages[:SEARCH_K]
        ]
        return json.dumps(found, ensure_ascii=False)
