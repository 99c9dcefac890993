"""``eclair bench``: speed figures against OpenAI-compatible servers, side by side in one run.

    eclair bench --url http://127.0.0.1:8000              # a server already running
    eclair bench --start eclair,llama-cpp-python          # start each in turn, same GGUF and threads
    eclair bench --start eclair,eclair-no-prefix --scenario multiturn
    eclair bench --start eclair --ceiling                 # plus the in-process batched ceiling
    eclair bench --start eclair,eclair-no-state --scenario overflow   # 16 users on 8 slots
    eclair bench --start eclair --scenario routes         # TTFT per answer route, 50 documents

Results go to a JSON file (every request's timings, the summaries, and the comparison ratios)
and, with matplotlib installed, a PNG chart of the concurrency sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from eclair.bench.report import print_table, write_chart
from eclair.bench.run import DEFAULT_SCENARIOS, SCENARIOS, BenchConfig, comparisons, run_targets, save
from eclair.bench.servers import ServerSpec, server_specs

console = Console()


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def bench_command(
    url: Annotated[list[str] | None, typer.Option(help="Base URL of a running server (repeatable).")] = None,
    start: Annotated[
        str,
        typer.Option(
            help="Servers to start in turn: eclair, eclair-no-prefix, eclair-no-spec, eclair-no-state, "
            "eclair-state-disk, eclair-2x-slots, llama-cpp-python, llama-server; NAME:SCENARIO+SCENARIO "
            "limits a server to some scenarios."
        ),
    ] = "",
    scenario: Annotated[
        str,
        typer.Option(help=f"Comma-separated: {', '.join(SCENARIOS)} (default: all but overflow and routes)."),
    ] = ",".join(DEFAULT_SCENARIOS),
    ceiling: Annotated[bool, typer.Option(help="Also run the in-process batched ceiling.")] = False,
    model: Annotated[Path | None, typer.Option(help="GGUF for started servers (default: bundled).")] = None,
    threads: Annotated[int, typer.Option(help="Threads of started servers.")] = 2,
    n_slots: Annotated[int, typer.Option(help="Parallel slots of started servers.")] = 8,
    ctx_size: Annotated[int, typer.Option(help="Context per slot of started servers.")] = 4096,
    levels: Annotated[str, typer.Option(help="Concurrency levels of the sweep.")] = "1,2,4,8",
    max_tokens: Annotated[int, typer.Option(help="Answer length in the sweep and Poisson runs.")] = 128,
    poisson_rate: Annotated[float, typer.Option(help="Poisson arrivals per second.")] = 0.5,
    poisson_requests: Annotated[int, typer.Option(help="Requests in the Poisson run.")] = 16,
    users: Annotated[int, typer.Option(help="Users in the multi-turn run.")] = 4,
    turns: Annotated[int, typer.Option(help="Turns per user in the multi-turn run.")] = 6,
    turn_tokens: Annotated[int, typer.Option(help="Answer length of each turn.")] = 48,
    overflow_users: Annotated[
        int, typer.Option(help="Users in the overflow run (more than the slots).")
    ] = 16,
    documents: Annotated[int, typer.Option(help="Documents uploaded for the routes run.")] = 50,
    llama_server: Annotated[
        Optional[Path], typer.Option(help="Path of a native llama-server binary to compare with.")  # noqa: UP045
    ] = None,
    out: Annotated[Path, typer.Option(help="JSON results file.")] = Path("artifacts/bench.json"),
    chart: Annotated[Path, typer.Option(help="PNG chart of the sweep.")] = Path("artifacts/bench.png"),
) -> None:
    """Benchmark OpenAI-compatible servers: TTFT, output speed, latency, throughput."""
    from eclair.config import Settings

    chosen = tuple(_csv(scenario))
    unknown = sorted(set(chosen) - set(SCENARIOS))
    if unknown:
        raise typer.BadParameter(f"unknown scenario(s): {', '.join(unknown)}")
    config = BenchConfig(
        scenarios=chosen,
        levels=tuple(int(x) for x in _csv(levels)),
        max_tokens=max_tokens,
        poisson_rate=poisson_rate,
        poisson_requests=poisson_requests,
        users=users,
        turns=turns,
        turn_tokens=turn_tokens,
        spec_tokens=max_tokens,
        overflow_users=overflow_users,
        documents=documents,
    )
    model_path = model or Settings(model=None).model_path()
    specs = server_specs(
        model_path, threads=threads, n_slots=n_slots, ctx_size=ctx_size, llama_server=llama_server
    )
    targets: list[tuple[str, str | ServerSpec, tuple[str, ...]]] = [(u, u, ()) for u in url or []]
    for item in _csv(start):
        name, _, only = item.partition(":")
        if name not in specs:
            raise typer.BadParameter(f"unknown server {name!r}; choose from {', '.join(specs)}")
        targets.append((name, specs[name], tuple(only.split("+")) if only else ()))
    if not targets and not ceiling:
        raise typer.BadParameter("give --url, --start or --ceiling")
    ceiling_figures: dict[str, Any] | None = None
    if ceiling:
        from eclair.bench.ceiling import batched_ceiling

        top = max(config.levels)
        console.print(f"in-process ceiling: {top} sequences × {max_tokens} tokens …")
        ceiling_figures = batched_ceiling(model_path, sequences=top, max_tokens=max_tokens, threads=threads)
        console.print(
            f"ceiling: decode {ceiling_figures['decode_tps']:.1f} tok/s, "
            f"overall {ceiling_figures['overall_tps']:.1f} tok/s"
        )
    done = run_targets(
        targets,
        config,
        console,
        ceiling=ceiling_figures,
        checkpoint=lambda partial: save(out, partial, config, comparisons(partial, max(config.levels))),
    )
    for target in done:
        if target.summaries:
            print_table(console, target.name, target.summaries)
    ratios = comparisons(done, top_level=max(config.levels))
    for key, value in ratios.items():
        console.print(f"{key}: [bold]{value:.3f}[/]")
    save(out, done, config, ratios)
    sweep = {
        t.name: {int(k.split("-")[1]): s for k, s in t.summaries.items() if k.startswith("sweep-")}
        for t in done
        if any(k.startswith("sweep-") for k in t.summaries)
    }
    note = write_chart(chart, sweep)
    console.print(f"results: {out}" + (f"; {note}" if note else f"; chart: {chart}"))
