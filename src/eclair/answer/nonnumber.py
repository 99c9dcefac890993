"""Arithmetic applied to things that are not numbers ("the cube of happiness", "divise Paris par pi").

Contract: :func:`find_non_number` takes a question already folded by
:func:`eclair.answer.facts.fold1` and returns a :class:`NonNumber` when an arithmetic operation
is asked of an operand that is plainly not a number, and None otherwise (also whenever unsure).
It knows three shapes, in English and French:

1. *Unary*: "square root / cube root / logarithm / factorial / sine / cosine / the square /
   the cube of X",
   "X squared", "X to the power of 3", "racine carrée de X", "le cube de X", "X au carré".
2. *Infix*: "what is X divided by 7", "5 times X", "combien font X moins Y", after a question
   frame ("what is", "calculate", "combien font"...) or starting with a number.
3. *Imperative*: "divide X by Y", "multiply X by Y", "add X to Y", "divise X par Y",
   "ajoute X à Y". "add"/"subtract" also have kitchen meanings ("add the eggs to the flour"), so
   they count only when the message asks for a result ("what's the total?", "le résultat").

An operand is a number when it holds a digit or a number word, a constant (pi, infinity), a
variable ("x", "n"), a pronoun ("it", "ça"), or a noun that *is* an amount (the bill, the
price, the area: :file:`premise_facts.toml`'s ``quantities``). Sharing things out is not an
error either: dividing a plural ("divide the apples by 3"), or adding a duration to anything
("Tuesday plus 3 days"), is left to the other tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from eclair.answer.numwords import FRACTION_WORDS, words_to_digits
from eclair.answer.units import names_unit


@dataclass(frozen=True, slots=True)
class NonNumber:
    """``thing``: the operand that is not a number (span in the folded text); ``op``: the
    operation key; ``other``: the other operand's span for a binary operation."""

    op: str
    thing: tuple[int, int]
    other: tuple[int, int] | None = None
    # True when ``other`` comes first in the written expression ("5 times X").
    other_first: bool = False


_TOKEN = r"(?:\d+(?:[.,]\d+)?%?|[^\W\d_][\w'\-]*)"
_PHRASE = rf"{_TOKEN}(?: {_TOKEN}){{0,6}}"
# (spaces and separators are taken whole, never given back: what follows starts with a letter
# or a digit, and giving them back one at a time made a long run of spaces quadratic)
_START = (
    r"(?:^|[.!?;:,])\s*+(?:(?:hey|hi|ok|okay|so|alors|dis|dites|bon|please|quick one|quick question|"
    r"question|svp|stp|s'il te plait|s'il vous plait)[\s,:!]++)*"
)
_FRAME = (
    r"(?:what is|what's|whats|what are|what does|what do|how much is|how much are|how much does|calculate|"
    r"compute|evaluate|work out|give me|tell me|find|combien (?:font|fait|vaut|valent|donne|egale?)|"
    r"que (?:vaut|valent|font|fait|donne)|quel est|quelle est|calcule[rz]?|calculez|"
    r"donne[sz]?-moi|dites-moi|dis-moi|trouve[rz]?|c'est combien|ca fait combien|peux-tu calculer|"
    r"can you (?:calculate|compute|tell me))"
)

