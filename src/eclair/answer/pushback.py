"""Pushback: the user contests the previous answer; re-check it, then hold or concede.

Contract:
- :func:`detect_contest` recognises a contesting turn ("are you sure?", "that's wrong, I think
  it's 400", "non, c'est faux", "tu es sûr ?") and extracts the value the user proposes, if any.
- :func:`previous_exchange` finds, in the conversation, the question that was answered and
  the answer being contested, skipping earlier rounds of pushback.
- :func:`tool_verdict` compares a fresh tool answer with the contested one: when the earlier
  answer contains what the re-check computed (``ToolReply.checks``), the answer is *held*,
  politely and with the computation shown; otherwise Éclair *concedes* and gives the
  re-checked answer. A value the user proposes never changes the result: only the re-check does.

The re-check itself (tools, or documents for factual questions) is run by the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from eclair.answer.facts import fold1
from eclair.answer.numfmt import parse_decimal
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import say
from eclair.answer.router import ToolReply
from eclair.engine.protocol import ChatMessage

Verdict = Literal["hold", "agree", "concede"]

_CONTEST = re.compile(
    r"\b(?:are|r) (?:you|u) (?:sure|certain|positive|serious)\b|\byou sure\b|"
    r"\b(?:that's|thats|that is|this is|it's|its|you're|youre|you are|your answer is|the answer is) "
    r"(?:wrong|incorrect|not right|not correct|false|a mistake|mistaken|not true)\b|"
    r"^\s*(?:no|nope|wrong|incorrect|false|not true|really)\b|\bi (?:think|believe|thought|reckon|guess) "
    r"(?:it's|it is|its|the answer is|that's|that it's|it was|it should be)\b|\b(?:shouldn't|should not) it be\b|"
    r"\bisn't it\b|\bactually,? (?:it's|it is)\b|\b(?:check|think) again\b|\bdouble[- ]check\b|\breally\s*\?|"
    r"\bmy (?:calculator|teacher|friend|book|dad|mom|mother|father) (?:says|said)\b|\bi don't think so\b|"
    r"\b(?:es-tu|etes-vous|tu es|vous etes|t'es|t es) (?:bien )?(?:sur|sure|certain|certaine|certains)\b|"
    r"\bc'est (?:faux|pas ca|pas juste|incorrect|inexact|une erreur)\b|\bce n'est pas (?:ca|juste|correct|exact)\b|"
    r"\b(?:tu te trompes|vous vous trompez|tu as tort|vous avez tort|faux|erreur|n'importe quoi)\b|^\s*non\b|"
    r"\bje (?:pense|crois|suis sur|suis sure|suis certain|suis certaine) (?:plutot )?(?:que )?(?:c'est|ca fait|"
    r"la reponse est|ce serait|c'etait|ca donne)\b|\bverifie[sz]?\b|\bn'est-ce pas plutot\b|\bvraiment\s*\?|"
    r"\bmon (?:prof|professeur|ami|livre|pere|calculatrice) (?:dit|m'a dit)\b|\bma (?:calculatrice|mere|prof) dit\b|"
    r"\bplutot\b"
)
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Contest:
    """A contesting turn, and the value the user proposes instead (normalised), if any."""

    proposed: str | None = None


def detect_contest(message: str, lang: str) -> Contest | None:
    text = fold1(message).strip()
    if not _CONTEST.search(text):
        return None
    digits = words_to_digits(text, lang)
    numbers = _NUMBER.findall(digits)
    proposed = None
    if numbers:
        try:
            proposed = _canonical(numbers[-1], lang)
        except ValueError:
            proposed = numbers[-1]
    return Contest(proposed)


def _canonical(number: str, lang: str) -> str:
    negative = number.startswith("-")
    value = parse_decimal(number.lstrip("-"), lang)
    if negative:
        value = -value
    if value.denominator == 1:
        return str(value.numerator)
    return format(float(value), "g")


def previous_exchange(messages: Sequence[ChatMessage], lang: str) -> tuple[str, str] | None:
    """(question that was answered, the answer contested) before the last user turn."""
    history = list(messages[:-1])
    answer: str | None = None
    for i in range(len(history) - 1, -1, -1):
        message = history[i]
        if message.role == "assistant" and answer is None:
            answer = message.content
        elif message.role == "user" and answer is not None:
            if detect_contest(message.content, lang) and i > 0:
                continue  # an earlier round of pushback: keep looking for the question
            return message.content, answer
    return None


def _normalise(text: str) -> str:
    """Folded text with digit grouping removed ("7,006,652" and "7 006 652" → "7006652")."""
    text = fold1(text).replace("\u202f", " ").replace("\u00a0", " ")
    text = re.sub(r"(?<=\d)[ ,](?=\d{3}\b)", "", text)
    return text


def mentions(text: str, value: str) -> bool:
    """Whether ``text`` states ``value`` (a number as a whole number, or words)."""
    norm, value = _normalise(text), fold1(value).strip()
    if not value:
        return False
    if re.fullmatch(r"-?[\d.,/]+", value):
        variants = {value, value.replace(".", ","), value.replace(",", ".")}
        return any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d]|[.,]\d)", norm) for v in variants)
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", norm) is not None


def tool_verdict(previous: str, recheck: ToolReply, contest: Contest) -> Verdict:
    """Whether the contested answer stands, given a fresh tool answer."""
    same = previous.strip() == recheck.text.strip() or any(mentions(previous, c) for c in recheck.checks)
    if not same:
        return "concede"
    if contest.proposed is not None and any(mentions(contest.proposed, c) for c in recheck.checks):
        return "agree"
    return "hold"


def tool_reply_text(verdict: Verdict, recheck: ToolReply, contest: Contest, lang: str) -> str:
    if verdict == "concede":
        return say("pushback.concede", lang, answer=recheck.text)
    if verdict == "agree":
        return say("pushback.agree", lang, answer=recheck.text)
    if contest.proposed is not None and recheck.route != "premise":
        return say("pushback.hold_with_value", lang, value=contest.proposed, answer=recheck.text)
    return say("pushback.hold", lang, answer=recheck.text)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?", _CITATION.sub("", _normalise(text))))


_CITATION = re.compile(r"\s*\[\d+\]")


def knowledge_reply_text(
    previous: str, answer: str, abstained: bool, contest: Contest, lang: str
) -> tuple[str, Verdict]:
    """Wording for a re-checked factual answer: ``hold`` when the documents say again what
    the contested answer said (same text, or the same numbers and dates)."""
    if abstained:
        return say("pushback.abstain_hold", lang), "hold"
    before, after = fold1(_CITATION.sub("", previous)).strip(), fold1(_CITATION.sub("", answer)).strip()
    figures = _numbers(previous)
    same = before == after or (bool(figures) and figures <= _numbers(answer))
    if not same:
        return say("pushback.sources_recheck", lang, answer=answer), "concede"
    if contest.proposed is not None and not mentions(answer, contest.proposed):
        return say("pushback.sources_hold_value", lang, value=contest.proposed, answer=answer), "hold"
    return say("pushback.sources_hold", lang, answer=answer), "hold"
