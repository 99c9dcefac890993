"""Aggregate decode speed of 1 vs 2 engine replicas on Ray Serve, behind Éclair's API.

A local Ray head (127.0.0.1), the bundled model in each replica (``llama_cpp``, one thread,
one CPU reserved per replica), and ``eclair serve --backend ray`` in front. For each replica
count, ``--streams`` chats stream at once (greedy, ``--max-tokens`` each); the figure is the
sum of completion tokens over the wall time of the whole batch, best of ``--rounds``.

Target (issue 7): 2 replicas ≥ 1.6× the tokens/s of 1 replica with 8 concurrent streams,
each replica on one core. A machine with 2 cores shared with other work bounds this: two
single-thread replicas need two idle cores, plus the API and the client.

    .venv/bin/python benchmarks/ray_replicas.py [--streams 8] [--max-tokens 96] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from servers import Server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.deploy.ray_cluster import RayCluster

console = Console()
QUESTIONS = [
    "Write a short story about a lighthouse keeper.",
    "Describe a walk through a forest in autumn.",
    "Explain how bread is baked, step by step.",
    "Tell me about the life of bees in a hive.",
]


def one_stream(url: str, index: int, max_tokens: int) -> int:
    body = {
        "model": "SmolLM2-135M-Instruct.Q4_1",
        "messages": [{"role": "user", "content": QUESTIONS[index % len(QUESTIONS)]}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    tokens = 0
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=600) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("data: {"):
                payload = json.loads(line[6:])
                if payload.get("usage"):
                    tokens = payload["usage"]["completion_tokens"]
    return tokens


def batch(url: str, streams: int, max_tokens: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(streams) as pool:
        tokens = sum(pool.map(lambda i: one_stream(url, i, max_tokens), range(streams)))
    return tokens / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    # replicas at the same priority as the API and the client (Ray's default is nice 15)
    cluster = RayCluster(num_cpus=2, worker_niceness=0).start()
    engine_env = {"ECLAIR_BACKEND": "llama_cpp", "ECLAIR_THREADS": "1", "ECLAIR_N_SLOTS": str(args.streams)}
    speeds: dict[int, float] = {}
    try:
        for replicas in (1, 2):
            cluster.deploy("--replicas", str(replicas), "--cpus-per-replica", "1", env=engine_env)
            os.environ["RAY_ADDRESS"] = cluster.address
            with Server("--backend", "ray") as api:
                batch(api.url, 2, 8)  # warm-up: both replicas, prompt caches, connections
                speeds[replicas] = max(
                    batch(api.url, args.streams, args.max_tokens) for _ in range(args.rounds)
                )
            console.print(f"{replicas} replica(s): {speeds[replicas]:.1f} tokens/s")
    finally:
        cluster.stop()
    ratio = speeds[2] / speeds[1]
    verdict = "[green]ok[/]" if ratio >= 1.6 else "[yellow]below 1.6×[/]"
    console.print(
        f"2 replicas / 1 replica = {ratio:.2f}× (target ≥ 1.6×: {verdict}); cores here: {os.cpu_count()}"
    )
    print(
        json.dumps(
            {
                "one_replica_tps": round(speeds[1], 2),
                "two_replicas_tps": round(speeds[2], 2),
                "ratio": round(ratio, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
