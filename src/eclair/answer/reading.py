"""One reading of a user message, made once and handed to every reader.

Contract: :func:`read_message` folds the message once (:func:`eclair.text.fold.fold_aligned`,
so spans in the folded text are spans of the message), writes its number words as digits
once, as the calculator reads them (:func:`eclair.answer.mathtext.prepare_text`), and finds every number and every
operation word with its span, plus the kind of request (:func:`eclair.answer.intent.classify_intent`).

Two properties of the pipeline are stated on a :class:`Reading`:

- :meth:`Reading.numeric`, *numeric at heart*: the message asks for a value that the numbers it
  holds determine (two quantities and an operation between them, or a number and a verb of
  computation: "round 27.456", "0.00042 in scientific notation"). Such a message is never
  handed to the model as chit-chat or to the documents as a question about them: a tool
  answers it, or the assistant says it cannot compute it.
- :meth:`Reading.unaccounted`: the numbers of the message a tool's reading left out. A reading
  that accounts for one clause of a message does not answer the whole message
  (:func:`eclair.answer.router.answer_with_tools`).

Years ("in 2024", "en 2025") are dates, not quantities, unless an operation is applied to them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from eclair.answer.intent import Intent, classify_intent, explains_notion, is_text_request
from eclair.answer.language import Lang
from eclair.answer.mathtext import prepare_text
from eclair.answer.numwords import FRACTION_WORDS
from eclair.answer.units import read_quantities
from eclair.text.fold import fold_aligned

# A number in the calculator's canonical form (decimal point, no grouping: prepare_text).
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
# Operation words and symbols: what is done to the numbers.
_OPERATION = re.compile(
    r"[+*/×÷=^%²³√]|(?<![a-z])(?:plus|minus|times|divided|divide|divides|multiplied|multiply|moins|fois|"
    r"divise[rz]?|multiplie[rz]?|add|added|adds|sum|total|subtract|subtracted|take away|difference|product|"
    r"quotient|remainder|ajoute[rz]?|additionne[rz]?|retire[rz]?|enleve[rz]?|soustrai[st]|soustraire|somme|"
    r"reste|double[sdr]?|doubled|triple[sdr]?|halve[sd]?|half|moitie|tiers|third|thirds|quarter|quarters|quart|"
    r"quarts|squared?|carres?|cubes?|cubed|root|racine|power|puissance|percent|pourcent|pourcentage|"
    r"each|chacune?|per|par|every|rises?|falls?|increases?|decreases?|increased|decreased|augmente[rz]?|"
    r"augmentation|baisse[rz]?|diminue[rz]?|discount|remise|reduction|off|sold|soldee?s?|more than|less than|"
    r"de plus|de moins|change|monnaie|rendre|rend|rendu|rends|average|moyenne|speed|vitesse|rate|taux|together|ensemble|"
    r"altogether|in all|en tout|au total|before|after|earlier|later|avant|apres|plus tot|plus tard)(?![a-z])"
)
# Verbs and nouns of computation that make one number a question on its own.
_COMPUTE = re.compile(
    r"(?<![a-z])(?:calculate|compute|work out|evaluate|simplify|round|rounded|rounding|arrondi[rst]?|arrondie?s?|"
    r"calcule[rz]?|calculer|evalue[rz]?|simplifie[rz]?|scientific notation|notation scientifique|"
    r"decimal places?|decimales?|significant figures|chiffres significatifs|prime|premiers?|divisors?|"
    r"diviseurs?|factors?|facteurs?|factori[sz]e|factorial|factorielle|log|logarithm|logarithme|ln|gcd|lcm|"
    r"hcf|pgcd|ppcm|square root|racine carree|cube root|racine cubique|convert|converti[rs]?|"
    r"in words|en lettres|en chiffres|roman numerals?|chiffres romains|binary|binaire|hexadecimal|as a decimal|"
    r"as a fraction|en decimal|en fraction|sous forme decimale|to the power)(?![a-z])"
)
_HOW_MANY = re.compile(r"\b(?:how many|how much|combien)\b")
# The noun a count asks for, with up to two words after it ("how many whole weeks", "combien de
# minutes"), on folded text: the one reading of it for every reader.
ASKED_COUNT = re.compile(
    r"\b(?:how many|combien de|combien d')\s?(?P<noun>[a-z][\w'-]*(?: [a-z][\w'-]*){0,2})"
)


def asked_count(folded: str) -> list[str]:
    """The words of the noun phrase a "how many" / "combien de" question counts, or []."""
    match = ASKED_COUNT.search(folded)
    return match["noun"].split() if match else []


# A 4-digit number after these words is a year ("in 2024", "fin 2025", "since 1990").
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|en|of|de|since|depuis|year|annee|by|for|pour|fin|debut|end|until|jusqu'en|from|to|au|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|janvier|"
    r"fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|\d{1,2}(?:st|nd|rd|th|er)?)"
    r"\s*[,']?\s*)$"
)


# "les deux", "tous les deux", "aucun des deux": both, a pronoun, not a number of the message
_BOTH = re.compile(r"\b(?:les|aux|des) deux\b(?! ?(?:[\d,]|fois|plus|moins|tiers|quarts?|cents?|mille))")
_PRONOUN_ONE = re.compile(
    r"(?<!plus )(?<!minus )(?<!times )(?<!fois )(?<!moins )(?<!by )(?<!par )(?<!and )(?<! et )"
    r"\b(?:one|un|une)\b(?![ -](?:plus|minus|times|fois|moins|divided|divise|half|third|quarter|tiers|quart|demi|"
    r"hundred|thousand|million|billion|cent|mille|millions?|milliards?|point|virgule|et|and)\b)"
)


# A fraction said in words as an operand of its own ("divisé par un demi", "times a quarter");
# "a third of 90" is an operation on 90, read by the calculator.
_FRACTION_WORD = re.compile(
    rf"(?<![\w.])(?:(?:an?|one|une?|1) (?P<d>demie|{'|'.join(FRACTION_WORDS)})(?!\w|')|"
    # "half of them", "la moitié des cartes": a part of what came before
    r"(?:la )?(?P<h>half|moitie) (?=of|de|du|des|d'))"
)
_DENOMINATOR = {**FRACTION_WORDS, "demie": 2, "moitie": 2}


# Numbers that set the scene of a problem, not its terms: a clock time said as one ("at 7:25",
# "il est 16 h 40", "à 11 h 05", "7 am") or someone's age ("43 years old", "elle a 58 ans"), on
# ``prepare_text`` output. They are quantities again when the question asks a time or an age.
_CONTEXT_NUMBER = re.compile(
    r"(?:(?:\b(?:at|a|vers|it's|it is|il est|des|from|de)|@)\s+)(?P<clock>\d{1,2}\s?(?::\s?\d{2}|h\s?\d{1,2})(?:\s?(?:am|pm))?)(?![\d.,])|"
    r"(?<![\d.,])(?P<ampm>\d{1,2}(?::\d{2})?\s?(?:am|pm))\b|"
    r"(?<![\d.,])(?P<age>\d{1,3})(?=\s?(?:years? old|-year-old)\b)|"
    r"\b(?:a|ai|as|avons|avez|ont)\s+(?P<ans>\d{1,3})\s?ans\b"
)
_ASKS_TIME_OR_AGE = re.compile(
    r"\b(?:how old|what time|at what time|when|how long|what age|quel age|quelle heure|a quelle heure|quand|"
    r"combien de temps|how many (?:years|hours|minutes)|combien d'(?:annees|heures)|combien de (?:minutes|jours|ans))\b"
)


def context_spans(digits: str, question: str) -> list[tuple[int, int]]:
    """The spans of ``digits`` (prepared text) holding a clock time or an age that only sets the
    scene: none when ``question`` asks a time, a duration or an age."""
    if _ASKS_TIME_OR_AGE.search(question):
        return []
    return [
        m.span(g) for m in _CONTEXT_NUMBER.finditer(digits) for g in ("clock", "ampm", "age", "ans") if m[g]
    ]


def without_scene(text: str) -> str:
    """``text`` with its scene-setting clock times and ages blanked out (same length), for the
    readers that would otherwise take them for terms of the problem."""
    folded = fold_aligned(text)
    spans = context_spans(folded, _last_sentence(folded))
    if not spans:
        return text
    pieces, at = [], 0
    for start, end in spans:
        pieces += [text[at:start], " " * (end - start)]
        at = end
    return "".join([*pieces, text[at:]])


@dataclass(frozen=True, slots=True)
class Number:
    value: Fraction
    start: int  # span in Reading.digits
    end: int
    year: bool  # a year written as a date ("en 2024"), not a quantity
    context: bool = False  # a clock time or an age that sets the scene (:func:`context_spans`)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message holds, read once (see the module docstring)."""

    text: str
    lang: Lang
    folded: str  # fold_aligned(text): same length, same spans
    digits: str  # folded, number words as digits, numbers in one canonical form
    numbers: tuple[Number, ...]
    operations: tuple[tuple[str, int, int], ...]  # (word, start, end) in digits
    compute: bool  # a verb or noun of computation ("round", "prime", "notation scientifique")
    intent: Intent

    @property
    def quantities(self) -> tuple[Number, ...]:
        """The numbers that are quantities: years written as dates are left out, unless an
        operation works on them ("2024 divided by 8")."""
        if len(self.numbers) == 1 or (self.operations and all(n.year for n in self.numbers)):
            return self.numbers
        return tuple(n for n in self.numbers if not n.year and not n.context)

    def numeric(self) -> bool:
        """Numeric at heart: the value asked is determined by the numbers written (see the
        module docstring). A creative request or a request to write, translate or advise is not,
        unless it names a computation ("can you write 0.00042 in scientific notation?")."""
        quantities = self.quantities
        if not quantities:
            return False
        if self.compute and not explains_notion(self.folded):
            return True
        if is_text_request(self.folded) or len(quantities) < 2:
            return False
        # two quantities and an operation, or "how many / combien" of two measured quantities
        # ("6 litres: how many 75 cl bottles?"; "la carte 10 entrées du centre" measures nothing)
        if self.operations:
            return True
        return (
            _HOW_MANY.search(self.digits) is not None and len(read_quantities(self.text, self.lang)[1]) >= 2
        )

    def counts_from_numbers(self) -> bool:
        """The question asks "how many / how much / combien" and the message gives two quantities
        or more to count from: whatever its form (advice, "should I"), a count is asked."""
        if len(self.quantities) < 2 or is_text_request(self.folded):
            return False
        asked = re.split(r"(?<=[.!?])\s+(?=\S)", self.digits.strip())[-1]
        return _HOW_MANY.search(asked) is not None

    def unaccounted(self, used: Iterable[Fraction]) -> list[Number]:
        """The quantities of the message whose values are not among ``used`` (a multiset)."""
        left = Counter(abs(v) for v in used)
        missing: list[Number] = []
        for number in self.quantities:
            value = abs(number.value)
            if left[value] > 0:
                left[value] -= 1
            elif value.numerator == 1 and left[Fraction(value.denominator)] > 0:
                left[Fraction(value.denominator)] -= 1  # "un demi" computed as 1 / 2
            else:
                missing.append(number)
        return missing


