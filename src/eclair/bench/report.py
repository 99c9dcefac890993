"""Figures from timed requests: percentiles, aggregate throughput, tables, JSON and a chart.

:func:`summarize` turns a list of :class:`~eclair.bench.client.StreamResult` into the numbers a
reader compares: how many completed, TTFT / output speed / end-to-end latency at p50, p90 and
p99, and aggregate throughput (all completion tokens over the wall time from the first request
sent to the last byte received). The chart needs matplotlib (``pip install matplotlib``); without
it the PNG is skipped with a note, everything else still works.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eclair.bench.client import StreamResult


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _spread(values: list[float]) -> dict[str, float | None]:
    return {f"p{q}": percentile(values, q) for q in (50, 90, 99)}


def summarize(results: Sequence[StreamResult]) -> dict[str, Any]:
    ok = [r for r in results if r.ok]
    tokens = sum(r.completion_tokens for r in ok)
    starts = [r.sent for r in results]
    ends = [r.done for r in results if r.done is not None]
    wall = (max(ends) - min(starts)) if starts and ends else 0.0
    return {
        "requests": len(results),
        "completed": len(ok),
        "completion_tokens": tokens,
        "wall_s": wall,
        "aggregate_tps": tokens / wall if wall > 0 else None,
        "ttft_s": _spread([r.ttft for r in ok if r.ttft is not None]),
        "output_tps": _spread([r.output_speed for r in ok if r.output_speed is not None]),
        "latency_s": _spread([r.latency for r in ok if r.latency is not None]),
        "errors": sorted({r.error for r in results if r.error})[:5],
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def print_table(console: Console, title: str, rows: dict[str, dict[str, Any]]) -> None:
    """One row per (server, scenario) summary."""
    table = Table(title=title)
    for column in ("run", "done", "agg tok/s", "TTFT p50", "TTFT p90", "TTFT p99", "speed p50", "E2E p50"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, s in rows.items():
        table.add_row(
            name,
            f"{s['completed']}/{s['requests']}",
            _fmt(s["aggregate_tps"], 1),
            _fmt(s["ttft_s"]["p50"]),
            _fmt(s["ttft_s"]["p90"]),
            _fmt(s["ttft_s"]["p99"]),
            _fmt(s["output_tps"]["p50"], 1),
            _fmt(s["latency_s"]["p50"]),
        )
    console.print(table)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")


def write_chart(path: Path, sweep: dict[str, dict[int, dict[str, Any]]]) -> str | None:
    """Aggregate tok/s and median TTFT against concurrency, one line per server.

    Returns a note when the chart cannot be drawn, else None.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no chart (pip install matplotlib)"
    if not sweep:
        return "no concurrency sweep: no chart"
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for server, levels in sweep.items():
        xs = sorted(levels)
        left.plot(xs, [levels[x]["aggregate_tps"] or 0 for x in xs], marker="o", label=server)
        right.plot(xs, [levels[x]["ttft_s"]["p50"] or 0 for x in xs], marker="o", label=server)
    left.set(title="Aggregate output tokens/s", xlabel="concurrent streams", ylabel="tokens/s")
    right.set(title="Median time to first token", xlabel="concurrent streams", ylabel="seconds")
    for axis in (left, right):
        axis.grid(alpha=0.3)
        axis.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None
