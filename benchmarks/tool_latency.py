"""End-to-end latency of tool-routed answers (calculator, units, dates, premise checks).

In process (default), each question goes through ``AnswerPipeline.stream`` with the fake
engine, and the clock runs from the call to the ``Finished`` event: routing, computing,
wording and streaming. With ``--url``, the same questions go to a running server's
``/v1/chat/completions`` with ``model: "eclair"`` (``--stream`` for SSE), and the clock runs
from sending the request to receiving the whole answer. The acceptance target is well
under 50 ms per tool answer. Prints p50/p90/p99/max in milliseconds per route and overall.

    .venv/bin/python benchmarks/tool_latency.py [--rounds 20]
    .venv/bin/python benchmarks/tool_latency.py --url http://127.0.0.1:8000 [--stream] [--api-key KEY]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import defaultdict
from datetime import date

import httpx

from eclair.answer.pipeline import AnswerPipeline
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, Finished, SamplingParams

QUESTIONS: list[tuple[str, str]] = [
    ("calculator", "What is 17 × 23?"),
    ("calculator", "combien font trois fois dix-sept ?"),
    ("calculator", "What's 12.5% of 360?"),
    ("calculator", "Quelle est la racine carrée de 169 ?"),
    ("calculator", "2 to the power of 64"),
    ("calculator", "9**9**9**9"),
    ("calculator", "how many seconds in 3 hours"),
    ("calculator", "100 °F en °C"),
    ("date", "What day of the week was 14 July 1789?"),
    ("date", "combien de jours entre le 1er mars 2024 et le 25 décembre 2024 ?"),
    ("date", "quelle date serons-nous dans 100 jours ?"),
    ("premise", "What is the square root of a goat?"),
    ("premise", "Combien pèsent les œufs de taureau ?"),
    ("premise", "When did Napoleon walk on the Moon?"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def in_process(rounds: int) -> dict[str, list[float]]:
    pipeline = AnswerPipeline(FakeEngine(), None, today=lambda: date(2026, 1, 15))
    params = SamplingParams()
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for route, question in QUESTIONS:
            start = time.perf_counter()
            stream = pipeline.stream([ChatMessage("user", question)], params)
            async for event in stream.events:
                if isinstance(event, Finished):
                    break
            elapsed = (time.perf_counter() - start) * 1000
            if stream.info.route != route:
                raise SystemExit(f"{question!r} went to {stream.info.route}, expected {route}")
            timings[route].append(elapsed)
    return timings


def over_http(url: str, rounds: int, stream: bool, api_key: str | None) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    timings: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for _ in range(rounds):
            for route, question in QUESTIONS:
                body = {
                    "model": "eclair",
                    "messages": [{"role": "user", "content": question}],
                    "stream": stream,
                }
                start = time.perf_counter()
                if stream:
                    with client.stream("POST", "/v1/chat/completions", json=body) as response:
                        response.raise_for_status()
                        for _line in response.iter_lines():
                            pass
                else:
                    response = client.post("/v1/chat/completions", json=body)
                    response.raise_for_status()
                    json.loads(response.text)
                timings[route].append((time.perf_counter() - start) * 1000)
    return timings


def report(timings: dict[str, list[float]], label: str) -> None:
    print(f"tool-routed answers, {label} (ms)")
    print(f"{'route':<12}{'n':>6}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    everything = [t for values in timings.values() for t in values]
    for name, values in [*sorted(timings.items()), ("all", everything)]:
        print(
            f"{name:<12}{len(values):>6}{statistics.median(values):>9.3f}{percentile(values, 0.9):>9.3f}"
            f"{percentile(values, 0.99):>9.3f}{max(values):>9.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--url", help="a running `eclair serve`; omit to measure in process")
    parser.add_argument("--stream", action="store_true", help="use SSE streaming over HTTP")
    parser.add_argument("--api-key")
    args = parser.parse_args()
    if args.url:
        report(over_http(args.url, args.rounds, args.stream, args.api_key), f"HTTP {args.url}")
    else:
        report(asyncio.run(in_process(args.rounds)), "in process (AnswerPipeline.stream to Finished)")


if __name__ == "__main__":
    main()
