"""Unit conversions, exact where the definitions are exact.

Contract: :func:`interpret_conversion` reads one message ("how many seconds in 3 hours",
"combien de centimètres dans 2,5 mètres", "100 °F en °C", "convert 5 km to miles") and
returns a :class:`Conversion`, or None when the message is not purely a conversion. Like the
calculator front end it is strict: exactly two units of the same kind, at most one quantity,
and nothing else but filler words; "how tall is the Eiffel Tower in metres" is left to
other routes. Two units of different kinds give a Conversion with ``error="incompatible"``.
A compound quantity counts as one ("2 hours 15 minutes", "1 h 30", "1m80", "5 ft 10 in"), and
so do halves and quarters ("an hour and a half", "deux heures et quart", "trois heures moins
le quart", "trois quarts d'heure").

Every factor is an exact :class:`~fractions.Fraction` of the SI base unit (the inch is
exactly 2.54 cm, the pound exactly 0.45359237 kg); temperatures are affine. Results are
exact rationals, printed exactly when they are terminating decimals and otherwise rounded
to six significant digits. A year counts 365 days (and says so); months are not supported
because their length varies. Bytes use decimal prefixes (KB = 1000 B) and binary ones
(KiB = 1024 B) as written; French ``Ko``/``Mo``/``Go`` are the decimal ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction as F
from functools import cache, partial

from eclair.answer.facts import fold1
from eclair.answer.numfmt import format_number, has_ambiguous_number, parse_decimal
from eclair.answer.numwords import ENGLISH_FRACTION_WORDS, FRENCH_FRACTION_WORDS, words_to_digits
from eclair.answer.phrasing import say


@dataclass(frozen=True, slots=True)
class Unit:
    key: str
    kind: str
    factor: F  # value in base units of one unit
    en: tuple[str, str]  # display, singular and plural
    fr: tuple[str, str]
    offset: F = F(0)  # for temperatures: base = value * factor + offset


# kind, key, factor, EN display, FR display, aliases (any language), EN-only aliases, FR-only aliases
_TABLE: list[tuple[str, str, F, tuple[str, str], tuple[str, str], str, str, str]] = [
    ("time", "ns", F(1, 10**9), ("nanosecond", "nanoseconds"), ("nanoseconde", "nanosecondes"), "ns|nanoseconds?|nanosecondes?", "", ""),
    ("time", "us", F(1, 10**6), ("microsecond", "microseconds"), ("microseconde", "microsecondes"), "µs|us|microseconds?|microsecondes?", "", ""),
    ("time", "ms", F(1, 1000), ("millisecond", "milliseconds"), ("milliseconde", "millisecondes"), "ms|milliseconds?|millisecondes?", "", ""),
    ("time", "s", F(1), ("second", "seconds"), ("seconde", "secondes"), "s|sec|secs|seconds?|secondes?", "", ""),
    ("time", "min", F(60), ("minute", "minutes"), ("minute", "minutes"), "min|mins|minutes?|mn", "", ""),
    ("time", "h", F(3600), ("hour", "hours"), ("heure", "heures"), "h|hr|hrs|hours?|heures?", "", ""),
    ("time", "day", F(86400), ("day", "days"), ("jour", "jours"), "days?|jours?|journees?", "d", "j"),
    ("time", "week", F(604800), ("week", "weeks"), ("semaine", "semaines"), "weeks?|semaines?|wk|wks", "", ""),
    ("time", "year", F(31536000), ("year", "years"), ("an", "ans"), "years?|annees?|yr|yrs", "", "ans?"),
    ("length", "nm", F(1, 10**9), ("nanometre", "nanometres"), ("nanomètre", "nanomètres"), "nm|nanometers?|nanometres?", "", ""),
    ("length", "um", F(1, 10**6), ("micrometre", "micrometres"), ("micromètre", "micromètres"), "µm|um|micrometers?|micrometres?|microns?", "", ""),
    ("length", "mm", F(1, 1000), ("millimetre", "millimetres"), ("millimètre", "millimètres"), "mm|millimeters?|millimetres?", "", ""),
    ("length", "cm", F(1, 100), ("centimetre", "centimetres"), ("centimètre", "centimètres"), "cm|centimeters?|centimetres?", "", ""),
    ("length", "dm", F(1, 10), ("decimetre", "decimetres"), ("décimètre", "décimètres"), "dm|decimeters?|decimetres?", "", ""),
    ("length", "m", F(1), ("metre", "metres"), ("mètre", "mètres"), "m|meters?|metres?", "", ""),
    ("length", "km", F(1000), ("kilometre", "kilometres"), ("kilomètre", "kilomètres"), "km|kms|kilometers?|kilometres?", "", ""),
    ("length", "in", F(254, 10000), ("inch", "inches"), ("pouce", "pouces"), "inch|inches|pouces?", "", ""),
    ("length", "ft", F(3048, 10000), ("foot", "feet"), ("pied", "pieds"), "ft|foot|feet|pieds?", "", ""),
    ("length", "yd", F(9144, 10000), ("yard", "yards"), ("yard", "yards"), "yd|yds|yards?", "", ""),
    ("length", "mi", F(1609344, 1000), ("mile", "miles"), ("mile", "miles"), "mi|miles?", "", ""),
    ("length", "nmi", F(1852), ("nautical mile", "nautical miles"), ("mille marin", "milles marins"), "nmi|nautical miles?|milles? marins?|milles? nautiques?", "", ""),
    ("length", "ly", F(9460730472580800), ("light-year", "light-years"), ("année-lumière", "années-lumière"), "light[- ]years?|annees?[- ]lumiere|al", "", ""),
    ("mass", "ug", F(1, 10**9), ("microgram", "micrograms"), ("microgramme", "microgrammes"), "µg|ug|mcg|micrograms?|microgrammes?", "", ""),
    ("mass", "mg", F(1, 10**6), ("milligram", "milligrams"), ("milligramme", "milligrammes"), "mg|milligrams?|milligrammes?", "", ""),
    ("mass", "g", F(1, 1000), ("gram", "grams"), ("gramme", "grammes"), "g|gr|grams?|grammes?", "", ""),
    ("mass", "kg", F(1), ("kilogram", "kilograms"), ("kilogramme", "kilogrammes"), "kg|kgs|kilograms?|kilogrammes?|kilos?", "", ""),
    ("mass", "t", F(1000), ("tonne", "tonnes"), ("tonne", "tonnes"), "tonnes?|metric tons?", "", ""),
    ("mass", "oz", F(28349523125, 10**12), ("ounce", "ounces"), ("once", "onces"), "oz|ounces?|onces?", "", ""),
    ("mass", "lb", F(45359237, 10**8), ("pound", "pounds"), ("livre", "livres"), "lb|lbs|pounds?", "", "livres?"),
    ("mass", "st", F(635029318, 10**8), ("stone", "stone"), ("stone", "stones"), "stones?", "", ""),
    ("volume", "ml", F(1, 10**6), ("millilitre", "millilitres"), ("millilitre", "millilitres"), "ml|millilit(?:er|re)s?|cm3|cm³|cc|cubic centimet(?:er|re)s?|centimetres? cubes?", "", ""),
    ("volume", "cl", F(1, 10**5), ("centilitre", "centilitres"), ("centilitre", "centilitres"), "cl|centilit(?:er|re)s?", "", ""),
    ("volume", "dl", F(1, 10**4), ("decilitre", "decilitres"), ("décilitre", "décilitres"), "dl|decilit(?:er|re)s?", "", ""),
    ("volume", "l", F(1, 1000), ("litre", "litres"), ("litre", "litres"), "l|lit(?:er|re)s?|dm3|dm³|cubic decimet(?:er|re)s?|decimetres? cubes?", "", ""),
    ("volume", "hl", F(1, 10), ("hectolitre", "hectolitres"), ("hectolitre", "hectolitres"), "hl|hectolit(?:er|re)s?", "", ""),
    ("volume", "m3", F(1), ("cubic metre", "cubic metres"), ("mètre cube", "mètres cubes"), "m3|m³|cubic met(?:er|re)s?|metres? cubes?", "", ""),
    ("volume", "qt", F(946352946, 10**12), ("US quart", "US quarts"), ("quart américain", "quarts américains"), "qt|us quarts?|quarts? americains?", "quarts?", ""),
    ("volume", "gal", F(3785411784, 10**12), ("US gallon", "US gallons"), ("gallon américain", "gallons américains"), "gal|gallons?|us gallons?|gallons? americains?", "", ""),
    ("volume", "impgal", F(454609, 10**8), ("imperial gallon", "imperial gallons"), ("gallon impérial", "gallons impériaux"), "imperial gallons?|uk gallons?|gallons? imperiaux|gallon imperial", "", ""),
    ("volume", "pt", F(473176473, 10**12), ("US pint", "US pints"), ("pinte américaine", "pintes américaines"), "pints?|us pints?|pintes? americaines?", "", ""),
    ("volume", "imppt", F(56826125, 10**11), ("imperial pint", "imperial pints"), ("pinte impériale", "pintes impériales"), "imperial pints?|uk pints?|pintes?", "", ""),
    ("volume", "cup", F(2365882365, 10**13), ("US cup", "US cups"), ("tasse américaine", "tasses américaines"), "cups?|us cups?", "", ""),
    ("volume", "floz", F(295735295625, 10**16), ("US fluid ounce", "US fluid ounces"), ("once liquide", "onces liquides"), "fl\\.? ?oz|fluid ounces?|onces? liquides?", "", ""),
    ("volume", "tbsp", F(1478676478125, 10**17), ("tablespoon", "tablespoons"), ("cuillère à soupe américaine", "cuillères à soupe américaines"), "tbsp|tablespoons?", "", ""),
    ("volume", "tsp", F(492892159375, 10**17), ("teaspoon", "teaspoons"), ("cuillère à café américaine", "cuillères à café américaines"), "tsp|teaspoons?", "", ""),
    ("volume", "cas", F(15, 10**6), ("metric tablespoon", "metric tablespoons"), ("cuillère à soupe", "cuillères à soupe"), "cuilleres? a soupe|c\\. a s\\.|cas", "", ""),
    ("volume", "cac", F(5, 10**6), ("metric teaspoon", "metric teaspoons"), ("cuillère à café", "cuillères à café"), "cuilleres? a cafe|c\\. a c\\.|cac", "", ""),
    ("temperature", "C", F(1), ("°C", "°C"), ("°C", "°C"), "°c|° c|degrees? celsius|degres? celsius|celsius|degrees? c|deg c|degres? c|c", "", ""),
    ("temperature", "F", F(5, 9), ("°F", "°F"), ("°F", "°F"), "°f|° f|degrees? fahrenheit|degres? fahrenheit|fahrenheit|degrees? f|deg f|degres? f|f", "", ""),
    ("temperature", "K", F(1), ("K", "K"), ("K", "K"), "kelvins?|degrees? kelvin|°k|k", "", ""),
    ("speed", "mps", F(1), ("m/s", "m/s"), ("m/s", "m/s"), "m/s|meters? per second|metres? per second|metres? par seconde|metres? a la seconde", "", ""),
    ("speed", "kmh", F(1000, 3600), ("km/h", "km/h"), ("km/h", "km/h"), "km/h|kmh|kph|km per hour|kilomet(?:er|re)s? (?:per|an) hour|kilometres? par heure|kilometres?[- ]heure|kilometres? a l'heure", "", ""),
    ("speed", "mph", F(1609344, 3600000), ("mph", "mph"), ("mph", "mph"), "mph|miles? per hour|miles? an hour|miles? par heure|miles? a l'heure", "", ""),
    ("speed", "kn", F(1852, 3600), ("knot", "knots"), ("nœud", "nœuds"), "knots?|kn|kt|noeuds?|nœuds?", "", ""),
    ("speed", "fps", F(3048, 10000), ("ft/s", "ft/s"), ("ft/s", "ft/s"), "ft/s|feet per second|foot per second|pieds? par seconde", "", ""),
    ("area", "mm2", F(1, 10**6), ("square millimetre", "square millimetres"), ("millimètre carré", "millimètres carrés"), "mm2|mm²|square millimet(?:er|re)s?|millimetres? carres?", "", ""),
    ("area", "cm2", F(1, 10**4), ("square centimetre", "square centimetres"), ("centimètre carré", "centimètres carrés"), "cm2|cm²|square centimet(?:er|re)s?|centimetres? carres?", "", ""),
    ("area", "m2", F(1), ("square metre", "square metres"), ("mètre carré", "mètres carrés"), "m2|m²|square met(?:er|re)s?|metres? carres?", "", ""),
    ("area", "km2", F(10**6), ("square kilometre", "square kilometres"), ("kilomètre carré", "kilomètres carrés"), "km2|km²|square kilomet(?:er|re)s?|kilometres? carres?", "", ""),
    ("area", "ha", F(10**4), ("hectare", "hectares"), ("hectare", "hectares"), "ha|hectares?", "", ""),
    ("area", "acre", F(40468564224, 10**7), ("acre", "acres"), ("acre", "acres"), "acres?", "", ""),
    ("area", "ft2", F(9290304, 10**8), ("square foot", "square feet"), ("pied carré", "pieds carrés"), "ft2|ft²|sq ft|square f(?:oo|ee)t|pieds? carres?", "", ""),
    ("area", "mi2", F(2589988110336, 10**6), ("square mile", "square miles"), ("mile carré", "miles carrés"), "mi2|mi²|sq mi|square miles?|miles? carres?", "", ""),
    ("data", "bit", F(1, 8), ("bit", "bits"), ("bit", "bits"), "bits?", "", ""),
    ("data", "B", F(1), ("byte", "bytes"), ("octet", "octets"), "bytes?|octets?", "", ""),
    ("data", "kB", F(10**3), ("kB", "kB"), ("ko", "ko"), "kb|kilobytes?|ko|kilooctets?", "", ""),
    ("data", "MB", F(10**6), ("MB", "MB"), ("Mo", "Mo"), "mb|megabytes?|mo|megaoctets?", "", ""),
    ("data", "GB", F(10**9), ("GB", "GB"), ("Go", "Go"), "gb|gigabytes?|go|gigaoctets?", "", ""),
    ("data", "TB", F(10**12), ("TB", "TB"), ("To", "To"), "tb|terabytes?|to|teraoctets?", "", ""),
    ("data", "PB", F(10**15), ("PB", "PB"), ("Po", "Po"), "pb|petabytes?|po|petaoctets?", "", ""),
    ("data", "KiB", F(2**10), ("KiB", "KiB"), ("Kio", "Kio"), "kib|kibibytes?|kio", "", ""),
    ("data", "MiB", F(2**20), ("MiB", "MiB"), ("Mio", "Mio"), "mib|mebibytes?|mio", "", ""),
    ("data", "GiB", F(2**30), ("GiB", "GiB"), ("Gio", "Gio"), "gib|gibibytes?|gio", "", ""),
    ("data", "TiB", F(2**40), ("TiB", "TiB"), ("Tio", "Tio"), "tib|tebibytes?|tio", "", ""),
    ("data", "kbit", F(10**3, 8), ("kilobit", "kilobits"), ("kilobit", "kilobits"), "kbit|kbits|kilobits?", "", ""),
    ("data", "Mbit", F(10**6, 8), ("megabit", "megabits"), ("mégabit", "mégabits"), "mbit|mbits|megabits?", "", ""),
    ("data", "Gbit", F(10**9, 8), ("gigabit", "gigabits"), ("gigabit", "gigabits"), "gbit|gbits|gigabits?", "", ""),
]  # fmt: skip

_OFFSETS = {"C": F(27315, 100), "F": F(45967, 100) * F(5, 9), "K": F(0)}
# Ambiguous in running text: only read as units right after a number.
_AFTER_NUMBER_ONLY = {
    "k",
    "c",
    "f",
    "s",
    "h",
    "m",
    "g",
    "l",
    "d",
    "j",
    "mi",
    "kn",
    "kt",
    "al",
    "to",
    "po",
    "mo",
    "go",
    "cas",
    "cac",
}

_KIND_NAMES = {
    "time": ("a duration", "une durée"), "length": ("a length", "une longueur"), "mass": ("a mass", "une masse"),
    "volume": ("a volume", "un volume"), "temperature": ("a temperature", "une température"),
    "speed": ("a speed", "une vitesse"), "area": ("an area", "une surface"), "data": ("a data size", "une quantité de données"),
}  # fmt: skip

_FILLERS = set(
    """
    how many much are is there in into to a an one the what convert conversion converted equals equal
    make makes does do per of as please express expressed give me tell many? it that be get you can
    could would s exactly combien de d y t il a dans en font fait vaut valent convertir convertis
    convertissez conversion un une le la les des du est egal egale c ca cela quel quelle quels quelles
    me moi donne dis peux pouvez tu vous sont svp stp plait faut contient contiennent compte on mesure
    fast far long heavy tall big hot cold warm
    """.split()  # noqa: SIM905
)


# Context words around one quantity and the unit asked (what is measured, who measures it).
_MAX_CONTEXT_WORDS = 6
# Words that change the quantity to convert: such a message is a computation, not a conversion.
_CHANGES = set(
    """
    half halves double twice triple times plus minus left remaining remain remains more less fewer total
    each per every sum difference average add added subtract divided multiplied split share percent
    moitie demi demie fois moins reste restent restant plus total totale chaque chacun chacune somme
    moyenne ajoute ajouter retire retirer divise multiplie partage pourcent pour cent tiers quart
    quarter third already deja encore another autre other autres if si when quand then puis
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Conversion:
    value: F
    source: Unit
    target: Unit
    result: F | None = None
    error: str | None = None  # "incompatible" or "below_absolute_zero"
    # A compound quantity as the user gave it ("1 h 30", "5 feet 10 inches"), shown in the reply.
    compound: tuple[tuple[F, Unit], tuple[F, Unit]] | None = None


