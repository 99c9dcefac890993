"""The shipped suite through the evaluation runner against a real ``eclair serve --backend fake``.

The fake engine echoes the question, so the figures say nothing about answer quality; what
this checks is the wire: the suite's items go through the official client to the real server
and back (both models side by side once the server lists ``eclair``), with the documents of
grounded items uploaded through ``/v1/files`` when the server has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from eclair.evaluation.report import summarise
from eclair.evaluation.runner import RunOptions, run_suite
from eclair.evaluation.suite import load_suite
from tests.conftest import eclair_serve

SUITE = Path(__file__).resolve().parents[2] / "evals" / "simple-questions.jsonl"


@pytest.fixture(scope="module")
def fake_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with eclair_serve(tmp_path_factory.mktemp("eval-serve"), "--backend", "fake", timeout=60) as url:
        yield url


TOOL_CATEGORIES = ("arithmetic", "percentages", "powers_roots", "units", "dates", "non_numeric", "pushback")


@pytest.mark.slow
def test_shipped_suite_runs_end_to_end(fake_serve: str) -> None:
    files_endpoint = httpx.get(f"{fake_serve}/v1/files", timeout=10).status_code != 404
    suite = load_suite(SUITE)
    with openai.OpenAI(base_url=f"{fake_serve}/v1", api_key="none", timeout=60) as client:
        served = [m.id for m in client.models.list()]
        model = "both" if "eclair" in served else "raw"
        # Categories that need no retrieval, in full; then a few grounded items with their
        # uploads (ingestion and retrieval are the slow part, and are tested by the
        # knowledge base's own tests).
        tools = run_suite(SUITE, client, model, options=RunOptions(categories=TOOL_CATEGORIES, max_tokens=64))
        grounded = run_suite(
            SUITE, client, model, options=RunOptions(categories=("grounded",), limit=4, upload=files_endpoint)
        )
    expected = sum(1 for item in suite if item.category in TOOL_CATEGORIES)
    assert [m.label for m in tools.runs] == (["raw", "eclair"] if model == "both" else ["raw"])
    for model_run in [*tools.runs, *grounded.runs]:
        assert summarise(model_run)["errors"] == 0, [
            r.reply.error for r in model_run.results if r.reply.error
        ]
    assert all(len(m.results) == expected for m in tools.runs)
    if files_endpoint:
        needed = {d for item in suite.select(("grounded",), 4) for d in item.documents}
        assert sorted(grounded.uploads.values()) == sorted(Path(d).name for d in needed)
    raw = summarise(tools.runs[0])["categories"]
    # An echo never states a computed result nor a weekday.
    assert raw["arithmetic"]["correct"] == 0 and raw["dates"]["correct"] == 0
