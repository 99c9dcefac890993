"""The ``eclair bench`` run: targets × scenarios, then the comparisons that matter.

A *target* is either a URL the user gives (any OpenAI-compatible server) or a server that the
run starts itself (:mod:`eclair.bench.servers`), one at a time, so that all figures come from
one run on the same machine. The pseudo-target ``ceiling`` runs the in-process batched ceiling
(:mod:`eclair.bench.ceiling`) in the same run.

Scenarios (:mod:`eclair.bench.scenarios`): ``sweep`` (concurrency 1/2/4/8), ``poisson``,
``multiturn`` (users × turns interleaved), ``overflow`` (the same with ``overflow_users``
distinct users, twice the default slots: conversations evicted from their slot and coming back;
Éclair's saved-state memory is sampled from ``/metrics`` during the run), ``speculation``
(single stream on grounded and open prompts) and ``routes`` (Éclair's assistant: a knowledge
base of ``documents`` uploaded, then computed, grounded, encyclopedia and model questions one at
a time, figures per answering route: :mod:`eclair.bench.routes`). After all targets ran, :func:`comparisons` computes the ratios of the flash
engine's acceptance criteria from whichever targets are present.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from eclair.bench import routes, scenarios
from eclair.bench.client import StreamResult, stream_chat
from eclair.bench.prompts import GROUNDED_PROMPTS, OPEN_PROMPTS, USER_NAMES
from eclair.bench.report import summarize
from eclair.bench.servers import ServerSpec, model_id, running

SCENARIOS = ("sweep", "poisson", "multiturn", "overflow", "speculation", "routes")
#: Routes the ``routes`` scenario reports, in its terms (:mod:`eclair.bench.routes`).
ROUTES = ("computed", "grounded", "encyclopedia", "model", "abstain")
#: Scenarios run only when asked for (``--scenario``).
DEFAULT_SCENARIOS = ("sweep", "poisson", "multiturn", "speculation")


@dataclass
class BenchConfig:
    scenarios: tuple[str, ...] = DEFAULT_SCENARIOS
    levels: tuple[int, ...] = (1, 2, 4, 8)
    max_tokens: int = 128
    poisson_rate: float = 0.5
    poisson_requests: int = 16
    users: int = 4
    turns: int = 6
    turn_tokens: int = 48
    spec_tokens: int = 128
    overflow_users: int = 16
    documents: int = 50
    per_route: int = 8


@dataclass
class TargetResult:
    name: str
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, list[StreamResult]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summaries": self.summaries,
            "extra": self.extra,
            "error": self.error,
            "requests": {k: [r.to_json() for r in v] for k, v in self.results.items()},
        }


def _planned(config: BenchConfig) -> int:
    counts = {
        "sweep": sum(config.levels),
        "poisson": config.poisson_requests,
        "multiturn": config.users * config.turns,
        "overflow": config.overflow_users * config.turns,
        "speculation": len(GROUNDED_PROMPTS) + len(OPEN_PROMPTS),
        "routes": len(routes.questions(routes.knowledge_documents(config.documents), config.per_route)),
    }
    return sum(counts[s] for s in config.scenarios)


async def run_scenarios(name: str, base: str, config: BenchConfig, progress: Progress) -> TargetResult:
    out = TargetResult(name)
    task = progress.add_task(name, total=_planned(config))
    tick = lambda: progress.advance(task)  # noqa: E731
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=None) as client:
        model = await model_id(client, base)
        await stream_chat(client, base, model, [{"role": "user", "content": "Hi"}], max_tokens=8)  # warm-up

        def keep(key: str, results: list[StreamResult]) -> None:
            out.results[key] = results
            out.summaries[key] = summarize(results)

        if "sweep" in config.scenarios:
            for level in config.levels:
                keep(f"sweep-{level}", await scenarios.concurrency_wave(
                    client, base, model, concurrency=level, prompts=OPEN_PROMPTS,
                    max_tokens=config.max_tokens, tick=tick,
                ))  # fmt: skip
        if "poisson" in config.scenarios:
            keep("poisson", await scenarios.poisson_arrivals(
                client, base, model, rate=config.poisson_rate, requests=config.poisson_requests,
                prompts=OPEN_PROMPTS, max_tokens=config.max_tokens, tick=tick,
            ))  # fmt: skip
        if "multiturn" in config.scenarios:
            results = await scenarios.multiturn(
                client, base, model, users=config.users, turns=config.turns,
                max_tokens=config.turn_tokens, tick=tick,
            )  # fmt: skip
            keep("multiturn", results)
            last = [r for r in results if r.extra.get("turn") == config.turns - 1]
            keep("multiturn-last", last)
        if "overflow" in config.scenarios:
            async with _sampling_memory(client, base) as peak:
                results = await scenarios.multiturn(
                    client, base, model, users=config.overflow_users, turns=config.turns,
                    max_tokens=config.turn_tokens, tick=tick, names=USER_NAMES,
                )  # fmt: skip
            keep("overflow", results)
            keep("overflow-last", [r for r in results if r.extra.get("turn") == config.turns - 1])
            out.extra["saved_state_peak_bytes"] = peak
        if "speculation" in config.scenarios:
            for key, prompts in (("grounded", GROUNDED_PROMPTS), ("open", OPEN_PROMPTS)):
                keep(key, await scenarios.sequential(
                    client, base, model, prompts=prompts, max_tokens=config.spec_tokens, tick=tick, label=key,
                ))  # fmt: skip
        if "routes" in config.scenarios:
            documents = routes.knowledge_documents(config.documents)
            await routes.upload(client, base, documents)
            results = await routes.routes(
                client, base, routes.questions(documents, config.per_route),
                max_tokens=config.turn_tokens, tick=tick,
            )  # fmt: skip
            keep("routes", results)
            for route in ROUTES:
                answered = [r for r in results if r.extra.get("route") == route]
                if answered:
                    keep(f"routes-{route}", answered)
        try:  # Éclair publishes its engine counters in Prometheus text at /metrics
            metrics = await client.get(f"{base}/metrics", timeout=5)
            if metrics.status_code == 200:
                lines = metrics.text.splitlines()
                out.extra["engine_metrics"] = [x for x in lines if "engine" in x and not x.startswith("#")]
        except httpx.HTTPError:
            pass
    return out


_STATE_GAUGES = ("eclair_engine_saved_state_ram_bytes", "eclair_engine_saved_state_disk_bytes")


async def _metric_sum(
    client: httpx.AsyncClient, base: str, names: tuple[str, ...]
) -> dict[str, float] | None:
    """The values of Prometheus samples ``names`` (summed over labels), None without /metrics."""
    try:
        response = await client.get(f"{base}/metrics", timeout=5)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    totals = dict.fromkeys(names, 0.0)
    for line in response.text.splitlines():
        name, _, rest = line.partition("{")
        if name in totals:
            totals[name] += float(rest.rsplit(" ", 1)[-1])
    return totals


@contextlib.asynccontextmanager
async def _sampling_memory(client: httpx.AsyncClient, base: str) -> AsyncIterator[dict[str, float]]:
    """Samples the saved-state gauges twice a second; the dict yielded holds their peaks (RAM,
    disk, and their sum) once the block ends (empty when the server publishes none)."""
    peak: dict[str, float] = {}

    async def sample() -> None:
        while True:
            values = await _metric_sum(client, base, _STATE_GAUGES)
            if values is None:
                return
            ram, disk = values[_STATE_GAUGES[0]], values[_STATE_GAUGES[1]]
            for key, value in (("ram", ram), ("disk", disk), ("total", ram + disk)):
                peak[key] = max(peak.get(key, 0.0), value)
            await asyncio.sleep(0.5)

    task = asyncio.create_task(sample())
    try:
        yield peak
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def run_targets(
    targets: list[tuple[str, str | ServerSpec, tuple[str, ...]]],
    config: BenchConfig,
    console: Console,
    *,
    ceiling: dict[str, Any] | None = None,
    checkpoint: Callable[[list[TargetResult]], None] | None = None,
) -> list[TargetResult]:
    """Run the chosen scenarios against each target in turn (starting/stopping servers).

    Each target carries its own scenario list (empty: all of ``config.scenarios``);
    ``checkpoint`` gets the results so far after each target (long runs keep partial figures).
    """
    done: list[TargetResult] = (
        [] if ceiling is None else [TargetResult("ceiling", extra={"ceiling": ceiling})]
    )
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        for name, target, only in targets:
            own = replace(config, scenarios=tuple(s for s in config.scenarios if not only or s in only))
            try:
                if isinstance(target, ServerSpec):
                    progress.console.print(f"starting [bold]{name}[/] …")
                    with running(target) as base:
                        done.append(asyncio.run(run_scenarios(name, base, own, progress)))
                else:
                    done.append(asyncio.run(run_scenarios(name, target, own, progress)))
            except Exception as exc:  # one broken target must not lose the others' figures
                progress.console.print(f"[red]{name} failed:[/] {exc}")
                done.append(TargetResult(name, error=str(exc)))
            if checkpoint is not None:
                checkpoint(done)
    return done


def _get(results: dict[str, TargetResult], name: str, key: str, *path: str) -> float | None:
    target = results.get(name)
    value: Any = target.summaries.get(key) if target else None
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def comparisons(done: list[TargetResult], top_level: int = 8) -> dict[str, Any]:
    """The acceptance ratios of the flash engine, from whichever targets ran."""
    by_name = {t.name: t for t in done}
    sweep = f"sweep-{top_level}"
    agg = lambda name: _get(by_name, name, sweep, "aggregate_tps")  # noqa: E731
    last_ttft = lambda name: _get(by_name, name, "multiturn-last", "ttft_s", "p50")  # noqa: E731
    ceiling = by_name.get("ceiling")
    ceiling_tps = ceiling.extra["ceiling"]["overall_tps"] if ceiling else None
    out: dict[str, Any] = {
        f"aggregate_tps_c{top_level}_vs_llama_cpp_python": _ratio(agg("eclair"), agg("llama-cpp-python")),
        f"aggregate_tps_c{top_level}_vs_ceiling": _ratio(agg("eclair"), ceiling_tps),
        f"aggregate_tps_c{top_level}_vs_llama_server": _ratio(agg("eclair"), agg("llama-server")),
        "last_turn_ttft_vs_no_prefix": _ratio(last_ttft("eclair"), last_ttft("eclair-no-prefix")),
        "last_turn_ttft_vs_llama_cpp_python": _ratio(last_ttft("eclair"), last_ttft("llama-cpp-python")),
        "last_turn_ttft_vs_llama_server": _ratio(last_ttft("eclair"), last_ttft("llama-server")),
    }
    overflow_ttft = lambda name: _get(by_name, name, "overflow-last", "ttft_s", "p50")  # noqa: E731
    out["overflow_last_turn_ttft_vs_no_state"] = _ratio(
        overflow_ttft("eclair"), overflow_ttft("eclair-no-state")
    )
    out["overflow_last_turn_ttft_disk_vs_no_state"] = _ratio(
        overflow_ttft("eclair-state-disk"), overflow_ttft("eclair-no-state")
    )
    for other in ("eclair-no-state", "eclair-state-disk", "eclair-2x-slots"):
        out[f"overflow_identical_vs_{other.removeprefix('eclair-').replace('-', '_')}"] = _identical(
            by_name, "eclair", other, "overflow"
        )
    for route in ROUTES:  # absolute figures (seconds), Éclair's assistant only
        out[f"routes_{route}_ttft_p50_s"] = _get(by_name, "eclair", f"routes-{route}", "ttft_s", "p50")
        out[f"routes_{route}_latency_p50_s"] = _get(by_name, "eclair", f"routes-{route}", "latency_s", "p50")
        out[f"routes_{route}_latency_p99_s"] = _get(by_name, "eclair", f"routes-{route}", "latency_s", "p99")
    pair = ("eclair-cold", "eclair-cold-no-spec")
    if not all(name in by_name for name in pair):
        pair = ("eclair", "eclair-no-spec")
    for kind in ("grounded", "open"):
        on = _get(by_name, pair[0], kind, "output_tps", "p50")
        off = _get(by_name, pair[1], kind, "output_tps", "p50")
        out[f"speculation_speedup_{kind}"] = _ratio(on, off)
        if all(name in by_name for name in pair):
            a = by_name[pair[0]].results.get(kind, [])
            b = by_name[pair[1]].results.get(kind, [])
            same = [x.text == y.text for x, y in zip(a, b, strict=False) if x.ok and y.ok]
            out[f"speculation_identical_{kind}"] = statistics.mean(same) if same else None
    return {k: v for k, v in out.items() if v is not None}


def _identical(by_name: dict[str, TargetResult], a: str, b: str, key: str) -> float | None:
    """Share of requests (matched by label) whose texts are equal in both targets' ``key`` run."""
    if a not in by_name or b not in by_name:
        return None
    theirs = {r.label: r for r in by_name[b].results.get(key, []) if r.ok}
    same = [
        r.text == theirs[r.label].text for r in by_name[a].results.get(key, []) if r.ok and r.label in theirs
    ]
    return statistics.mean(same) if same else None


def save(path: Path, done: list[TargetResult], config: BenchConfig, ratios: dict[str, Any]) -> None:
    from eclair.bench.report import write_json

    write_json(
        path,
        {"config": config.__dict__, "comparisons": ratios, "targets": [t.to_json() for t in done]},
    )
