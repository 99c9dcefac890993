"""``eclair eval``: run a question suite against a running server and report.

:func:`eval_command` is a plain typer-compatible function; ``eclair.cli`` registers it with
``app.command("eval")(eval_command)``. It prints the per-category table and the headline
figures (confident-wrong answers first, on their own line), writes the JSON report when
``--out`` is given, and exits with status 1 (one line, no traceback) when the suite is
malformed or the server cannot be used, or, with ``--fail-on-wrong``, when any answer of the
assistant (not the raw model) is confidently wrong.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from eclair.evaluation import DEFAULT_COLLECTION, DEFAULT_URL
from eclair.evaluation.suite import CATEGORIES, SuiteFormatError

if TYPE_CHECKING:
    from eclair.evaluation.runner import ItemResult, ModelRun

MODEL_CHOICES = ("eclair", "raw", "both")


def write_feedback_suite(path: Path, console: Console) -> None:
    """``--from-feedback``: the 👎 stored in this server's database, as suite items in ``path``
    (see :mod:`eclair.evaluation.feedback`)."""
    from eclair.clikit import load_settings
    from eclair.evaluation.feedback import feedback_suite
    from eclair.store import Store

    store = Store.from_settings(load_settings())
    try:
        suite = feedback_suite(store.feedback.disliked())
    finally:
        store.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(suite.text, encoding="utf-8")
    console.print(
        f"{suite.ready + suite.drafts} item(s) from 👎 feedback written to {path}: "
        f"{suite.ready} ready to run, {suite.drafts} draft(s) to complete (behind //)"
    )


def eval_command(
    suite: Annotated[Path, typer.Argument(help="Question suite (JSONL), e.g. evals/simple-questions.jsonl.")],
    url: Annotated[str, typer.Option("--url", envvar="ECLAIR_URL", help="Server base URL.")] = DEFAULT_URL,
    model: Annotated[str, typer.Option("--model", help="eclair, raw or both (side by side).")] = "eclair",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the JSON report here.")] = None,  # noqa: UP045
    no_upload: Annotated[
        bool, typer.Option("--no-upload", help="Do not upload the suite's documents first.")
    ] = False,
    keep_uploads: Annotated[
        bool, typer.Option("--keep-uploads", help="Leave the uploaded documents on the server.")
    ] = False,
    collection: Annotated[str, typer.Option("--collection", help="Upload collection.")] = DEFAULT_COLLECTION,
    category: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--category", help="Only this category (repeatable)."),
    ] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N items.")] = None,  # noqa: UP045
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=1, help="Answer length cap per item.")] = 256,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds allowed per request.")] = 300.0,
    fail_on_wrong: Annotated[
        bool,
        typer.Option(
            "--fail-on-wrong", help="Exit with status 1 when any answer is confidently wrong (for CI)."
        ),
    ] = False,
    regrade: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--regrade", help="Re-grade the replies of this JSON report (repeatable); no server."),
    ] = None,
    from_feedback: Annotated[
        bool,
        typer.Option(
            "--from-feedback",
            help="Write the answers users gave 👎 on this server (its database) to SUITE as items; no run.",
        ),
    ] = False,
) -> None:
    """Run a question suite and grade it SimpleQA-style (correct / incorrect / not attempted)."""
    console, err = Console(), Console(stderr=True)
    if from_feedback:
        write_feedback_suite(suite, console)
        return
    if model not in MODEL_CHOICES:
        err.print(f"[bold red]error:[/] --model must be one of {', '.join(MODEL_CHOICES)}")
        raise typer.Exit(2)
    unknown = sorted(set(category or ()) - set(CATEGORIES))
    if unknown:
        err.print(f"[bold red]error:[/] unknown category {unknown[0]!r} (known: {', '.join(CATEGORIES)})")
        raise typer.Exit(2)
    # Imported here: the openai SDK takes a second to import, and `eclair` must start fast.
    import openai
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from eclair.client import api_base
    from eclair.evaluation.report import render, to_json
    from eclair.evaluation.runner import EvalError, RunOptions, run_suite
    from eclair.evaluation.runner import regrade as regrade_reports

    client = openai.OpenAI(
        base_url=api_base(url), api_key=os.environ.get("ECLAIR_API_KEY") or "none", timeout=timeout
    )
    options = RunOptions(
        max_tokens=max_tokens,
        upload=not no_upload,
        keep_uploads=keep_uploads,
        collection=collection,
        categories=tuple(category or ()),
        limit=limit,
    )
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    tasks: dict[str, TaskID] = {}

    def on_result(run: ModelRun, index: int, total: int, result: ItemResult) -> None:
        if not err.is_terminal:  # logs and CI: one line per item instead of a progress bar
            err.print(
                f"[{run.label}] {index}/{total} {result.item.id}: {result.grade.verdict} "
                f"({result.latency_s:.1f} s)",
                markup=False,
                highlight=False,
            )
            return
        if run.label not in tasks:
            tasks[run.label] = progress.add_task(run.label, total=total)
        progress.update(tasks[run.label], completed=index)

    try:
        if regrade:
            run = regrade_reports(suite, regrade)
        else:
            with progress:
                run = run_suite(suite, client, model, options=options, on_result=on_result)
    except (SuiteFormatError, EvalError) as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        client.close()
    render(run, console)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(to_json(run), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        console.print(f"report written to {out}")
    if fail_on_wrong:
        from eclair.evaluation.report import confident_wrong, summarise

        wrong = sum(sum(confident_wrong(summarise(m)).values()) for m in run.runs if m.label != "raw")
        if wrong:
            err.print(f"[bold red]{wrong} confident-wrong answer(s)[/]")
            raise typer.Exit(1)
