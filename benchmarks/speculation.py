"""Prompt-lookup speculation on and off, alternated request by request in one engine.

    .venv/bin/python benchmarks/speculation.py [--rounds 3] [--max-tokens 128] [--threads 2]

Two servers started one after the other see different machine load; on a shared 2-core machine
that drift is larger than the effect measured. This script keeps everything else equal: one
``LlamaCppEngine`` (prefix reuse off, so every request prefills its whole prompt), each prompt of
:data:`~eclair.bench.prompts.GROUNDED_PROMPTS` and :data:`~eclair.bench.prompts.OPEN_PROMPTS`
sent with speculation on and off back to back (the order alternating per round), greedy, single
stream. Reported per kind: the median ratio of decode speeds (tokens after the first / decode
seconds, as the engine measures them) and the share of identical outputs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from pathlib import Path
from typing import Any

from eclair.bench.prompts import GROUNDED_PROMPTS, OPEN_PROMPTS
from eclair.bench.report import write_json
from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams, TextDelta


async def _one(engine: LlamaCppEngine, prompt: str, max_tokens: int, speculative: bool) -> tuple[str, float]:
    rendered = engine.render_chat([ChatMessage("user", prompt)])
    params = SamplingParams(temperature=0.0, max_tokens=max_tokens, speculative=speculative)
    parts: list[str] = []
    async for event in engine.generate(GenerationRequest(rendered, params)):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        elif isinstance(event, Finished):
            tokens = event.usage.completion_tokens
            return "".join(parts), (tokens - 1) / event.decode_s if event.decode_s > 0 else 0.0
    raise RuntimeError("the stream ended without Finished")


async def run(model: Path, *, rounds: int, max_tokens: int, threads: int) -> dict[str, Any]:
    engine = LlamaCppEngine(model, model_id="bench", threads=threads, n_slots=1, prefix_cache=False)
    await engine.start()
    out: dict[str, Any] = {"rounds": rounds, "max_tokens": max_tokens, "threads": threads}
    try:
        await _one(engine, OPEN_PROMPTS[0], 16, True)  # warm-up
        for kind, prompts in (("grounded", GROUNDED_PROMPTS), ("open", OPEN_PROMPTS)):
            ratios: list[float] = []
            identical: list[bool] = []
            speeds: dict[bool, list[float]] = {True: [], False: []}
            by_prompt: dict[int, list[float]] = {}
            for round_ in range(rounds):
                for i, prompt in enumerate(prompts):
                    order = (True, False) if (round_ + i) % 2 == 0 else (False, True)
                    results = {spec: await _one(engine, prompt, max_tokens, spec) for spec in order}
                    (text_on, tps_on), (text_off, tps_off) = results[True], results[False]
                    speeds[True].append(tps_on)
                    speeds[False].append(tps_off)
                    if tps_off > 0:
                        ratios.append(tps_on / tps_off)
                        by_prompt.setdefault(i, []).append(tps_on / tps_off)
                    identical.append(text_on == text_off)
            out[kind] = {
                "speedup_median": statistics.median(ratios),
                "speedup_of_medians": statistics.median(speeds[True]) / statistics.median(speeds[False]),
                "tps_on_median": statistics.median(speeds[True]),
                "tps_off_median": statistics.median(speeds[False]),
                "identical_share": sum(identical) / len(identical),
                "pairs": len(ratios),
                "speedup_by_prompt": {
                    f"{i}: {prompts[i][:40]}": round(statistics.median(r), 3)
                    for i, r in sorted(by_prompt.items())
                },
            }
        stats = engine.stats()
        out["draft_tokens"] = stats.draft_tokens
        out["accepted_draft_tokens"] = stats.accepted_draft_tokens
    finally:
        await engine.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("artifacts/speculation.json"))
    args = parser.parse_args()
    figures = asyncio.run(
        run(
            args.model or bundled_model_path(),
            rounds=args.rounds,
            max_tokens=args.max_tokens,
            threads=args.threads,
        )
    )
    print(json.dumps(figures, indent=2))
    write_json(args.out, figures)


if __name__ == "__main__":
    main()