# The question asked after the expression: "X divisé par 3, ça fait combien ?", "X times 4, how much is that?"
_ASKED_AFTER = (
    r"(?:(?:ca|cela) (?:fait|donne|vaut) (?:combien|quoi)|c'est combien|combien (?:ca|cela) (?:fait|donne)|"
    r"how much is (?:that|it)|what does (?:that|it) (?:make|give|equal)|what is (?:that|it))\b"
)
_POLITE = (
    r"(?:can you|could you|would you|please|peux-tu|pouvez-vous|tu peux|vous pouvez|pourrais-tu|pourriez-vous|"
    r"(?:what do you get |what is it )?if you|(?:qu'obtient-on |que vaut )si (?:tu|on|vous))"
)
_UNARY_OPS: list[tuple[str, str]] = [
    (r"(?:the |la )?square root (?:of|de) ", "sqrt"),
    (r"\bsqrt(?: of)? ", "sqrt"),
    (r"(?:the )?cube root of ", "cbrt"),
    (r"\b(?<!a )(?:the )?(?:natural )?(?:logarithm|log|ln)(?: (?:in |to )?base \d+)? of ", "log"),
    (r"\b(?:the )?factorial of ", "factorial"),
    (r"\b(?:the )?sine of ", "sine"),
    (r"\b(?:the )?cosine of ", "cosine"),
    (r"\b(?:le )?sinus (?:de |d'|du )", "sine"),
    (r"\b(?:le )?cosinus (?:de |d'|du )", "cosine"),
    (r"\bthe square of ", "square"),
    (r"\bthe cube of ", "cube"),
    (r"\bracine carree (?:de |d')", "sqrt"),
    (r"\bracine cubique (?:de |d')", "cbrt"),
    (r"\blogarithme (?:neperien |decimal )?(?:en base \d+ )?(?:de |d')", "log"),
    (r"\bfactorielle (?:de |d'|du |des )", "factorial"),
    (
        r"\b(?:the |le |la )?(?:gcd|gcf|hcf|lcm|pgcd|ppcm|greatest common (?:divisor|factor)|least common multiple|"
        r"plus grand commun diviseur|plus petit commun multiple) (?:of |de |d'|du |des )",
        "gcd",
    ),
    (r"\b(?:le|du|au) carre (?:de |d'|du |des )", "square"),
    (r"\b(?:le|du|au) cube (?:de |d'|du |des )", "cube"),
]
_POSTFIX_OPS: list[tuple[str, str]] = [
    (r"squared|au carre|eleve au carre|eleve(?:e)? au carre", "square"),
    (r"cubed|au cube|eleve(?:e)? au cube", "cube"),
    (r"(?:to the power of|raised to(?: the power of)?|puissance|a la puissance|eleve(?:e)? a la puissance) "
     r"(?:\d+|[a-z]+)", "power"),
]  # fmt: skip
_INFIX_OPS = {
    "times": "mul", "multiplied by": "mul", "×": "mul", "*": "mul", "fois": "mul", "multiplie par": "mul",
    "multipliee par": "mul", "divided by": "div", "over": "div", "÷": "div", "/": "div", "divise par": "div",
    "divisee par": "div", "plus": "add", "+": "add", "minus": "sub", "moins": "sub",
}  # fmt: skip
_INFIX_ALT = "|".join(re.escape(k) for k in sorted(_INFIX_OPS, key=len, reverse=True))
# (regex with groups a and b, op, "needs a result cue")
_IMPERATIVE: list[tuple[str, str, bool]] = [
    (r"(?:divide|divise[rz]?) (?P<a>{P}) (?:by|par) (?P<b>{P})", "div", False),
    (r"(?:multiply|multiplie[rz]?) (?P<a>{P}) (?:by|par) (?P<b>{P})", "mul", False),
    (r"add (?P<a>{P}) (?:to|and) (?P<b>{P})", "add", True),
    (r"(?:ajoute[rz]?|additionne[rz]?) (?P<a>{P}) (?:a|et|avec) (?P<b>{P})", "add", True),
    (r"(?:subtract|take away) (?P<b>{P}) from (?P<a>{P})", "sub", True),
    (r"(?:soustrai[st]|soustraire|soustrayez|retire[rz]?|enleve[rz]?) (?P<b>{P}) (?:de |d'|a )(?P<a>{P})", "sub", True),
    (r"(?:the sum|la somme) (?:of|de|d') ?(?P<a>{P}) (?:and|et) (?P<b>{P})", "add", True),
    (r"(?:the product|le produit) (?:of|de|d') ?(?P<a>{P}) (?:and|et) (?P<b>{P})", "mul", False),
    (r"(?:the quotient|le quotient) (?:of|de|d') ?(?P<a>{P}) (?:by|and|par|et) (?P<b>{P})", "div", False),
    (r"(?:the difference|la difference) (?:between|of|entre|de|d') ?(?P<a>{P}) (?:and|et) (?P<b>{P})", "sub", True),
]  # fmt: skip
_OF = re.compile(r"\b(?:of|de|du|des) |\bd'")
# A result is asked for: enough to take "add Tuesday to blue" as arithmetic on two things.
_RESULT_CUE = re.compile(
    r"\b(?:total|sum|equals?|how much|rounded|decimals?|somme|egale?|combien|ca fait|arrondi|decimales?|"
    r"quotient|product|produit)\b|="
)
# A weaker cue ("what's the result?"): enough only when one operand is a number ("add 5 to a
# banana"), since "if you add sugar to tea, what's the result?" is chemistry.
_WEAK_CUE = re.compile(
    r"\b(?:result|answer|what do you get|resultat|reponse|qu'obtient-on|"
    r"(?:give|tell) me (?:the|a) (?:number|figure|value)|(?:donne|dis)-moi (?:le|un) (?:nombre|chiffre)|la valeur)\b"
)

