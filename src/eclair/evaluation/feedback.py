"""Evaluation items from the 👎 that users gave answers on the web page.

``eclair eval --from-feedback SUITE`` writes one item per 👎 (:func:`feedback_suite`), in the
suite format of :mod:`eclair.evaluation.suite`, for the operator to run and refine:

- an answer that *declined* ("not sure") and was disliked becomes a runnable ``chitchat`` item
  of kind ``model``: it passes once Éclair attempts an answer instead of declining;
- any other disliked answer was, for its user, wrong; the right answer is not known here, so
  the item is written as a *draft*: a ``//`` line (which suites ignore) with ``expect.answers``
  empty and the category its route suggests. The operator fills in the acceptable answers
  and removes the ``//``; the loader then checks the item like any other.

Every item carries the user's comment and the disliked answer in ``note`` (and a ``//``
line above it), never who gave the feedback.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eclair.store.feedback import Feedback
from eclair.text.language import detect_language

# The category a disliked answer's route suggests for its draft (the operator may change it).
DRAFT_CATEGORY = {
    "calculator": "arithmetic",
    "date": "dates",
    "knowledge": "grounded",
    "premise": "false_premise",
    "model": "encyclopedia",
}
NOTE_CHARS = 300


@dataclass(frozen=True, slots=True)
class FeedbackSuite:
    text: str  # the JSONL file's content
    ready: int  # items that run as they are
    drafts: int  # items to complete (written behind //)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= NOTE_CHARS else line[: NOTE_CHARS - 1] + "…"


def _item(feedback: Feedback) -> tuple[dict[str, Any], bool]:
    lang = detect_language(feedback.question, "en")
    declined = feedback.route == "abstain"
    note = f"👎 {feedback.created_at:%Y-%m-%d}"
    if feedback.comment:
        note += f"; comment: {_short(feedback.comment)}"
    note += f"; disliked answer ({feedback.route or 'model'}): {_short(feedback.answer)}"
    item: dict[str, Any] = {
        "id": f"feedback-{feedback.message_id}",
        "category": "chitchat" if declined else DRAFT_CATEGORY.get(feedback.route or "model", "encyclopedia"),
        "lang": lang,
        "messages": [{"role": "user", "content": feedback.question}],
        "expect": {"kind": "model"} if declined else {"kind": "answer", "answers": []},
        "note": note,
    }
    return item, declined


def feedback_suite(disliked: Sequence[Feedback]) -> FeedbackSuite:
    lines = [
        "// Evaluation items from 👎 feedback (eclair eval --from-feedback).",
        "// Lines starting with // are drafts: add the acceptable answers to expect.answers,",
        "// check the category, then remove the leading // to make them run.",
    ]
    ready = drafts = 0
    for feedback in disliked:
        if not feedback.question.strip():
            continue
        item, runnable = _item(feedback)
        lines.append(f"// {item['note']}")
        encoded = json.dumps(item, ensure_ascii=False)
        if runnable:
            lines.append(encoded)
            ready += 1
        else:
            lines.append(f"// {encoded}")
            drafts += 1
    return FeedbackSuite("\n".join(lines) + "\n", ready, drafts)
