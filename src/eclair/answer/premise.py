"""Questions that take something false for granted, and what is wrong with them.

Contract: :func:`check_premise` returns a :class:`PremiseIssue` (a reply in the user's
language, plus a short English reason for logs) when a question rests on something false,
and None otherwise, including whenever it is unsure. Two mechanisms, both general:

1. *Category errors in arithmetic*: an operation that needs a number applied to a thing
   ("square root of a goat", "5 times a banana", "racine carrée d'une chèvre"). The operand
   is a noun phrase with no number in it and is not a quantity ("the area", "a million").
2. *Contradicted facts*, reasoned from :file:`premise_facts.toml`: traits of animal categories
   (mammals and males lay no eggs, only female mammals give milk, which animals cannot fly)
   and dates (a person's lifetime against when a thing happened or became possible: Napoleon
   died in 1821, nobody walked on the Moon before 1969). Negated and hypothetical questions
   ("why don't cows lay eggs", "what if Napoleon had a phone") are left alone.

Text is matched lower-cased and without accents; the folding keeps one character per
character so spans can be quoted from the original.
"""

from __future__ import annotations

import re

from eclair.answer.facts import PremiseIssue, anachronism_issue, animal_issue, facts, fold1
from eclair.answer.numwords import words_to_digits
from eclair.answer.phrasing import say

# ------------------------------------------------------------------ category errors

_ARTICLES_EN = r"(?:a|an|the|my|your|his|her|our|their|this|that|one)"
_ARTICLES_FR = r"(?:un|une|le|la|les|l'|mon|ma|mes|ton|ta|son|sa|notre|votre|leur|cette|ce|cet)"
_NOUN = r"[a-zœ][a-zœ'\-]*"
_STOP = {
    "and", "plus", "times", "minus", "divided", "is", "equals", "by", "of", "over", "squared", "cubed",
    "et", "fois", "moins", "divise", "par", "egal", "egale", "au", "est", "fait", "font", "to", "in",
    "en", "a", "de", "with", "avec", "sur",
}  # fmt: skip

# (regex with a (?P<thing>) group, operation key)
_UNARY = [
    (rf"\bsquare root of (?P<thing>{_ARTICLES_EN}? ?{_NOUN}(?: {_NOUN}){{0,2}})", "sqrt"),
    (rf"\bsqrt(?: of)? (?P<thing>{_ARTICLES_EN}? ?{_NOUN}(?: {_NOUN}){{0,2}})", "sqrt"),
    (rf"\bcube root of (?P<thing>{_ARTICLES_EN}? ?{_NOUN}(?: {_NOUN}){{0,2}})", "cbrt"),
    (rf"\b(?:the )?(?:logarithm|log) of (?P<thing>{_ARTICLES_EN} {_NOUN}(?: {_NOUN}){{0,2}})", "log"),
    (rf"\b(?:the )?factorial of (?P<thing>{_ARTICLES_EN} {_NOUN}(?: {_NOUN}){{0,2}})", "factorial"),
    (rf"\b(?:the )?square of (?P<thing>{_ARTICLES_EN} {_NOUN}(?: {_NOUN}){{0,2}})", "square"),
    (rf"(?P<thing>\b{_ARTICLES_EN} {_NOUN}) squared\b", "square"),
    (rf"\bracine carree (?:de |d')(?P<thing>(?:{_ARTICLES_FR} ?)?{_NOUN}(?: {_NOUN}){{0,2}})", "sqrt"),
    (rf"\bracine cubique (?:de |d')(?P<thing>(?:{_ARTICLES_FR} ?)?{_NOUN}(?: {_NOUN}){{0,2}})", "cbrt"),
    (rf"\bracine (?:de |d')(?P<thing>(?:{_ARTICLES_FR} ?){_NOUN}(?: {_NOUN}){{0,2}})", "sqrt"),
    (rf"\blogarithme (?:de |d')(?P<thing>(?:{_ARTICLES_FR} ?){_NOUN}(?: {_NOUN}){{0,2}})", "log"),
    (rf"\bfactorielle (?:de |d')(?P<thing>(?:{_ARTICLES_FR} ?){_NOUN}(?: {_NOUN}){{0,2}})", "factorial"),
    (rf"\b(?:le )?carre (?:de |d')(?P<thing>(?:un |une |l')?{_NOUN}(?: {_NOUN}){{0,2}})", "square"),
    (rf"(?P<thing>\b(?:un|une) {_NOUN}) au carre\b", "square"),
]
_UNARY_RE = [(re.compile(p), op) for p, op in _UNARY]

