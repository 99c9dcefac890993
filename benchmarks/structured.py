"""Structured outputs and tool calls with the bundled model: validity and speed (issue 13).

    .venv/bin/python benchmarks/structured.py [--threads 2] [--quick]

Starts ``eclair serve`` with the bundled SmolLM2-135M and, through ``/v1/chat/completions``:

1. 50 generated JSON Schemas (nested objects, arrays, enums, bounded numbers, required and
   optional properties, ``anyOf``; half without any length bound) × 4 prompts, sampled at
   temperature 0.7 with a seed each: every answer must parse and validate with ``jsonschema``;
2. 30 forced tool calls (``tool_choice`` named, ``required``, ``required`` without parallel
   calls) over 10 tool sets: every call must name an offered function and its arguments must
   validate against that function's parameters;
3. speed, one run, configurations interleaved and repeated (the median counts): 8 concurrent
   streams of which 4 are schema-constrained against 8 free ones (aggregate tokens/s), and
   one constrained stream against one free stream (tokens/s after the first token); greedy,
   so that each stream writes the same text at every repeat.

Writes ``artifacts/structured.json`` and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import jsonschema

sys.path.insert(0, str(Path(__file__).parent))
from servers import Server

PROMPTS = (
    "Fill in this form with realistic values, as JSON.",
    "Return an example JSON document.",
    "Invent the record of a fictional customer, in JSON.",
    "Describe a product from a catalogue as JSON.",
)
WORDS = (
    "name",
    "title",
    "city",
    "colour",
    "status",
    "score",
    "count",
    "price",
    "tags",
    "owner",
    "level",
    "notes",
)


def _leaf(rng: random.Random, bounded: bool, depth: int) -> dict[str, Any]:
    kind = rng.choice(["string", "integer", "number", "boolean", "enum", "array", "object", "anyOf"])
    if depth >= 2 and kind in ("array", "object", "anyOf"):
        kind = "string"
    if kind == "string":
        return {"type": "string", **({"maxLength": rng.randint(5, 40)} if bounded else {})}
    if kind == "integer":
        low = rng.randint(-100, 100)
        return {"type": "integer", "minimum": low, "maximum": low + rng.randint(1, 1000)}
    if kind == "number":
        return {"type": "number", "minimum": 0, "maximum": rng.choice([1, 100, 1e6])}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return {
            "enum": rng.sample(
                ["red", "green", "blue", "small", "large", "on", "off", "yes"], rng.randint(2, 5)
            )
        }
    if kind == "array":
        items = _leaf(rng, bounded, depth + 1)
        return {"type": "array", "items": items, **({"maxItems": rng.randint(1, 5)} if bounded else {})}
    if kind == "object":
        return _object(rng, bounded, depth + 1)
    return {"anyOf": [_leaf(rng, bounded, depth + 1), _leaf(rng, bounded, depth + 1)]}


def _object(rng: random.Random, bounded: bool, depth: int) -> dict[str, Any]:
    names = rng.sample(WORDS, rng.randint(1, 4 if depth else 6))
    properties = {n: _leaf(rng, bounded, depth) for n in names}
    required = [n for n in names if rng.random() < 0.6]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def schemas(n: int) -> list[dict[str, Any]]:
    """``n`` deterministic schemas; odd ones put no bound on strings and arrays."""
    return [_object(random.Random(i), bounded=i % 2 == 0, depth=0) for i in range(n)]


def tool_sets(n: int) -> list[list[dict[str, Any]]]:
    sets = []
    for i in range(n):
        rng = random.Random(1000 + i)
        functions = [
            {
                "type": "function",
                "function": {"name": f"tool_{i}_{k}", "parameters": _object(rng, i % 2 == 0, 0)},
            }
            for k in range(rng.randint(1, 3))
        ]
        sets.append(functions)
    return sets


async def chat(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/v1/chat/completions", json=body)
    response.raise_for_status()
    return response.json()


async def validity(client: httpx.AsyncClient, n_schemas: int, concurrency: int) -> dict[str, Any]:
    gate = asyncio.Semaphore(concurrency)
    results: list[dict[str, Any]] = []

    async def one(i: int, schema: dict[str, Any], prompt: str) -> None:
        body = {
            "messages": [{"role": "user", "content": prompt}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": f"s{i}", "schema": schema, "strict": True},
            },
            "max_tokens": 1024,
            "temperature": 0.7,
            "seed": i,
        }
        async with gate:
            data = await chat(client, body)
        text = data["choices"][0]["message"]["content"]
        parsed, valid = False, False
        try:
            jsonschema.validate(json.loads(text), schema)
            parsed = valid = True
        except json.JSONDecodeError:
            pass
        except jsonschema.ValidationError:
            parsed = True
        if len(results) % 25 == 24:
            print(f"  {len(results) + 1} outputs", flush=True)
        results.append(
            {"schema": i, "parsed": parsed, "valid": valid, "finish": data["choices"][0]["finish_reason"],
             "tokens": data["usage"]["completion_tokens"], "text": text if not valid else None}
        )  # fmt: skip

    started = time.monotonic()
    jobs = [one(i * 4 + k, s, p) for i, s in enumerate(schemas(n_schemas)) for k, p in enumerate(PROMPTS)]
    await asyncio.gather(*jobs)
    tokens = [r["tokens"] for r in results]
    return {
        "outputs": len(results),
        "parsed": sum(r["parsed"] for r in results),
        "valid": sum(r["valid"] for r in results),
        "finish_stop": sum(r["finish"] == "stop" for r in results),
        "tokens_mean": statistics.mean(tokens),
        "tokens_max": max(tokens),
        "seconds": round(time.monotonic() - started, 1),
        "failures": [r for r in results if not r["valid"]][:5],
    }


async def forced_calls(client: httpx.AsyncClient, n_sets: int) -> dict[str, Any]:
    results: list[bool] = []
    failures: list[Any] = []

    async def one(i: int, tools: list[dict[str, Any]], mode: str) -> None:
        names = [t["function"]["name"] for t in tools]
        choice: Any = "required" if mode != "named" else {"type": "function", "function": {"name": names[-1]}}
        body = {
            "messages": [{"role": "user", "content": "Use the tool with sensible arguments."}],
            "tools": tools,
            "tool_choice": choice,
            "parallel_tool_calls": mode != "single",
            "max_tokens": 1024,
            "temperature": 0.7,
            "seed": i,
        }
        data = await chat(client, body)
        calls = data["choices"][0]["message"].get("tool_calls") or []
        ok = bool(calls) and data["choices"][0]["finish_reason"] == "tool_calls"
        params = {t["function"]["name"]: t["function"]["parameters"] for t in tools}
        for call in calls:
            name = call["function"]["name"]
            allowed = [names[-1]] if mode == "named" else names
            try:
                jsonschema.validate(json.loads(call["function"]["arguments"]), params[name])
                ok = ok and name in allowed
            except (KeyError, ValueError, jsonschema.ValidationError):
                ok = False
        ok = ok and (mode != "single" or len(calls) == 1)
        results.append(ok)
        if not ok:
            failures.append(data["choices"][0])

    modes = ("named", "required", "single")
    await asyncio.gather(
        *(one(i * 3 + k, t, m) for i, t in enumerate(tool_sets(n_sets)) for k, m in enumerate(modes))
    )
    return {"calls": len(results), "valid": sum(results), "failures": failures[:3]}


LONG_SCHEMA = {
    "type": "object",
    "properties": {"items": {"type": "array", "items": {"type": "string", "maxLength": 60}, "minItems": 40}},
    "required": ["items"],
}


TOPICS = ("fruits", "tools", "animals", "cities", "colours", "sports", "instruments", "vehicles")


async def stream_rate(
    client: httpx.AsyncClient, constrained: bool, max_tokens: int, topic: int
) -> tuple[int, float, float]:
    """(tokens, first-token time, end time) of one streamed answer, greedy (each stream writes
    the same text at every repeat: only the grammar differs between configurations)."""
    prompt = f"List as many {TOPICS[topic]} as you can, with a short note on each."
    body: dict[str, Any] = {
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if constrained:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "list", "schema": LONG_SCHEMA},
        }
    first, tokens = 0.0, 0
    async with client.stream("POST", "/v1/chat/completions", json=body) as response:
        async for line in response.aiter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line[6:])
            if chunk["choices"] and chunk["choices"][0]["delta"].get("content") and not first:
                first = time.monotonic()
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    return tokens, first, time.monotonic()


async def speed(client: httpx.AsyncClient, repeats: int, max_tokens: int) -> dict[str, Any]:
    aggregate: dict[str, list[float]] = {"free": [], "mixed": []}
    single: dict[str, list[float]] = {"free": [], "constrained": []}
    for r in range(repeats):
        for mode in ("free", "mixed"):
            started = time.monotonic()
            runs = await asyncio.gather(
                *(stream_rate(client, mode == "mixed" and i % 2 == 0, max_tokens, i) for i in range(8))
            )
            aggregate[mode].append(sum(t for t, _, _ in runs) / (max(end for _, _, end in runs) - started))
        for mode in ("free", "constrained"):
            tokens, first, end = await stream_rate(client, mode == "constrained", max_tokens, r % len(TOPICS))
            single[mode].append((tokens - 1) / (end - first))
    med = {
        k: statistics.median(v)
        for k, v in {**aggregate, **{f"single_{k}": v for k, v in single.items()}}.items()
    }
    return {
        "aggregate_tok_s": {k: [round(x, 1) for x in v] for k, v in aggregate.items()},
        "single_tok_s": {k: [round(x, 1) for x in v] for k, v in single.items()},
        "ratio_8_streams_4_constrained": round(med["mixed"] / med["free"], 3),
        "ratio_single_constrained": round(med["single_constrained"] / med["single_free"], 3),
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    server = Server("--threads", str(args.threads), "--ctx-size", "4096", "--n-slots", "8").start()
    try:
        # a shared machine can be slow: an answer of 1024 tokens may take minutes
        async with httpx.AsyncClient(base_url=server.url, timeout=3600) as client:
            report: dict[str, Any] = {}
            report["schemas"] = await validity(client, 6 if args.quick else 50, 8)
            print("schemas", json.dumps({k: v for k, v in report["schemas"].items() if k != "failures"}))
            report["tool_calls"] = await forced_calls(client, 2 if args.quick else 10)
            print("tool calls", report["tool_calls"]["valid"], "/", report["tool_calls"]["calls"])
            report["speed"] = await speed(client, 1 if args.quick else 5, args.max_tokens)
            print("speed", json.dumps(report["speed"]))
            return report
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=64)  # every stream reaches it: equal work
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    report = asyncio.run(main_async(args))
    out = Path("artifacts/structured.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written {out}")


if __name__ == "__main__":
    main()
