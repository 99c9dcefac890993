"""The router: which path answers a user turn.

Contract: :func:`decide` looks at the last user message of a conversation (and the
conversation's language) and returns a :class:`Decision`:

1. ``premise``: the question applies arithmetic to a non-number or rests on a false fact
   (:mod:`eclair.answer.premise`); the reply says what is wrong.
2. ``date``: a date computation (:mod:`eclair.answer.dates`).
3. ``calculator``: a unit conversion (:mod:`eclair.answer.units`), an arithmetic
   expression in symbols or words (:mod:`eclair.answer.mathtext`, also inside a request:
   "can you work out … for me?") or a word problem (:mod:`eclair.answer.wordproblem`, which
   first tries percentages, :mod:`~eclair.answer.percentproblem`, and multi-step stories,
   :mod:`~eclair.answer.storyproblem`), computed exactly; hostile expressions are refused
   with the reason. A colon after a word ends a lead-in ("Quick one: 5 × 3").
4. ``knowledge``: a factual question (:mod:`eclair.answer.intent`), to be answered from
   documents (the knowledge base, or a text pasted in the conversation) or abstained on.
5. ``model``: everything else (greetings, writing, brainstorming, advice).

A question longer than :data:`MAX_QUESTION_CHARS` is not read by any rule: it goes to the
model (a text to read or write, not a question a tool or a lookup answers), so the time the
rules take is bounded whatever the message holds.

Tool replies (1-3) are computed synchronously, in about a millisecond: the whole message by
:func:`~eclair.answer.dispatch.answer_one`, else clause by clause
(:mod:`eclair.answer.clauses`); they carry
``checks``, the values a correct earlier answer would contain, which pushback uses to
re-verify. Every rule is about a *kind* of question, in English and French; none names a
particular question. The router never calls the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from eclair.answer.clauses import SEGMENT, answer_clauses, plainer, works_on_result
from eclair.answer.context import drop_trailing_remark, split_question
from eclair.answer.dispatch import answer_one
from eclair.answer.intent import classify_intent, is_text_request
from eclair.answer.language import Lang, conversation_language, detect_language
from eclair.answer.phrasing import say
from eclair.answer.reading import Reading, read_message
from eclair.answer.toolreply import ToolReply
from eclair.engine.protocol import ChatMessage

DecisionRoute = Literal["calculator", "date", "premise", "knowledge", "model"]


@dataclass(frozen=True, slots=True)
class Decision:
    route: DecisionRoute
    lang: Lang
    # The question to answer (the last user message, or its question part).
    question: str
    reply: ToolReply | None = None
    # Text the user provided in the same message ("<article> Question: …").
    document: str = ""
    # An open question ("why…", "how does…"): when no document or pack speaks of its subject,
    # the model explains rather than abstaining.
    open: bool = False


# ------------------------------------------------------------------ routing


# The longest question the rules read (tools, intent, pushback, documents); the longest in
# the evaluation suites has under 200 characters.
MAX_QUESTION_CHARS = 1000


def readable(question: str) -> bool:
    """Whether ``question`` is short enough for the rules to read (:data:`MAX_QUESTION_CHARS`)."""
    return len(question) <= MAX_QUESTION_CHARS


def answer_with_tools(text: str, lang: Lang, today: date, reading: Reading | None = None) -> ToolReply | None:
    """A tool's complete answer to ``text``, or None when no tool applies (or ``text`` is too
    long to be a question, :func:`readable`).

    The whole message is tried first; then its sentences and clauses one by one, so that
    "Hey, what is 6 times 7? Just curious." is still a calculation. Several calculations in
    one message get one line each. Coverage: a reading that leaves out a number of the message
    (:meth:`Reading.unaccounted`) does not answer it, and a message that asks two questions is
    answered only when each of them is.
    """
    if not readable(text):
        return None
    reading = reading or read_message(text, lang)
    if sum(1 for s in SEGMENT.split(text) if s and s.strip().endswith("?")) >= 2:
        # "Is 2100 a leap year? How many days will it have?": one answer per question.
        return answer_clauses(text, lang, today, every_question=True)
    # "7 divided by 3, rounded to the hundredth": the whole read as one calculation would drop
    # the rounding, which has no number of its own.
    if works_on_result(text, lang) and (chained := answer_clauses(text, lang, today)):
        return chained
    whole = answer_one(text, lang, today)
    if whole is not None and whole.used is not None and reading.unaccounted(whole.used):
        whole = None  # it read one clause as if it were the message
    if whole is not None and not (whole.reason or "").startswith("refused:"):
        return whole
    # A refusal of the whole message may come from reading clauses as one ("1 divisé par 4,
    # divisé par 2": "," is no number); the clauses read one by one may all be computable.
    found = answer_clauses(text, lang, today) or whole
    if found is None and (rewritten := plainer(text, lang)) is not None:
        # the same question with its anaphora resolved or its glosses dropped: every number of
        # the message is still in it, so coverage holds
        return answer_with_tools(rewritten, lang, today)
    return found


def last_user_message(messages: Sequence[ChatMessage]) -> str | None:
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    return None


def decide(messages: Sequence[ChatMessage], today: date) -> Decision:
    """Route the conversation's last user turn (see the module docstring)."""
    conversation_lang = conversation_language(messages)
    content = last_user_message(messages)
    if content is None or not messages or messages[-1].role != "user":
        return Decision("model", conversation_lang, content or "")
    document, question = split_question(content)
    question = drop_trailing_remark(question)
    lang = detect_language(question, conversation_lang)
    if not readable(question):
        return Decision("model", lang, question, None, document)
    reading = read_message(question, lang)
    if is_text_request(reading.folded) and not reading.compute:
        # "Donne-moi 3 conseils pour économiser 20 %": its numbers belong to the text asked for
        return Decision("model", lang, question, None, document)
    if reply := answer_with_tools(question, lang, today, reading):
        return Decision(reply.route, lang, question, reply, document)
    if not document and reading.numeric():
        # Numeric at heart but no tool read all of it: neither the model nor the documents
        # may guess the value.
        reply = ToolReply(
            "calculator", say("calc.unread", lang), abstained=True, reason="no tool read every number"
        )
        return Decision("calculator", lang, question, reply, document)
    if reading.intent != "model":
        return Decision("knowledge", lang, question, None, document, open=reading.intent == "open")
    if not document and reading.counts_from_numbers():
        # "…about 2 sausages each, 6 to a pack. How many packs should I buy?": advice in form, a count at
        # heart; the model would guess it
        reply = ToolReply(
            "calculator", say("calc.unread", lang), abstained=True, reason="no tool read every number"
        )
        return Decision("calculator", lang, question, reply, document)
    return Decision("model", lang, question, None, document)


def warm_up() -> None:
    """Load data files and compile patterns now rather than on the first question."""
    today = date(2000, 1, 1)
    for text, lang in (
        ("square root of a goat", "en"),
        ("how much do bull eggs weigh", "en"),
        ("when did Napoleon walk on the Moon", "en"),
        ("how many seconds in 3 hours", "en"),
        ("combien de centimètres dans 2 mètres", "fr"),
        ("what day was 1 May 2000", "en"),
        ("17 × 23", "en"),
        ("bonjour", "fr"),
    ):
        answer_with_tools(text, lang, today)  # type: ignore[arg-type]
        classify_intent(text)
