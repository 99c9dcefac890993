"""Éclair's tools as functions: definitions a model reads, results it gets back, never an exception."""

from __future__ import annotations

import json
from datetime import date

import jsonschema

from eclair.answer.functions import Functions
from eclair.text.passages import Passage

TODAY = date(2025, 3, 1)


class Documents:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None]] = []

    async def search(
        self, query: str, *, user_id: str | None = None, collections: list[str] | None = None, k: int = 5
    ) -> list[Passage]:
        self.asked.append((query, user_id))
        return [Passage("c1", "notes.txt", "The boiler was serviced in May.", 0, 31)]


class Packs:
    def search(self, question: str, lang: str) -> list[Passage]:
        return [Passage("p1", "Lyon", "Lyon is a city in France.", 0, 25, pack="wiki", url="/kb/wiki/Lyon")]


def test_definitions_are_openai_tools_with_valid_schemas() -> None:
    plain, searching = Functions(), Functions(knowledge=Documents())
    assert [d["function"]["name"] for d in plain.definitions()] == ["calculate", "dates"]
    assert [d["function"]["name"] for d in searching.definitions()][-1] == "search_documents"
    for definition in searching.definitions():
        assert definition["type"] == "function" and definition["function"]["description"]
        jsonschema.Draft202012Validator.check_schema(definition["function"]["parameters"])


async def test_the_calculator_is_exact() -> None:
    functions = Functions(today=lambda: TODAY)
    assert await functions.call("calculate", '{"expression": "(12.5 * 4) / 2"}') == "25"
    assert (await functions.call("calculate", {"expression": "50 / 3"})).startswith("50/3 ≈ 16.6666")
    assert "12" in await functions.call("calculate", {"expression": "15% of 80"})
    assert "8.04672" in await functions.call("calculate", {"expression": "5 miles in km"})


async def test_dates_use_the_injected_today() -> None:
    functions = Functions(today=lambda: TODAY)
    assert "30 May 2025" in await functions.call(
        "dates", {"question": "what date is 90 days after 2025-03-01?"}
    )
    assert "Tuesday" in await functions.call("dates", {"question": "what day of the week was 14 July 1789?"})
    assert "mardi" in await functions.call(
        "dates", {"question": "quel jour était le 14 juillet 1789 ?", "language": "fr"}
    )


async def test_search_reads_documents_then_packs() -> None:
    documents = Documents()
    functions = Functions(knowledge=documents, packs=Packs(), user_id="u1")
    found = json.loads(await functions.call("search_documents", {"query": "boiler"}))
    assert [p["source"] for p in found] == ["notes.txt", "Lyon"] and found[1]["url"] == "/kb/wiki/Lyon"
    assert documents.asked == [("boiler", "u1")]


async def test_what_the_model_got_wrong_is_a_result_not_an_exception() -> None:
    functions = Functions()
    for name, arguments in [
        ("nope", {}),
        ("calculate", "{not json"),
        ("calculate", "[1]"),
        ("calculate", {"expression": ""}),
        ("calculate", {"expression": "2 +* 3"}),
        ("dates", {"question": "hello there"}),
        ("search_documents", {"query": "x"}),  # no source here: not offered
    ]:
        assert (await functions.call(name, arguments)).startswith("error:"), (name, arguments)
