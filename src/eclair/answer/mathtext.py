"""Arithmetic questions in English or French, turned into calculator expressions.

Contract: :func:`interpret` takes one user message and returns a :class:`MathAnswer` when the
message *is* a calculation ("combien font trois fois dix-sept ?", "what's 12.5% of 360",
"racine carrée de 169", "2**10") and None otherwise. It is deliberately strict: after number
words become digits and operator phrases become symbols, every remaining word must be a
known filler ("what", "is", "combien", "font", "the"...). A leftover word means the message
is something else (a word problem, a false premise such as "5 times a banana", a factual
question that merely contains a number), and another route takes it.

Input that looks like code ("__import__('os')", "x.y") is still claimed, so that the
calculator refuses it with a clear message rather than letting it reach the model. A reading
that depends on a guess is refused with the reason, never computed: a fraction right after a
division sign ("9 - 3 ÷ 1/3", fraction or second division?) and, through the calculator, a
product written without a sign after a division ("6/2(1+2)"). A French "1.000" (a thousand,
or one with three decimals?) is not claimed at all. Amounts in one currency ("5 € + 3 €")
are plain numbers.
:func:`render` prints an expression tree the way a person writes it ("17 × 23", "√169",
"12,5 % de 360").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from eclair.answer.calculator import (
    Binary,
    CalcError,
    Calculation,
    Func,
    Group,
    Node,
    Num,
    Postfix,
    Unary,
    calculate,
    operator_count,
)
from eclair.answer.numfmt import format_number, has_ambiguous_number, parse_decimal
from eclair.answer.numwords import FRACTION_WORDS, words_to_digits
from eclair.answer.spelling import repair_operation_words
from eclair.text.fold import fold

NUM = r"\d+(?:\.\d+)?"
_OPERAND = rf"(?:{NUM}|\([^()]*\))"
# An operand that may carry its sign: "multiply -7 by -9".
_SIGNED = rf"(?:-\s?)?{_OPERAND}"
# An addend or factor that may be a fraction, "add 2/7 and 3/10": safe unbracketed in a sum,
# a difference or a product (a/b * c/d is ac/bd), never as a divisor.
_TERM = rf"(?:(?:-\s?)?{NUM}/{NUM}(?!\d|\.\d)|{_SIGNED}(?!\s?/))"
_OPERATOR_AFTER = (
    r"(?:times|plus|minus|divided by|multiplied by|over|fois|moins|divise par|multiplie par|[x×*/+^-])\s"
)


@dataclass(frozen=True, slots=True)
class MathAnswer:
    """A message read as a calculation: either computed, or refused with ``error``."""

    expression: str
    calculation: Calculation | None = None
    error: CalcError | None = None
    # "what percentage of 200 is 50": (part, whole) so the answer can be worded as such.
    percentage_of: tuple[str, str] | None = None
    # "is 17 × 23 equal to 391?": the value the user claims, to confirm or correct.
    claimed: Fraction | None = None
    # "from 2000 to 2150, by what percent?": (old, new) so the answer names the change.
    percent_change: tuple[str, str] | None = None


_FILLERS = set(
    """
    what whats what's is are was how much many does do make makes equal equals equal to calculate
    compute evaluate please tell me the result value answer of give can could you would work out figure
    solve find i need to know hey hi ok okay so quick question quickly exactly it that be will number
    then combien font fait faire donne donnent egal egale egalent est c'est c ca cela quel quelle le la
    les l resultat de du valeur vaut valent calcule calculez calculer peux pouvez tu vous dis dites moi
    s'il il s te plait stp svp merci que qu ce a alors donc bonjour salut and also et aussi
    u pls plz cb cmb koi quoi calcul yo wat wats about pour for
    exactly exactement precisely precisement
    """.split()  # noqa: SIM905
)

_ORDINAL_WORDS = {
    "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}  # fmt: skip

_POWER_ORDINALS = {"second": 2, "third": 3, **{k: v for k, v in _ORDINAL_WORDS.items() if k.isascii()}}

# Ordered (pattern, replacement) rewrites on folded text whose numbers are digits.
_REWRITES: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    # aggregates with their operands: "the sum of 3 and 4", "la différence entre 10 et 4"
    (rf"\b(?:the )?sum of ({_TERM}) and ({_TERM})", r"(\1 + \2)"),
    (rf"\b(?:la )?somme (?:de |d')({_TERM}) et (?:de |d')?({_TERM})", r"(\1 + \2)"),
    (rf"\b(?:the )?product of ({_OPERAND}) (?:and|by) ({_OPERAND})", r"(\1 * \2)"),
    (rf"\b(?:le )?produit (?:de |d')({_OPERAND}) (?:et|par) (?:de |d')?({_OPERAND})", r"(\1 * \2)"),
    (rf"\b(?:the )?difference (?:between|of) ({_OPERAND}) and ({_OPERAND})", r"(\1 - \2)"),
    (rf"\b(?:la )?difference (?:entre|de) ({_OPERAND}) et (?:de )?({_OPERAND})", r"(\1 - \2)"),
    (rf"\b(?:the )?quotient of ({_OPERAND}) (?:and|by) ({_OPERAND})", r"(\1 / \2)"),
    (rf"\b(?:le )?quotient (?:de |d')({_OPERAND}) (?:et|par) (?:de )?({_OPERAND})", r"(\1 / \2)"),
    # "add 5 to 3 times 4": the whole expression after "to" receives the 5, not its first number
    (rf"\badd ({_OPERAND}) to ({_OPERAND}\s*{_OPERATOR_AFTER}.*?)\s*[?.!]*$", r"(\2) + \1"),
    (rf"\bsubtract ({_SIGNED}) from ({_SIGNED}\s*{_OPERATOR_AFTER}.*?)\s*[?.!]*$", r"((\2) - \1)"),
    (
        rf"\b(?:ajoute[sz]?|additionne[sz]?) ({_OPERAND}) (?:a|au resultat de) ({_OPERAND}\s*{_OPERATOR_AFTER}.*?)\s*[?.!]*$",
        r"(\2) + \1",
    ),
    (
        rf"\b(?:soustrai[st]|soustrayez|retire[sz]?|enleve[sz]?|ote[sz]?) ({_SIGNED}) (?:de|a|du) "
        rf"({_SIGNED}\s*{_OPERATOR_AFTER}.*?)\s*[?.!]*$",
        r"((\2) - \1)",
    ),
    (rf"\bsubtract ({_TERM}) from ({_TERM})", r"(\2 - \1)"),
    (rf"\b(?:take|takes) ({_OPERAND}) (?:away )?from ({_OPERAND})", r"\2 - \1"),
    (rf"\badd ({_OPERAND}) to ({_OPERAND})", r"\2 + \1"),
    (
        rf"\b(?:soustrai[st]|soustrayez|retire[sz]?|enleve[sz]?|ote[sz]?) ({_SIGNED}) (?:de|a|du) ({_SIGNED})",
        r"(\2 - \1)",
    ),
    (rf"\b(?:ajoute[sz]?|additionne[sz]?) ({_TERM}) (?:a|et) ({_TERM})", r"(\2 + \1)"),
    # a fraction word as an operand of its own: "30 divisé par un demi", "divide 9 by a quarter",
    # "deux tiers plus trois cinquièmes" (its numbers are digits by now: "2 tiers")
    (
        rf"(?<![\w.])(\d+|an?|one|une?) (demie|{'|'.join(FRACTION_WORDS)})(?=\s*(?:[,;?.!)+*/-]|$|"
        r"(?:plus|minus|times|moins|fois|and|then|puis|et)\b))",
        lambda m: (
            f"({m[1] if m[1].isdigit() else 1}/{FRACTION_WORDS[m[2].rstrip('e') if m[2] == 'demie' else m[2]]})"
        ),
    ),
    # a sign said in words: "multiply negative 8 by negative 6" (before the verbs read their operands)
    (r"\b(?:negative|negatif) (?=\d)", "-"),
    # imperative verbs: "multiply 6 by 7", "divise 84 par 4", "add 3 and 4"
    (rf"\bmultiply ({_TERM}) (?:by|and|with|times) ({_TERM})", r"(\1 * \2)"),
    (rf"\bmultipli(?:e|ez|er) ({_TERM}) (?:par|et) ({_TERM})", r"(\1 * \2)"),
    (rf"\bdivide ({_SIGNED}) (?:by|into) ({_SIGNED})", r"(\1 / \2)"),
    (rf"\bdivis(?:e|ez|er) ({_SIGNED}) par ({_SIGNED})", r"(\1 / \2)"),
    (rf"\badd (?:up )?({_TERM}) (?:and|plus|to) ({_TERM})", r"(\1 + \2)"),
    (rf"\bsubtract ({_SIGNED}) (?:minus|take away) ({_SIGNED})", r"(\1 - \2)"),
    (rf"\b({NUM}) ?(?:%|percent|per cent) off (?:of )?({_OPERAND})", r"\2 - \1%"),
    # "20% more than 50", "15 % de moins que 80": a comparison by a rate is a change of the base
    (
        rf"\b({NUM}) ?(?:%|percent|per cent) (?:more|greater|higher|bigger|larger|above|over) (?:than )?({_OPERAND})",
        r"\2 + \1%",
    ),
    (
        rf"\b({NUM}) ?(?:%|percent|per cent) (?:less|fewer|lower|smaller|cheaper|below|under) (?:than )?({_OPERAND})",
        r"\2 - \1%",
    ),
    (rf"\b({NUM})\s*% (?:de plus|en plus|au-dessus) (?:que |de |d')({_OPERAND})", r"\2 + \1%"),
    (rf"\b({NUM})\s*% (?:de moins|en moins|au-dessous) (?:que |de |d')({_OPERAND})", r"\2 - \1%"),
    (rf"\bremainder of ({_OPERAND}) divided by ({_OPERAND})", r"\1 mod \2"),
    (rf"\breste de (?:la division (?:de |d'))?({_OPERAND}) (?:par|divise par) ({_OPERAND})", r"\1 mod \2"),
    # "1/2 of 3/4 of 80": the innermost fraction first, then the one that takes it (two passes)
    # ("les 3/5 des 5/6 de 90": "des" and "du" are "de" with the article)
    (
        rf"\b(?:les |the )?({NUM}/{NUM}) (?:of|de|des|du|d') ?(?:les |the )?({NUM}/{NUM})(?![\d/.])",
        r"(\1) * (\2)",
    ),
    (rf"\b(?:les |the )?({NUM}/{NUM}) (?:of|de|des|du|d') ?({_OPERAND})(?![\d/.])", r"(\1) * \2"),
    (rf"\b(?:les |the )?({NUM}/{NUM}) (?:of|de|des|du|d') ?({_OPERAND})(?![\d/.])", r"(\1) * \2"),
    (r"(?<=\d\)) (?:of|de|d') ?(?=[\d(])", " * "),
    (rf"\b({_OPERAND}) (?:increased by|augmente(?:e|s)? de|majore(?:e)? de) ({NUM}) ?%", r"\1 + \2%"),
    (rf"\b(?:increase|augmente[rz]?) ({_OPERAND}) (?:by|de) ({NUM}) ?%", r"\1 + \2%"),
    (rf"\b({_OPERAND}) (?:decreased by|reduced by|diminue(?:e)? de|reduit(?:e)? de) ({NUM}) ?%", r"\1 - \2%"),
    (rf"\b(?:decrease|reduce|diminue[rz]?|reduis|reduisez) ({_OPERAND}) (?:by|de) ({NUM}) ?%", r"\1 - \2%"),
    # "three quarters of 200", "deux tiers de 90", "un cinquième de 250"
    (
        rf"(?<![\w.])(\d+|an?|one|une?) ({'|'.join(FRACTION_WORDS)}) (?:of |de |d')({_OPERAND})",
        lambda m: f"({1 if not m[1].isdigit() else m[1]}/{FRACTION_WORDS[m[2]]}) * {m[3]}",
    ),
    (rf"\b(?:half|one half) of ({_OPERAND})", r"\1 / 2"),
    (rf"\b(?:a|one) (third|quarter|fourth) of ({_OPERAND})", r"\2 / \1"),
    (rf"\b(?:la )?moitie (?:de |d')({_OPERAND})", r"\1 / 2"),
    (rf"\b(?:le )?(tiers|quart) (?:de |d')({_OPERAND})", r"\2 / \1"),
    (r"/ (?:third|tiers)\b", "/ 3"),
    (r"/ (?:quarter|fourth|quart)\b", "/ 4"),
    (rf"\b(?:le )?double (?:de |d')?({_OPERAND})", r"2 * \1"),
    (rf"\b(?:le )?triple (?:de |d')?({_OPERAND})", r"3 * \1"),
    (rf"\btwice ({_OPERAND})", r"2 * \1"),
    (rf"\b(?:the )?(square|cube) of ({_OPERAND})", r"\2 \1d"),
    (rf"(?<!racine )\b(?:le )?(carre|cube) (?:de |d')({_OPERAND})", r"\2 au \1"),
    (rf"\bfactorielle (?:de |d')?({_OPERAND})", r"\1!"),
    (rf"\b(?:the )?factorial of ({_OPERAND})", r"\1!"),
    (r"(?<!\s)\s*\b(?:factorial|factorielle)\b", "!"),
    # roots and powers; an nth root is a power 1/n ("the 4th root of 16", "racine cinquième de 32")
    (rf"\b(?:the )?(\d+)(?:st|nd|rd|th) root (?:of )?({_OPERAND})", r"\2^(1/\1)"),
    (rf"\b(?:la )?racine (\d+)(?:e|eme|ieme) (?:de |d')?({_OPERAND})", r"\2^(1/\1)"),
    (
        rf"\b(?:the )?({'|'.join(_ORDINAL_WORDS)}) root (?:of )?({_OPERAND})",
        lambda m: f"{m[2]}^(1/{_ORDINAL_WORDS[m[1]]})",
    ),
    (
        rf"\b(?:la )?racine ({'|'.join(_ORDINAL_WORDS)}) (?:de |d')?({_OPERAND})",
        lambda m: f"{m[2]}^(1/{_ORDINAL_WORDS[m[1]]})",
    ),
    (
        r"\b(?:the )?(?:square|sq) root(?: of)?\b|\bsqrt of\b|\b(?:la )?racine carree? (?:de |d')?|\b(?:la )?racine (?:de |d')",
        " sqrt ",
    ),
    (r"\b(?:the )?cube root of\b|\b(?:la )?racine cubique (?:de |d')?", " cbrt "),
    (r"\bsquared\b|\bau carre\b", "^2"),
    (r"\bcubed\b|\bau cube\b", "^3"),
    (r"\bto the (\d+)(?:st|nd|rd|th)? power\b|\bto the power of (\d+)(?:st|nd|rd|th)?", r"^\1\2"),
    (r"\bto the (\d+)(?:st|nd|rd|th)\b", r"^\1"),
    (
        rf"\bto the ({'|'.join(_POWER_ORDINALS)})(?: power)?\b",
        lambda m: f"^{_POWER_ORDINALS[m[1]]}",
    ),
    (r"\b(?:raised )?to the power(?: of)?\b|\braised to\b", "^"),
    (r"\ba la (\d+)(?:e|eme|ieme) puissance\b", r"^\1"),
    (r"\b(?:eleve )?(?:a la |a )?puissance\b|\bexposant\b", "^"),
    # the four operations
    (r"\bmultiplied by\b|\bmultiplie(?:e|s|es)? par\b|\btimes\b|\bfois\b", " * "),
    (r"\bdivided by\b|\bdivise(?:e|s|es)? par\b|\bover\b|\bsur\b", " / "),
    (r"\bplus\b|\badded to\b|(?<=[\d)]) and (?=\d)", " + "),
    (r"\bminus\b|\bmoins\b|\bnegative\b", " - "),
    (r"\bmodulo\b|\bmod\b", " mod "),
    # percentages
    (r"(?<!\s)\s*(?:percent|per cent|pour ?cents?|pourcents?)\b", "%"),
    (r"%\s*(?:of|de|d'|des|du)\s*", "% * "),
]
_REWRITES_RE = [(re.compile(p), r) for p, r in _REWRITES]

# "the average of 3, 5 and 10", "la somme de 2, 4 et 6": a list of operands, then an aggregate.
_AGGREGATE = re.compile(
    rf"\b(?:the |la |le )?(?P<kind>sum|average|mean|somme|moyenne)(?: arithmetique)? (?:of |de |d')"
    rf"(?P<items>{_SIGNED}(?:, {_SIGNED})*,? (?:and|et) {_SIGNED})"
)
# Fillers that open a question: met after a number, they start a new clause.
_CLAUSE_START = {
    "what",
    "whats",
    "what's",
    "how",
    "combien",
    "quel",
    "quelle",
    "calculate",
    "compute",
    "calcule",
}


def _aggregate(m: re.Match[str]) -> str:
    items = re.split(r",? (?:and|et) |, ", m["items"])
    total = " + ".join(items)
    if m["kind"] in ("sum", "somme"):
        return f"({total})"
    return f"(({total}) / {len(items)})"


_CLAIM = re.compile(
    r"^\s*+(?:is it (?:true|right|correct) that |is |does |do |est-ce que |est-il vrai que |c'est vrai que |"
    r"vrai que )?(?P<lhs>.+?) (?:=|==|equals?|is equal to|equal to|makes?|gives?|is|fait|font|egale?|egalent|"
    rf"est egale? a|donne(?:nt)?|vaut|valent) (?P<rhs>-?{NUM})\s*+(?:, right|, non|, n'est-ce pas)?\s*+\??\s*$"
)

# (pattern, group of the part, group of the whole)
_PERCENTAGE_OF = [
    (re.compile(rf"what (?:percent|percentage|%) of ({NUM}) is ({NUM})"), 2, 1),
    (re.compile(rf"(?<!\d)({NUM}) is what (?:percent|percentage|%) of ({NUM})"), 1, 2),
    (re.compile(rf"quel (?:pourcentage|%) (?:de |d')({NUM}) (?:represente|fait|est) ({NUM})"), 2, 1),
    (re.compile(rf"(?<!\d)({NUM}) (?:represente|fait|est) quel (?:pourcentage|%) (?:de |d')({NUM})"), 1, 2),
    (re.compile(rf"what (?:percent|percentage|%) (?:is|are|of) ({NUM}) (?:of|out of|from) ({NUM})"), 1, 2),
    (
        re.compile(
            rf"quel (?:pourcentage|%) (?:represente|font|fait|est|sont) ({NUM}) (?:sur|de|d'|parmi) ({NUM})"
        ),
        1,
        2,
    ),
    (re.compile(rf"pourcentage (?:de |d')({NUM}) (?:sur|par rapport a|dans) ({NUM})"), 1, 2),
    (
        re.compile(
            rf"(?<!\d)({NUM}) (?:out of|sur) ({NUM}) (?:as a|in|en) (?:percentage|percent|pourcentage)"
        ),
        1,
        2,
    ),
    (re.compile(rf"(?<![\d/])({NUM}) ?/ ?({NUM}) (?:as an?|in|en) (?:percentage|percent|pourcentage)"), 1, 2),
]

# "25% of what number is 20", "20 est 25 % de quel nombre": the whole, from a part and its rate
# (pattern, group of the rate, group of the part)
_WHOLE_FROM_PART = [
    (
        re.compile(
            rf"(?<!\d)({NUM}) ?% of (?:what|an?|some|the|this|that|my|a certain)(?: number| amount| value| total| sum| price)? "
            rf"(?:is|are|was|gives|makes|equals|comes to) ({NUM})"
        ),
        1,
        2,
    ),
    (re.compile(rf"(?<!\d)({NUM}) (?:is|are|represents|makes) ({NUM}) ?% of what\b"), 2, 1),
    (
        re.compile(
            rf"(?<!\d)({NUM}) ?% (?:de|d') ?(?:quel nombre|quelle valeur|quel montant|combien|un nombre|une somme|un montant|un prix|"
            rf"une valeur|ce nombre|cette somme) (?:font|fait|donnent|donne|est|sont|vaut|valent|egale?) ({NUM})"
        ),
        1,
        2,
    ),
    (
        re.compile(
            rf"(?<!\d)({NUM}) (?:est|sont|fait|font|represente|vaut|c'est) ({NUM}) ?% (?:de|d') (?:quel nombre|quelle valeur|quel montant|combien|quoi)\b"
        ),
        2,
        1,
    ),
]

# "3 divided by 1/3": a fraction written after a division *word* is one number (9, not 1).
_FRACTION_DIVISOR = re.compile(rf"\b(divided by|divise(?:e|s|es)? par|over) ({NUM}/{NUM})(?![\d/])")
# "9 - 3 ÷ 1/3 + 1", "6 / 1/2": after a division *sign*, the fraction may or may not be one
# number; the two readings differ, so neither is given.
_FRACTION_AFTER_DIVISION_SIGN = re.compile(r"÷\s*\d+(?:[.,]\d+)?\s*/\s*\d|\s/\s+\d+(?:[.,]\d+)?/\d")

# Words a request wraps around an expression ("work out … for me", "… and give me just the
# result", "what do you get if you …"); accepted only when the message also asks to compute.
_REQUEST_WORDS = {
    "for", "just", "only", "get", "if", "give", "result", "answer", "number", "out", "up",
    "when", "juste", "seulement", "quoi", "obtient", "obtiens", "obtenez", "on", "moi", "pour", "donner",
    "si", "quand", "sais", "savez", "know", "i", "je", "j", "tu", "you", "we", "nous", "vous",
    # the form asked for: "write 10^-3 as a decimal", "écris-le sous forme décimale"
    "write", "ecris", "ecrire", "as", "decimal", "decimale", "sous", "forme", "ecriture", "nombre",
}  # fmt: skip
_REQUEST_CUE = re.compile(
    r"\b(?:calculate|compute|evaluate|work out|figure out|solve|what do(?:es)? (?:you|i|it|that|we) get|"
    r"(?:the )?(?:result|answer)|calcul\w*|resultat|combien|what(?: i|')s|how much is|obten\w*|obtien\w*|"
    r"as an? decimal|en (?:nombre |ecriture )?decimale?|sous forme decimale)\b"
)
# (a call "f(x" is read from the start of its word: from each letter, a long word would be
# rescanned to its end every time)
_CODE_LIKE = re.compile(r"__|\b(?=\w*[a-z_])\w+\s*\(\s*['\"a-z_]|[a-z_)]\s*\.\s*[a-z_]|\blambda\b|\bimport\b")
_EXPLICIT = re.compile(r"^\s*(?:calculate|compute|evaluate|calcule[rz]?)\b")
_MATH_CHARS = re.compile(r"^[\d\s.+\-*/^()!%×÷−–·√∛²³π]*$")


def _normalise_numbers(text: str, lang: str) -> str:
    """Digits in one canonical form: decimal point, no grouping."""
    if lang == "fr":
        text = re.sub(r"\b\d{1,3}(?:[ \u00a0\u202f]\d{3})+\b", lambda m: re.sub(r"\s", "", m[0]), text)
    else:
        text = re.sub(r"\b\d{1,3}(?:[\u00a0\u202f]\d{3})+\b", lambda m: re.sub(r"\s", "", m[0]), text)

    def canon(m: re.Match[str]) -> str:
        try:
            q = parse_decimal(m[0], lang)
        except ValueError:
            return m[0]
        text, _ = format_number(q, "en")
        return text

    return re.sub(r"\d+(?:[.,]\d+)*", canon, text)


def _percent_words(text: str) -> str:
    """ "pour cent" before number words are read, so "vingt pour cent" is not 20 × 100."""
    return re.sub(r"\bpour ?cents?\b|\bpourcents?\b", " %", text)


def prepare_text(message: str, lang: str) -> str:
    """Folded text with numbers in digits. A colon right after a word ("Quick one: 5 × 3",
    "Calcule : 12 : 4") ends a lead-in; only a colon after a number is a division sign."""
    # (ligatures spelt out, "œufs" → "oeufs": a word, not a stray letter)
    text = re.sub(r"(?<=[^\W\d_])\s*:(?!\S)", ",", fold(message).replace("œ", "oe").replace("æ", "ae"))
    text = repair_operation_words(text, lang)
    text = _normalise_numbers(words_to_digits(_percent_words(text), lang), lang)
    # "3.2 × 10^4 ÷ 8 × 10^-2": a number in scientific notation is one number, not a product
    # that the division before it would split.
    return _SCIENTIFIC.sub(r"(\1 * 10^\2)", text)


_SCIENTIFIC = re.compile(r"(?<![\d.,^)])(\d+(?:[.,]\d+)?)\s*[×x*]\s*10\s*\^\s*(\(?-?\d+\)?)(?![\d.,])")


_CURRENCY = re.compile(r"(?<=\d)\s?(?:€|\$|£|(?:euros?|dollars?|eur|usd|gbp)\b)|(?:€|\$|£)\s?(?=\d)")


def _drop_currency(text: str) -> str:
    """ "5 € + 3 €", "$15.50 times 3": amounts of one currency are plain numbers; mixed
    currencies ("5 € + 3 $") are left, so the leftover symbol stops the calculation."""
    kinds = {re.sub(r"s$", "", m[0].strip()) for m in _CURRENCY.finditer(text)}
    kinds = {{"euro": "€", "eur": "€", "dollar": "$", "usd": "$", "gbp": "£"}.get(k, k) for k in kinds}
    return _CURRENCY.sub("", text) if len(kinds) == 1 else text


def _strip_end(text: str, pattern: str, marks: str) -> str:
    """``re.sub(pattern, "", text)`` for a ``pattern`` that only matches a run of whitespace
    and ``marks`` that ends the text, applied to that run alone (and the character before it,
    which lookbehinds read): on the whole text, a long run of such characters that does not
    end it would be rescanned from each of its characters (quadratic)."""
    start = len(text)
    while start > 0 and (text[start - 1].isspace() or text[start - 1] in marks):
        start -= 1
    head = max(start - 1, 0)
    return text[:head] + re.sub(pattern, "", text[head:])


def to_expression(message: str, lang: str) -> tuple[str, list[str]]:
    """The message with numbers in digits and operator phrases as symbols, and the words
    left over that are neither fillers nor operators."""
    text = prepare_text(message, lang)
    text = re.sub(r"(?<=\d)\s*(?:eme|e|er|ere|th|st|nd|rd)\b(?=\s*(?:power|puissance))", "", text)
    text = _FRACTION_DIVISOR.sub(r"\1 (\2)", text)
    text = _drop_currency(text)
    text = _AGGREGATE.sub(_aggregate, text)
    for pattern, replacement in _REWRITES_RE:
        text = pattern.sub(replacement, text)
    text = _strip_end(text.strip(), r"[\s?=¿]+$", "?=¿")
    text = re.sub(r"^[\s=]+", "", text)
    # "!" after a number is a factorial
    text = _strip_end(text, r"(?<=[^\d)\s])[\s!?]+$|(?<!\s)\s+!+$", "!?")
    text = _strip_end(re.sub(r"^[,:;\s]+", "", text), r"[,:;.\s]+$", ",:;.")
    leftovers: list[str] = []
    kept: list[str] = []
    for piece in re.split(r"(\s+|[,;:])", text):
        word = piece.strip()
        if not word or word in ",;:":
            kept.append(f"{word} " if word in ",;" else piece)
            continue
        bare = word.strip("?'\".!;:")
        if re.fullmatch(r"[a-z][a-z'\-]*", bare) and bare not in ("sqrt", "cbrt", "mod", "pi", "x"):
            parts = [p for p in re.split(r"['\-]", bare) if p]
            if all(p in _FILLERS for p in parts) or bare in _FILLERS:
                if bare in _CLAUSE_START and re.search(r"\d", "".join(kept)):
                    kept.append(", ")  # "Quick one - what's 2 × 3": a new clause starts here
                continue
            leftovers.append(bare)
            continue
        kept.append(piece)
    expression = re.sub(r"\s+", " ", "".join(kept)).strip(" ,")
    if re.search(r"\S\s*,\s*\S", expression):
        # Two expressions side by side ("quick 1, 5 × 3"): a lead-in, not a product.
        leftovers.append(",")
    return expression.replace(",", " "), leftovers


def interpret(message: str, lang: str) -> MathAnswer | None:
    """The calculation asked for in ``message``, or None if it is not a calculation."""
    if len(message) > 2000 or has_ambiguous_number(message, lang):
        return None
    folded = prepare_text(message, lang)
    if m := _FRACTION_AFTER_DIVISION_SIGN.search(fold(message)):
        fraction = re.sub(r"\s", "", m[0].lstrip("÷/ \t"))
        return MathAnswer(fraction, error=CalcError("ambiguous", f"fraction {fraction}"))
    for pattern, part_group, whole_group in _PERCENTAGE_OF:
        if m := pattern.search(folded):
            part, whole = m[part_group], m[whole_group]
            expression = f"{part} / {whole} * 100"
            try:
                return MathAnswer(expression, calculate(expression), percentage_of=(part, whole))
            except CalcError as err:
                return MathAnswer(expression, error=err)
    for pattern, rate_group, part_group in _WHOLE_FROM_PART:
        if m := pattern.search(folded):
            expression = f"{m[part_group]} / {m[rate_group]}%"
            try:
                return MathAnswer(expression, calculate(expression))
            except CalcError as err:
                return MathAnswer(expression, error=err)
    if claim := _CLAIM.match(folded):
        lhs, _ = to_expression(claim["lhs"], lang)
        answer = _calculate_claim(lhs, claim["rhs"])
        if answer is not None:
            return answer
    expression, leftovers = to_expression(message, lang)
    words = {part for word in leftovers for part in re.split(r"['\-]", word) if part}
    if leftovers and words <= _REQUEST_WORDS | _FILLERS and _REQUEST_CUE.search(folded):
        leftovers = []
    if leftovers:
        # "calculate 3 + foo": the user asked for a calculation, so say why it cannot be done.
        if _EXPLICIT.match(fold(message)) and re.search(r"\d", expression) and len(leftovers) <= 2:
            return MathAnswer(expression, error=CalcError("name", leftovers[0]))
        return None
    looks_code = bool(_CODE_LIKE.search(expression))
    looks_math = bool(re.search(r"\d|\bpi\b", expression)) and _operator_count_text(expression) > 0
    if not (looks_math or looks_code):
        return None
    try:
        calculation = calculate(expression)
    except CalcError as err:
        bare = re.sub(r"\b(?:sqrt|cbrt|mod|pi)\b", "", expression)
        if err.code == "syntax" and not looks_code and not _MATH_CHARS.match(bare):
            return None
        if err.code == "syntax" and re.search(r"[^\W\d_]", message) and re.search(r"\d\s+\d", expression):
            return None  # two numbers side by side: a sentence we did not understand, not a typo
        return MathAnswer(expression, error=err)
    if operator_count(calculation.tree) == 0:
        return None  # a bare number is not a calculation
    return MathAnswer(expression, calculation)


def _calculate_claim(lhs: str, rhs: str) -> MathAnswer | None:
    """ "17 × 23 = 391?": compute the left side; None unless it is a real calculation."""
    if re.search(r"[a-z]{2,}", re.sub(r"\b(?:sqrt|cbrt|mod|pi)\b", "", lhs)):
        return None
    try:
        calculation = calculate(lhs)
    except CalcError:
        return None
    if operator_count(calculation.tree) == 0:
        return None
    return MathAnswer(lhs, calculation, claimed=Fraction(rhs))


def _operator_count_text(expression: str) -> int:
    return len(re.findall(r"[-+*/^%!×÷√∛²³]|\bsqrt\b|\bcbrt\b|\bmod\b|\d\s*x\s*\d|\d :\s\d", expression))


# ---------------------------------------------------------------- rendering

_OPS = {"+": " + ", "-": " - ", "*": " × ", "/": " ÷ ", "^": "^", "mod": " mod "}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "mod": 2, "^": 4}


def _num(q: Fraction, lang: str) -> str:
    return format_number(q, lang)[0]


def render(node: Node, lang: str) -> str:
    """``node`` written for a person: "17 × 23", "√169", "12.5% of 360", "5!"."""
    return _render(node.inner if isinstance(node, Group) else node, lang)


def _render(node: Node, lang: str) -> str:
    render = _render
    if isinstance(node, Num):
        return node.text if node.text == "π" else _num(node.value, lang)
    if isinstance(node, Group):
        return f"({render(node.inner, lang)})"
    if isinstance(node, Unary):
        return f"{'-' if node.op == '-' else '+'}{render(node.operand, lang)}"
    if isinstance(node, Postfix):
        inner = render(node.operand, lang)
        if node.op == "%":
            return f"{inner} %" if lang == "fr" else f"{inner}%"
        return f"{inner}!"
    if isinstance(node, Func):
        if node.name == "abs":
            return f"|{render(node.arg, lang)}|"
        symbol = "√" if node.name == "sqrt" else "∛"
        arg = node.arg.inner if isinstance(node.arg, Group) and isinstance(node.arg.inner, Num) else node.arg
        inner = render(arg, lang)
        return f"{symbol}{inner}" if isinstance(arg, (Num, Group)) else f"{symbol}({inner})"
    left, right = render(node.left, lang), render(node.right, lang)
    if node.op == "*" and isinstance(node.left, Postfix) and node.left.op == "%":
        return f"{left} {'de' if lang == 'fr' else 'of'} {right}"
    if isinstance(node.left, Binary) and _PRECEDENCE[node.left.op] < _PRECEDENCE[node.op]:
        left = f"({left})"
    if (
        isinstance(node.right, Binary)
        and _PRECEDENCE[node.right.op] <= _PRECEDENCE[node.op]
        and node.op != "^"
    ):
        right = f"({right})"
    return f"{left}{_OPS[node.op]}{right}"
