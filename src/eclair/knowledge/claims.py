"""Checkable claims in a generated answer: numbers, dates and proper names.

Contract:
- :func:`extract_claims` finds, in an answer, every number (digits, with any thousands or
  decimal separator; and English/French number words from two upwards), every month name
  (a date part; the year is a number) and every proper name (a capitalised word that is not
  a function word opening a sentence).
- :func:`is_supported` says whether one claim occurs in a source text: numbers compare by
  value whatever their formatting ("1 083", "1,083", "1083"; "3,5" = "3.5"), a number word
  matches its digits and vice versa, months match across English and French, names match
  case- and accent-insensitively as whole words (or as a long prefix, for possessives and
  inflections).
- :func:`units_agree` says whether the numbers of an answer count what the sources count:
  a number the sources write with a word after it ("within 30 days") must not come with
  another word in the answer ("30 mois"); the same word in the other language ("5 ans" /
  "5 years", glossary of :mod:`eclair.knowledge.bilingual`) or a month of the same number
  agrees.
- Nothing here judges whether an answer is *right*; only whether its specifics come from the
  sources. A claim that is not in any source is what the grounding step refuses to show.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents
from eclair.text.calendar import MONTH_NAMES
from eclair.text.calendar import WEEKDAYS as WEEKDAY_TABLE
from eclair.text.fold import fold

ClaimKind = Literal["number", "month", "name"]

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?(?![\d])")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*", re.UNICODE)
_SENTENCE_OPENERS = '.!?:;«"“('

# Full month names only: "mar", "sept" are too often other words in a document's text.
MONTHS: dict[str, int] = {fold(name): i for names in MONTH_NAMES.values() for i, name in enumerate(names, 1)}
WEEKDAYS = frozenset(WEEKDAY_TABLE)
# "may"/"mars" are too often not dates in running text unless capitalised
_AMBIGUOUS_MONTHS = lexical.wordset("may mars")

_NUMBER_NAMES = (
    (
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion",
        [*range(2, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000, 10**6, 10**9],
    ),
    (
        "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente "
        "quarante cinquante soixante cent mille million millions milliard milliards",
        [*range(2, 17), 20, 30, 40, 50, 60, 100, 1000, 10**6, 10**6, 10**9, 10**9],
    ),
)
NUMBER_WORDS: dict[str, int] = {
    name: value for names, values in _NUMBER_NAMES for name, value in zip(names.split(), values, strict=True)
}

# Capitalised words that open a sentence without naming anything.
FRAME_WORDS = lexical.wordset(
    """
    according based yes yeah answer approximately about around roughly nearly almost over under
    built located founded born made known there here this these those it its they he she we you
    in on at by for from since after before during the a an as some many most all each both
    reponse environ pres presque selon apres avant depuis pendant construit construite situe situee
    fonde fondee ne nee voici cela ceci oui non il elle ils elles nous vous on ce cette ces le la
    les un une des du de en au aux dans par pour sur
    """
)


@dataclass(frozen=True, slots=True)
class Claim:
    kind: ClaimKind
    text: str
    # Canonical form: a number's value as text, a month's number, a name's folded words.
    key: str


def _number_key(token: str) -> str:
    token = re.sub(r"[ \u00a0\u202f]", "", token)
    if re.fullmatch(r"[1-9]\d{0,2}([.,]\d{3})+", token):  # ("0,015" is a decimal)
        token = re.sub(r"[.,]", "", token)  # thousands separators
    token = token.replace(",", ".")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token.lstrip("0") or "0"


_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")


def _numbers(text: str) -> set[str]:
    keys = {_number_key(m.group()) for m in _NUMBER.finditer(text)}
    # also every bare digit run, so "1889 330" (a date then a count) matches either part;
    # but not the groups of a number written with thousands spaces: "1 230 km" is 1230, not 230
    grouped = [m.span() for m in _GROUPED.finditer(text)]
    keys |= {
        m.group().lstrip("0") or "0"
        for m in re.finditer(r"\d+", text)
        if not any(a <= m.start() and m.end() <= b for a, b in grouped)
    }
    keys |= {str(NUMBER_WORDS[w]) for w in lexical.words(text) if w in NUMBER_WORDS}
    return keys


def _at_sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a sentence: nothing is before it, or (spaces aside) a line
    break, a sentence mark or a citation marker "[2]". Read backwards from ``pos``: searching
    the text before each word would be quadratic in its words."""
    end = pos
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if pos == 0 or "\n" in text[end:pos]:
        return True
    if end == 0:
        return False
    if text[end - 1] in _SENTENCE_OPENERS:
        return True
    digits = end - 1
    while digits > 0 and text[digits - 1].isdecimal():
        digits -= 1
    return text[end - 1] == "]" and 0 < digits < end - 1 and text[digits - 1] == "["


