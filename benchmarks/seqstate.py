"""More conversations than slots: saved sequence states against prefilling the history again.

    .venv/bin/python benchmarks/seqstate.py [--users 16] [--turns 6] [--slots 8] [--max-tokens 48] [--no-spec]

``eclair bench --scenario overflow`` runs the same users through servers started one after the
other; on a shared machine the load drifts between them more than the effect measured. Here
three engines live in one process and take the conversation *turn by turn in alternation*:
turn t of all users goes to engine A (all users at once, so they queue for the slots as in
the overflow run), then to B, then to C, then turn t+1. Each engine keeps its own histories
(its own answers). The engines:

- ``state``: ``slots`` slots, evicted conversations' KV states saved (``seq_state_ram``);
- ``no-state``: ``slots`` slots, nothing saved: a returning conversation prefills its history;
- ``wide``: ``users`` slots (no conversation is ever evicted): the exact reference for
  ``state``, whose restored states are the bytes the conversation would have kept.

Reported: TTFT p50 of the last turn and of all turns after the first per engine, the ratios
state / no-state, the share of answers identical to ``wide``'s (temperature 0), and the peak
RAM / disk of the saved states.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from eclair.bench.prompts import CONVERSATION_TURNS, SYSTEM_PROMPT, USER_NAMES
from eclair.bench.report import write_json
from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams, TextDelta


async def _turn(engine: LlamaCppEngine, history: list[ChatMessage], max_tokens: int) -> tuple[str, float]:
    params = SamplingParams(temperature=0.0, max_tokens=max_tokens)
    sent = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    async for event in engine.generate(GenerationRequest(engine.render_chat(history), params)):
        if isinstance(event, TextDelta):
            first = first or time.perf_counter()
            parts.append(event.text)
        elif isinstance(event, Finished):
            break
    return "".join(parts), (first or time.perf_counter()) - sent


def _message(user: int, turn: int) -> str:
    script = CONVERSATION_TURNS[user % len(CONVERSATION_TURNS)]
    text = script[turn % len(script)]
    return f"Hello, my name is {USER_NAMES[user % len(USER_NAMES)]}. {text}" if turn == 0 else text


async def main(args: argparse.Namespace) -> dict[str, Any]:
    common = {
        "model_id": "smollm2", "threads": args.threads, "context_size": args.ctx_size,
        "speculative": not args.no_spec,
    }  # fmt: skip
    engines = {
        "state": LlamaCppEngine(
            bundled_model_path(), n_slots=args.slots, seq_state_ram=args.state_ram, **common
        ),  # type: ignore[arg-type]
        "no-state": LlamaCppEngine(bundled_model_path(), n_slots=args.slots, **common),  # type: ignore[arg-type]
        "wide": LlamaCppEngine(bundled_model_path(), n_slots=args.users, **common),  # type: ignore[arg-type]
    }
    for engine in engines.values():
        await engine.start()
    histories = {
        name: [[ChatMessage("system", SYSTEM_PROMPT)] for _ in range(args.users)] for name in engines
    }
    ttft: dict[str, list[list[float]]] = {name: [] for name in engines}
    texts: dict[str, list[list[str]]] = {name: [] for name in engines}
    peak = {"ram": 0, "disk": 0}
    for turn in range(args.turns):
        for name, engine in engines.items():
            for u, history in enumerate(histories[name]):
                history.append(ChatMessage("user", _message(u, turn)))
            results = await asyncio.gather(*(_turn(engine, h, args.max_tokens) for h in histories[name]))
            for history, (text, _) in zip(histories[name], results, strict=True):
                history.append(ChatMessage("assistant", text or "(no answer)"))
            texts[name].append([text for text, _ in results])
            ttft[name].append([seconds for _, seconds in results])
            stats = engine.stats()
            peak["ram"] = max(peak["ram"], stats.saved_state_ram_bytes)
            peak["disk"] = max(peak["disk"], stats.saved_state_disk_bytes)
            print(f"turn {turn} {name:8s} TTFT p50 {statistics.median(ttft[name][-1]):6.2f}s", flush=True)
    final = {name: engine.stats() for name, engine in engines.items()}
    for engine in engines.values():
        await engine.close()

    def p50(name: str, turns: slice) -> float:
        return statistics.median(x for row in ttft[name][turns] for x in row)

    def identical(name: str) -> float:
        pairs = [
            (a, b)
            for ra, rb in zip(texts[name], texts["wide"], strict=True)
            for a, b in zip(ra, rb, strict=True)
        ]
        return sum(a == b for a, b in pairs) / len(pairs)

    last, later = slice(-1, None), slice(1, None)
    out = {
        "config": vars(args),
        "last_turn_ttft_p50_s": {name: p50(name, last) for name in engines},
        "later_turns_ttft_p50_s": {name: p50(name, later) for name in engines},
        "last_turn_ttft_state_vs_no_state": p50("state", last) / p50("no-state", last),
        "later_turns_ttft_state_vs_no_state": p50("state", later) / p50("no-state", later),
        "identical_to_wide": {name: identical(name) for name in ("state", "no-state")},
        "identical_to_wide_by_turn": {
            name: [
                sum(a == b for a, b in zip(mine, wide, strict=True)) / len(mine)
                for mine, wide in zip(texts[name], texts["wide"], strict=True)
            ]
            for name in ("state", "no-state")
        },
        "saved_state_peak_bytes": peak,
        "state_restores": final["state"].state_restores,
        "state_restored_tokens": final["state"].state_restored_tokens,
        "prefill_tokens": {name: s.prefill_tokens for name, s in final.items()},
        "ttft_s": ttft,
        "texts": texts,
    }
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--slots", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx-size", type=int, default=1024)
    parser.add_argument("--state-ram", type=int, default=256 * 1024 * 1024)
    parser.add_argument("--no-spec", action="store_true", help="speculation off in all three engines")
    parser.add_argument("--out", type=Path, default=Path("artifacts/seqstate.json"))
    args = parser.parse_args()
    result = asyncio.run(main(args))
    write_json(args.out, result)
    for key, value in result.items():
        if key not in ("ttft_s", "config", "texts"):
            print(f"{key}: {value}")
