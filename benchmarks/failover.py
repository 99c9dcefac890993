"""Failover under steady load: two upstreams behind one Éclair, one killed every 10 s.

Processes: two upstreams ``eclair serve --backend fake`` (a fixed delay per token, so that
answers take about a second and kills land mid-stream) and one Éclair whose models file
names both as backends of one model (router: least outstanding requests, health checks,
circuit breaker). ``--clients`` threads stream chats back to back for ``--duration`` seconds;
every ``--kill-every`` seconds one upstream (alternately) is killed with SIGKILL and started
again on the same port.

Each request ends in one of three ways, as the client sees it:
- completed: the whole answer arrived;
- clean mid-stream error: some text, then an SSE ``error`` event and ``[DONE]`` (text already
  sent cannot be taken back; these are the requests the killed upstream was streaming);
- lost: no text at all and an error. Target (issue 7): 0 — a request that had not started
  streaming must be failed over.

    .venv/bin/python benchmarks/failover.py [--duration 60] [--kill-every 10] [--clients 6]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from rich.console import Console
from servers import Server, stream_chat

console = Console()

MODELS_FILE = """
[routing]
health_interval_s = 1
failure_threshold = 2
cooldown_s = 2

[[models]]
name = "fake-model"
backend = "openai"
url = "{one}/v1"
first_token_timeout_s = 10
idle_timeout_s = 5

[[models]]
name = "fake-model"
backend = "openai"
url = "{two}/v1"
first_token_timeout_s = 10
idle_timeout_s = 5
"""


def client_loop(
    url: str, stop: threading.Event, outcomes: Counter[str], errors: list[str], words: int
) -> None:
    content = " ".join(f"w{i}" for i in range(words))
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            result = stream_chat(client, url, "fake-model", content, words + 8)
            if result.error is None:
                outcomes["completed"] += 1
            elif result.started:
                outcomes["clean mid-stream error"] += 1
            else:
                outcomes["lost"] += 1
                errors.append(result.error)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--kill-every", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--words", type=int, default=40, help="answer length in tokens (about)")
    parser.add_argument("--token-delay-ms", type=float, default=20.0)
    args = parser.parse_args()

    delay = str(args.token_delay_ms / 1000)
    upstreams = [Server("--backend", "fake", "--fake-token-delay-s", delay) for _ in range(2)]
    for upstream in upstreams:
        upstream.start()
    models = Path(tempfile.mkdtemp(prefix="eclair-failover-")) / "eclair.toml"
    models.write_text(MODELS_FILE.format(one=upstreams[0].url, two=upstreams[1].url), encoding="utf-8")
    proxy = Server("--models-file", str(models)).start()

    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(proxy.url, stop, outcomes, errors, args.words))
        for _ in range(args.clients)
    ]
    kills: list[tuple[float, int, float]] = []
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        victim = 0
        # kills at 10, 20, 30 … s; a restart that takes longer pushes the next kill back (a
        # kill never lands while the other upstream is still coming back)
        while (len(kills) + 1) * args.kill_every < args.duration:
            now = time.monotonic() - started
            time.sleep(max(0.0, (len(kills) + 1) * args.kill_every - now))
            killed_at = time.monotonic() - started
            upstreams[victim].kill()
            upstreams[victim].start()  # same port; its /v1 answers 503 until it is ready
            kills.append((round(killed_at, 1), victim, round(time.monotonic() - started - killed_at, 1)))
            victim = 1 - victim
        time.sleep(max(0.0, args.duration - (time.monotonic() - started)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(90)
        elapsed = time.monotonic() - started
        proxy.stop()
        for upstream in upstreams:
            upstream.stop()

    total = sum(outcomes.values())
    console.print(f"[bold]Failover[/]: {total} requests in {elapsed:.0f} s from {args.clients} clients")
    for when, victim, restart in kills:
        console.print(f"  t={when:>5} s: upstream {victim + 1} killed (back after {restart} s)")
    for name in ("completed", "clean mid-stream error", "lost"):
        console.print(f"  {name:>24}: {outcomes[name]}")
    if errors:
        console.print(f"  first lost request's error: {errors[0]}")
    verdict = "[green]ok[/]" if outcomes["lost"] == 0 else "[red]requests lost[/]"
    console.print(f"target: 0 lost before streaming → {verdict}")
    print(json.dumps({"requests": total, "kills": len(kills), **outcomes}))


if __name__ == "__main__":
    main()
