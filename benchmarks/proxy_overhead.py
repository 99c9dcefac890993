"""What Éclair adds when it proxies a remote OpenAI-compatible server (the ``openai`` backend).

Two processes: an upstream ``eclair serve --backend fake`` (deterministic replies, a fixed
delay per token or none) and a proxy ``eclair serve --backend openai`` in front of it. The
same streamed chat is sent to the upstream directly and through the proxy, alternately
(direct, proxy, direct, …) so that machine noise hits both alike. Measured as the client
sees it:

- time to first token (TTFT), median over requests;
- paced stream (upstream waits ``--token-delay-ms`` per token): median gap between tokens;
- unpaced stream (upstream as fast as it can): decode time per token after the first,
  which exposes the proxy's own per-token cost;
- the proxy process's CPU time per request and per token (from /proc), which does not
  depend on how busy the machine is, unlike the wall-clock figures.

Targets (issue 7): ≤ 15 ms added to TTFT, ≤ 1 ms added per token (median). The paced stream
is the realistic case (a model server produces tokens at a finite rate, on its own machine).
Unpaced, the upstream burns a core blasting its whole answer while the proxy forwards the
first token, so on a small busy machine the unpaced TTFT also measures that contention.

    .venv/bin/python benchmarks/proxy_overhead.py [--rounds 20] [--tokens 200] [--token-delay-ms 10]
"""

from __future__ import annotations

import argparse
import json
import statistics

import httpx
from rich.console import Console
from rich.table import Table
from servers import Server, StreamResult, stream_chat

console = Console()


def run_pair(
    client: httpx.Client, direct: str, proxy: str, rounds: int, tokens: int
) -> tuple[list[StreamResult], list[StreamResult]]:
    content = " ".join(f"w{i}" for i in range(tokens - 1))  # echoed back: `tokens` words
    results: tuple[list[StreamResult], list[StreamResult]] = ([], [])
    for _ in range(2):  # warm both paths (connections, first-request imports)
        stream_chat(client, direct, "fake-model", content, tokens + 8)
        stream_chat(client, proxy, "fake-model", content, tokens + 8)
    for _ in range(rounds):
        for side, url in enumerate((direct, proxy)):
            result = stream_chat(client, url, "fake-model", content, tokens + 8)
            if result.error or len(result.arrivals) < tokens // 2:
                raise RuntimeError(f"bad stream from {url}: {result.error} ({len(result.arrivals)} chunks)")
            results[side].append(result)
    return results


def proxy_cpu(client: httpx.Client, proxy: Server, rounds: int, tokens: int) -> dict[str, float]:
    """CPU the proxy spends on a 2-token answer, and on each further token."""
    cost = {}
    for length in (2, tokens):
        content = " ".join(f"w{i}" for i in range(length - 1))
        before = proxy.cpu_seconds()
        for _ in range(rounds):
            stream_chat(client, proxy.url, "fake-model", content, length + 8)
        cost[length] = (proxy.cpu_seconds() - before) / rounds
    return {
        "proxy_cpu_per_request_ms": ms(cost[2]),
        "proxy_cpu_per_token_ms": ms((cost[tokens] - cost[2]) / (tokens - 2)),
    }


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def median_ttft(results: list[StreamResult]) -> float:
    return statistics.median(r.ttft for r in results if r.ttft is not None)


def median_gap(results: list[StreamResult]) -> float:
    return statistics.median(b - a for r in results for a, b in zip(r.arrivals, r.arrivals[1:], strict=False))


def per_token(results: list[StreamResult]) -> float:
    return statistics.median((r.arrivals[-1] - r.arrivals[0]) / (len(r.arrivals) - 1) for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--token-delay-ms", type=float, default=10.0)
    args = parser.parse_args()

    figures: dict[str, float] = {}
    client = httpx.Client(timeout=60)
    for paced in (True, False):
        delay = args.token_delay_ms / 1000 if paced else 0.0
        with Server("--backend", "fake", "--fake-token-delay-s", str(delay)) as upstream:
            proxy_args = ("--backend", "openai", "--upstream-url", f"{upstream.url}/v1")
            with Server(*proxy_args, "--upstream-model", "fake-model") as proxy:
                direct, through = run_pair(client, upstream.url, proxy.url, args.rounds, args.tokens)
                if not paced:
                    figures.update(proxy_cpu(client, proxy, args.rounds, args.tokens))
        label = "paced" if paced else "unpaced"
        figures[f"{label}_ttft_direct_ms"] = ms(median_ttft(direct))
        figures[f"{label}_ttft_proxy_ms"] = ms(median_ttft(through))
        if paced:
            figures["paced_gap_direct_ms"] = ms(median_gap(direct))
            figures["paced_gap_proxy_ms"] = ms(median_gap(through))
        else:
            figures["unpaced_per_token_direct_ms"] = ms(per_token(direct))
            figures["unpaced_per_token_proxy_ms"] = ms(per_token(through))
    client.close()

    table = Table(title=f"Proxy overhead ({args.rounds} streams of {args.tokens} tokens per side)")
    for column in ("measure", "direct", "through Éclair", "added", "target"):
        table.add_column(column, justify="right")
    rows = [
        ("TTFT, paced (ms)", "paced_ttft", 15.0),
        ("TTFT, unpaced (ms)", "unpaced_ttft", 15.0),
        (f"gap between tokens, paced {args.token_delay_ms:g} ms (ms)", "paced_gap", 1.0),
        ("time per token, unpaced (ms)", "unpaced_per_token", 1.0),
    ]
    for name, key, target in rows:
        direct_value, proxy_value = figures[f"{key}_direct_ms"], figures[f"{key}_proxy_ms"]
        added = round(proxy_value - direct_value, 3)
        figures[f"{key}_added_ms"] = added
        goal = f"≤ {target:g} " + ("[green]ok[/]" if added <= target else "[red]over[/]")
        table.add_row(name, f"{direct_value:.3f}", f"{proxy_value:.3f}", f"{added:+.3f}", goal)
    console.print(table)
    console.print(
        f"proxy CPU: {figures['proxy_cpu_per_request_ms']:.2f} ms per request, "
        f"{figures['proxy_cpu_per_token_ms'] * 1000:.0f} µs per token"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
