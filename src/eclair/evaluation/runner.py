"""Run a question suite against an OpenAI-compatible server and grade every reply.

Contract:
- Talks to the server only through the official ``openai`` client it is given (any server
  that speaks ``/v1/models``, ``/v1/chat/completions`` and, for grounded items,
  ``/v1/files``). Each item's messages are sent as they are, with ``temperature=0``, one
  request at a time, in suite order.
- ``model="eclair"`` runs the assistant; ``"raw"`` runs the server's other model (the first
  id in ``/v1/models`` that is not ``eclair``), graded on its text only; ``"both"`` runs raw
  then eclair on the same uploads; any other value is used as a model id.
- Unless ``upload=False``, the documents the suite needs are uploaded first with
  ``files.create(purpose="assistants")`` plus a ``collection`` form field, skipping files
  the server already lists with the same name and size; what this run uploaded is deleted
  at the end unless ``keep_uploads``.
- A failed request is recorded on its item (graded *not attempted*), never raised; only an
  unreachable server or an unknown model raises :class:`EvalError`.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openai

from eclair.errors import EclairError
from eclair.evaluation import DEFAULT_COLLECTION, ECLAIR_MODEL
from eclair.evaluation.grading import Grade, Reply, grade
from eclair.evaluation.suite import Suite, SuiteItem, load_suite

_PENDING_STATUSES = {"uploaded", "pending", "in_progress", "processing"}


class EvalError(EclairError):
    """The evaluation cannot run (server unreachable, model unknown). Seen on the CLI."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    max_tokens: int = 256
    upload: bool = True
    keep_uploads: bool = False
    collection: str = DEFAULT_COLLECTION
    categories: tuple[str, ...] = ()
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: SuiteItem
    reply: Reply
    grade: Grade
    latency_s: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "category": self.item.category,
            "lang": self.item.lang,
            "kind": self.item.expect.kind,
            "question": self.item.question,
            "reply": self.reply.text,
            "eclair": dict(self.reply.eclair) if self.reply.eclair is not None else None,
            "error": self.reply.error,
            "verdict": self.grade.verdict,
            "reason": self.grade.reason,
            "details": self.grade.details,
            "latency_s": round(self.latency_s, 4),
        }


@dataclass(slots=True)
class ModelRun:
    label: str
    model_id: str
    results: list[ItemResult] = field(default_factory=list)


@dataclass(slots=True)
class EvalRun:
    suite: Suite
    url: str
    runs: list[ModelRun]
    uploads: dict[str, str] = field(default_factory=dict)
    started_at: str = ""
    duration_s: float = 0.0


ProgressCallback = Callable[[ModelRun, int, int, ItemResult], None]


