"""Cross-language answers at the relevance gate: the glossary alone, and the glossary with
multilingual-E5-small word translations (``eclair.knowledge.crosslingual``), side by side.

For every ``grounded`` and ``unanswerable`` item of the studied blind sets
(``evals/holdout-b``, ``evals/redteam-b``) whose question is in the other language than its
document, the evidence gate runs on the whole document. Reported per mode: grounded items
whose first passing sentence holds an expected answer (``right``; answers written in another
form, "12 480" for 12480, count as ``other``), grounded items abstained on, and unanswerable
items that got a passing sentence (``wrong``: the number to keep at 0). Same-language items are
reported too, to show that nothing moved there. Run:

    .venv/bin/python benchmarks/crosslingual_gate.py [--json artifacts/crosslingual-gate.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eclair.bench.report import write_json
from eclair.knowledge import crosslingual
from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.extract import extract_text
from eclair.text.language import detect_language
from eclair.text.passages import Passage

EVALS = Path(__file__).parents[1] / "evals"
SETS = ("holdout-b", "redteam-b")


def _items() -> list[tuple[dict[str, Any], str, str]]:
    out = []
    for name in SETS:
        for line in (EVALS / name / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("//"):
                continue
            item = json.loads(line)
            if item["category"] in ("grounded", "unanswerable") and item.get("documents"):
                doc = EVALS / name / item["documents"][0]
                out.append((item, doc.name, extract_text(doc.read_bytes(), doc.name)))
    return out


def _grade(item: dict[str, Any], text: str) -> str:
    question = item["messages"][-1]["content"]
    passage = Passage(
        chunk_id="c", source=item["documents"][0], text=text, start=0, end=len(text), document_id="d"
    )
    _, evidence = best_evidence(question, [passage])
    if item["category"] == "unanswerable":
        return "wrong" if evidence else "abstained"
    if not evidence:
        return "abstained"
    answers = [a for a in item["expect"].get("answers", []) if not a.startswith(("re:", "date:", "~"))]
    said = evidence[0].text.lower().replace(",", ".")
    return "right" if any(a.lower().replace(",", ".") in said for a in answers) else "other"


def run() -> dict[str, Any]:
    items = _items()
    results: dict[str, Any] = {}
    model = crosslingual._model
    for mode in ("glossary", "glossary+e5"):
        crosslingual._model = (lambda: None) if mode == "glossary" else model  # type: ignore[method-assign]
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        for item, _, text in items:
            cross = detect_language(item["messages"][-1]["content"]) != detect_language(text)
            counts[f"{'cross' if cross else 'same'} {item['category']} {_grade(item, text)}"] += 1
        results[mode] = {
            "counts": dict(sorted(counts.items())),
            "seconds": round(time.perf_counter() - started, 1),
        }
    crosslingual._model = model  # type: ignore[method-assign]
    return {"items": len(items), "e5_installed": model() is not None, "modes": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args()
    report = run()
    table = Table(title=f"Relevance gate, {report['items']} items (e5 installed: {report['e5_installed']})")
    keys = sorted({k for mode in report["modes"].values() for k in mode["counts"]})
    table.add_column("items")
    for mode in report["modes"]:
        table.add_column(mode)
    for key in keys:
        table.add_row(key, *(str(m["counts"].get(key, 0)) for m in report["modes"].values()))
    table.add_row("seconds", *(str(m["seconds"]) for m in report["modes"].values()))
    Console().print(table)
    if args.json:
        write_json(args.json, report)


if __name__ == "__main__":
    main()