def extract_claims(answer: str) -> list[Claim]:
    """Numbers, months and proper names stated in ``answer`` (see module docstring)."""
    claims: list[Claim] = [
        Claim("number", m.group(), _number_key(m.group())) for m in _NUMBER.finditer(answer)
    ]
    for match in re.finditer(r"[^\W\d_]+", answer):
        word = lexical.fold(match.group())
        if word in NUMBER_WORDS:
            claims.append(Claim("number", match.group(), str(NUMBER_WORDS[word])))
        elif word in MONTHS and (word not in _AMBIGUOUS_MONTHS or match.group()[0].isupper()):
            claims.append(Claim("month", match.group(), str(MONTHS[word])))
    for match in _CAPITALISED.finditer(answer):
        token = match.group().rstrip("'’-")
        for part in lexical.words(token):
            if part in MONTHS or part in NUMBER_WORDS or len(part) < 2 or part.isdigit():
                continue
            at_start = _at_sentence_start(answer, match.start())
            if at_start and (part in FRAME_WORDS or lexical.is_stopword(part)):
                continue
            if not at_start and lexical.is_stopword(part) and not token.isupper():
                continue
            claims.append(Claim("name", token, part))
    return claims


def is_supported(claim: Claim, source: str) -> bool:
    """Whether ``claim`` occurs in ``source`` (see module docstring for the matching rules)."""
    if claim.kind == "number":
        return claim.key in _numbers(source)
    if claim.kind == "month":
        return any(MONTHS.get(w) == int(claim.key) for w in lexical.words(source))
    source_words = set(lexical.words(source))
    if claim.key in source_words:
        return True
    return any(lexical.term_match(lexical.stem(claim.key), lexical.stem(w)) for w in source_words)


def unsupported_claims(answer: str, sources: list[str]) -> list[Claim]:
    """The claims of ``answer`` that occur in none of ``sources``."""
    return [c for c in extract_claims(answer) if not any(is_supported(c, s) for s in sources)]


# Units of time are stop words (they never show what a question is about) yet they say what
# a number counts: each is mapped to one name, whatever the language.
_TIME_UNITS = {
    word: unit
    for unit, words in (
        ("year", "year years an ans annee annees"),
        ("month", "month months mois"),
        ("week", "week weeks semaine semaines"),
        ("day", "day days jour jours journee journees"),
        ("hour", "hour hours heure heures h"),
        ("minute", "minute minutes min"),
    )
    for word in words.split()
}


def _quantities(text: str) -> list[tuple[str, str]]:
    """(number, word after it) pairs: ("30", "unit:day") for "within 30 days"; the word is a
    stem, a unit of time ("unit:year") or a month's number ("month:3")."""
    tokens = lexical.words(text)
    pairs: list[tuple[str, str]] = []
    for token, following in itertools.pairwise(tokens):
        value = (token.lstrip("0") or "0") if token.isdigit() else str(NUMBER_WORDS.get(token, ""))
        if not value or following.isdigit() or following in NUMBER_WORDS:
            continue
        if following in _TIME_UNITS:
            word = f"unit:{_TIME_UNITS[following]}"
        elif following in MONTHS:
            word = f"month:{MONTHS[following]}"
        elif lexical.is_stopword(following):
            continue
        else:
            word = lexical.stem(following)
        pairs.append((value, word))
    return pairs


def _same_unit(a: str, b: str) -> bool:
    if ":" in a or ":" in b:
        return a == b
    return lexical.term_match(a, b) or any(lexical.term_match(e, b) for e in equivalents(a))


def units_agree(answer: str, sources: list[str]) -> bool:
    """Whether each number of ``answer`` counts what the sources count (see module docstring)."""
    written = [pair for source in sources for pair in _quantities(source)]
    for value, unit in _quantities(answer):
        units = [u for v, u in written if v == value]
        if units and not any(_same_unit(unit, u) for u in units):
            return False
    return True
