"""``eclair bench`` against the scripted fake engine: timings, summaries, ratios, files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress

from eclair.bench.client import StreamResult
from eclair.bench.report import percentile, summarize, write_chart
from eclair.bench.run import BenchConfig, TargetResult, comparisons, run_scenarios, save
from eclair.engine.fake import FakeEngine
from tests.conftest import LiveServer


def result(sent: float, first: float, last: float, tokens: int, text: str = "x") -> StreamResult:
    return StreamResult(
        "r", sent=sent, first=first, last=last, done=last, completion_tokens=tokens, text=text
    )


def test_percentiles_interpolate() -> None:
    assert percentile([], 50) is None
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 90) == pytest.approx(9.0)


def test_summary_counts_aggregate_throughput_over_the_wall_time() -> None:
    results = [
        result(0.0, 1.0, 3.0, 21),
        result(0.0, 2.0, 4.0, 21),
        StreamResult("bad", sent=0.0, error="HTTP 503"),
    ]
    summary = summarize(results)
    assert (summary["requests"], summary["completed"]) == (3, 2)
    assert summary["aggregate_tps"] == pytest.approx(42 / 4.0)
    assert summary["ttft_s"]["p50"] == pytest.approx(1.5)
    assert summary["output_tps"]["p50"] == pytest.approx(10.0)
    assert summary["errors"] == ["HTTP 503"]


def test_comparisons_compute_the_acceptance_ratios() -> None:
    def target(name: str, **summaries: dict) -> TargetResult:  # type: ignore[type-arg]
        return TargetResult(name, summaries=summaries)

    done = [
        target("eclair", **{"sweep-8": {"aggregate_tps": 90.0}, "multiturn-last": {"ttft_s": {"p50": 0.5}}}),
        target(
            "llama-cpp-python",
            **{"sweep-8": {"aggregate_tps": 40.0}, "multiturn-last": {"ttft_s": {"p50": 10.0}}},
        ),
        target("eclair-no-prefix", **{"multiturn-last": {"ttft_s": {"p50": 2.5}}}),
        TargetResult("ceiling", extra={"ceiling": {"overall_tps": 100.0}}),
    ]
    ratios = comparisons(done)
    assert ratios["aggregate_tps_c8_vs_llama_cpp_python"] == pytest.approx(2.25)
    assert ratios["aggregate_tps_c8_vs_ceiling"] == pytest.approx(0.9)
    assert ratios["last_turn_ttft_vs_no_prefix"] == pytest.approx(0.2)
    assert ratios["last_turn_ttft_vs_llama_cpp_python"] == pytest.approx(0.05)


def test_scenarios_run_against_a_live_server(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from eclair.api.app import create_app

    engine = FakeEngine(token_delay_s=0.005)
    config = BenchConfig(
        scenarios=("sweep", "multiturn"), levels=(1, 3), max_tokens=8, users=2, turns=2, turn_tokens=4
    )
    with (
        LiveServer(create_app(settings, engine)) as server,
        Progress(console=Console(quiet=True)) as progress,
    ):
        out = asyncio.run(run_scenarios("fake", server.url, config, progress))
    assert out.summaries["sweep-3"]["completed"] == 3
    assert out.summaries["multiturn"]["completed"] == 4
    assert out.summaries["multiturn-last"]["requests"] == 2
    assert all(r.ttft is not None and r.completion_tokens > 0 for r in out.results["sweep-1"])
    # Turn 2 of each user sends the whole history: system, user, assistant, user.
    assert any("Echo" in r.text for r in out.results["multiturn"])
    path = tmp_path / "bench.json"
    save(path, [out], config, {})
    saved = json.loads(path.read_text())
    assert saved["targets"][0]["summaries"]["sweep-1"]["completed"] == 1


def test_chart_is_written(tmp_path: Path) -> None:
    summary = summarize([result(0.0, 0.5, 1.0, 10)])
    path = tmp_path / "chart.png"
    assert write_chart(path, {"eclair": {1: summary, 2: summary}}) is None
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_overflow_runs_distinct_users_and_samples_saved_state_memory(settings) -> None:  # type: ignore[no-untyped-def]
    from eclair.api.app import create_app

    engine = FakeEngine(token_delay_s=0.002)
    config = BenchConfig(scenarios=("overflow",), turns=2, turn_tokens=16, overflow_users=5)
    with (
        LiveServer(create_app(settings, engine)) as server,
        Progress(console=Console(quiet=True)) as progress,
    ):
        out = asyncio.run(run_scenarios("fake", server.url, config, progress))
    assert out.summaries["overflow"]["completed"] == 10
    assert out.summaries["overflow-last"]["requests"] == 5
    first_turns = {r.text for r in out.results["overflow"] if r.extra["turn"] == 0}
    assert len(first_turns) == 5  # every user introduced themself: no two histories alike
    assert out.extra["saved_state_peak_bytes"] == {"ram": 0.0, "disk": 0.0, "total": 0.0}


def test_overflow_comparisons_match_requests_by_label() -> None:
    def target(name: str, ttft: float, texts: list[str]) -> TargetResult:
        results = [StreamResult(f"u{i}-t1", sent=0.0, first=ttft, text=t) for i, t in enumerate(texts)]
        return TargetResult(
            name, summaries={"overflow-last": {"ttft_s": {"p50": ttft}}}, results={"overflow": results}
        )

    done = [
        target("eclair", 0.2, ["a", "b", "c", "d"]),
        target("eclair-no-state", 0.8, ["a", "b", "x", "d"]),
        target("eclair-2x-slots", 0.3, ["a", "b", "c", "d"]),
    ]
    ratios = comparisons(done)
    assert ratios["overflow_last_turn_ttft_vs_no_state"] == pytest.approx(0.25)
    assert ratios["overflow_identical_vs_no_state"] == pytest.approx(0.75)
    assert ratios["overflow_identical_vs_2x_slots"] == 1.0
    assert "overflow_identical_vs_state_disk" not in ratios


def test_routes_uploads_a_knowledge_base_and_files_results_by_answering_route(tmp_path: Path) -> None:
    from eclair.api.app import create_app
    from eclair.bench.routes import knowledge_documents
    from eclair.config import Settings

    documents = knowledge_documents(50)
    assert len({d.filename for d in documents}) == 50
    settings = Settings(backend="fake", data_dir=tmp_path / "data", knowledge_dense=False, _env_file=None)  # type: ignore[call-arg]
    config = BenchConfig(scenarios=("routes",), documents=50, per_route=3, turn_tokens=24)
    with (
        LiveServer(create_app(settings, FakeEngine())) as server,
        Progress(console=Console(quiet=True)) as progress,
    ):
        out = asyncio.run(run_scenarios("eclair", server.url, config, progress))
        listed = asyncio.run(_count_files(server.url))
    assert listed == 50
    results = out.results["routes"]
    assert len(results) == 12 and all(r.ok for r in results)
    by_route = {r.extra["intended"]: r.extra["route"] for r in results}
    assert by_route["computed"] == "computed" and by_route["grounded"] == "grounded"
    grounded = out.summaries["routes-grounded"]
    assert grounded["completed"] >= 3 and grounded["ttft_s"]["p50"] is not None
    assert out.summaries["routes-computed"]["completed"] >= 3
    ratios = comparisons([out])
    assert ratios["routes_grounded_ttft_p50_s"] == grounded["ttft_s"]["p50"]


async def _count_files(base: str) -> int:
    import httpx

    async with httpx.AsyncClient() as client:
        return len((await client.get(f"{base}/v1/files")).json()["data"])
