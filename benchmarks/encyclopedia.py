"""Knowledge packs at scale: search + passage selection time on a 200,000-article ZIM, and the
server's memory after 1,000 questions.

1. Writes (once, cached) a pack of ``--articles`` generated articles with libzim's Creator,
   full-text index on: countries with a capital and a currency, people with a birth year and a
   town, rivers with a length; names made of random syllables, so every article is distinct.
2. In process: for ``--questions`` questions about random articles ("What is the capital of
   X?", "When was Y born?", "How long is the Z?", half of them in French), times
   :meth:`PackSearch.search` plus the relevance gate (:func:`eclair.answer.grounded.supports`)
   — what a question costs before any model decoding — and counts the questions whose answer
   was found in a passage of the right article.
3. Over HTTP: starts ``eclair serve --backend fake`` on a data directory holding only this pack,
   sends the same 1,000 questions to ``model: eclair`` one after the other, and reads the
   server's resident memory (``/proc/PID/status`` VmRSS) after 20 warm-up questions and at
   the end.

    .venv/bin/python benchmarks/encyclopedia.py [--articles 200000] [--json artifacts/encyclopedia.json]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from eclair.answer.grounded import supports
from eclair.bench.report import write_json
from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.search import PackSearch
from eclair.knowledge.packs.writer import Article, write_pack

console = Console()
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "vu",
    "za",
    "ze",
    "zi",
    "zo",
    "zu",
]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
        if name not in used:
            used.add(name)
            return name


def generate(count: int, seed: int = 7) -> tuple[list[Article], list[tuple[str, str, str, str]]]:
    """Articles, and (question, lang, article path, answer) for each."""
    rng = random.Random(seed)
    used: set[str] = set()
    articles: list[Article] = []
    facts: list[tuple[str, str, str, str]] = []
    for i in range(count):
        kind = i % 3
        name = _name(rng, used)
        if kind == 0:
            capital, currency = _name(rng, used), _name(rng, used).lower()
            lead = (
                f"{name} is a country of the Verdant Archipelago. Its capital and largest city is {capital}. "
                f"The currency of {name} is the {currency}."
            )
            facts.append((f"What is the capital of {name}?", "en", name, capital))
            facts.append((f"Quelle est la capitale de {name} ?", "fr", name, capital))
        elif kind == 1:
            town, year = _name(rng, used), rng.randint(1500, 1990)
            lead = (
                f"{name} {_name(rng, used)} was a painter and engraver. {name} was born in {year} in {town}."
            )
            facts.append((f"When was {name} born?", "en", name, str(year)))
            facts.append((f"En quelle année est né {name} ?", "fr", name, str(year)))
        else:
            km = rng.randint(40, 4000)
            lead = f"The {name} is a river of the Verdant Archipelago. The {name} is {km} kilometres long."
            facts.append((f"How long is the {name}?", "en", name, str(km)))
        history = f"The first written record of {name} dates from the year {rng.randint(800, 1800)}."
        articles.append(Article(name, name, lead, (("History", history),)))
    return articles, facts


def build(path: Path, count: int) -> tuple[Path, list[tuple[str, str, str, str]]]:
    articles, facts = generate(count)
    if not path.exists():
        console.print(f"writing {count:,} articles to {path} (full-text index on)…")
        started = time.perf_counter()
        write_pack(path, articles, name="generated", title="Generated encyclopedia", language="en", workers=2)
        console.print(
            f"  written in {time.perf_counter() - started:.0f} s, {path.stat().st_size / 1e6:.0f} MB"
        )
    return path, facts


def in_process(zim: Path, facts: list[tuple[str, str, str, str]], n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data:
        registry = PackRegistry(Path(data))
        registry.add(zim, verify=False)
        search = PackSearch(registry)
        search.search("warm up", "en")
        times: list[float] = []
        found = 0
        for question, lang, path, answer in facts[:n]:
            started = time.perf_counter()
            passages = search.search(question, lang)
            supported = supports(question, passages)
            times.append((time.perf_counter() - started) * 1000)
            found += supported and any(p.source == path and answer in p.text for p in passages)
    times.sort()
    return {
        "questions": n,
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
        "answer_found": found,
    }


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _serve(data: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "ECLAIR_DATA_DIR": str(data), "ECLAIR_KNOWLEDGE_DENSE": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        process.wait(30)


def over_http(zim: Path, facts: list[tuple[str, str, str, str]], n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data:
        PackRegistry(Path(data)).add(zim, verify=False)
        port = _port()
        for process in _serve(Path(data), port):
            url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(300):
                    try:
                        if client.get("/ready").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)

                def ask(question: str) -> dict[str, Any]:
                    body = {"model": "eclair", "messages": [{"role": "user", "content": question}]}
                    response: dict[str, Any] = client.post("/v1/chat/completions", json=body).json()
                    return response

                for question, *_ in facts[:20]:
                    ask(question)
                before = _rss_mb(process.pid)
                cited = 0
                started = time.perf_counter()
                for question, _, path, answer in facts[:n]:
                    reply = ask(question)
                    citations = reply.get("eclair", {}).get("citations", [])
                    cited += (
                        bool(citations)
                        and citations[0].get("source") == path
                        and answer in (reply["choices"][0]["message"]["content"])
                    )
                elapsed = time.perf_counter() - started
                after = _rss_mb(process.pid)
    return {
        "questions": n,
        "rss_after_warmup_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "rss_growth_mb": round(after - before, 1),
        "answered_with_right_citation": cited,
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "eclair-bench-packs")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    zim, facts = build(args.cache / f"generated-{args.articles}.zim", args.articles)
    random.Random(1).shuffle(facts)
    local = in_process(zim, facts, args.questions)
    http = over_http(zim, facts, args.questions)
    table = Table(
        "measure", "value", title=f"{args.articles:,}-article pack ({zim.stat().st_size / 1e6:.0f} MB)"
    )
    table.add_row("search + passage selection p50", f"{local['p50_ms']} ms")
    table.add_row("search + passage selection p99", f"{local['p99_ms']} ms (max {local['max_ms']} ms)")
    table.add_row("answer in a passage of the right article", f"{local['answer_found']}/{local['questions']}")
    table.add_row(
        "server RSS after warm-up → after", f"{http['rss_after_warmup_mb']} → {http['rss_after_mb']} MB"
    )
    table.add_row(
        "RSS growth over the questions", f"{http['rss_growth_mb']} MB ({http['questions']} questions)"
    )
    table.add_row(
        "answered with the right citation (HTTP)",
        f"{http['answered_with_right_citation']}/{http['questions']}",
    )
    console.print(table)
    if args.json:
        write_json(args.json, {"articles": args.articles, "in_process": local, "http": http})


if __name__ == "__main__":
    main()