_OPS = {
    "times": "mul", "multiplied by": "mul", "x": "mul", "*": "mul", "×": "mul", "fois": "mul",
    "multiplie par": "mul", "divided by": "div", "/": "div", "÷": "div", "divise par": "div",
    "plus": "add", "+": "add", "minus": "sub", "moins": "sub", "-": "sub",
}  # fmt: skip
_OP_ALT = "|".join(re.escape(k) for k in sorted(_OPS, key=len, reverse=True))
_NUMBER = r"\d+(?:[.,]\d+)?"
_BINARY_RE = [
    re.compile(rf"(?P<num>{_NUMBER}) ?(?P<op>{_OP_ALT}) ?(?P<thing>(?:a|an|une?|the|le|la|l') ?{_NOUN})"),
    re.compile(rf"(?P<thing>\b(?:a|an|une?|the|le|la|l') ?{_NOUN}) ?(?P<op>{_OP_ALT}) ?(?P<num>{_NUMBER})"),
]
_BARE_OPS = r"divided by|multiplied by|times|plus|minus|fois|divise par|multiplie par|moins"
# "what is love divided by 2", "combien font 5 fois chocolat": a bare noun right after the frame,
# or ending the question.
_BARE_BINARY_RE = [
    re.compile(
        r"^\s*(?:what is|what's|whats|how much is|combien (?:font|fait|vaut)|que (?:vaut|font|fait)|"
        rf"calculate|compute|calcule[rz]?) (?P<thing>{_NOUN}) (?P<op>{_BARE_OPS}) (?P<num>{_NUMBER})\s*[?.!]*\s*$"
    ),
    re.compile(
        r"^\s*(?:what is|what's|whats|how much is|combien (?:font|fait|vaut)|que (?:vaut|font|fait)|"
        rf"calculate|compute|calcule[rz]?) (?P<num>{_NUMBER}) (?P<op>{_BARE_OPS}) (?P<thing>{_NOUN})\s*[?.!]*\s*$"
    ),
]
_MATH_FRAME = re.compile(
    r"^\s*(?:(?:what|how much)(?:'s| is| are| does| do| makes?)?|whats|calculate|compute|evaluate|"
    r"combien (?:font|fait|vaut|valent|donne|egale?)|calcule[rz]?|que (?:font|fait|vaut|valent|donne)|"
    r"quel est le resultat (?:de|d')|(?:ca|cela) fait combien|c'est combien)\b|^\s*(?:\d|a |an |une? )"
)


def _thing_is_number_free(thing: str, lang: str) -> str | None:
    """The noun phrase if it is plainly not a number, else None."""
    words = thing.split()
    while words and words[-1] in _STOP:
        words.pop()
    if not words:
        return None
    phrase = " ".join(words)
    if re.search(r"\d", words_to_digits(phrase, lang)) or re.search(r"\d", words_to_digits(phrase, "en")):
        return None
    quantities = set(facts()["quantities"]["en"]) | set(facts()["quantities"]["fr"])
    nouns = [w.strip("'") for w in re.split(r"[ ']", phrase) if w.strip("'")]
    articles = {
        "a",
        "an",
        "the",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "this",
        "that",
        "one",
        "un",
        "une",
        "le",
        "la",
        "les",
        "l",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "son",
        "sa",
        "notre",
        "votre",
        "leur",
        "cette",
        "ce",
        "cet",
        "d",
        "de",
        "du",
    }
    content = [w for w in nouns if w not in articles]
    if not content or any(w in quantities for w in content):
        return None
    if len(content[0]) < 2 or content[0] in ("minus", "moins", "negative", "negatif", "x", "y", "n", "pi"):
        return None
    return phrase


