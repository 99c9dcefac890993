"""What it means for a reply to *state* an answer: text normalisation, numbers, answer specs.

Answer specs (the strings in a suite item's ``expect.answers`` / ``expect.reject``):

- ``"391"``, ``"-3"``, ``"0.2"``: a number; matches any number in the reply with the same
  value, however it is written (``1 000``, ``1,000``, ``1000``, ``1 000,5`` = ``1000.5``,
  ``−8``, ``moins 8``).
- ``"~1.414"``: an approximate number; matches a reply number that rounds to it at the
  spec's number of decimals (``1.41421`` matches, ``1.41`` does not).
- ``"date:2025-05-30"``: a calendar date written any usual way in English or French
  (``30 May 2025``, ``May 30th, 2025``, ``30 mai 2025``, ``1er mai``, ``2025-05-30``,
  ``30/05/2025``).
- ``"re:PATTERN"``: a Python regex, searched case-insensitively in the reply and in its
  normalised form (lower case, no accents).
- anything else: text, matched as whole words in the normalised reply.

Ambiguous separators are read every plausible way (``1,000`` is 1000 or 1.0) when looking
for an acceptable answer; :func:`extract_numbers` gives the most likely reading first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

SpecKind = Literal["number", "approx", "date", "regex", "text"]

_TRANSLATE = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "−": "-",
        "–": "-",
        "‑": "-",
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "²": "^2",
        "³": "^3",
        "\u2009": " ",
        "\u202f": " ",
        "\u00a0": " ",
    }
)
_CITATION_MARK = re.compile(r"\s?\[\d{1,3}\]")


def normalise(text: str) -> str:
    """Lower case, accents removed, typographic quotes/minus unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower()).strip()


def strip_citation_marks(text: str) -> str:
    """Remove ``[1]``-style citation markers, which are not numbers of the answer."""
    return _CITATION_MARK.sub("", text)


# -- numbers --------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,])(-(?=\d))?(\d[\d ,.']*\d|\d)")
# ("au moins 8", "at least"; "pas moins de 8", "no fewer than": not negative)
_UNARY_WORD = re.compile(r"(?:^|[^\d\s]\s*|^\s*)\b(?<!\bau )(?:minus|moins|negative|negatif)\s+$")
_GROUP_HEAD = re.compile(r"\d{1,3}")
_GROUP = re.compile(r"\d{3}(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Number:
    """A number written in a text: its most likely value, other readings, and its span."""

    value: Decimal
    readings: tuple[Decimal, ...]
    start: int
    end: int


def extract_numbers(text: str, lang: str = "en") -> list[Number]:
    """Numbers in ``text`` (already normalised or not), in order of appearance."""
    text = text.translate(_TRANSLATE)
    numbers: list[Number] = []
    for match in _NUMBER.finditer(text):
        negative = bool(match.group(1)) or bool(_UNARY_WORD.search(text[: match.start()][-30:]))
        offset = match.start(2)
        for index, (piece, start) in enumerate(_group_pieces(match.group(2), offset)):
            readings = _readings(piece, lang)
            if not readings:
                continue
            if negative and index == 0:
                readings = [-r for r in readings]
            numbers.append(Number(readings[0], tuple(readings), start, start + len(piece)))
    return numbers


def _group_pieces(body: str, offset: int) -> list[tuple[str, int]]:
    """Split a digit run on spaces, re-joining thousands groups (``3 460`` stays one number)."""
    groups: list[list[tuple[str, int]]] = []
    for m in re.finditer(r"[^ ]+", body):
        piece = m.group()
        last = groups[-1] if groups else None
        if (
            last is not None
            and _GROUP.fullmatch(piece)
            and _GROUP_HEAD.fullmatch(last[0][0])
            and all(re.fullmatch(r"\d{3}", p) for p, _ in last[1:])
        ):
            last.append((piece, offset + m.start()))
        else:
            groups.append([(piece, offset + m.start())])
    out = []
    for group in groups:
        joined = "".join(p for p, _ in group).rstrip(".,'")
        if joined:
            out.append((joined, group[0][1]))
    return out


def _readings(token: str, lang: str) -> list[Decimal]:
    """Possible values of a token without spaces, most likely first."""
    token = token.replace("'", "")
    has_comma, has_dot = "," in token, "." in token
    try:
        if has_comma and has_dot:
            decimal_sep = "," if token.rfind(",") > token.rfind(".") else "."
            thousands = "." if decimal_sep == "," else ","
            return [Decimal(token.replace(thousands, "").replace(decimal_sep, "."))]
        if not (has_comma or has_dot):
            return [Decimal(token)]
        sep = "," if has_comma else "."
        parts = token.split(sep)
        if len(parts) > 2:
            if _GROUP_HEAD.fullmatch(parts[0]) and all(len(p) == 3 for p in parts[1:]):
                return [Decimal("".join(parts))]
            return []  # "30.05.2024" and the like: not one number (dates are matched as dates)
        whole, frac = parts
        as_decimal = Decimal(f"{whole}.{frac}")
        if len(frac) == 3 and _GROUP_HEAD.fullmatch(whole) and whole != "0":
            as_thousands = Decimal(whole + frac)
            thousands_first = sep == "," and lang == "en"
            return [as_thousands, as_decimal] if thousands_first else [as_decimal, as_thousands]
        return [as_decimal]
    except InvalidOperation:
        return []


# -- answer specs -----------------------------------------------------------------------

_EN_MONTHS = (
    "january|jan",
    "february|feb",
    "march|mar",
    "april|apr",
    "may",
    "june|jun",
    "july|jul",
    "august|aug",
    "september|sept|sep",
    "october|oct",
    "november|nov",
    "december|dec",
)
_FR_MONTHS = (
    "janvier|janv",
    "fevrier|fevr|fev",
    "mars",
    "avril|avr",
    "mai",
    "juin",
    "juillet|juil",
    "aout",
    "septembre|sept",
    "octobre|oct",
    "novembre|nov",
    "decembre|dec",
)


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    kind: SpecKind
    raw: str
    number: Decimal | None = None
    decimals: int = 0
    pattern: re.Pattern[str] | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "approx")

    def matches_value(self, value: Decimal) -> bool:
        assert self.number is not None
        if self.kind == "approx":
            step = Decimal(1).scaleb(-self.decimals)
            return value.quantize(step, rounding=ROUND_HALF_UP) == self.number
        return value == self.number


