"""Disconnects free the engine: 100 streaming clients go away mid-stream; how fast is it idle?

    .venv/bin/python benchmarks/cancellation.py [--clients 100] [--hold 2.0]

Starts ``eclair serve`` (bundled model, 8 slots, queue of 64), opens ``--clients`` streaming chat
completions at once, keeps them for ``--hold`` seconds after every client got its answer (the first 8
decode, 64 wait, the rest get 503 + Retry-After) and the first 8 are mid-stream, then drops every connection and polls ``/metrics`` until the engine reports
0 active slots and an empty queue. Acceptance: idle within 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import httpx

from eclair.bench.servers import model_id, running, server_specs
from eclair.config import bundled_model_path

streaming: set[str] = set()


async def client(http: httpx.AsyncClient, base: str, model: str, i: int, counts: dict[str, int]) -> None:
    body = {
        "model": model,
        "messages": [{"role": "user", "content": f"Tell me a long story about the number {i}."}],
        "max_tokens": 400,
        "stream": True,
    }
    async with http.stream("POST", f"{base}/v1/chat/completions", json=body) as response:
        counts[str(response.status_code)] = counts.get(str(response.status_code), 0) + 1
        if response.status_code == 503:
            counts["retry_after"] = int(response.headers.get("retry-after", "0"))
            return
        async for line in response.aiter_lines():
            if '"content":"' in line and '"content":""' not in line and str(i) not in streaming:
                streaming.add(str(i))  # mid-stream: text has arrived


def engine_gauges(base: str) -> dict[str, float]:
    text = httpx.get(f"{base}/metrics", timeout=5).text
    wanted = ("eclair_engine_active_slots", "eclair_engine_queue_depth")
    return {
        line.split("{")[0].split(" ")[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(wanted)
    }


async def run(base: str, clients: int, hold: float) -> dict[str, object]:
    counts: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients + 8)
    async with httpx.AsyncClient(timeout=None, limits=limits) as http:
        model = await model_id(http, base)
        tasks = [asyncio.create_task(client(http, base, model, i, counts)) for i in range(clients)]
        # Every client has its answer (a stream or a 503) and the decoding ones have text, then `hold`.
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and (
            sum(v for k, v in counts.items() if k.isdigit()) < clients
            or len(streaming) < min(8, counts.get("200", 0))
        ):
            await asyncio.sleep(0.05)
        await asyncio.sleep(hold)
        busy_before = engine_gauges(base)
        dropped = time.perf_counter()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    timeline: list[tuple[float, float, float]] = []
    while True:
        gauges = engine_gauges(base)
        timeline.append(
            (
                round(time.perf_counter() - dropped, 3),
                gauges.get("eclair_engine_active_slots", -1),
                gauges.get("eclair_engine_queue_depth", -1),
            )
        )
        if (
            gauges.get("eclair_engine_active_slots", 1) == 0
            and gauges.get("eclair_engine_queue_depth", 1) == 0
        ):
            break
        if time.perf_counter() - dropped > 30:
            break
        await asyncio.sleep(0.02)
    return {
        "clients": clients,
        "statuses": counts,
        "before_disconnect": busy_before,
        "after": gauges,
        "streams_with_text": len(streaming),
        "seconds_to_idle": time.perf_counter() - dropped,
        "timeline": timeline[:: max(1, len(timeline) // 20)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--hold", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("artifacts/cancellation.json"))
    args = parser.parse_args()
    spec = server_specs(bundled_model_path(), threads=args.threads, n_slots=8, ctx_size=4096)["eclair"]
    with running(spec) as base:
        result = asyncio.run(run(base, args.clients, args.hold))
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
