"""Pushback: the user contests the previous answer; re-check it, then hold or concede.

Contract:
- :func:`detect_contest` recognises a contesting turn ("are you sure?", "that's wrong, I think
  it's 400", "non, c'est faux", "tu es sûr ?", "pas du tout, c'est 14") and extracts the value
  the user asserts, if any; after a numeric answer, a bare different value ("it's 720", "c'est
  14") is a contest too, and so is the user's own result ("je trouve 92"). "Si, ..." and "yes
  they do" contradict a negative answer; a polite closing ("No thanks, that's all", "Non merci")
  is not a contest. :func:`find_pushback` applies it to a conversation's last turn.
- A user's own calculation in the contest ("Wrong! 12 × 13 is 156") is noted: the reply says
  it is a different calculation and holds the re-checked answer.
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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from eclair.answer.facts import fold1
from eclair.answer.numfmt import parse_decimal
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import say
from eclair.answer.router import readable
from eclair.answer.toolreply import ToolReply
from eclair.engine.protocol import ChatMessage

Verdict = Literal["hold", "agree", "concede"]

_CONTEST = re.compile(
    r"\b(?:are|r) (?:you|u) (?:sure|certain|positive|serious)\b|\byou sure\b|"
    r"\b(?:that's|thats|that is|this is|it's|its|you're|youre|you are|your answer is|the answer is) "
    r"(?:wrong|incorrect|not right|not correct|false|a mistake|mistaken|not true)\b|"
    r"^\s*(?:no|nope|wrong|incorrect|false|not true|really)\b|\bi (?:think|believe|thought|reckon|guess) "
    r"(?:it's|it is|its|the answer is|that's|that it's|it was|it should be)\b|\b(?:shouldn't|should not) it be\b|"
    r"\bisn't it\b|\bactually,? (?:it's|it is)\b|\b(?:check|think) again\b|\bdouble[- ]check\b|\breally\s*\?|"
    r"\bmy (?:\w+ ){0,2}(?:calculator|teacher|friend|book|dad|mom|mother|father|phone|app|spreadsheet|boss|"
    r"colleague|son|daughter|kid) (?:says|said|shows|showed|gives|gave|gets|got)\b|\bi don't think so\b|"
    r"\b(?:es-tu|etes-vous|tu es|vous etes|t'es|t es) (?:bien )?(?:sur|sure|certain|certaine|certains)\b|"
    r"\bc'est (?:faux|pas ca|pas juste|incorrect|inexact|une erreur)\b|\bce n'est pas (?:ca|juste|correct|exact)\b|"
    r"\b(?:tu te trompes|vous vous trompez|tu as tort|vous avez tort|faux|erreur|n'importe quoi)\b|^\s*non\b|"
    r"\bje (?:pense|crois|suis sur|suis sure|suis certain|suis certaine) (?:plutot )?(?:que )?(?:c'est|ca fait|"
    r"la reponse est|ce serait|c'etait|ca donne)\b|\bverifie[sz]?\b|\bn'est-ce pas plutot\b|\bvraiment\s*\?|"
    r"\b(?:mon|ma) (?:\w+ ){0,2}(?:prof|professeur|ami|amie|livre|pere|mere|calculatrice|telephone|tableur|"
    r"appli|collegue|fils|fille) (?:dit|m'a dit|affiche|donne|indique|trouve)\b|"
    r"\bplutot\b|\b(?:you're|youre|you are|you've been|you were) (?:off|mistaken|confused)\b|\boff by\b|"
    r"\byou (?:made a mistake|got it wrong|miscalculated|messed up)\b|\b(?:that|this) (?:can't|cannot|can not) be "
    r"right\b|\b(?:no way|not at all|i disagree|definitely not|certainly not|nah|nope|nonsense|rubbish|"
    r"ridiculous|ridicule|absurde|mais enfin)\b|\bsure\s*\?|"
    r"\b(?:pas du tout|mais non|absolument pas|pas d'accord|c'est pas (?:ca|juste|bon|vrai)|"
    r"(?:tu t'es|vous vous etes) trompee?s?|(?:tu as|t'as|vous avez) fait (?:une|un) (?:erreur|faute)|"
    r"(?:t'es|tu es) sure?\s*\?|sure?\s*\?|ca ne peut pas etre)\b|"
    r"\b(?:isn't|is not|isnt|doesn't|does not|don't think (?:that's|that is|it's|it is)|n'est pas|"
    r"ne (?:me )?semble pas|ne (?:me )?parait pas) (?:look |seem |sound )?(?:right|correct|true|accurate|"
    r"juste|exact|bon|vrai)\b|\bnot what i (?:got|get|found|calculated)\b|"
    r"\bpas ce que j'ai (?:trouve|obtenu|calcule)\b|\b(?:j'aurais dit|i would have said|i'd have said)\b|"
    # "my teacher told us so", "that's backwards", "c'est l'inverse"
    r"\b(?:told (?:me|us)|m'a dit|nous a dit|m'a appris|nous a appris)\b|\b(?:that's|thats|it's|its|c'est) "
    r"(?:backwards|the other way round|the other way around|l'inverse|a l'envers)\b|"
    # a conclusion of the user's own: "…only years divisible by 400 are leap years. So it's 28."
    r"(?:^|[.!;:,]\s*)(?:so|then|therefore|hence|donc|alors|du coup),? (?:it's|it is|its|that's|that makes|"
    r"the answer is|c'est|ca fait|ca donne|la reponse est) -?\d|"
    # "Si" contradicts a negative answer ("Si, je l'ai lu", "Mais si !"); "yes they do" likewise.
    r"^\s*(?:mais |oh )?si(?: si)*\s*[,!.]|^\s*(?:mais |oh )?si$|"
    r"^\s*(?:yes|yeah|yep),? (?:it|he|she|they|there|you|we) (?:is|are|was|were|do|does|did|can|could|has|have)\b"
)
# A polite "no" that closes the exchange ("No thanks, that's all", "Non merci, c'est tout").
_CLOSING = re.compile(
    r"^\s*(?:no|nope|non|nan)[\s,!.]*(?:thanks|thank you|thx|merci|ca ira|c'est bon|c'est tout|that's all|"
    r"that's it|i'm good|i'm fine|nothing else|rien d'autre|pas besoin|all good)\b"
)
# Surprise at the answer: "C'est bizarre", "that seems off".
_DOUBT = re.compile(
    r"\b(?:(?:that|this|it) (?:seems|looks|sounds) (?:off|wrong|weird|strange|odd|too (?:high|low|big|small))|"
    r"(?:that's|thats|that is|it's|its) (?:a (?:bit|little) |way )?off\b|"
    r"c'est (?:bizarre|etrange|louche)|(?:ca|cela) (?:me )?(?:semble|parait) (?:bizarre|faux|etrange|"
    r"beaucoup|peu))"
)
# The user's own result after a numeric answer: "je trouve 92", "I got 15 too".
_OWN_RESULT = re.compile(r"\b(?:je trouve|j'obtiens|moi j'ai|moi je trouve|i get|i got|i'm getting) -?\d")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
# A number the user asserts: "it's 720", "c'est 14", "ça fait 54", "il y en a 59", "= 156".
_CLAIMED = re.compile(
    r"(?:(?<!what )(?<!how much )(?<!combien )\b(?:it's|it is|its|is|are|was|were|equals|makes|gives|"
    r"should be|more like|i get|i got|i make it|says|said|would have said|j'aurais dit|dit|c'est|c'etait|ca fait|ca donne|ca devrait etre|font|fait|"
    r"il y en a|il y a|plutot|serait|est|etait|j'obtiens|je trouve|j'ai trouve)|=)\s*(?:un |une |a |an )?"
    r"(-?\d+(?:[.,]\d+)?)"
)
# A turn that is only a different value after a numeric answer: "it's 720", "plutôt 14 ?", "720!".
_BARE_CLAIM = re.compile(
    r"^\s*+(?:(?:hmm+|hm|well|so|but|actually|euh|bah|ben|mais|en fait|donc)[\s,.!]*+)*"
    r"(?:it's|it is|its|that's|thats|c'est|ca fait|ca donne|plutot|more like|rather|i get|i got|"
    r"j'obtiens|j'ai trouve|je trouve)?\s*+(-?\d+(?:[.,]\d+)?)\s*+[a-z]{0,12}+\s*+[.!?]*+\s*$"
)
# An arithmetic expression of the user's own ("12 × 13 is 156"): a different calculation.
_EXPRESSION = re.compile(
    r"(?<!\d)\d+(?:[.,]\d+)?\s*(?:[×x*/+÷-]|times|fois|plus|minus|moins|divided by|divise par|multiplied by|"
    r"multiplie par|%\s*(?:of|de|d'))\s*\d+(?:[.,]\d+)?"
)


@dataclass(frozen=True, slots=True)
class Contest:
    """A contesting turn, and the value the user proposes instead (normalised), if any.
    ``expression``: the user wrote a calculation of their own ("12 × 13 is 156")."""

    proposed: str | None = None
    expression: str | None = None


def detect_contest(message: str, lang: str, previous_answer: str | None = None) -> Contest | None:
    """The contest in ``message``, or None. With ``previous_answer`` (the assistant's turn before),
    a bare different value after a numeric answer ("it's 720", "c'est 14") is a contest too.
    A message too long to be a question (:func:`~eclair.answer.router.readable`) is none."""
    if not readable(message):
        return None
    text = fold1(message).strip()
    if _CLOSING.match(text):
        return None
    digits = words_to_digits(text, lang)
    numeric_answer = previous_answer is not None and bool(_NUMBER.search(_normalise(previous_answer)))
    own_result = numeric_answer and bool(_OWN_RESULT.search(digits))
    if not _CONTEST.search(text) and not _DOUBT.search(text) and not own_result:
        bare = _BARE_CLAIM.match(digits)
        if bare is None or previous_answer is None or not numeric_answer:
            return None
        if previous_answer.rstrip().endswith("?"):
            return None  # the number answers the assistant's own question ("How many guests?" "8")
        return Contest(_number(bare[1], lang))
    claimed = _CLAIMED.findall(digits)
    numbers = _NUMBER.findall(digits)
    proposed = None
    if claimed:
        proposed = _number(claimed[0], lang)
    elif numbers and "?" not in text:
        proposed = _number(numbers[-1], lang)
    expression = _EXPRESSION.search(digits)
    return Contest(proposed, expression[0] if expression else None)


def _number(number: str, lang: str) -> str:
    try:
        return _canonical(number, lang)
    except ValueError:
        return number


def _canonical(number: str, lang: str) -> str:
    negative = number.startswith("-")
    value = parse_decimal(number.lstrip("-"), lang)
    if negative:
        value = -value
    if value.denominator == 1:
        return str(value.numerator)
    return format(float(value), "g")


@dataclass(frozen=True, slots=True)
class Pushback:
    """The user contests ``previous`` (the answer to ``question``)."""

    contest: Contest
    question: str
    previous: str

    def overrides(self, message: str) -> bool:
        """Whether this turn is pushback even though a tool could answer it by itself: it
        asserts a value ("Wrong! 12 × 13 is 156") rather than asking something new ("no, what
        is 12 × 13?")."""
        return self.contest.proposed is not None or not message.rstrip().endswith("?")


def find_pushback(messages: Sequence[ChatMessage], lang: str) -> Pushback | None:
    """The contest in the conversation's last user turn, with the exchange it contests."""
    if len(messages) < 3 or messages[-1].role != "user" or messages[-2].role != "assistant":
        return None
    contest = detect_contest(messages[-1].content, lang, messages[-2].content)
    if contest is None:
        return None
    exchange = previous_exchange(messages, lang)
    return None if exchange is None else Pushback(contest, *exchange)


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
    if contest.expression is not None and _counts(contest.expression) - _counts(recheck.text):
        # The user computed something else ("12 × 13 is 156" against 12 × 12): say so.
        return say("pushback.hold_other", lang, answer=recheck.text)
    if contest.proposed is not None and recheck.route != "premise":
        return say("pushback.hold_with_value", lang, value=contest.proposed, answer=recheck.text)
    return say("pushback.hold", lang, answer=recheck.text)


def _counts(text: str) -> Counter[str]:
    return Counter(re.findall(r"\d+(?:[.,]\d+)?", _normalise(text)))


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?", _CITATION.sub("", _normalise(text))))


_CITATION = re.compile(r"(?<!\s)\s*\[\d+\]")  # from a run's first space: linear


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
