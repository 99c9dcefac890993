"""Numbers written in words, English and French, turned into digits.

Contract: :func:`words_to_digits` rewrites every maximal run of number words in a text into
its digits and leaves every other character as it was ("three times seventeen" →
"3 times 17", "combien font quatre-vingt-dix-sept moins vingt et un" → "combien font 97 moins
21"). A run only continues when the next word can grammatically extend the number, so
"three four" stays two numbers. Articles are not numbers: English "a"/"an" only count before
a scale word ("a hundred"), French "un"/"une" only when no noun follows ("un plus un", but
not "une chèvre"). Decimals read aloud ("two point five", "deux virgule cinq") are joined.
Digits followed by a scale word are multiplied out ("3 million" → "3000000"). English may
put a comma after a scale word ("two thousand, three hundred"): the number goes on.
"""

from __future__ import annotations

import re

from eclair.answer.numfmt import parse_decimal
from eclair.text.fold import fold

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_FR_SMALL = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "octante": 80,
    "huitante": 80, "nonante": 90,
}  # fmt: skip
_EN_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_FR_SCALE = {
    "cent": 100, "cents": 100, "mille": 1000, "million": 10**6, "millions": 10**6,
    "milliard": 10**9, "milliards": 10**9,
}  # fmt: skip
_EN_SCALE.update({k + "s": v for k, v in list(_EN_SCALE.items()) if k != "hundred"})
# "a dozen", "two dozen", "une douzaine"
_EN_SCALE.update({"dozen": 12, "dozens": 12})
_FR_SCALE.update({"douzaine": 12, "douzaines": 12})

# "half a dozen", "une demi-douzaine": six
_HALF_DOZEN = re.compile(
    r"\b(?:half a dozen|a half[- ]dozen|half[- ]dozen|une demi-douzaine|demi-douzaine)\b", re.I
)

_ARTICLES = {"en": {"a", "an"}, "fr": {"un", "une"}}
_DECIMAL_WORD = {"en": "point", "fr": "virgule"}
_JOINER = {"en": "and", "fr": "et"}
# Words after French "un"/"une" that keep it a number ("un plus un", "une fois deux").
_FR_OPERATOR_WORDS = {
    "plus", "moins", "fois", "divise", "multiplie", "sur", "et", "au", "a", "puissance", "pour",
    "virgule", "egal", "egale", "font", "fait", "mille", "million", "millions", "milliard",
}  # fmt: skip

_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?|\s+|.", re.UNICODE)


# Denominators written as words (the one table of them): "thirds", "quarts", "cinquièmes" (folded).
FRACTION_WORDS = {
    f"{word}{plural}": n
    for n, words in {
        2: ("half", "halve", "demi"), 3: ("third", "tier"), 4: ("quarter", "fourth", "quart"),
        5: ("fifth", "cinquieme"), 6: ("sixth", "sixieme"), 7: ("seventh", "septieme"), 8: ("eighth", "huitieme"),
        9: ("ninth", "neuvieme"), 10: ("tenth", "dixieme"),
    }.items()
    for word in words
    for plural in ("", "s")
}  # fmt: skip


# The English ones: "quarts" is a unit of volume in English, a fraction in French.
def _french_fraction(word: str) -> bool:
    return word.startswith(("demi", "tier")) or word in ("quart", "quarts") or "ieme" in word


ENGLISH_FRACTION_WORDS = {word: n for word, n in FRACTION_WORDS.items() if not _french_fraction(word)}
FRENCH_FRACTION_WORDS = {word: n for word, n in FRACTION_WORDS.items() if _french_fraction(word)}


def _fold(word: str) -> str:
    return fold(word, compatible=True)


class _Run:
    """Accumulates one number; ``accept`` says whether a word can extend it."""

    def __init__(self, lang: str):
        self.lang = lang
        self.total = 0
        self.current = 0
        self.last_scale = 10**15
        self.words = 0
        self.last_small: int | None = None

    @property
    def value(self) -> int:
        return self.total + self.current

    def accept_small(self, v: int) -> bool:
        cur = self.current % 100
        if self.words == 0 or (self.current == 0 and self.last_small is None):
            self.current += v
        elif self.lang == "fr" and v == 20 and cur == 4 and self.last_small == 4:
            self.current += 76  # quatre-vingt(s)
        elif (
            (cur == 0 and self.current > 0)
            or (cur == 0 and self.last_small is None)
            or (cur >= 20 and cur % 10 == 0 and v < 10)
            or (self.lang == "fr" and cur in (60, 80) and v < 20)
        ):
            self.current += v
        elif self.lang == "fr" and cur in (10, 70, 90) and self.last_small == 10 and v < 10:
            self.current += v  # dix-sept, soixante-dix-huit, quatre-vingt-dix-neuf
        else:
            return False
        self.last_small = v
        self.words += 1
        return True

    def accept_scale(self, scale: int) -> bool:
        if scale == 100:
            if (self.current % 100 == 0 and self.current != 0) or self.current >= 100:
                return False
            self.current = (self.current or 1) * 100
        else:
            if scale >= self.last_scale:
                return False
            self.total += (self.current or 1) * scale
            self.current = 0
            self.last_scale = scale
        self.last_small = None
        self.words += 1
        return True