def _split_alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of a regex ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    parts, depth, current = [], 0, ""
    for ch in pattern:
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    parts.append(current)
    return [p for p in parts if p]


def _by_first_character(pairs: list[tuple[str, str]]) -> str:
    """The aliases as one alternation, alias ``i`` in group ``u{i}``, those that start with the
    same letter together behind a lookahead on it: at each position only the aliases that
    can start there are tried (some 30 times faster than trying all 280; same matches, as
    aliases with different first letters never match at the same place)."""
    groups: dict[str, list[str]] = {}
    for i, (alias, _) in enumerate(pairs):
        groups.setdefault(alias[0], []).append(f"(?P<u{i}>{alias})")
    if any(re.escape(first) != first for first in groups):  # a first character that is syntax
        return "|".join(part for group in groups.values() for part in group)
    return "|".join(f"(?={first})(?:{'|'.join(group)})" for first, group in groups.items())


@cache
def _units() -> tuple[dict[str, Unit], dict[str, tuple[re.Pattern[str], list[str]]]]:
    units: dict[str, Unit] = {}
    aliases: dict[str, list[tuple[str, str]]] = {"en": [], "fr": []}
    for kind, key, factor, en, fr, common, en_only, fr_only in _TABLE:
        units[key] = Unit(
            key, kind, factor, en, fr, _OFFSETS.get(key, F(0)) if kind == "temperature" else F(0)
        )
        for lang, extra in (("en", en_only), ("fr", fr_only)):
            for alias in _split_alternatives(common) + _split_alternatives(extra):
                aliases[lang].append((alias, key))
    patterns = {}
    for lang, pairs in aliases.items():
        pairs.sort(key=lambda pair: len(pair[0]), reverse=True)  # longest alias wins
        regex = re.compile(r"(?<![a-z°µ_])(?:" + _by_first_character(pairs) + r")(?![\w²³'])")
        patterns[lang] = (regex, [key for _, key in pairs])
    return units, patterns


