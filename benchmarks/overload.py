"""Overload: offer twice what `eclair serve` can take for a minute; nothing accepted may be lost.

A real `eclair serve --backend fake` process streams each answer with a fixed delay per
token, and admits at most `--capacity` requests at once (`max_in_flight`); its capacity is
therefore capacity / answer time requests per second. The benchmark

1. measures the unloaded latency of an answer (one request at a time, `--baseline-s`);
2. offers `--factor` × capacity as an open-loop arrival process (evenly spaced, so the
   overload is steady rather than bursty) for `--duration-s` seconds, every request a
   streamed chat completion;
3. checks every response: an accepted request (200) must stream its whole answer and end
   with `[DONE]` within `--timeout-s`; a refused one must be 429 or 503 and carry
   `Retry-After`; anything else is a failure.

It prints the counts, the latency percentiles of accepted requests, loaded vs unloaded,
and writes them as JSON (`--json`). All traffic goes to 127.0.0.1.

    .venv/bin/python benchmarks/overload.py [--duration-s 60] [--factor 2] [--capacity 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

console = Console()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Outcome:
    kind: str  # accepted, rejected, lost, timed_out, bad_rejection, error
    status: int = 0
    latency_s: float = 0.0
    detail: str = ""


@dataclass
class Report:
    offered: int = 0
    accepted: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    lost: int = 0
    timed_out: int = 0
    bad_rejections: int = 0
    errors: int = 0
    offered_rate: float = 0.0
    capacity_rate: float = 0.0
    unloaded: dict[str, float] = field(default_factory=dict)
    loaded: dict[str, float] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


def percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {}
    ordered = sorted(latencies)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "n": len(ordered),
        "p50_s": round(pick(0.50), 4),
        "p90_s": round(pick(0.90), 4),
        "p99_s": round(pick(0.99), 4),
        "max_s": round(ordered[-1], 4),
        "mean_s": round(statistics.fmean(ordered), 4),
    }


async def one_request(client: httpx.AsyncClient, words: int, timeout_s: float) -> Outcome:
    question = " ".join(f"w{i}" for i in range(words - 1))  # the fake echoes "Echo: " + question
    body = {"model": "fake-model", "messages": [{"role": "user", "content": question}], "stream": True}
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout_s):
            async with client.stream("POST", "/v1/chat/completions", json=body) as response:
                if response.status_code != 200:
                    await response.aread()
                    if response.status_code in (429, 503):
                        if "retry-after" not in response.headers:
                            return Outcome("bad_rejection", response.status_code, detail="no Retry-After")
                        return Outcome("rejected", response.status_code)
                    return Outcome("error", response.status_code, detail=response.text[:200])
                text, done, finish = [], False, None
                async for line in response.aiter_lines():
                    if not line.startswith("data: "):
                        continue
                    data = line[6:]
                    if data == "[DONE]":
                        done = True
                        break
                    chunk = json.loads(data)
                    if "error" in chunk:
                        return Outcome("lost", 200, detail=str(chunk["error"])[:200])
                    for choice in chunk.get("choices", []):
                        text.append(choice["delta"].get("content") or "")
                        finish = choice.get("finish_reason") or finish
                latency = time.monotonic() - started
                answer = "".join(text)
                if not done or finish != "stop" or not answer.endswith(f"w{words - 2}"):
                    return Outcome("lost", 200, latency, f"done={done} finish={finish} tail={answer[-20:]!r}")
                return Outcome("accepted", 200, latency)
    except TimeoutError:
        return Outcome("timed_out", detail=f"> {timeout_s} s")
    except httpx.HTTPError as exc:
        return Outcome("lost", detail=f"{type(exc).__name__}: {exc}")


async def baseline(url: str, words: int, seconds: float, timeout_s: float) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(base_url=url, timeout=None) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            outcome = await one_request(client, words, timeout_s)
            if outcome.kind != "accepted":
                raise RuntimeError(f"unloaded request failed: {outcome}")
            latencies.append(outcome.latency_s)
    return latencies


async def overload(url: str, rate: float, seconds: float, words: int, timeout_s: float) -> list[Outcome]:
    limits = httpx.Limits(max_connections=4000, max_keepalive_connections=4000)
    async with httpx.AsyncClient(base_url=url, timeout=None, limits=limits) as client:
        tasks = []
        started = time.monotonic()
        n = 0
        while (next_at := started + n / rate) < started + seconds:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            tasks.append(asyncio.create_task(one_request(client, words, timeout_s)))
            n += 1
        return list(await asyncio.gather(*tasks))


def start_server(
    port: int, capacity: int, delay: float, data_dir: Path, log: Path
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ECLAIR_LOG_LEVEL": "warning", "ECLAIR_KNOWLEDGE_DENSE": "false"}
    command = [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)]
    command += ["--fake-token-delay-s", str(delay), "--max-in-flight", str(capacity)]
    command += ["--data-dir", str(data_dir)]
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: see {log}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("server not ready after 60 s")


def summarize(outcomes: list[Outcome], report: Report) -> None:
    report.offered = len(outcomes)
    for outcome in outcomes:
        if outcome.kind == "accepted":
            report.accepted += 1
        elif outcome.kind == "rejected":
            report.rejected[str(outcome.status)] = report.rejected.get(str(outcome.status), 0) + 1
        elif outcome.kind == "lost":
            report.lost += 1
        elif outcome.kind == "timed_out":
            report.timed_out += 1
        elif outcome.kind == "bad_rejection":
            report.bad_rejections += 1
        else:
            report.errors += 1
        if outcome.kind not in ("accepted", "rejected") and len(report.examples) < 5:
            report.examples.append(f"{outcome.kind} {outcome.status} {outcome.detail}")
    report.loaded = percentiles([o.latency_s for o in outcomes if o.kind == "accepted"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration-s", type=float, default=60.0)
    parser.add_argument("--factor", type=float, default=2.0, help="offered load / capacity")
    parser.add_argument("--capacity", type=int, default=16, help="max_in_flight of the server")
    parser.add_argument("--tokens", type=int, default=20, help="tokens per answer")
    parser.add_argument("--delay-s", type=float, default=0.05, help="seconds per token")
    parser.add_argument("--baseline-s", type=float, default=10.0)
    parser.add_argument("--timeout-s", type=float, default=30.0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        process = start_server(
            port, args.capacity, args.delay_s, Path(tmp) / "data", Path(tmp) / "server.log"
        )
        url = f"http://127.0.0.1:{port}"
        report = Report()
        try:
            unloaded = asyncio.run(baseline(url, args.tokens, args.baseline_s, args.timeout_s))
            report.unloaded = percentiles(unloaded)
            answer_s = statistics.median(unloaded)
            report.capacity_rate = round(args.capacity / answer_s, 2)
            report.offered_rate = round(args.factor * report.capacity_rate, 2)
            console.print(
                f"unloaded answer {answer_s:.3f} s → capacity {report.capacity_rate} req/s; "
                f"offering {report.offered_rate} req/s for {args.duration_s:.0f} s"
            )
            outcomes = asyncio.run(
                overload(url, report.offered_rate, args.duration_s, args.tokens, args.timeout_s)
            )
            summarize(outcomes, report)
            metrics = httpx.get(f"{url}/metrics", timeout=10).text
            rejected_lines = [
                line for line in metrics.splitlines() if line.startswith("eclair_rejected_requests_total")
            ]
        finally:
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(60)

    table = Table(
        title=f"Overload ×{args.factor} for {args.duration_s:.0f} s (fake backend, {args.tokens} tokens × {args.delay_s} s)"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in (
        ("offered", report.offered),
        ("accepted (complete answers)", report.accepted),
        ("rejected 429/503 with Retry-After", json.dumps(report.rejected)),
        ("lost (accepted but incomplete)", report.lost),
        ("timed out", report.timed_out),
        ("rejections without Retry-After", report.bad_rejections),
        ("other errors", report.errors),
        ("unloaded p50 / p99 (s)", f"{report.unloaded.get('p50_s')} / {report.unloaded.get('p99_s')}"),
        ("loaded p50 / p99 (s)", f"{report.loaded.get('p50_s')} / {report.loaded.get('p99_s')}"),
        ("server exit status after SIGTERM", exit_code),
    ):
        table.add_row(name, str(value))
    console.print(table)
    console.print("\n".join(rejected_lines))
    for example in report.examples:
        console.print(f"[red]{example}")
    if args.json:
        args.json.write_text(json.dumps({**asdict(report), "server_exit": exit_code}, indent=2))
    failed = report.lost + report.timed_out + report.bad_rejections + report.errors
    return 1 if failed or exit_code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