def _small(word: str, lang: str) -> int | None:
    table = _FR_SMALL if lang == "fr" else _EN_SMALL
    return table.get(word)


def _scale(word: str, lang: str) -> int | None:
    return (_FR_SCALE if lang == "fr" else _EN_SCALE).get(word)


def words_to_digits(text: str, lang: str = "en") -> str:
    """Replace number words in ``text`` by digits (see the module docstring)."""
    tokens = _TOKEN.findall(_HALF_DOZEN.sub("6", text))
    out: list[str] = []
    i = 0
    n = len(tokens)

    def next_word(j: int) -> tuple[int, str] | None:
        """Index and folded form of the next word after position j, skipping spaces/hyphens."""
        k = j + 1
        while k < n and (tokens[k].isspace() or tokens[k] == "-"):
            k += 1
        if k < n and tokens[k][0].isalpha():
            return k, _fold(tokens[k])
        return None

    def word_after_comma(j: int, below: int) -> tuple[int, str] | None:
        """ "two thousand, three hundred": English writes a comma after a scale word. Only a
        group with its own smaller scale word goes on ("two thousand, three and four" is a list)."""
        k = j + 1
        while k < n and tokens[k].isspace():
            k += 1
        if k < n and tokens[k] == ",":
            after = next_word(k)
            if after and _small(after[1], lang) is not None:
                k2 = after[0]
                while (w := next_word(k2)) and _small(w[1], lang) is not None:
                    k2 = w[0]  # "twenty-five thousand"
                scale_word = next_word(k2)
                scale = _scale(scale_word[1], lang) if scale_word else None
                if scale is not None and scale < below:
                    return after
        return None

    while i < n:
        tok = tokens[i]
        word = _fold(tok) if tok[0].isalpha() else ""
        # Digits followed by a scale word: "3 million".
        if tok[0].isdigit():
            nxt = next_word(i)
            scale = _scale(nxt[1], lang) if nxt else None
            if nxt and scale and (scale >= 1000 or scale == 12):  # "3 million", "3 dozen"
                try:
                    scaled = parse_decimal(tok, lang) * scale
                except ValueError:
                    scaled = None
                if scaled is not None and scaled.denominator == 1:
                    out.append(str(scaled.numerator))
                    i = nxt[0] + 1
                    continue
            out.append(tok)
            i += 1
            continue
        starts = word and (_small(word, lang) is not None or _scale(word, lang) is not None)
        if word in _ARTICLES[lang]:
            nxt = next_word(i)
            if lang == "en":
                starts = bool(nxt and _scale(nxt[1], lang))
            else:
                starts = nxt is None or nxt[1] in _FR_OPERATOR_WORDS or _scale(nxt[1], lang) is not None
                if nxt and nxt[1] == "fois":  # "une fois que …", "une fois toutes les rangées faites": once
                    k = nxt[0] + 1
                    while k < n and tokens[k].isspace():
                        k += 1
                    after = next_word(nxt[0])
                    starts = (k < n and tokens[k][0].isdigit()) or bool(
                        after and after[0] == k and _small(after[1], lang) is not None
                    )
                if nxt and nxt[1] == "et":  # "une chèvre et ..." is ambiguous; "un et un" is not
                    after = next_word(nxt[0])
                    starts = bool(after and (_small(after[1], lang) is not None))
        if not starts:
            out.append(tok)
            i += 1
            continue
        run = _Run(lang)
        j = i
        end = i  # index of the last token of the number
        while j < n:
            w = _fold(tokens[j]) if tokens[j][0].isalpha() else ""
            small, scale = _small(w, lang), _scale(w, lang)
            if run.words == 0 and w in _ARTICLES["en"] and lang == "en":
                small = 1  # "a hundred"
            if (small is not None and run.accept_small(small)) or (
                scale is not None and run.accept_scale(scale)
            ):
                end = j
                nxt = next_word(j)
                if nxt is None and lang == "en" and scale is not None and scale >= 1000:
                    nxt = word_after_comma(j, scale)
                if nxt is None:
                    break
                k, w2 = nxt
                if w2 == _JOINER[lang]:
                    after = next_word(k)
                    joinable = after and (
                        (lang == "fr" and after[1] in ("un", "une", "onze") and run.current % 10 == 0)
                        or (
                            lang == "en"
                            and run.current % 100 == 0
                            and run.value > 0
                            and after[1] in _EN_SMALL
                        )
                    )
                    if not joinable:
                        break
                    assert after is not None
                    j = after[0]
                    continue
                j = k
                continue
            break
        if run.words == 0:
            out.append(tok)
            i += 1
            continue
        value = str(run.value)
        i = end + 1
        # "two point five", "deux virgule cinq"
        nxt = next_word(end)
        if nxt and nxt[1] == _DECIMAL_WORD[lang]:
            digits = []
            k = nxt[0]
            while (after := next_word(k)) and _small(after[1], lang) is not None:
                d = _small(after[1], lang)
                assert d is not None
                digits.append(str(d))
                k = after[0]
                if d >= 10:
                    break
            if digits:
                value += "." + "".join(digits)
                i = k + 1
        out.append(value)
    return "".join(out)
