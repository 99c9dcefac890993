"""Number theory and number functions asked in words: primes, divisors, gcd/lcm, logarithms,
decimal forms, rounding, scientific notation and Euclidean division, in English and French.

Contract: :func:`read_number_question` takes one message and returns a :class:`NumberReply`
when the *whole* message is one such question ("Is 97 a prime number?", "PGCD de 84 et 126",
"log(1000)", "3/8 en décimal", "round 2.675 to 2 decimal places", "4 500 000 en notation
scientifique"), and None otherwise: every word must belong to the question's frame, so a
message with anything more is left to the other readers (coverage by construction). Results
are exact where they can be (integer logarithms of exact powers, rationals); an irrational
logarithm is given to ten significant digits and marked approximate. Rounding is half away
from zero, the convention taught in school. Sizes are bounded (:data:`MAX_PRIME_TEST`,
:data:`MAX_DIGITS`) so that no question costs more than a millisecond or two.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from eclair.answer.facts import fold1
from eclair.answer.numfmt import format_number, parse_decimal
from eclair.answer.numwords import FRACTION_WORDS, words_to_digits

MAX_PRIME_TEST = 10**12  # trial division up to 10**6: about a millisecond
MAX_DIGITS = 30


@dataclass(frozen=True, slots=True)
class NumberReply:
    text: str
    # Values (as a correct answer would write them) for pushback to re-verify.
    checks: tuple[str, ...]
    # The numbers of the message the reading used (the router's coverage check).
    used: tuple[Fraction, ...] = ()


_NUM = r"-?\d+(?:[.,]\d+)?"
_LEAD = (
    r"^(?:(?:hey|hi|ok|okay|so|please|quick question|question|alors|bon|dis|dites|bonjour|salut)[\s,!:]+)*"
    r"(?:(?:can you tell me|could you tell me|tell me|do you know|i'd like to know|sais-tu|savez-vous|"
    r"peux-tu me dire|pouvez-vous me dire|dis-moi|dites-moi|calculate|compute|find|give me|work out|"
    r"calcule[rz]?|trouve[rz]?|donne-moi|donnez-moi)\s+)?"
    r"(?:(?:what is|what's|whats|what are|quel est|quelle est|quels sont|quelles sont|c'est quoi|combien vaut|"
    r"combien fait|que vaut)\s+)?"
)
_END = r"\s*(?:please|svp|s'il (?:te|vous) plait)?\s*[?.!]*\s*$"


_BODIES: dict[re.Pattern[str], re.Pattern[str]] = {}


def _frame(body: str) -> re.Pattern[str]:
    """The question ``body`` as the whole message; its body alone is also kept, to be found
    inside a longer message ("What's the remainder when 1000 is divided by 7?") whose other
    numbers the router then checks are none (coverage)."""
    framed = re.compile(_LEAD + body + _END)
    _BODIES[framed] = re.compile(r"(?<![\w.,])" + body + r"(?![\w])")
    return framed


_PRIME = [
    _frame(rf"(?:is|est-ce que) (?P<n>{_NUM}) (?:a |an? )?(?:prime|premier)(?: number| integer)?"),
    _frame(rf"(?:is|est-ce que) (?P<n>{_NUM}) est (?:un )?(?:nombre )?premier"),
    _frame(rf"(?P<n>{_NUM}) (?:est-il|est-ce|c'est|est)(?: un)?(?: nombre)? premier"),
    _frame(rf"(?:is the number|le nombre) (?P<n>{_NUM}) (?:prime|est-il premier|est premier)"),
]
_GCD = _frame(
    r"(?:the |le |la )?(?:gcd|gcf|hcf|greatest common (?:divisor|factor)|highest common factor|pgcd|"
    r"plus grand (?:commun )?diviseur(?: commun)?)"
    rf" (?:of |de |d'|between |entre )?(?P<a>{_NUM})(?:, (?P<c>{_NUM}))?(?:,? and | et |, )(?P<b>{_NUM})"
)
_LCM = _frame(
    r"(?:the |le |la )?(?:lcm|least common multiple|lowest common multiple|smallest common multiple|ppcm|"
    r"plus petit (?:commun )?multiple(?: commun)?)"
    rf" (?:of |de |d'|between |entre )?(?P<a>{_NUM})(?:, (?P<c>{_NUM}))?(?:,? and | et |, )(?P<b>{_NUM})"
)
_DIVISORS = _frame(
    r"(?:all )?(?:the |les |tous les |le |la )?(?P<kind>prime factors|prime factorization|prime factorisation|"
    r"divisors|factors|diviseurs|facteurs premiers|decomposition en facteurs premiers|"
    # one end of the list: "the smallest prime factor", "le plus grand diviseur premier"
    r"(?:smallest|largest|biggest|greatest|lowest|highest) prime (?:factor|divisor)|"
    r"plus (?:petit|grand) (?:diviseur|facteur) premier)"
    rf" (?:of |de |d')(?P<n>{_NUM})"
)
# "How many divisors does 36 have?", "Combien 36 a-t-il de diviseurs ?": the list answers, with its count
_DIVISOR_COUNT = _frame(
    r"(?:how many (?:positive |whole[- ]number |integer |distinct )*(?P<kind>divisors|factors) (?:does|has) "
    rf"(?:the number )?(?P<n>{_NUM})(?: have)?|combien (?:de (?P<kind2>diviseurs) (?:a|possede) (?:le nombre )?"
    rf"(?P<n2>{_NUM})|(?:le nombre )?(?P<n3>{_NUM}) (?:a-t-il|possede-t-il) de (?P<kind3>diviseurs)))"
    r"(?: (?:in all|in total|en tout|au total))?(?: \([^()]{0,60}\))?"
)
_LOG = _frame(
    r"(?:the |le |la |l')?(?P<fn>natural log(?:arithm)?|ln|log(?:arithm)?|logarithme(?: neperien| naturel| decimal)?)"
    r"(?: (?:base|in base|en base|de base) (?P<base>\d+))?"
    rf"(?: of| de| d')? ?\(?(?P<n>{_NUM})\)?(?: (?:in )?base (?P<base2>\d+))?"
)
_DECIMAL = _frame(
    r"(?:convert |write |ecris |ecrire |convertis |convertir )?"
    # "3/8", or said in words: "three eighths" (digits by now: "3 eighths"), "un quart"
    rf"(?:(?P<p>\d+)\s*/\s*(?P<q>\d+)|(?P<wp>\d+|an?|one|une?) (?P<wq>{'|'.join(FRACTION_WORDS)}))"
    r" (?:(?:written|expressed|ecrite?|exprimee?) )?"
    r"(?:as an? decimal(?: number)?|in decimal(?: form)?|to (?:a )?decimal|"
    r"en (?:nombre |ecriture |forme )?decimal(?:e)?|sous forme decimale)"
)
_ROUND = _frame(
    rf"(?:round|arrondi[rsz]?|arrondissez) (?P<n>{_NUM}) (?:to |a |au |à )?(?:the nearest |l')?"
    r"(?P<to>whole number|integer|unit|unite|tenth|dixieme|hundredth|centieme|thousandth|millieme|"
    r"(?P<k>\d+) (?:decimal places?|decimals?|decimales?|chiffres? apres la virgule))"
)
_SCIENTIFIC = _frame(
    rf"(?:write |ecris |ecrire )?(?P<n>{_NUM}) (?:in|en) (?:scientific notation|standard form|notation scientifique)"
)
_EUCLID = _frame(
    r"(?:the |la |le )?(?:(?:quotient and |quotient et (?:le )?)?(?:the |le )?(?:remainder|reste)(?: of| de| d'| in| dans)? "
    r"(?:the |la )?(?:(?:euclidean )?division|division(?: euclidienne)?)|euclidean division|division euclidienne|"
    r"quotient and remainder|quotient et (?:le )?reste|(?:the )?remainder(?: when| after| of)?|(?:le )?reste(?: de| quand| si)?)"
    r" (?:of |de |d')?(?:(?:you |we |i |one |on )?(?:divide|dividing|divise) )?(?P<a>\d+) (?:is |est )?"
    r"(?:by|par|divided by|divise par|is divided by) (?P<b>\d+)"
)
# "If I divide 1000 by 7 (in whole numbers), what's the quotient and the remainder?"
_EUCLID_IF = _frame(
    r"(?:if|si|when|quand) (?:i|you|we|one|je|tu|on|vous) (?:divide|divides|divise|divisez) (?P<a>\d+) (?:by|par) "
    r"(?P<b>\d+)(?: (?:using|with|in|en) (?:whole numbers|integers|nombres entiers|entiers))?,? "
    r"(?:what(?:'s| is| are) |quels? (?:est|sont) |give me |donne-moi )?(?:the |le )?(?:quotient(?: and| et)"
    r"(?: what(?:'s| is))? (?:the |le )?(?:remainder|reste)|remainder|reste)"
)
_NEXT_PRIME = _frame(
    r"(?:the |le )?(?:smallest |first |next |plus petit |premier )(?:prime(?: number)?|nombre premier) "
    r"(?:that is |qui est )?(?:strictly |strictement )?(?:greater than|larger than|bigger than|above|after|over|"
    r"superieur a|plus grand que|apres) (?P<n>\d+)"
)
_COUNT_PRIMES = _frame(
    r"(?:how many|combien (?:y a-t-il |existe-t-il )?(?:de|d')) ?(?:prime numbers|primes|nombres premiers) "
    r"(?:are there |is there |y a-t-il |existe-t-il )?(?:between|entre|from|de) (?P<a>\d+) (?:and|et|to|a) (?P<b>\d+)"
    r"(?: inclusive| inclus)?"
)
# "the sum of the divisors of 45 other than 45", "la somme des nombres premiers entre 50 et 70":
# an aggregate of one of the sets above, computed (never the list alone: the sum was asked)
_AGGREGATE = _frame(
    r"(?:(?:the |la |le )?(?P<agg>sum|total|product|average|mean|somme|produit|moyenne) "
    r"(?:of (?:all )?(?:the )?|de (?:tous )?(?:les )?|des |de tous les )|"
    r"(?P<addup>add up|adds up|add together|additionne[rz]?) (?:all |tous )?(?:of )?(?:the |les )?)"
    r"(?:(?P<proper>proper |strict )?(?:divisors|factors|diviseurs)(?: (?:propres|stricts))? (?:of |de |d')"
    rf"(?P<n>{_NUM})(?P<excluded>,? (?:excluding|not counting|without|other than|except|apart from|sans compter|hormis|"
    r"sauf|en excluant|autres que|a part) (?:(?:the number |le nombre )?(?P<x>\d+)|itself|lui-meme)(?: (?:itself|lui-meme))?)?"
    r"|(?:prime numbers|primes|nombres premiers) (?:between|entre|from|de) (?P<a>\d+) (?:and|et|to|a) (?P<b>\d+)"
    r"(?: inclusive| inclus)?)"
)
# words of an operation: a question found inside a message that holds one asks for more than
# the question itself ("the sum of the divisors of 45" is not "the divisors of 45")
_OPERATION_AROUND = re.compile(
    r"\b(?:sum|total|product|average|mean|somme|produit|moyenne|divided|divise|multiplied|multiplie|squared|"
    r"au carre|double|twice|half|moitie|add|ajoute|subtract|soustrai\w*)\b"
)
MAX_PRIME_COUNT = 10**6  # a sieve of a million: a few milliseconds
# decimal places of "round to the nearest tenth", "arrondi au centième" (the router's chained
# rounding reads the same words)
PLACES = {"whole number": 0, "integer": 0, "unit": 0, "unite": 0, "tenth": 1, "dixieme": 1}
PLACES |= {"hundredth": 2, "centieme": 2, "thousandth": 3, "millieme": 3}


def _prepare(message: str, lang: str) -> str:
    text = words_to_digits(fold1(message), lang).strip()
    # "4 500 000" (French thousands) and "1,000,000" (English) become one number.
    text = re.sub(r"(?<=\d)[  ](?=\d{3}\b)", "", text)
    if lang == "en":
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return re.sub(r"\s+", " ", text)


def _number(token: str, lang: str) -> Fraction:
    return -parse_decimal(token[1:], lang) if token.startswith("-") else parse_decimal(token, lang)


def _int(token: str, lang: str) -> int | None:
    value = _number(token, lang)
    return int(value) if value.denominator == 1 and len(str(abs(value.numerator))) <= MAX_DIGITS else None


def _fmt(value: Fraction | int, lang: str, exact: bool = True) -> str:
    return format_number(Fraction(value), lang, exact=exact)[0]


def _checks(*values: Fraction | int) -> tuple[str, ...]:
    return tuple({_fmt(v, lang) for v in values for lang in ("en", "fr")})


def _smallest_factor(n: int) -> int:
    if n % 2 == 0:
        return 2
    for d in range(3, math.isqrt(n) + 1, 2):
        if n % d == 0:
            return d
    return n


def _factorise(n: int) -> list[int]:
    factors = []
    while n > 1:
        p = _smallest_factor(n)
        factors.append(p)
        n //= p
    return factors


def _prime(n: int, lang: str) -> NumberReply | None:
    if n > MAX_PRIME_TEST:
        return None
    shown = _fmt(n, lang)
    if n < 2:
        text = {"en": f"No: {shown} is not a prime number (primes are whole numbers greater than 1).",
                "fr": f"Non : {shown} n'est pas un nombre premier (un nombre premier est un entier supérieur à 1)."}  # fmt: skip
        return NumberReply(text[lang], ("not", "pas"))
    p = _smallest_factor(n)
    if p == n:
        text = {"en": f"Yes: {shown} is a prime number (its only divisors are 1 and {shown}).",
                "fr": f"Oui : {shown} est un nombre premier (ses seuls diviseurs sont 1 et {shown})."}  # fmt: skip
        return NumberReply(text[lang], ("yes", "oui", "prime", "premier"))
    q = _fmt(n // p, lang)
    text = {"en": f"No: {shown} is not a prime number: {shown} = {p} × {q}.",
            "fr": f"Non : {shown} n'est pas un nombre premier : {shown} = {p} × {q}."}  # fmt: skip
    return NumberReply(text[lang], ("not", "pas", str(p)))


def _divisors(n: int, kind: str, lang: str) -> NumberReply | None:
    if n < 1 or n > MAX_PRIME_TEST:
        return None
    shown = _fmt(n, lang)
    if ("prime" in kind or "premier" in kind) and not kind.endswith(("s", "factorization", "factorisation")):
        if n < 2:
            return None
        factors = _factorise(n)
        low = any(w in kind for w in ("smallest", "lowest", "petit"))
        end = factors[0] if low else factors[-1]
        product = " × ".join(str(f) for f in factors)
        text = {"en": f"{shown} = {product}: its {'smallest' if low else 'largest'} prime factor is {end}.",
                "fr": f"{shown} = {product} : son plus {'petit' if low else 'grand'} diviseur premier est {end}."}  # fmt: skip
        return NumberReply(text[lang], (str(end),))
    if "prime" in kind or "premier" in kind:
        factors = _factorise(n)
        product = " × ".join(str(f) for f in factors) or "1"
        text = {"en": f"{shown} = {product}", "fr": f"{shown} = {product}"}
        return NumberReply(text[lang], (product,))
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    divisors = sorted({*small, *(n // d for d in small)})
    if len(divisors) > 200:
        return None
    listed = ", ".join(_fmt(d, lang) for d in divisors)
    text = {"en": f"The divisors of {shown} are {listed} ({len(divisors)} in all).",
            "fr": f"Les diviseurs de {shown} sont {listed} ({len(divisors)} en tout)."}  # fmt: skip
    return NumberReply(text[lang], (listed,))


def _log(n: Fraction, base: int | None, natural: bool, lang: str) -> NumberReply | None:
    if n <= 0:
        text = {"en": "The logarithm is only defined for positive numbers.",
                "fr": "Le logarithme n'est défini que pour les nombres strictement positifs."}  # fmt: skip
        return NumberReply(text[lang], ("defined", "defini"))
    if natural:
        value, exact, name = Fraction(math.log(n)), n == 1, "ln"
    else:
        b = base or 10
        if b < 2:
            return None
        exact_value = _exact_log(n, b)
        value = exact_value if exact_value is not None else Fraction(math.log(n) / math.log(b))
        exact, name = exact_value is not None, "log" if b == 10 else f"log_{b}"
    shown = _fmt(n, lang)
    result = _fmt(value, lang, exact=exact)
    return NumberReply(f"{name}({shown}) {'=' if exact else '≈'} {result}", _checks(value))


def _exact_log(n: Fraction, base: int) -> Fraction | None:
    """log_base(n) when n is an integer power of base (10**-2 included), else None."""
    for k in range(-60, 61):
        if Fraction(base) ** k == n:
            return Fraction(k)
    return None


def round_number(n: Fraction, places: int, lang: str) -> NumberReply:
    """``n`` rounded half away from zero to ``places`` decimals, written with its value."""
    exponent = Decimal(1).scaleb(-places)
    exact = Decimal(n.numerator) / Decimal(n.denominator)
    rounded = exact.quantize(exponent, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}" if lang == "en" else f"{rounded:f}".replace(".", ",")
    return NumberReply(f"{_fmt(n, lang)} ≈ {text}", (f"{rounded:f}", f"{rounded:f}".replace(".", ",")))


def _scientific(n: Fraction, lang: str) -> NumberReply | None:
    if n == 0:
        return None
    exponent = math.floor(math.log10(abs(n)))
    mantissa = n / Fraction(10) ** exponent
    if abs(mantissa) >= 10:  # floating-point edge at exact powers of ten
        mantissa, exponent = mantissa / 10, exponent + 1
    shown = _fmt(mantissa, lang)
    return NumberReply(f"{_fmt(n, lang)} = {shown} × 10^{exponent}", (f"10^{exponent}", shown))


def read_number_question(message: str, lang: str) -> NumberReply | None:
    """The answer to a number-theory or number-function question, or None (module docstring)."""
    if len(message) > 300:
        return None
    text = _prepare(message, lang)
    for find in (re.Pattern.match, None):
        for pattern, handler in _HANDLERS:
            found = find(pattern, text) if find else _BODIES[pattern].search(text)
            if (
                found
                and not find
                and _OPERATION_AROUND.search(text[: found.start()] + " " + text[found.end() :])
            ):
                return None  # the question is part of a calculation no reading here covers
            if found:
                reply = handler(found, lang)
                if reply is None:
                    return None
                used = tuple(
                    _number(v, lang)
                    for k, v in found.groupdict().items()
                    if v and k in _NUMBER_GROUPS and v.lstrip("-")[:1].isdigit()
                )
                if found.groupdict().get("wq"):  # a fraction said in words is a number too
                    wp = found["wp"]
                    used += (Fraction(int(wp) if wp.isdigit() else 1, FRACTION_WORDS[found["wq"]]),)
                return NumberReply(reply.text, reply.checks, used)
    return None


_NUMBER_GROUPS = frozenset({"n", "n2", "n3", "a", "b", "c", "p", "q", "wp", "k", "base", "base2", "x"})


def _on_prime(m: re.Match[str], lang: str) -> NumberReply | None:
    n = _int(m["n"], lang)
    return None if n is None else _prime(n, lang)


def _on_pair(fn: Callable[[int, int], int]) -> Callable[[re.Match[str], str], NumberReply | None]:
    def handler(m: re.Match[str], lang: str) -> NumberReply | None:
        values = [_int(m[k], lang) for k in ("a", "c", "b") if m[k]]
        if any(v is None for v in values):
            return None
        numbers = [v for v in values if v is not None]
        value = fn(*numbers)
        name = ("gcd" if lang == "en" else "PGCD") if fn is math.gcd else ("lcm" if lang == "en" else "PPCM")
        shown = ", ".join(_fmt(v, lang) for v in numbers)
        return NumberReply(f"{name}({shown}) = {_fmt(value, lang)}", _checks(value))

    return handler


def _on_divisors(m: re.Match[str], lang: str) -> NumberReply | None:
    n = _int(m["n"], lang)
    return None if n is None else _divisors(n, m["kind"], lang)


def _on_divisor_count(m: re.Match[str], lang: str) -> NumberReply | None:
    n = _int(m["n"] or m["n2"] or m["n3"], lang)
    return None if n is None else _divisors(n, "divisors", lang)


def _on_log(m: re.Match[str], lang: str) -> NumberReply | None:
    base = m["base"] or m["base2"]
    natural = m["fn"].startswith(("natural", "ln")) or m["fn"].endswith(("neperien", "naturel"))
    return _log(_number(m["n"], lang), int(base) if base else None, natural, lang)


def _on_decimal(m: re.Match[str], lang: str) -> NumberReply | None:
    if m["p"]:
        p, q = int(m["p"]), int(m["q"])
    else:
        p, q = int(m["wp"]) if m["wp"].isdigit() else 1, FRACTION_WORDS[m["wq"]]
    if q == 0:
        return None
    ratio = Fraction(p, q)
    exact = format_number(ratio, lang)[1]
    return NumberReply(f"{p}/{q} {'=' if exact else '≈'} {_fmt(ratio, lang)}", _checks(ratio))


def _on_round(m: re.Match[str], lang: str) -> NumberReply | None:
    places = int(m["k"]) if m["k"] else PLACES[m["to"]]
    return round_number(_number(m["n"], lang), places, lang) if places <= 12 else None


def _on_scientific(m: re.Match[str], lang: str) -> NumberReply | None:
    return _scientific(_number(m["n"], lang), lang)


def _on_next_prime(m: re.Match[str], lang: str) -> NumberReply | None:
    n = int(m["n"])
    if n >= MAX_PRIME_TEST:
        return None
    p = n + 1
    while p < 2 or _smallest_factor(p) != p:
        p += 1
    text = {"en": f"The smallest prime number greater than {_fmt(n, lang)} is {_fmt(p, lang)}.",
            "fr": f"Le plus petit nombre premier supérieur à {_fmt(n, lang)} est {_fmt(p, lang)}."}  # fmt: skip
    return NumberReply(text[lang], _checks(p))


def _primes_between(a: int, b: int) -> list[int]:
    sieve = bytearray([1]) * (b + 1)
    sieve[: min(2, b + 1)] = bytes(min(2, b + 1))
    for i in range(2, math.isqrt(b) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, b + 1, i)))
    return [i for i in range(a, b + 1) if sieve[i]]


def _on_aggregate(m: re.Match[str], lang: str) -> NumberReply | None:
    if m["n"] is not None:
        n = _int(m["n"], lang)
        if n is None or n < 1 or n > MAX_PRIME_TEST:
            return None
        small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
        members = sorted({*small, *(n // d for d in small)})
        if m["proper"] or m["excluded"]:
            if m["x"] is not None and _int(m["x"], lang) != n:
                return None  # another number set apart: not read
            members = [d for d in members if d != n]
        what = {"en": f"the divisors of {_fmt(n, lang)}" + (f" other than {_fmt(n, lang)}" if len(members) and members[-1] != n else ""),
                "fr": f"les diviseurs de {_fmt(n, lang)}" + (f" autres que {_fmt(n, lang)}" if len(members) and members[-1] != n else "")}  # fmt: skip
    else:
        a, b = sorted((int(m["a"]), int(m["b"])))
        if b > MAX_PRIME_COUNT:
            return None
        members = _primes_between(a, b)
        what = {
            "en": f"the prime numbers between {a} and {b}",
            "fr": f"les nombres premiers entre {a} et {b}",
        }
    if not members or len(members) > 1000:
        return None
    agg = m["agg"] or "sum"
    if agg in ("product", "produit"):
        value, sign = Fraction(math.prod(members)), " × "
    elif agg in ("average", "mean", "moyenne"):
        value, sign = Fraction(sum(members), len(members)), " + "
    else:
        value, sign = Fraction(sum(members)), " + "
    if value.numerator > 10**MAX_DIGITS:
        return None
    working = (
        sign.join(_fmt(d, lang) for d in members)
        if len(members) <= 30
        else f"{len(members)} {'nombres' if lang == 'fr' else 'numbers'}"
    )
    if agg in ("average", "mean", "moyenne"):
        working = f"({working}) ÷ {len(members)}"
    result = _fmt(value, lang)
    if len(members) > 30:  # (too many to list: the working names how many there are)
        text_long = {"en": f"{what['en'][0].upper()}{what['en'][1:]} are {len(members)} numbers; their {agg if agg in ('product', 'average', 'mean') else 'sum'} = {result}.",
                     "fr": f"{what['fr'][0].upper()}{what['fr'][1:]} sont {len(members)} nombres ; leur {'produit' if agg in ('product', 'produit') else 'moyenne' if agg in ('average', 'mean', 'moyenne') else 'somme'} = {result}."}  # fmt: skip
        return NumberReply(text_long[lang], _checks(value))
    text = {"en": f"{what['en'][0].upper()}{what['en'][1:]} are {', '.join(_fmt(d, lang) for d in members)}: {working} = {result}.",
            "fr": f"{what['fr'][0].upper()}{what['fr'][1:]} sont {', '.join(_fmt(d, lang) for d in members)} : {working} = {result}."}  # fmt: skip
    return NumberReply(text[lang], _checks(value))


def _on_count_primes(m: re.Match[str], lang: str) -> NumberReply | None:
    a, b = sorted((int(m["a"]), int(m["b"])))
    if b > MAX_PRIME_COUNT:
        return None
    primes = _primes_between(a, b)
    listed = ", ".join(str(p) for p in primes) if len(primes) <= 30 else ""
    text = {"en": f"There are {len(primes)} prime numbers between {a} and {b}" + (f": {listed}." if listed else "."),
            "fr": f"Il y a {len(primes)} nombres premiers entre {a} et {b}" + (f" : {listed}." if listed else ".")}  # fmt: skip
    return NumberReply(text[lang], _checks(len(primes)))


def _on_euclid(m: re.Match[str], lang: str) -> NumberReply | None:
    a, b = int(m["a"]), int(m["b"])
    if b == 0:
        return None
    q, r = divmod(a, b)
    if "quotient" not in m.group() and re.search(r"\b(?:remainder|reste)\b", m.group()):
        # the remainder alone is asked: it is the answer, the quotient only shows the working
        text_reply = {"en": f"The remainder is {r} ({a} = {b} × {q} + {r}).",
                      "fr": f"Le reste est {r} ({a} = {b} × {q} + {r})."}  # fmt: skip
        return NumberReply(text_reply[lang], _checks(r))
    text_reply = {"en": f"{a} = {b} × {q} + {r}: the quotient is {q} and the remainder {r}.",
                  "fr": f"{a} = {b} × {q} + {r} : le quotient est {q} et le reste {r}."}  # fmt: skip
    return NumberReply(text_reply[lang], _checks(q, r))


_HANDLERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], NumberReply | None]], ...] = (
    *((pattern, _on_prime) for pattern in _PRIME),
    (_AGGREGATE, _on_aggregate),
    (_GCD, _on_pair(math.gcd)),
    (_LCM, _on_pair(math.lcm)),
    (_DIVISORS, _on_divisors),
    (_DIVISOR_COUNT, _on_divisor_count),
    (_LOG, _on_log),
    (_DECIMAL, _on_decimal),
    (_ROUND, _on_round),
    (_SCIENTIFIC, _on_scientific),
    (_EUCLID_IF, _on_euclid),
    (_EUCLID, _on_euclid),
    (_NEXT_PRIME, _on_next_prime),
    (_COUNT_PRIMES, _on_count_primes),
)