# Words that end an operand ("the cube of happiness, rounded to…", "Paris par pi et donne-moi…").
_STOP = {
    "and", "then", "rounded", "round", "please", "what", "whats", "what's", "give", "tell", "with", "in",
    "for", "so", "but", "is", "are", "equals", "equal", "to", "by", "from", "into", "using", "as",
    "et", "puis", "arrondi", "arrondie", "donne", "donne-moi", "dis", "dis-moi", "avec", "en", "pour",
    "svp", "stp", "est", "egal", "egale", "font", "fait", "vaut", "par", "a", "sur", "dans", "times",
    "plus", "minus", "fois", "moins", "divided", "divise", "multiplied", "multiplie", "over", "squared", "cubed", "au", "exactly", "exactement", "now", "maintenant", "or", "ou", "raise", "raised", "eleve", "elever", "elevez", "calculate", "compute", "calcule", "calculez",
}  # fmt: skip
_ARTICLES = {
    "a", "an", "the", "my", "your", "his", "her", "its", "our", "their", "this", "that", "these", "those",
    "some", "un", "une", "le", "la", "les", "l", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa",
    "ses", "notre", "votre", "nos", "vos", "leur", "leurs", "cette", "ce", "cet", "ces", "d", "de", "du",
    "des", "of", "colour", "color", "couleur", "word", "mot", "city", "ville", "concept", "idea", "idee",
}  # fmt: skip
# Operands that stand for a number without being one.
_NUMBERLIKE = {
    "pi", "e", "phi", "tau", "infinity", "infini", "zero", "nothing", "rien", "it", "this", "that", "them",
    "ca", "cela", "ceci", "lui", "what", "quoi", "combien", "nombre", "number", "answer", "reponse",
    "result", "resultat", "previous", "precedent", "same", "meme", "itself", "lui-meme", "many", "much",
    "negative", "negatif", "positive", "positif", "golden", "dor", "euler", "avogadro",
    # what was computed before: "le tout au carré", "then double everything"
    "tout", "everything", "total", "sum", "somme", "product", "produit", "quotient", "difference", "whole",
    "demie",
}  # fmt: skip
_NUMBERLIKE |= set(FRACTION_WORDS)  # fractions said in words: "divisé par un demi", "un cinquième"
# A plural noun phrase ("the apples", "des pommes"): things that can be shared out.
_PLURAL = re.compile(
    r"^(?:the|these|those|my|your|his|her|our|their|some|all|all the|les|des|mes|tes|ses|nos|vos|leurs|ces) "
    r"(?:[\w'-]+ )?[\w'-]+[sx](?<!ss)(?<!ness)(?<!ous)(?<!is)(?<!us)$"
)
_DURATIONS = re.compile(
    r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|secondes?|"
    r"heures?|jours?|semaines?|mois|ans?|annees?|decennies?|siecles?)\b"
)


@cache
def _quantities() -> frozenset[str]:
    from eclair.answer.facts import facts

    q = facts()["quantities"]
    return frozenset(q["en"]) | frozenset(q["fr"])


# A part or a multiple of something: what it is taken of decides whether it is a number.
_PART_OF = re.compile(
    r"^(?:(?:the|a|one|la|le|un|une) )?(?:half|third|quarter|double|triple|twice|moitie|tiers|quart|"
    r"double|triple)s? (?:of |de |d'|(?=du |des ))(?=\S)"
)