def _last_sentence(digits: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=\S)", digits.strip())[-1]


def _numbers(digits: str, context: Sequence[tuple[int, int]] = ()) -> tuple[Number, ...]:
    found: list[Number] = []
    starts = [a for a, _ in context]  # (in order: found left to right)
    for match in _NUMBER.finditer(digits):
        raw = match.group()
        value = Fraction(raw)
        year = (
            value.denominator == 1
            and 1000 <= value <= 2200
            and _YEAR_BEFORE.search(digits[max(0, match.start() - 24) : match.start()]) is not None
        )
        at = bisect_right(starts, match.start()) - 1  # the last span starting at or before it
        scene = at >= 0 and match.start() < context[at][1]
        found.append(Number(value, match.start(), match.end(), year, scene))
    for match in _FRACTION_WORD.finditer(digits):
        denominator = _DENOMINATOR[match["d"] or match["h"]]
        found = [n for n in found if not (n.start == match.start() and n.value == 1)]  # "1 demi"
        found.append(Number(Fraction(1, denominator), match.start(), match.end(), False))
    return tuple(sorted(found, key=lambda n: n.start))


def read_message(text: str, lang: Lang) -> Reading:
    """The one reading of ``text`` (see the module docstring)."""
    folded = fold_aligned(text)
    # "one", "un", "une" are as often a pronoun or an article as a number ("Quick one: …").
    blanked = _BOTH.sub(
        lambda m: " " * len(m.group()), _PRONOUN_ONE.sub(lambda m: " " * len(m.group()), folded)
    )
    digits = prepare_text(blanked, lang)
    operations = tuple((m.group(), m.start(), m.end()) for m in _OPERATION.finditer(digits))
    return Reading(
        text=text,
        lang=lang,
        folded=folded,
        digits=digits,
        numbers=_numbers(digits, context_spans(digits, _last_sentence(digits))),
        operations=operations,
        compute=_COMPUTE.search(digits) is not None,
        intent=classify_intent(text),
    )