def unit_named(text: str, lang: str) -> Unit | None:
    """The unit that ``text`` (folded) starts with: "kilometres", "km", "litres", or None."""
    regex, keys = _units()[1][lang]
    m = regex.match(text)
    if m is None or m.lastgroup is None:
        return None
    return _units()[0][keys[int(m.lastgroup[1:])]]


_CONVERSION_CUE = re.compile(
    r"\b(?:how many|how much|combien|convert\w*|conversion|in|into|to|en|dans|equals?|vaut|valent)\b|=|->|→|⇒|=>"
)
_CONVERT = re.compile(r"\b(?:convert\w*|conversion|into)\b")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:/[1-9]\d*)?")
# Words after which a bare symbol ("m", "h", "go") is read as a unit.
_UNIT_CUES = re.compile(r"(?:\d|\b(?:many|much|de|d'|in|en|to|into|dans|per|par))\s*$")


def _tokens(text: str, lang: str) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) for the numbers and units of ``text``, in order."""
    regex, keys = _units()[1][lang]
    found = [("num", m[0], m.start(), m.end()) for m in _NUMBER.finditer(text)]
    for m in regex.finditer(text):
        assert m.lastgroup is not None
        if any(s < m.end() and m.start() < e for _, _, s, e in found):
            continue
        if m[0] in _AFTER_NUMBER_ONLY and not _UNIT_CUES.search(text[: m.start()]):
            continue
        found.append(("unit", keys[int(m.lastgroup[1:])], m.start(), m.end()))
    return sorted(found, key=lambda t: t[2])


# "and a half", "et quart", "moins le quart" after a quantity: the fraction added to it.
_FRACTION_AFTER = [
    (r"and a half|et demie?", F(1, 2)),
    (r"and a quarter|et (?:un )?quart", F(1, 4)),
    (r"and (?:3|three) quarters|et (?:3|trois) quarts", F(3, 4)),
    (r"moins (?:le |un )?quart", F(-1, 4)),
]
_FRACTION_AFTER_RE = [
    (re.compile(rf"(?<![\w.])(?P<n>\d+|an?|one|une?) (?P<unit>[a-z]+) (?:{words})\b"), part)
    for words, part in _FRACTION_AFTER
]
_SPOKEN_PARTS = {
    "a quarter": F(1, 4), "three quarters": F(3, 4), "3 quarters": F(3, 4), "a third": F(1, 3),
    "un quart": F(1, 4), "trois quarts": F(3, 4), "un tiers": F(1, 3),
}  # fmt: skip
# "two fifths of a mile", "deux tiers d'heure", "un cinquième de kilo": a part of one unit
# (in English "quarts" is a unit of its own: each language has its fraction words)
_PARTS_OF_ONE = {
    lang: re.compile(
        rf"(?<![\w.])(?P<n>\d+|an?|one|une?) (?P<d>{'|'.join(sorted(words, key=len, reverse=True))}) "
        r"(?:of (?:an? |one |the )?|d'|de (?:la |l')?|du )(?=[a-z])"
    )
    for lang, words in (("en", ENGLISH_FRACTION_WORDS), ("fr", FRENCH_FRACTION_WORDS))
}
_FRACTION_DENOMINATORS = {**ENGLISH_FRACTION_WORDS, **FRENCH_FRACTION_WORDS}
# "2/3 of an hour", "3/4 de litre": the same, in digits (kept exact: "2/3", not 0.667)
_DIGIT_PART_OF_ONE = re.compile(
    r"(?<![\w./])(\d+)/([1-9]\d*) (?:of (?:an? |one |the )?|d'|de (?:la |l')?|du )(?=[a-z])"
)
# "trois quarts d'heure", "a quarter of an hour", "un quart d'heure", "quarter-hour"
_QUARTERS = re.compile(
    r"(?<![\w.])(?P<n>\d+|an?|one|une?) (?:quarters?|quarts?) (?:d'|de |of an? |of )?(?P<unit>heures?|hours?)\b"
)


def _prepare(message: str, lang: str) -> str:
    text = words_to_digits(fold1(message), lang)
    text = re.sub(r"\b(?:minus|moins|negative|negatif)\s+(?=\d)", "-", text)
    text = re.sub(r"(?<=\d)([hm])(?=\d{2}\b)", r" \1 ", text)  # "1h30", "1m80"
    if lang == "fr":
        text = re.sub(r"(?<=\b\d) (?=\d{3}\b)|(?<=\b\d\d) (?=\d{3}\b)|(?<=\b\d\d\d) (?=\d{3}\b)", "", text)

    def canon(m: re.Match[str]) -> str:
        try:
            return format_number(parse_decimal(m[0], lang), "en")[0]
        except ValueError:
            return m[0]

    text = re.sub(r"\d+(?:[.,]\d+)*", canon, text)
    # "two and a quarter pounds": the fraction is part of the number
    text = re.sub(
        r"(?<![\w.])(\d+(?:\.\d+)?) (?:and|et) (a quarter|(?:three|3) quarters?|a third|un quart|trois quarts|un tiers)\b",
        # ("one and three quarter days": "quarter" said as an adjective is "quarters")
        lambda m: _decimal(F(m[1]) + _SPOKEN_PARTS[re.sub(r"(?<=\d quarter|e quarter)$", "s", m[2])]),
        text,
    )
    # halves and quarters: "2 and a half hours", "an hour and a half", "deux heures et quart",
    # "trois heures moins le quart", "half an hour", "une demi-heure", "trois quarts d'heure"
    text = re.sub(r"(?<![\w.])(\d+) and a half\b", lambda m: _decimal(F(m[1]) + F(1, 2)), text)
    for pattern, part in _FRACTION_AFTER_RE:
        text = pattern.sub(partial(_plus_fraction, part=part), text)
    text = _PARTS_OF_ONE["fr" if lang == "fr" else "en"].sub(
        lambda m: f"{_count(m['n']) / _FRACTION_DENOMINATORS[m['d']]} ", text
    )
    text = _DIGIT_PART_OF_ONE.sub(lambda m: f"{F(int(m[1]), int(m[2]))} ", text)
    text = _QUARTERS.sub(lambda m: f"{_decimal(_count(m['n']) / 4)} {m['unit']}", text)
    # "2 times a mile", "3 fois un pied": a multiple of one unit is that many units.
    text = _TIMES_ONE.sub(r"\1 ", text)
    return re.sub(r"\bhalf an? |\b(?:une |un )?demi-", "0.5 ", text)


_TIMES_ONE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) (?:times|fois|x|\*|×) (?:an? |one |une? |1 )")


def names_unit(phrase: str, lang: str) -> bool:
    """Whether ``phrase`` (folded) is a unit of measure, with at most an article before it:
    "a mile", "une livre", "kilometres". A unit is an amount, never a non-number."""
    bare = re.sub(r"^(?:an?|one|the|un|une|le|la|l'|1)\s+", "", phrase.strip())
    for pattern, _ in (_units()[1][lang], _units()[1]["en"]):
        match = pattern.match(bare)
        if match and match.end() == len(bare):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Quantity:
    value: F
    unit: Unit


def read_quantities(message: str, lang: str) -> tuple[str, list[Quantity], int]:
    """The message's prepared text, each number that a unit follows (as a quantity), and how
    many numbers stand without a unit (units without a number, "how many km", are skipped)."""
    text = _prepare(message, lang)
    units = _units()[0]
    found: list[Quantity] = []
    bare = 0
    pending: F | None = None
    pending_after = ""  # the unit just before ``pending``: "2 h 30" reads 30 as minutes
    last_unit = ""

    def settle() -> None:
        nonlocal bare
        if pending is None:
            return
        if pending_after in _IMPLIED_NEXT:
            found.append(Quantity(pending, units[_IMPLIED_NEXT[pending_after][0]]))
        else:
            bare += 1

    pending_end = 0
    for kind, value, start, end in _tokens(text, lang):
        if kind == "num":
            settle()
            pending, pending_after, last_unit, pending_end = F(value), last_unit, "", end
        elif pending is None:
            last_unit = ""  # a unit asked for ("how many km …"), not a quantity
        elif re.search(r"[.!?;]\s", text[pending_end:start]):
            # "45 km en 1 h 30. Quelle est sa vitesse en km/h ?": a unit in the next sentence is
            # asked for, it does not measure the number before the full stop
            settle()
            pending, last_unit = None, ""
        else:
            found.append(Quantity(pending, units[value]))
            pending, last_unit = None, value
    settle()
    return text, found, bare


def _plus_fraction(m: re.Match[str], part: F) -> str:
    return f"{_decimal(_count(m['n']) + part)} {m['unit']}"


def _count(word: str) -> F:
    return F(word) if word[0].isdigit() else F(1)


def _decimal(value: F) -> str:
    return format_number(value, "en")[0]


def interpret_conversion(message: str, lang: str) -> Conversion | None:
    """The conversion asked for in ``message``, or None (see the module docstring)."""
    if len(message) > 300 or has_ambiguous_number(message, lang):
        return None
    text = _prepare(message, lang)
    tokens, compound = _merge_compound(_tokens(text, lang), text)
    unit_toks = [t for t in tokens if t[0] == "unit"]
    numbers = [t for t in tokens if t[0] == "num"]
    if len(unit_toks) != 2 or len(numbers) > 1:
        return None
    # Everything that is neither a number nor a unit must be filler.
    rest, last = [], 0
    for _, _, s, e in tokens:
        rest.append(text[last:s])
        last = e
    rest.append(text[last:])
    others = [w for w in re.findall(r"[a-z]+", " ".join(rest)) if w not in _FILLERS]
    if others and not numbers:
        return None  # context words only around a quantity: "what year did Australia win the Cup"
    if len(others) > _MAX_CONTEXT_WORDS or any(w in _CHANGES for w in others):
        # words that say what is measured ("un champ de 30 000 m²", "a half marathon's 13.1 miles")
        # are context; a word that changes the quantity ("half", "left", "each") is not
        return None
    if not _CONVERSION_CUE.search(text):
        # "what day of the week is it" names two units but converts nothing; nor does "aller à l'école
        # à pied à 6 ans": a quantity and another unit, with no word that asks for one in the other
        return None
    units = _units()[0]
    first, second = unit_toks
    value = F(1)
    if numbers:
        number = numbers[0]
        value = F(number[1])
        after = [u for u in unit_toks if u[2] >= number[3]]
        if not after:
            return None
        source_tok = after[0]  # "3 hours", "2.5 m": the quantity precedes its unit
    else:
        # "how many seconds in an hour": the unit asked for comes right after "how many"
        asks_first = re.search(r"\b(?:many|much|combien)\b", text[: first[2]])
        source_tok = second if asks_first else first
    target_tok = second if source_tok is first else first
    source, target = units[source_tok[1]], units[target_tok[1]]
    if source == target and not compound and not _CONVERT.search(text):
        # "the per-mile charge for the first 50 miles": a unit said twice, and no conversion
        # asked for, converts nothing
        return None
    if source.kind != target.kind:
        return Conversion(value, source, target, error="incompatible")
    base = value * source.factor + source.offset
    if source.kind == "temperature" and base < 0:
        return Conversion(value, source, target, error="below_absolute_zero")
    result = (base - target.offset) / target.factor
    return Conversion(value, source, target, result=result, compound=compound)


Token = tuple[str, str, int, int]
# The unit a bare number after a larger one stands for: "1 h 30", "1 m 80", "5 ft 10".
_IMPLIED_NEXT = {"h": ("min", 60), "min": ("s", 60), "m": ("cm", 100), "ft": ("in", 12)}


def _merge_compound(
    tokens: list[Token], text: str
) -> tuple[list[Token], tuple[tuple[F, Unit], tuple[F, Unit]] | None]:
    """Tokens with one compound quantity ("2 hours and 15 minutes", "1 h 30", "5 ft 10 in")
    made a single quantity of its smaller unit, and that compound's two parts.

    Merged only when both parts are of one kind, the larger unit first, and the second
    number is a whole count below one of the larger unit: "3 m 200" stays two quantities.
    """
    units = _units()[0]
    for i in range(len(tokens) - 2):
        (k1, n1, s1, e1), (k2, u1, s2, e2), (k3, n2, s3, e3) = tokens[i : i + 3]
        if (k1, k2, k3) != ("num", "unit", "num") or text[e1:s2].strip() or n1.startswith("-"):
            continue
        if re.sub(r"\b(?:and|et)\b|,", "", text[e2:s3]).strip() or not n2.isdigit():
            continue
        big = units[u1]
        following = tokens[i + 3] if i + 3 < len(tokens) else None
        if following and following[0] == "unit" and not text[e3 : following[2]].strip():
            small, end = units[following[1]], following[3]  # "2 hours 15 minutes"
        elif big.key in _IMPLIED_NEXT:
            small, end = units[_IMPLIED_NEXT[big.key][0]], e3  # "1 h 30": minutes implied
        else:
            continue
        if small.kind != big.kind or small.kind == "temperature" or small.factor >= big.factor:
            continue
        first, second = F(n1), F(n2)
        if second * small.factor >= big.factor:
            continue
        total = first * big.factor / small.factor + second
        merged: list[Token] = [("num", str(total), s1, e1), ("unit", small.key, s2, end)]
        rest = [t for t in tokens[i + 3 :] if t[2] >= end]
        return [*tokens[:i], *merged, *rest], ((first, big), (second, small))
    return tokens, None


def _quantity(value: F, unit: Unit, lang: str, *, exact: bool = True) -> tuple[str, bool]:
    text, is_exact = format_number(value, lang, exact=exact, sig=6)
    names = unit.fr if lang == "fr" else unit.en
    singular = abs(value) < 2 if lang == "fr" else abs(value) == 1
    name = names[0] if singular else names[1]
    return f"{text} {name}", is_exact


def describe(conv: Conversion, lang: str) -> str:
    """The reply for a conversion, in ``lang``."""
    source_text, _ = _quantity(conv.value, conv.source, lang)
    if conv.compound:
        source_text = " ".join(_quantity(value, unit, lang)[0] for value, unit in conv.compound)
    if conv.error == "incompatible":
        names_s = conv.source.fr if lang == "fr" else conv.source.en
        names_t = conv.target.fr if lang == "fr" else conv.target.en
        i = 1 if lang == "fr" else 0
        return say(
            "units.incompatible",
            lang,
            source=names_s[1] if lang == "fr" else source_text,
            target=names_t[1],
            source_kind=_KIND_NAMES[conv.source.kind][i],
            target_kind=_KIND_NAMES[conv.target.kind][i],
        )
    if conv.error == "below_absolute_zero":
        return say("units.below_absolute_zero", lang, source=source_text)
    assert conv.result is not None
    target_text, exact = _quantity(conv.result, conv.target, lang)
    text = say("units.exact" if exact else "units.approx", lang, source=source_text, target=target_text)
    if "year" in (conv.source.key, conv.target.key):
        text += say("units.note_year", lang)
    decimal_bytes = ("kB", "MB", "GB", "TB", "PB")
    if conv.source.key in decimal_bytes and conv.target.key in decimal_bytes:
        big, small = sorted((conv.source, conv.target), key=lambda u: u.factor, reverse=True)
        binary = {"kB": "KiB", "MB": "MiB", "GB": "GiB", "TB": "TiB", "PB": "PiB"}
        units = _units()[0]
        if big.key in binary and binary[big.key] in units:
            i = 1 if lang == "fr" else 0
            big_name = (units[binary[big.key]].en, units[binary[big.key]].fr)[i][0]
            small_name = (units[binary[small.key]].en, units[binary[small.key]].fr)[i][0]
            text += say("units.note_binary", lang, binary_big=big_name, binary_small=small_name)
    return text + "."
