"""Question suites: the JSONL format, loaded and validated.

A suite is a UTF-8 JSONL file, one item per line (blank lines and lines starting with ``//``
are ignored). The format is documented in ``evals/README.md``; this module is its single
implementation. :func:`load_suite` either returns a fully validated :class:`Suite` or raises
:class:`SuiteFormatError` naming the line and the field at fault: nothing downstream has to
re-check an item. Document paths are relative to the suite file's directory and must exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

from eclair.errors import EclairError

Kind = Literal["answer", "abstain", "premise", "model"]
Lang = Literal["en", "fr"]

KINDS: tuple[str, ...] = get_args(Kind)
LANGS: tuple[str, ...] = get_args(Lang)

# Category -> the expectation kind its items must have. The category is what the report
# groups by; the kind is what the grader does.
CATEGORIES: dict[str, Kind] = {
    "arithmetic": "answer",
    "percentages": "answer",
    "powers_roots": "answer",
    "units": "answer",
    "dates": "answer",
    "non_numeric": "premise",
    "false_premise": "premise",
    "grounded": "answer",
    "encyclopedia": "answer",
    "unanswerable": "abstain",
    "pushback": "answer",
    "chitchat": "model",
}

ROLES = ("system", "user", "assistant")


class SuiteFormatError(EclairError):
    """A suite file breaks the format. Seen by whoever runs ``eclair eval`` or the tests."""


@dataclass(frozen=True, slots=True)
class Expect:
    """What a correct reply looks like.

    ``answers`` and ``reject`` hold answer specs (see :mod:`eclair.evaluation.answers`);
    ``source`` is the file name of the document a grounded answer must cite.
    """

    kind: Kind
    answers: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SuiteItem:
    id: str
    category: str
    lang: Lang
    messages: tuple[dict[str, str], ...]
    expect: Expect
    documents: tuple[str, ...] = ()
    note: str | None = None

    @property
    def question(self) -> str:
        """The last user turn: what the item asks."""
        return self.messages[-1]["content"]

    @property
    def user_turns(self) -> list[str]:
        return [m["content"] for m in self.messages if m["role"] == "user"]

    @property
    def is_followup(self) -> bool:
        """True when the assistant already answered once (pushback items)."""
        return any(m["role"] == "assistant" for m in self.messages)


@dataclass(frozen=True, slots=True)
class Suite:
    path: Path
    items: tuple[SuiteItem, ...]
    root: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", self.path.parent)

    def __iter__(self) -> Iterator[SuiteItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def documents(self) -> list[Path]:
        """Every document the suite's items need, once each, in first-use order."""
        seen: dict[str, None] = {}
        for item in self.items:
            seen.update(dict.fromkeys(item.documents))
        return [self.root / rel for rel in seen]

    def select(self, categories: Sequence[str] = (), limit: int | None = None) -> Suite:
        """A sub-suite: only ``categories`` (all when empty), at most ``limit`` items."""
        items = [i for i in self.items if not categories or i.category in categories]
        return Suite(self.path, tuple(items[:limit] if limit is not None else items))


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SuiteFormatError(f"cannot read suite {path}: {exc.strerror or exc}") from None
    items: list[SuiteItem] = []
    seen_ids: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SuiteFormatError(f"{path.name}:{number}: invalid JSON ({exc.msg})") from None
        try:
            item = _parse_item(record, path.parent)
        except ValueError as exc:
            raise SuiteFormatError(f"{path.name}:{number}: {exc}") from None
        if item.id in seen_ids:
            raise SuiteFormatError(f"{path.name}:{number}: duplicate id {item.id!r}")
        seen_ids.add(item.id)
        items.append(item)
    if not items:
        raise SuiteFormatError(f"{path.name}: the suite has no items")
    return Suite(path, tuple(items))


def _parse_item(record: Any, root: Path) -> SuiteItem:
    # Local import: answers imports nothing from here, and the spec check lives there.
    from eclair.evaluation.answers import parse_spec

    if not isinstance(record, dict):
        raise ValueError("an item must be a JSON object")
    unknown = set(record) - {"id", "category", "lang", "messages", "expect", "documents", "note"}
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}")
    item_id = _string(record, "id")
    category = _string(record, "category")
    if category not in CATEGORIES:
        raise ValueError(f"{item_id}: unknown category {category!r}")
    lang = _string(record, "lang")
    if lang not in LANGS:
        raise ValueError(f"{item_id}: lang must be one of {LANGS}")
    messages = _messages(record.get("messages"), item_id)
    expect = _expect(record.get("expect"), item_id)
    if expect.kind != CATEGORIES[category]:
        raise ValueError(f"{item_id}: category {category} needs kind {CATEGORIES[category]!r}")
    for spec in (*expect.answers, *expect.reject):
        parse_spec(spec)  # raises ValueError on a bad regex or date
    documents = record.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) and d for d in documents):
        raise ValueError(f"{item_id}: documents must be a list of relative paths")
    for rel in documents:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise ValueError(f"{item_id}: document path {rel!r} must stay under the suite directory")
        if not (root / rel).is_file():
            raise ValueError(f"{item_id}: document {rel!r} does not exist")
    # (an encyclopedia item cites a pack's article, installed on the server, not a document)
    if (
        category != "encyclopedia"
        and expect.source
        and expect.source not in {Path(d).name for d in documents}
    ):
        raise ValueError(f"{item_id}: expect.source {expect.source!r} is not among its documents")
    if category in ("grounded", "encyclopedia") and not expect.source:
        raise ValueError(f"{item_id}: {category} items need expect.source")
    note = record.get("note")
    if note is not None and not isinstance(note, str):
        raise ValueError(f"{item_id}: note must be a string")
    return SuiteItem(item_id, category, cast(Lang, lang), messages, expect, tuple(documents), note)


def _string(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} must be a non-empty string")
    return value


def _messages(value: Any, item_id: str) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{item_id}: messages must be a non-empty list")
    messages = []
    for message in value:
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            raise ValueError(f"{item_id}: each message needs exactly 'role' and 'content'")
        if message["role"] not in ROLES or not isinstance(message["content"], str):
            raise ValueError(f"{item_id}: bad message {message!r}")
        messages.append({"role": message["role"], "content": message["content"]})
    if messages[-1]["role"] != "user" or not messages[-1]["content"].strip():
        raise ValueError(f"{item_id}: the last message must be a non-empty user turn")
    return tuple(messages)


def _expect(value: Any, item_id: str) -> Expect:
    if not isinstance(value, dict):
        raise ValueError(f"{item_id}: expect must be an object")
    unknown = set(value) - {"kind", "answers", "reject", "source"}
    if unknown:
        raise ValueError(f"{item_id}: unknown expect field(s) {sorted(unknown)}")
    kind = value.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{item_id}: expect.kind must be one of {KINDS}")
    answers = _string_list(value.get("answers", []), item_id, "answers")
    reject = _string_list(value.get("reject", []), item_id, "reject")
    if kind == "answer" and not answers:
        raise ValueError(f"{item_id}: answer items need at least one acceptable answer")
    if kind != "answer" and (answers or reject):
        raise ValueError(f"{item_id}: only answer items take answers/reject")
    source = value.get("source")
    if source is not None and (not isinstance(source, str) or "/" in source or not source):
        raise ValueError(f"{item_id}: expect.source must be a bare file name")
    return Expect(cast(Kind, kind), tuple(answers), tuple(reject), source)


def _string_list(value: Any, item_id: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{item_id}: expect.{name} must be a list of non-empty strings")
    return list(value)