@cache
def _shareable() -> frozenset[str]:
    from eclair.answer.facts import facts

    q = facts()["shareable"]
    return frozenset(q["en"]) | frozenset(q["fr"])


def _content(phrase: str) -> list[str]:
    words = [w.strip("'-") for w in re.split(r"[ ']", phrase) if w.strip("'-")]
    return [w for w in words if w not in _ARTICLES]


def _trim(start: int, phrase: str) -> tuple[int, int]:
    """The span of ``phrase`` (starting at ``start``) cut at its first stop word."""
    words = phrase.split(" ")
    keep = 0
    for word in words:
        if word in _STOP and keep:
            break
        keep += 1
    kept = " ".join(words[:keep]).rstrip(" '-")
    return start, start + len(kept)


def operand_kind(phrase: str, lang: str) -> str | None:
    """``"number"``, ``"thing"`` (plainly not a number), ``"plural"`` (things that can be shared
    out), or None when the phrase has no content word."""
    # "half of the Eiffel Tower" is as much a number as the Eiffel Tower is.
    part = _PART_OF.match(phrase)
    if part and (kind := operand_kind(phrase[part.end() :], lang)):
        return kind
    content = _content(phrase)
    if not content:
        return None
    for variant in (words_to_digits(phrase, lang), words_to_digits(phrase, "en")):
        if re.search(r"\d", variant):
            return "number"
    if names_unit(phrase, lang):
        return "number"  # "2 times a mile": a unit is an amount (the conversion tool reads it)
    quantities = _quantities()
    singular = [w[:-1] if w.endswith(("s", "x")) and len(w) > 3 else w for w in content]
    if any(w in quantities or w in _NUMBERLIKE for w in (*content, *singular)):
        return "number"
    if len(content) == 1 and (len(content[0]) <= 2 or re.fullmatch(r"[a-z]\d*", content[0])):
        return "number"  # a variable: x, n, mc
    if _PLURAL.search(phrase) or any(w in _shareable() for w in content):
        return "plural"
    return "thing"


def _binary(
    folded: str, op: str, a: tuple[int, int], b: tuple[int, int], lang: str, *, cue: bool
) -> NonNumber | None:
    a, b = _trim(a[0], folded[a[0] : a[1]]), _trim(b[0], folded[b[0] : b[1]])
    ka, kb = operand_kind(folded[a[0] : a[1]], lang), operand_kind(folded[b[0] : b[1]], lang)
    if ka is None or kb is None or ("number" not in (ka, kb) and not cue):
        return None
    if op in ("add", "sub") and any(_DURATIONS.search(folded[s:e]) for s, e in (a, b)):
        return None  # date or time arithmetic: "Tuesday plus 3 days"
    if op in ("div", "mul") and "plural" in (ka, kb):
        return None  # sharing out: "divide the apples by 3"
    if ka == "thing":
        return NonNumber(op, a, b)
    if kb == "thing":
        return NonNumber(op, b, a, other_first=True)
    return None


@cache
def _patterns() -> tuple[list[tuple[re.Pattern[str], str]], ...]:
    unary = [(re.compile(rf"{p}(?P<a>{_PHRASE})"), op) for p, op in _UNARY_OPS]
    postfix = [
        (re.compile(rf"{_START}(?:{_FRAME} )?(?P<a>{_PHRASE}) (?P<op>{p})\b"), op) for p, op in _POSTFIX_OPS
    ]
    infix = [
        (re.compile(rf"{_START}{_FRAME} (?P<a>{_PHRASE}?) ?(?P<op>{_INFIX_ALT}) ?(?P<b>{_PHRASE})"), "frame"),
        (re.compile(rf"{_START}(?P<a>\d+(?:[.,]\d+)?) ?(?P<op>{_INFIX_ALT}) ?(?P<b>{_PHRASE})"), "number"),
        (re.compile(rf"{_START}(?P<a>{_PHRASE}?) ?(?P<op>{_INFIX_ALT}) ?(?P<b>{_PHRASE}) ?(?:=|equals|egale?)"), "eq"),
        (re.compile(rf"{_START}(?P<a>{_PHRASE}?) ?(?P<op>{_INFIX_ALT}) ?(?P<b>{_PHRASE}),? {_ASKED_AFTER}"), "after"),
    ]  # fmt: skip
    imperative = [
        (re.compile(rf"{_START}(?:{_FRAME} |{_POLITE} )?{p.replace('{P}', _PHRASE)}"),
         op + ("?" if needs_cue else ""))
        for p, op, needs_cue in _IMPERATIVE
    ]  # fmt: skip
    return unary, postfix, infix, imperative