def parse_spec(spec: str) -> AnswerSpec:
    """Parse one answer spec; ``ValueError`` when it is malformed."""
    if spec.startswith("re:"):
        try:
            return AnswerSpec("regex", spec, pattern=re.compile(spec[3:], re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"bad regex {spec!r}: {exc}") from None
    if spec.startswith("date:"):
        try:
            day = date.fromisoformat(spec[5:])
        except ValueError:
            raise ValueError(f"bad date spec {spec!r} (want date:YYYY-MM-DD)") from None
        return AnswerSpec("date", spec, pattern=_date_pattern(day))
    approx = spec.startswith("~")
    body = spec[1:] if approx else spec
    if re.fullmatch(r"-?\d+(?:\.\d+)?", body):
        decimals = len(body.partition(".")[2])
        return AnswerSpec("approx" if approx else "number", spec, Decimal(body), decimals)
    if approx:
        raise ValueError(f"bad approximate number {spec!r}")
    words = normalise(spec)
    return AnswerSpec("text", spec, pattern=re.compile(rf"(?<!\w){re.escape(words)}(?!\w)"))


def _date_pattern(day: date) -> re.Pattern[str]:
    d, m, y = day.day, day.month, day.year
    month = f"(?:{_EN_MONTHS[m - 1]}|{_FR_MONTHS[m - 1]})\\.?"
    dd = f"(?:0?{d}|premier)" if d == 1 else f"0?{d}"
    suffix = "(?:st|nd|rd|th|er|e)?"
    forms = [
        rf"\b{dd}{suffix}\s+(?:of\s+)?{month},?\s+{y}\b",
        rf"\b{month}\s+{dd}{suffix},?\s+{y}\b",
        rf"\b{y}-0?{m}-0?{d}\b",
        rf"\b0?{d}[/.-]0?{m}[/.-]{y}\b",
        rf"\b0?{m}/0?{d}/{y}\b",
    ]
    return re.compile("|".join(forms))


def spec_found(spec: AnswerSpec, text: str, numbers: list[Number]) -> bool:
    """Whether ``text`` (with its extracted ``numbers``) states the answer ``spec``."""
    if spec.numeric:
        return any(spec.matches_value(r) for n in numbers for r in n.readings)
    assert spec.pattern is not None
    if spec.kind == "regex":
        return bool(spec.pattern.search(text) or spec.pattern.search(normalise(text)))
    return bool(spec.pattern.search(normalise(text)))


def number_matches(spec: AnswerSpec, number: Number) -> bool:
    return spec.numeric and any(spec.matches_value(r) for r in number.readings)