def _category_error(original: str, folded: str, lang: str) -> PremiseIssue | None:
    for pattern, op in _UNARY_RE:
        if m := pattern.search(folded):
            if _thing_is_number_free(m["thing"], lang) is None:
                continue
            thing = original[m.start("thing") : m.end("thing")].strip()
            thing = _trim_display(thing, m["thing"], lang)
            return PremiseIssue(
                "not_a_number",
                say("premise.not_a_number", lang, thing=thing, **_operation_words(op, lang)),
                f"{op} applied to a non-number ({m['thing'].strip()})",
            )
    if not _MATH_FRAME.search(folded):
        return None
    digits = words_to_digits(original, lang)
    digits_folded = fold1(digits)
    for pattern in (*_BINARY_RE, *_BARE_BINARY_RE):
        if m := pattern.search(digits_folded):
            if _thing_is_number_free(m["thing"], lang) is None:
                continue
            thing = digits[m.start("thing") : m.end("thing")].strip()
            span = (min(m.start("num"), m.start("thing")), max(m.end("num"), m.end("thing")))
            expression = digits[span[0] : span[1]].strip()
            op = _OPS[m["op"]]
            return PremiseIssue(
                "not_a_number",
                say(
                    "premise.not_a_number_binary",
                    lang,
                    thing=thing,
                    expression=expression,
                    **_operation_words(op, lang),
                ),
                f"{op} applied to a non-number ({m['thing'].strip()})",
            )
    return None


def _trim_display(original_thing: str, folded_thing: str, lang: str) -> str:
    words = folded_thing.split()
    keep = len(words)
    while keep and words[keep - 1] in _STOP:
        keep -= 1
    return " ".join(original_thing.split()[:keep])


_OPERATIONS = {
    "sqrt": ("square root", "la racine carrée"),
    "cbrt": ("cube root", "la racine cubique"),
    "log": ("logarithm", "le logarithme"),
    "factorial": ("factorial", "la factorielle"),
    "square": ("square", "le carré"),
    "mul": ("multiplication", "la multiplication"),
    "div": ("division", "la division"),
    "add": ("addition", "l'addition"),
    "sub": ("subtraction", "la soustraction"),
}


def _operation_words(op: str, lang: str) -> dict[str, str]:
    en, fr = _OPERATIONS[op]
    return {"operation": en, "operation_def": f"the {en}", "operation_art": fr}


# ------------------------------------------------------------------ facts


_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|cannot|can't|don't|doesn't|didn't|won't|isn't|aren't|wasn't|weren't|"
    r"couldn't|ne|n'|pas|jamais|aucun|aucune|personne n'|ni)\b|n't\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|imagine|suppose|pretend|fiction|story|poem|novel|si|s'il|aurait|imagine|imaginons|"
    r"supposons|histoire|poeme|roman|fiction)\b"
)
_FUTURE = re.compile(
    r"\b(?:will|going to|plan|plans|planned|could|might|may|one day|va|vont|pourra|"
    r"pourront|sera|seront|marchera|marcheront|un jour)\b"
)


def check_premise(text: str, lang: str) -> PremiseIssue | None:
    """What is wrong with the question's premise, or None (see the module docstring)."""
    if len(text) > 1000:
        return None
    folded = fold1(text)
    if issue := _category_error(text, folded, lang):
        return issue
    if any(re.search(p, folded) for p in facts()["idioms"]["patterns"]):
        return None
    if _NEGATION.search(folded) or _HYPOTHETICAL.search(folded):
        return None
    return animal_issue(folded, lang) or anachronism_issue(folded, lang, future=bool(_FUTURE.search(folded)))
