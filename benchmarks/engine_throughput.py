"""The flash engine's throughput in one process: N greedy streams at once, no HTTP, no server.

    PYTHONPATH=src .venv/bin/python benchmarks/engine_throughput.py [--streams 8] [--max-tokens 128]

Starts :class:`~eclair.engine.llama_cpp.LlamaCppEngine` on the bundled model (prefix reuse
off, so every round prefills), then runs ``--rounds`` rounds of ``--streams`` chat requests
sent together, each generating exactly ``--max-tokens`` tokens (end-of-generation is not
reachable: ``max_tokens`` is the limit and stop strings are none, but a model may still end
early; the count is what it really generated). Reported per round and as the median:
aggregate generated tokens per second, from sending to the last stream's end (prefill
included), and the process's CPU milliseconds per generated token (less sensitive than wall
time to other work on a shared machine), with speculation on (the default) and off.

It uses only the engine's public API, so the same file measures two checkouts alike: run it
with ``PYTHONPATH=<other checkout>/src`` for the "before" figure, in alternation with the
"after" one, on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from eclair.bench.prompts import OPEN_PROMPTS
from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams


async def _round(
    engine: LlamaCppEngine, streams: int, max_tokens: int, speculative: bool
) -> tuple[float, float]:
    params = SamplingParams(temperature=0.0, max_tokens=max_tokens, speculative=speculative)
    prompts = [
        engine.render_chat([ChatMessage("user", OPEN_PROMPTS[i % len(OPEN_PROMPTS)])]) for i in range(streams)
    ]

    async def one(prompt: str) -> int:
        async for event in engine.generate(GenerationRequest(prompt, params)):
            if isinstance(event, Finished):
                return event.usage.completion_tokens
        return 0

    started, cpu = time.perf_counter(), time.process_time()
    tokens = sum(await asyncio.gather(*(one(p) for p in prompts)))
    return tokens / (time.perf_counter() - started), (time.process_time() - cpu) * 1000 / tokens


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    engine = LlamaCppEngine(
        bundled_model_path(),
        model_id="bench",
        threads=args.threads,
        n_slots=args.streams,
        context_size=1024,
        prefix_cache=False,
    )
    await engine.start()
    try:
        await _round(engine, args.streams, 8, True)  # warm-up
        figures: dict[str, Any] = {}
        for speculative in (True, False):
            runs = [
                await _round(engine, args.streams, args.max_tokens, speculative) for _ in range(args.rounds)
            ]
            key = "speculation_on" if speculative else "speculation_off"
            figures[key] = {
                "tokens_per_s": round(statistics.median(r for r, _ in runs), 1),
                "cpu_ms_per_token": round(statistics.median(c for _, c in runs), 3),
                "rounds": [round(r, 1) for r, _ in runs],
            }
        return figures
    finally:
        await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args)), indent=2))


if __name__ == "__main__":
    main()
