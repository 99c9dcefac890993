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
