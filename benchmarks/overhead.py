"""Single-stream decode speed: `eclair serve` over HTTP streaming vs llama-cpp-python in-process.

Same GGUF, same threads, same prompt and greedy decoding; the two are measured alternately
in one run (in-process, HTTP, in-process, HTTP, …) so that machine noise hits both alike.
Decode speed is output tokens after the first one divided by the time after the first one,
as the client sees it. The acceptance target of the foundation is HTTP ≥ 0.9× in-process.

    .venv/bin/python benchmarks/overhead.py [--rounds 3] [--max-tokens 200] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
from rich.console import Console
from rich.table import Table

from eclair.config import bundled_model_path

PROMPT = [{"role": "user", "content": "Write a long, detailed story about a lighthouse keeper and a storm."}]
console = Console()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def in_process_run(llama, max_tokens: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    first = last = None
    tokens = 0
    for chunk in llama.create_chat_completion(
        messages=PROMPT, max_tokens=max_tokens, temperature=0.0, repeat_penalty=1.0, stream=True
    ):
        if chunk["choices"][0]["delta"].get("content"):
            now = time.perf_counter()
            first = first or now
            last = now
            tokens += 1
    assert first is not None and last is not None
    return tokens, last - first


def http_run(client: openai.OpenAI, model: str, max_tokens: int) -> tuple[int, float]:
    first = last = None
    usage = None
    stream = client.chat.completions.create(
        model=model,
        messages=PROMPT,
        max_tokens=max_tokens,
        temperature=0.0,
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"repeat_penalty": 1.0},
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            now = time.perf_counter()
            first = first or now
            last = now
        if chunk.usage:
            usage = chunk.usage
    assert first is not None and last is not None and usage is not None
    return usage.completion_tokens, last - first


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("artifacts/overhead.json"))
    args = parser.parse_args()

    from llama_cpp import Llama

    model_path = bundled_model_path()
    console.print(
        f"model {model_path.name}, {args.threads} threads, {args.max_tokens} tokens, {args.rounds} rounds"
    )
    llama = Llama(
        model_path=str(model_path),
        n_ctx=2048,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        verbose=False,
    )

    port = free_port()
    env = {**os.environ, "ECLAIR_LOG_LEVEL": "warning", "ECLAIR_DATA_DIR": "/tmp/eclair-bench-overhead"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eclair",
            "serve",
            "--port",
            str(port),
            "--threads",
            str(args.threads),
            "--ctx-size",
            "2048",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("eclair serve did not become ready")
            time.sleep(0.2)
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="bench", max_retries=0)
        model = client.models.list().data[-1].id
        # Warm both paths once (page cache, allocator), then alternate.
        in_process_run(llama, 16)
        http_run(client, model, 16)
        local_speeds, http_speeds = [], []
        for _ in range(args.rounds):
            tokens, seconds = in_process_run(llama, args.max_tokens)
            local_speeds.append((tokens - 1) / seconds)
            tokens, seconds = http_run(client, model, args.max_tokens)
            http_speeds.append((tokens - 1) / seconds)
    finally:
        server.terminate()
        server.wait(20)

    local, remote = statistics.median(local_speeds), statistics.median(http_speeds)
    table = Table(title="Single-stream decode speed (tokens/s after the first token)")
    table.add_column("path")
    table.add_column("runs")
    table.add_column("median", justify="right")
    table.add_row("llama-cpp-python in-process", ", ".join(f"{s:.1f}" for s in local_speeds), f"{local:.1f}")
    table.add_row("eclair serve, HTTP streaming", ", ".join(f"{s:.1f}" for s in http_speeds), f"{remote:.1f}")
    console.print(table)
    ratio = remote / local
    verdict = "[green]meets[/]" if ratio >= 0.9 else "[red]below[/]"
    console.print(f"ratio HTTP / in-process = [bold]{ratio:.3f}[/] ({verdict} the 0.9× target)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"in_process": local_speeds, "http": http_speeds, "ratio": ratio}, indent=2)
    )


if __name__ == "__main__":
    main()
