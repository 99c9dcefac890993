"""Figures, tables and the JSON report of an evaluation run.

:func:`summarise` reduces a :class:`~eclair.evaluation.runner.ModelRun` to plain numbers:
per category and per language counts of correct / incorrect / not attempted, the overall
*score* (correct-or-rightly-abstained: on ``abstain`` items an abstention *is* the correct
grade), the count of confident answers to false-premise or unanswerable items, the share of
grounded items answered right *with* the right citation, and latencies.
:func:`acceptance` checks a summary against the issue's bar. :func:`render` prints rich
tables (models side by side); :func:`to_json` is what ``--out`` writes.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table

from eclair.evaluation.runner import EvalRun, ItemResult, ModelRun
from eclair.evaluation.suite import CATEGORIES

# (label, what is measured, target, higher is better)
ACCEPTANCE = (
    ("overall score", "score_pct", 95.0, True),
    ("arithmetic", "arithmetic_pct", 100.0, True),
    ("dates", "dates_pct", 100.0, True),
    ("confident answers to false-premise/unanswerable", "confident_on_premise_or_unanswerable", 0, False),
    ("grounded with correct citation", "grounded_pct", 90.0, True),
)


def _counts(results: Iterable[ItemResult]) -> dict[str, Any]:
    verdicts = Counter(r.grade.verdict for r in results)
    total = sum(verdicts.values())
    correct = verdicts["correct"]
    return {
        "total": total,
        "correct": correct,
        "incorrect": verdicts["incorrect"],
        "not_attempted": verdicts["not_attempted"],
        "correct_pct": round(100.0 * correct / total, 1) if total else 0.0,
    }


def summarise(run: ModelRun) -> dict[str, Any]:
    results = run.results
    overall = _counts(results)
    by_category = {
        category: _counts(r for r in results if r.item.category == category)
        for category in CATEGORIES
        if any(r.item.category == category for r in results)
    }
    by_lang = {
        lang: _counts(r for r in results if r.item.lang == lang)
        for lang in sorted({r.item.lang for r in results})
    }
    confident = [
        r.item.id
        for r in results
        if r.item.expect.kind in ("premise", "abstain") and r.grade.verdict == "incorrect"
    ]
    latencies = sorted(r.latency_s for r in results)
    routes: dict[str, Counter[str]] = {}
    for r in results:
        if r.reply.route:
            routes.setdefault(r.item.category, Counter())[r.reply.route] += 1

    def pct(category: str) -> float | None:
        return by_category[category]["correct_pct"] if category in by_category else None

    return {
        "label": run.label,
        "model_id": run.model_id,
        **overall,
        "score_pct": overall["correct_pct"],
        "attempted_accuracy_pct": round(100.0 * overall["correct"] / attempted, 1)
        if (attempted := overall["correct"] + overall["incorrect"])
        else 0.0,
        "arithmetic_pct": pct("arithmetic"),
        "dates_pct": pct("dates"),
        "grounded_pct": pct("grounded"),
        "confident_on_premise_or_unanswerable": len(confident),
        "confident_items": confident,
        "errors": sum(1 for r in results if r.reply.error),
        "latency_s": {
            "median": round(statistics.median(latencies), 4) if latencies else None,
            "p90": round(latencies[int(0.9 * (len(latencies) - 1))], 4) if latencies else None,
            "total": round(sum(latencies), 2),
        },
        "categories": by_category,
        "languages": by_lang,
        "routes": {category: dict(counter) for category, counter in routes.items()},
    }


def acceptance(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's acceptance bar, one row per criterion (criteria without items are skipped)."""
    rows = []
    for label, key, target, higher in ACCEPTANCE:
        value = summary.get(key)
        if value is None:
            continue
        ok = value >= target if higher else value <= target
        bound = f"{'>=' if higher else '<='} {target}"
        rows.append({"criterion": label, "value": value, "target": bound, "passed": ok})
    return rows


def to_json(run: EvalRun) -> dict[str, Any]:
    return {
        "suite": str(run.suite.path),
        "items": len(run.suite),
        "url": run.url,
        "started_at": run.started_at,
        "duration_s": round(run.duration_s, 2),
        "uploads": run.uploads,
        "runs": [
            {
                "summary": (summary := summarise(model_run)),
                "acceptance": acceptance(summary),
                "items": [r.to_json() for r in model_run.results],
            }
            for model_run in run.runs
        ],
    }


def _cell(counts: dict[str, Any]) -> str:
    style = "green" if counts["correct_pct"] >= 95 else "yellow" if counts["correct_pct"] >= 60 else "red"
    return (
        f"[{style}]{counts['correct_pct']:5.1f}%[/] "
        f"{counts['correct']}/{counts['incorrect']}/{counts['not_attempted']}"
    )


def confident_wrong(summary: dict[str, Any]) -> dict[str, int]:
    """Incorrect (confidently wrong) answers per category, only the categories that have any."""
    return {c: n["incorrect"] for c, n in summary["categories"].items() if n["incorrect"]}


def render(run: EvalRun, console: Console) -> None:
    """Per-category table (one column per model), then the headline figures per model."""
    summaries = [summarise(m) for m in run.runs]
    title = f"{run.suite.path.name} — {len(run.suite)} items (correct% correct/incorrect/not attempted)"
    table = Table(title=title)
    table.add_column("category")
    table.add_column("n", justify="right")
    for summary in summaries:
        table.add_column(f"{summary['label']} ({summary['model_id']})", justify="right")
    categories = list(summaries[0]["categories"]) if summaries else []
    for category in categories:
        n = summaries[0]["categories"][category]["total"]
        table.add_row(category, str(n), *(_cell(s["categories"][category]) for s in summaries))
    table.add_section()
    for lang in summaries[0]["languages"] if summaries else []:
        n = summaries[0]["languages"][lang]["total"]
        table.add_row(f"lang={lang}", str(n), *(_cell(s["languages"][lang]) for s in summaries))
    table.add_section()
    table.add_row("overall", str(len(run.suite)), *(_cell(s) for s in summaries), style="bold")
    console.print(table)
    for summary in summaries:
        # Wrong is worse than "I don't know": confident-wrong answers come first, on their own line.
        wrong = confident_wrong(summary)
        by_category = ", ".join(f"{c} {n}" for c, n in wrong.items())
        console.print(
            f"[bold]{summary['label']}[/]: [{'red' if wrong else 'green'}]confident-wrong answers: "
            f"{sum(wrong.values())}[/]" + (f" ({by_category})" if by_category else "")
        )
    for summary in summaries:
        console.print(
            f"[bold]{summary['label']}[/]: correct-or-rightly-abstained {summary['score_pct']}% · "
            "confident answers to false-premise/unanswerable: "
            f"{summary['confident_on_premise_or_unanswerable']} · "
            f"grounded with citation: {summary['grounded_pct']}% · errors: {summary['errors']} · "
            f"median latency {summary['latency_s']['median']} s"
        )
        if summary["label"] != "raw":
            marks = [
                f"{'[green]✓[/]' if row['passed'] else '[red]✗[/]'} {row['criterion']} {row['value']} "
                f"(target {row['target']})"
                for row in acceptance(summary)
            ]
            console.print("  acceptance: " + " · ".join(marks))
