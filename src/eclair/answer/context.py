"""Documents pasted into the conversation, used as sources like ingested files.

Contract: :func:`split_question` separates a long user message into the text it provides
and the question it asks ("<article> … Question: who founded it?", or an article followed
by a final question). :func:`inline_passages` turns provided texts (that part of the last
message, earlier long user messages, long system messages) into :class:`Passage` objects
whose offsets index the text they came from, ready for grounded answering. Short messages
provide nothing. Passages are ranked by how many of the question's words they contain,
and at most :data:`MAX_PASSAGES` are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from eclair.answer.facts import fold1
from eclair.answer.numwords import words_to_digits
from eclair.answer.types import Passage
from eclair.engine.protocol import ChatMessage
from eclair.knowledge.chunking import chunk_spans

MIN_DOCUMENT_CHARS = 300
MAX_PASSAGES = 8
SOURCE = "conversation"

# Horizontal whitespace only after the line start: ``\s*`` there would backtrack over
# every run of newlines and make the search quadratic on hostile input.
_LABEL = re.compile(r"(?:^|\n)[ \t]*(?:question|q|query|requete|requête)[ \t]*[:：]\s*", re.IGNORECASE)
# The final question lies in the message's last characters; searching only there keeps the
# cost bounded whatever the message holds.
QUESTION_TAIL_CHARS = 400
_LAST_QUESTION = re.compile(r"(?:^|(?<=[.!?»\"”\n:]))\s*([^.!?\n:]{3,300}\?)\s*$")
_WORD = re.compile(r"[^\W\d_]{3,}|\d+", re.UNICODE)


def split_question(message: str) -> tuple[str, str]:
    """(provided text, question). The provided text is empty for an ordinary message."""
    if len(message) < MIN_DOCUMENT_CHARS:
        return "", message
    labels = list(_LABEL.finditer(message))
    if labels:
        last = labels[-1]
        question = message[last.end() :].strip()
        document = message[: last.start()].strip()
        if question and len(document) >= MIN_DOCUMENT_CHARS // 2:
            return document, question
    stripped = message.rstrip()
    m = _LAST_QUESTION.search(stripped, max(0, len(stripped) - QUESTION_TAIL_CHARS))
    if m and m.start(1) >= MIN_DOCUMENT_CHARS // 2:
        return message[: m.start(1)].strip(), m[1].strip()
    return "", message


# a question that points back at the sentence before it needs that sentence
_POINTS_BACK = re.compile(
    r"\b(?:it|its|he|his|she|her|they|their|this|that|these|those|there|il|elle|ils|elles|son|sa|ses|leur|"
    r"leurs|cet|cette|ces|cela|ca|here|ici|la-bas|y(?=\s+(?:a|est|sont|vit|vivent|parle|parlent)\b)|"
    # "quelle en est la capitale ?": "en" before a verb stands for what was named before
    r"en(?=\s+(?:est|sont|etait|a|ont|compte|comptent|fait|font)\b))\b",
    re.IGNORECASE,
)


# "Could you tell me…", "Je voudrais savoir…": how the question is asked, not what
# "Je suis retraité : combien…", "I'm a member. What time…": who asks (a kind of person, not
# an age) says which price or rule applies, so the statement stays with the question
_ABOUT_ASKER = re.compile(
    r"^\s*(?:i am|i'm|im|we are|we're|je suis|nous sommes|on est)\s+(?:a |an |une? )?[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[:,.;!]"
)
_FRAMING = re.compile(
    r"^\s*(?:(?:please|excuse me|sorry|hello|hi|bonjour|s'il (?:te|vous) pla[iî]t)[\s,]+)?"
    r"(?:(?:could|can|would) you (?:please )?(?:tell me|let me know)|(?:please )?tell me|do you know|"
    r"(?:i'd|i would|i want|i wanna) (?:like )?to know|i wonder|"
    r"(?:pourriez|pouvez|pourrais|peux)-(?:vous|tu) (?:me )?dire|(?:dis|dites)-moi|(?:tu sais|vous savez|sais-tu|"
    r"savez-vous)|(?:je (?:voudrais|veux|souhaite|souhaiterais)|j'aimerais(?: bien)?) savoir)[\s,:]+",
    re.IGNORECASE,
)


# A remark after the question that asks nothing and gives no number: "Could you add 2/7 and
# 3/10? Either form will do." (bounded: it lies in the message's last characters)
_TRAILING_REMARK = re.compile(r"(?<=\?)[ \t]{1,8}([^?\d\n]{3,120}[.!]?)[ \t]*$")
_REMARK_OPERATIONS = re.compile(
    r"\b(?:plus|minus|times|add|subtract|multiply|divide|double|twice|triple|half|halve|square|cube|root|"
    r"percent|moins|fois|ajoute|retire|enleve|multiplie|divise|moitie|carre|racine|pour ?cent)\w*\b|[%+×÷*/=]"
)


# "…, please.", "… s'il te plaît !": courtesy that ends a request asks nothing (bounded: searched
# in the message's last characters only)
_COURTESY_TAIL = re.compile(
    r"(?<=\S)[ \t,]{0,4}\b(?:please|pls|plz|thanks|thank you|merci(?: beaucoup| d'avance)?|svp|stp|"
    r"s'il (?:te|vous) pla[iî]t)(?P<end>[ \t]{0,4}[.!?]{0,3})[ \t]{0,4}$",
    re.IGNORECASE,
)


def drop_trailing_remark(message: str) -> str:
    """The message without a remark that follows its question and neither asks nor computes
    anything (no question mark, no number, in figures or words, no operation), and without the
    courtesy that ends it ("…, please."); else as is."""
    courtesy = _COURTESY_TAIL.search(message, max(0, len(message) - 40))
    if courtesy and courtesy.start() > 0:
        message = message[: courtesy.start()] + courtesy["end"].strip()
    m = _TRAILING_REMARK.search(message, max(0, len(message) - QUESTION_TAIL_CHARS))
    if m is None:
        return message
    remark = fold1(m[1])
    if _REMARK_OPERATIONS.search(remark) or any(
        ch.isdigit() for lang in ("en", "fr") for ch in words_to_digits(remark, lang)
    ):
        return message
    return message[: m.start()].rstrip()


def focus_question(message: str) -> str:
    """The question a short message asks, without the statements before it: "Le 14 juillet est
    la fête nationale. En quelle année a eu lieu la prise de la Bastille ?" asks the second
    sentence only (the first would lend its words, and its dates, to the evidence). A final
    question that points back ("What is its population?") keeps what it points at. How it is
    asked ("Could you tell me…", "Je voudrais savoir…") is not what is asked: left out too."""
    stripped = message.strip()
    m = _LAST_QUESTION.search(stripped, max(0, len(stripped) - QUESTION_TAIL_CHARS))
    keep = not m or m.start(1) == 0 or _POINTS_BACK.search(fold1(m[1])) or _ABOUT_ASKER.match(fold1(stripped))
    asked = stripped if keep else m[1].strip()  # type: ignore[index]
    framed = _FRAMING.match(asked)
    if framed and len(asked) - framed.end() >= 8:
        rest = asked[framed.end() :]
        asked = rest[:1].upper() + rest[1:]
    return asked if asked != stripped else message


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold1(text)))


def _passages(text: str, origin: str) -> list[Passage]:
    return [
        Passage(
            chunk_id=f"{origin}#{span.index}",
            source=SOURCE,
            text=text[span.start : span.end],
            start=span.start,
            end=span.end,
            document_id=origin,
        )
        for span in chunk_spans(text, max_chars=600)
    ]


def inline_passages(messages: Sequence[ChatMessage], document: str, question: str) -> list[Passage]:
    """Passages from texts provided in the conversation, best match to ``question`` first."""
    found: list[Passage] = []
    if document:
        found += _passages(document, "message")
    for i, message in enumerate(messages[:-1]):
        if message.role in ("user", "system") and len(message.content) >= MIN_DOCUMENT_CHARS:
            text, _ = split_question(message.content) if message.role == "user" else (message.content, "")
            found += _passages(text or message.content, f"message-{i}")
    if not found:
        return []
    wanted = _words(question)
    scored = []
    for passage in found:
        overlap = len(wanted & _words(passage.text))
        scored.append(replace(passage, score=float(overlap)))
    scored.sort(key=lambda p: p.score, reverse=True)
    return [p for p in scored[:MAX_PASSAGES] if p.score > 0] or scored[:1]
