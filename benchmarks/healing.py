"""The engine heals itself (issue 12): requests under injected faults; none may hang.

    PYTHONPATH=src .venv/bin/python benchmarks/healing.py [--requests 200] [--concurrency 8] [--every 20]

The flash engine on the bundled model (``--concurrency`` slots), its runtime wrapped by the
tests' :class:`~tests.engine.faults.FaultyRuntime`: every ``--every``-th ``llama_decode`` is
replaced by the next fault of a cycle — the scheduler loop killed (an exception nothing in the
loop catches), ``NO_KV_SLOT`` (no room in the KV cache), a failed decode (code -3), an
exception from decode, an admission that raises. ``--concurrency`` clients send
``--requests`` greedy chat requests back to back, each awaited under a hang detector of
``--hang-s`` seconds. Each request ends in one of:

- answered: the stream ended with ``Finished``;
- clean error: an :class:`~eclair.errors.EclairError` from the stream (its batch failed, or
  the loop was killed under it), or ``Overloaded`` with ``retry_after`` when it was sent while
  the engine was rebuilding;
- hung: nothing within ``--hang-s`` (target: 0).

Also reported: restarts (from the engine's own counter), how long after each kill the
restart was seen and the engine ready again, how many answers ended after each restart (before
the next one), and the wall time. Results in ``--json`` (``artifacts/healing.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from eclair.engine.llama_runtime import NO_KV_SLOT
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams
from eclair.errors import EclairError, Overloaded

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.engine.faults import ADMISSION, FaultyEngine, LoopKilled

QUESTIONS = (
    "What is the capital of France?",
    "List three fruits.",
    "Write a haiku about rain.",
    "Explain what a bicycle is.",
    "Name two planets.",
)


async def scenario(args: argparse.Namespace) -> dict[str, Any]:
    built = FaultyEngine(n_slots=args.concurrency, threads=args.threads, context_size=512)
    engine = built.engine
    await engine.start()
    runtime = built.runtime
    params = SamplingParams(temperature=0.0, max_tokens=args.max_tokens, speculative=False)
    prompts = [engine.render_chat([ChatMessage("user", q)]) for q in QUESTIONS]
    outcomes: Counter[str] = Counter()
    ended: list[tuple[float, str]] = []  # (when, outcome) per request
    kills: list[float] = []
    restarts: list[tuple[float, float | None]] = []  # (seen, ready again)

    async def one(i: int) -> str:
        async def consume() -> str:
            async for event in engine.generate(GenerationRequest(prompts[i % len(prompts)], params)):
                if isinstance(event, Finished):
                    return "answered"
            return "ended without Finished"

        try:
            return await asyncio.wait_for(consume(), args.hang_s)
        except TimeoutError:
            return "hung"
        except Overloaded:
            return "refused (503, retry_after)"
        except EclairError:
            return "clean error"

    pending = iter(range(args.requests))

    async def client() -> None:
        for i in pending:
            result = await one(i)
            outcomes[result] += 1
            ended.append((time.monotonic(), result))

    async def watch() -> None:
        seen, kills_seen = 0, 0
        while True:
            injected = [f for f in runtime.injected if isinstance(f, LoopKilled)]
            now = time.monotonic()
            kills.extend(now for _ in range(len(injected) - kills_seen))
            kills_seen = len(injected)
            count = engine.stats().restarts
            if count > seen:
                restarts.extend((now, None) for _ in range(count - seen))
                seen = count
            if restarts and restarts[-1][1] is None and engine.is_ready():
                restarts[-1] = (restarts[-1][0], now)
            await asyncio.sleep(0.002)

    runtime.fail_every(args.every, [LoopKilled(), NO_KV_SLOT, -3, RuntimeError("injected"), ADMISSION])
    watcher = asyncio.create_task(watch())
    started = time.monotonic()
    try:
        await asyncio.gather(*(client() for _ in range(args.concurrency)))
        wall = time.monotonic() - started
        runtime.stop_faults()
        after = await one(0)
    finally:
        watcher.cancel()
        stats = engine.stats()
        await engine.close()
    detection = [r[0] - k for k, r in zip(kills, restarts, strict=False)]
    unready = [r[1] - r[0] for r in restarts if r[1] is not None]
    # Answers that ended after each restart and before the next one (or the end of the run).
    bounds = [r[0] for r in restarts] + [float("inf")]
    answers_after = [
        sum(1 for t, o in ended if bounds[k] < t < bounds[k + 1] and o == "answered")
        for k in range(len(restarts))
    ]
    faults = Counter(type(f).__name__ if isinstance(f, BaseException) else str(f) for f in runtime.injected)
    return {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "fault_every_decodes": args.every,
        "decodes": runtime.decodes,
        "faults_injected": dict(faults),
        "outcomes": dict(outcomes),
        "hung": outcomes["hung"],
        "restarts": stats.restarts,
        "kill_to_restart_s": _spread(detection),
        "restart_not_ready_s": _spread(unready),
        "answers_after_each_restart": answers_after,
        "restarts_followed_by_an_answer": sum(1 for n in answers_after if n),
        "request_after_the_run": after,
        "wall_s": round(wall, 2),
        "generated_tokens": stats.generated_tokens,
    }


def _spread(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--every", type=int, default=20, help="inject a fault every N decodes")
    parser.add_argument("--max-tokens", type=int, default=24)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hang-s", type=float, default=120.0)
    parser.add_argument("--json", type=Path, default=Path("artifacts/healing.json"))
    args = parser.parse_args()
    figures = asyncio.run(scenario(args))
    print(json.dumps(figures, indent=2))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