def run_suite(
    path: str | Path,
    client: openai.OpenAI,
    model: str = ECLAIR_MODEL,
    *,
    options: RunOptions | None = None,
    on_result: ProgressCallback | None = None,
) -> EvalRun:
    """Run the suite at ``path`` for ``model`` (eclair, raw, both or an id) and grade it."""
    options = options or RunOptions()
    suite = load_suite(path).select(options.categories, options.limit)
    started = time.monotonic()
    targets = resolve_models(client, model)
    run = EvalRun(suite, str(client.base_url), [], started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    uploaded: list[str] = []
    try:
        if options.upload and suite.documents():
            run.uploads, uploaded = upload_documents(client, suite.documents(), options.collection)
        for label, model_id in targets:
            model_run = ModelRun(label, model_id)
            run.runs.append(model_run)
            for index, item in enumerate(suite, start=1):
                reply, latency = ask(client, model_id, item, options.max_tokens, raw=label == "raw")
                result = ItemResult(item, reply, grade(item, reply, run.uploads), latency)
                model_run.results.append(result)
                if on_result is not None:
                    on_result(model_run, index, len(suite), result)
    finally:
        if uploaded and not options.keep_uploads:
            delete_files(client, uploaded)
    run.duration_s = time.monotonic() - started
    return run


def regrade(path: str | Path, reports: Sequence[str | Path]) -> EvalRun:
    """Re-grade the replies saved in JSON ``reports`` against the suite at ``path``.

    No server is contacted: this applies a corrected suite or grader to past replies, and
    puts runs from several reports side by side. Items no longer in the suite are dropped.
    """
    suite = load_suite(path)
    by_id = {item.id: item for item in suite}
    run = EvalRun(suite, "", [])
    for report in reports:
        try:
            data = json.loads(Path(report).read_text(encoding="utf-8"))
            run.url = run.url or data["url"]
            run.started_at = run.started_at or data["started_at"]
            run.uploads.update(data.get("uploads") or {})
            for saved in data["runs"]:
                model_run = ModelRun(saved["summary"]["label"], saved["summary"]["model_id"])
                for entry in saved["items"]:
                    item = by_id.get(entry["id"])
                    if item is None:
                        continue
                    reply = Reply(entry["reply"], entry["eclair"], entry["error"])
                    graded = grade(item, reply, run.uploads)
                    model_run.results.append(ItemResult(item, reply, graded, entry["latency_s"]))
                run.runs.append(model_run)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EvalError(f"cannot read report {report}: {exc}") from None
    return run


def resolve_models(client: openai.OpenAI, model: str) -> list[tuple[str, str]]:
    """(label, model id) pairs to run, checked against ``/v1/models``."""
    try:
        ids = [m.id for m in client.models.list()]
    except openai.APIConnectionError as exc:
        raise EvalError(f"cannot reach the server at {client.base_url}: {exc}") from None
    except openai.APIStatusError as exc:
        raise EvalError(f"GET /models failed with HTTP {exc.status_code}: {exc.message}") from None
    raw_ids = [i for i in ids if i != ECLAIR_MODEL]
    wanted = ["raw", ECLAIR_MODEL] if model == "both" else [model]
    targets: list[tuple[str, str]] = []
    for label in wanted:
        if label == "raw":
            if not raw_ids:
                raise EvalError(f"the server lists no raw model (models: {ids})")
            targets.append(("raw", raw_ids[0]))
        elif label in ids:
            targets.append((label, label))
        else:
            raise EvalError(f"the server does not serve model {label!r} (models: {ids})")
    return targets


def ask(
    client: openai.OpenAI, model_id: str, item: SuiteItem, max_tokens: int, *, raw: bool
) -> tuple[Reply, float]:
    """Send one item's messages; the reply (errors included) and the seconds it took."""
    started = time.monotonic()
    try:
        response = client.chat.completions.create(
            model=model_id,
            messages=[dict(m) for m in item.messages],  # type: ignore[misc]
            temperature=0,
            max_tokens=max_tokens,
        )
        text = (response.choices[0].message.content or "") if response.choices else ""
        eclair = None if raw else _eclair_object(response.to_dict())
        reply = Reply(text, eclair)
    except openai.APIStatusError as exc:
        reply = Reply("", None, f"HTTP {exc.status_code}: {exc.message}")
    except openai.APIError as exc:
        reply = Reply("", None, f"{type(exc).__name__}: {exc}")
    return reply, time.monotonic() - started


def _eclair_object(data: dict[str, Any]) -> dict[str, Any] | None:
    """The response's ``eclair`` object: top level, else on the first choice or message."""
    found = data.get("eclair")
    if found is None and data.get("choices"):
        choice = data["choices"][0]
        found = choice.get("eclair") or (choice.get("message") or {}).get("eclair")
    return found if isinstance(found, dict) else None


def upload_documents(
    client: openai.OpenAI, paths: Sequence[Path], collection: str
) -> tuple[dict[str, str], list[str]]:
    """Upload ``paths``; returns (file id -> file name for every document, ids uploaded now)."""
    existing = _existing_files(client)
    aliases: dict[str, str] = {}
    uploaded: list[str] = []
    for path in paths:
        data = path.read_bytes()
        known = existing.get((path.name, len(data)))
        if known:
            aliases[known] = path.name
            continue
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".md":
            mime = "text/markdown"
        try:
            created = client.files.create(
                file=(path.name, data, mime),
                purpose="assistants",
                extra_body={"collection": collection},
            )
        except openai.APIError as exc:
            raise EvalError(f"uploading {path.name} failed: {exc}") from None
        uploaded.append(created.id)
        aliases[created.id] = path.name
        _wait_processed(client, created)
    return aliases, uploaded


def _existing_files(client: openai.OpenAI) -> dict[tuple[str, int], str]:
    try:
        # First page only: iterating the page would auto-paginate, forever on a server that
        # omits ``has_more``.
        return {(f.filename, f.bytes): f.id for f in client.files.list().data}
    except openai.APIError:
        return {}  # a server without a file listing: upload everything


def _wait_processed(client: openai.OpenAI, created: Any, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    status = getattr(created, "status", None)
    while status in _PENDING_STATUSES and time.monotonic() < deadline:
        time.sleep(0.5)
        status = getattr(client.files.retrieve(created.id), "status", None)


def delete_files(client: openai.OpenAI, file_ids: Sequence[str]) -> None:
    for file_id in file_ids:
        # Best effort: a leftover upload does not invalidate the run.
        with contextlib.suppress(openai.APIError):
            client.files.delete(file_id)