_QUOTE_MARKS = '«»“”"‹›'


def find_non_number(folded: str, lang: str) -> NonNumber | None:
    """The first operation applied to a non-number in ``folded`` (see the module docstring).
    Quotation marks around an operand are read through ("la factorielle du mot « bonjour »")."""
    if not any(q in folded for q in _QUOTE_MARKS):
        return _find_non_number(folded, lang)
    kept = [i for i, ch in enumerate(folded) if ch not in _QUOTE_MARKS]
    # a space inside the marks ("« bonjour »") goes with them
    kept = [i for n, i in enumerate(kept) if not (folded[i] == " " and n > 0 and kept[n - 1] == i - 2
            and folded[i - 1] in _QUOTE_MARKS) and not (folded[i] == " " and i + 1 < len(folded)
            and folded[i + 1] in _QUOTE_MARKS and (i + 2 >= len(folded) or not folded[i + 2].isalnum()))]  # fmt: skip
    found = _find_non_number("".join(folded[i] for i in kept), lang)
    if found is None:
        return None

    def back(span: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if span is None else (kept[span[0]], kept[span[1] - 1] + 1)

    thing = back(found.thing)
    assert thing is not None
    return NonNumber(found.op, thing, back(found.other), found.other_first)


def _find_non_number(folded: str, lang: str) -> NonNumber | None:
    text = folded
    unary, postfix, infix, imperative = _patterns()
    for pattern, op in unary:
        for m in pattern.finditer(text):
            span = _trim(m.start("a"), m["a"])
            if operand_kind(text[span[0] : span[1]], lang) in ("thing", "plural"):
                return NonNumber(op, span)
    for pattern, op in postfix:
        for m in pattern.finditer(text):
            # "the derivative of x squared" squares x: the operand is what follows the last "of".
            start = max((o.end() for o in _OF.finditer(text, m.start("a"), m.end("a"))), default=m.start("a"))
            span = _last_phrase(text, start, m.end("a"))
            if operand_kind(text[span[0] : span[1]], lang) in ("thing", "plural"):
                return NonNumber(op, span, m.span("op") if op == "power" else None)
    cue = bool(_RESULT_CUE.search(text))
    for pattern, _ in infix:
        for m in pattern.finditer(text):
            if not m["a"]:
                continue
            if m["op"] == "/" and _UNIT_RATIO.match(text, max(m.start("op") - 1, 0)):
                continue  # "km/h", "€/kg", "m/s": a unit, not a division
            a_span = _last_phrase(text, m.start("a"), m.end("a"))
            if found := _binary(text, _INFIX_OPS[m["op"]], a_span, m.span("b"), lang, cue=cue):
                return found
    for pattern, op in imperative:
        needs_cue = op.endswith("?")
        if needs_cue and not cue and not _WEAK_CUE.search(text):
            continue
        # "Divide Tuesday by green and give me the result": a result asked of two things
        asked = cue or (op in ("div", "mul") and bool(_WEAK_CUE.search(text)))
        for m in pattern.finditer(text):
            if found := _binary(text, op.rstrip("?"), m.span("a"), m.span("b"), lang, cue=asked):
                return found
    return None


_UNIT_RATIO = re.compile(r"[^\W\d_]/[^\W\d_]")


def _last_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The left operand of an infix operation: its words after the last stop word."""
    words = text[start:end].split(" ")
    offset = start
    begin = start
    for word in words:
        if word in _STOP and word not in _ARTICLES:
            begin = offset + len(word) + 1
        offset += len(word) + 1
    return begin, end
