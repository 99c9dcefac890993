"""What kind of thing a sentence states, for a question: the tables and tests the relevance
gate of :mod:`eclair.knowledge.evidence` applies to each sentence.

Contract: :func:`_has_expected` says whether a sentence holds the kind of thing the question
asks for (a date, a clock time, a duration, an amount of money, a count of the asked thing, a
person's name, a measure in its unit); the other functions are the finer tests the ranking
applies (a count of something else, another rank than the one asked, a fact dated long ago, a
dimension stated). Lexical and deterministic; private to the knowledge package.
"""

from __future__ import annotations

import datetime
import re

from eclair.knowledge import lexical
from eclair.knowledge.authorship import implied_acts
from eclair.knowledge.bilingual import equivalents
from eclair.knowledge.claims import MONTHS, NUMBER_WORDS, WEEKDAYS, extract_claims
from eclair.knowledge.question import AGE_CUES, Question

_PRESENT_YEARS = 5  # a fact dated this long before its document's newest year is not current
_PAST_YEARS = 10
_ADJACENT_WORDS = 3  # words between a number and the noun it counts

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_PERIOD_UNIT = (
    r"(?:days?|weeks?|months?|years?|hours?|minutes?|jours?|semaines?|mois|ans?|ann[ée]es?|heures?)"
)
# "replace the filter every 8 weeks", "3 times a week", "tous les 6 mois": how often, not how much
_FREQUENCY = re.compile(
    rf"\b(?:every|each|tous les|toutes les|chaque)\s+(?:\d+(?:[.,]\d+)?\s+)?(?:other\s+)?{_PERIOD_UNIT}\b|"
    rf"\b\d+\s+(?:times|fois)\s+(?:a|an|per|par)\s+{_PERIOD_UNIT}\b",
    re.I,
)
_ASKS_FREQUENCY = re.compile(
    r"\bhow (?:often|frequently)\b|\bhow many times\b|\bcombien de fois\b|\btous les combien\b|"
    r"\b[àa] quelle fr[ée]quence\b|\bfrequency\b|\bfr[ée]quence\b",
    re.I,
)
# "how much water", "combien d'eau": an amount of a thing, which a length of time is not — except
# for the things that are measured in time ("how much notice", "combien de congés")
_HOW_MUCH_OF = re.compile(r"\bhow much\s+([^\W\d_]+)|\bcombien (?:de |d['’])\s*([^\W\d_]+)", re.I)
_NOT_A_THING = frozenset(
    lexical.terms(
        "does do did is was are were will would can could should must has have had it they time notice leave "
        "holiday holidays vacation vacations rest delay break breaks warning sleep practice training "
        "experience overtime downtime temps preavis conge conges repos delai pause pauses vacances sommeil "
        "retard experience jours heures minutes semaines mois annees ans fois"
    )
)
_TIME = re.compile(r"\b\d{1,2}\s*(?:[:h.]\s*\d{2}|h\b|\s*(?:a\.?m\.?|p\.?m\.?|o'?clock)(?!\w))", re.I)
# An amount: a currency, then a digit; or a digit, then only separators up to a currency (the
# last digit before it: read from the first digit, a long run of digits and spaces would be
# rescanned from each of its digits, quadratic).
_MONEY = re.compile(
    r"(?:(?:[€£$]|\b(?:EUR|GBP|USD|CHF)\b)\s*\d|\d[\s.,]*(?:(?:millions?|milliards?|thousand|billion|mille)\s+(?:d'|d’|de\s+|of\s+)?)?"
    r"(?:[€£$]|(?:EUR|GBP|USD|CHF)\b|euros?\b|pounds?\b|dollars?\b|francs?\b|pence\b|cents?\b|centimes?\b|p\b))",
    re.I,
)
_DURATION = re.compile(
    r"\b(\d+([.,]\d+)?|une?|one|a|an|two|three|four|five|six|seven|eight|nine|ten|twelve|deux|trois|quatre|"
    r"cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente)\s+(minutes?|hours?|heures?|days?|jours?|weeks?|"
    r"semaines?|months?|mois|years?|ans|ann[ée]es?)\b",
    re.I,
)
# What a number question measures ("la longueur", "the height") says what kind of answer is
# wanted; "mesure 1 250 mètres de long" answers it without repeating the word.
_MEASURES = frozenset(
    lexical.terms(
        "height length population area weight size distance depth temperature price altitude width speed "
        "capacity duration cost budget number amount hauteur longueur superficie poids taille profondeur "
        "prix largeur vitesse capacite duree cout montant"
    )
)
# ... and the document says it with an adjective that is a stop word ("1 250 m de long").
_DIMENSIONS = frozenset(
    lexical.terms(
        "height length width depth altitude hauteur longueur largeur profondeur measure mesure mesurent"
    )
)
# a number with a unit of length: what answers a height, a length, a width or a depth
_LENGTH = re.compile(
    r"\d\s*(?:km|m|cm|mm|mi|ft|kilom[eè]tres?|kilometers?|m[eè]tres?|meters?|centim[eè]tres?|miles?|feet|foot)\b",
    re.I,
)
_HOW_LONG = re.compile(r"\bhow long\b", re.I)
# An age stated: "16 ans", "aged 12", "16 and over", "over-18s", "12-year-olds", "majeurs".
_AGE = re.compile(
    r"\b\d{1,3}\s*(?:ans|years?|yrs?|-year|\+)|\b(?:aged?|âgée?s?|agee?s?|over|under|plus de|moins de)\s+(?:d'au moins\s+|de\s+|at least\s+)?\d{1,3}\b|"
    r"\b\d{1,3}\s*(?:and|or|et|ou)\s+(?:over|older|above|under|younger|plus)\b|\bover-\d{1,3}s\b|\b(?:majeure?s?|mineure?s?)\b|"
    r"\b(?:age|âge)s?\b[^.;\d]{0,24}\d{1,3}\b",  # "minimum age 18", "âge minimum : 16"
    re.I,
)
_LENGTH_TERMS = frozenset(lexical.terms("length"))
_POPULATION_TERMS = frozenset(lexical.terms("population"))
_GENERIC_PRICED = frozenset(
    lexical.terms(
        "ticket tickets billet billets price prix fee fees tarif tarifs cost cout amount montant rate taux entry entree "
        # a fee by the year is the usual one: "annual" may go unsaid ("reduced membership: £9")
        "annual yearly annuel annuelle"
    )
)
# the measure a question asks for: "what is the power of…", "quelle est la puissance…" (not the
# "power" of "how long is the power cord?")
_ASKED_MEASURE = re.compile(
    r"\b(?:what(?:'s| is| was| are)|quel(?:le)?s? (?:est|sont|etait|était)) (?:the |la |le |l'|les )?((?:\w+ )?\w+)",
    re.I,
)
# measured quantities and the units that state them (a height is in _DIMENSIONS / _LENGTH)
_MEASURED_UNITS = tuple(
    (frozenset(lexical.terms(words)), re.compile(unit, re.I))
    for words, unit in (
        ("power puissance wattage", r"\d\s?(?:k?w|watts?|kilowatts?|ch|hp|horsepower|chevaux)\b"),
        (
            "weight poids masse",
            r"\d\s?(?:k?g|t|mg|lbs?|oz|kilos?|kilogrammes?|kilograms?|grammes?|grams?|tonnes?|tons?|pounds?|ounces?)\b",
        ),
        (
            "capacity capacite contenance",
            r"\d\s?(?:[mcd]?l|litres?|liters?|gallons?|m3|m³|cups?|tasses?|pots?|places|seats|personnes|people|persons|passengers|passagers)\b",
        ),
        (
            "area superficie surface",
            r"\d\s?(?:[kc]?m2|[kc]?m²|ha|hectares?|acres?|sq\.?\s?(?:ft|m|km)|square)\b",
        ),
        ("speed vitesse", r"\d\s?(?:km/h|kmh|mph|m/s|noeuds|knots?|km par heure|miles per hour)"),
        ("temperature", r"\d\s?(?:°|degr[ée]s?|degrees?)"),
    )
)
# a whole amount of money, to leave out of the numbers that could count something
_AMOUNT = re.compile(
    r"(?:[€£$]|\b(?:EUR|GBP|USD|CHF)\b)\s?\d+(?:[.,]\d+)*(?:[\s\u202f\u00a0]\d{3})*|"
    r"(?<![\d.,])\d+(?:[.,]\d+)*(?:[\s\u202f\u00a0]\d{3})*\s?(?:[€£$]|(?:EUR|GBP|USD|CHF)\b|euros?\b|pounds?\b|"
    r"dollars?\b|francs?\b|pence\b|cents?\b|centimes?\b)",
    re.I,
)
_PEOPLE_COUNT = re.compile(
    r"(?<![\d.,])\d+(?:[.,]\d+)*(?:[\s\u202f\u00a0]\d{3})*\s?(?:inhabitants|residents|people|persons|souls|habitants|"
    r"r[ée]sidents|personnes|[âa]mes)\b|\b(?:population|inhabitants|habitants)\b[^.;]{0,60}?\d",
    re.I,
)
_PRESENT_VERB = re.compile(r"\b(is|are|est|sont)\b", re.I)
_PAST = re.compile(r"\b(was|were|had been|[ée]tait|[ée]taient|fut|furent|avait [ée]t[ée])\b", re.I)
_MEASURED_BY = {
    measure: lexical.wordset(adjectives)
    for words, adjectives in (
        ("longueur length", "long longest longue"),
        ("hauteur height altitude", "haut haute high tall highest tallest culmine"),
        ("largeur width", "large wide"),
        ("profondeur depth", "profond profonde deep"),
    )
    for measure in lexical.terms(words)
}


def _states_dimension(measure: str, words: set[str], text: str) -> bool:
    """``text`` (with folded ``words``) gives the ``measure`` asked for: its adjective with a
    number ("480 m de long" is a length), or a number of metres that no adjective gives to
    another dimension ("the highest mountain, at 8,849 metres" is a height; "480 m de long"
    is not). "measure"/"mesure" takes any length."""
    if _MEASURED_BY.get(measure, frozenset()) & words:
        return True
    others = set().union(*(adj for m, adj in _MEASURED_BY.items() if m != measure))
    generic = measure not in _MEASURED_BY  # "how much does it measure?"
    return measure in _DIMENSIONS and (generic or not others & words) and bool(_LENGTH.search(text))


def _covered(terms: frozenset[str] | set[str], stems: set[str]) -> set[str]:
    return {t for t in terms if _has(stems, t)}


def _covered_by(stems: set[str], terms: frozenset[str]) -> set[str]:
    """The stems that stand for one of ``terms`` (or a translation of one)."""
    return {stem for stem in stems if any(_has({stem}, t) for t in terms)}


def _has(stems: set[str], term: str) -> bool:
    """``term`` or one of its translations (:mod:`eclair.knowledge.bilingual`) is in ``stems``."""
    return lexical.contains_term(stems, term) or any(
        lexical.contains_term(stems, e) for e in equivalents(term)
    )


def states_measure(q: Question, text: str) -> bool:
    """Whether ``text`` states the measure ``q`` asks for in one of its units ("quelle est la
    puissance…": watts), or ``q`` asks for no such measure."""
    if asked := _ASKED_MEASURE.search(q.text):
        measure = set(lexical.terms(asked.group(1)))
        return not any(measure & terms and not unit.search(text) for terms, unit in _MEASURED_UNITS)
    return True


def _asks_amount_of_thing(q: Question) -> bool:
    """ "How much water does it hold?": an amount of a thing (a volume, a mass), not a time."""
    asked = _HOW_MUCH_OF.search(q.text)
    if asked is None:
        return False
    noun = lexical.terms(asked.group(1) or asked.group(2))
    return bool(noun) and not set(noun) & _NOT_A_THING


def _counts_periods(q: Question) -> bool:
    """ "After how many weeks is the filter changed?": a count of periods, which "every 8 weeks" gives."""
    return bool(q.counted and re.fullmatch(_PERIOD_UNIT, q.counted, re.I))


def _has_expected(q: Question, sentence: str) -> bool:
    """Whether the sentence holds the kind of thing the question asks for."""
    given = q.words
    if not states_measure(q, sentence):
        return False  # "la puissance du K2": "6 pots" is not a power; a power is in watts
    if q.expects == "money":
        return bool(_MONEY.search(sentence))
    if q.expects == "time":
        return bool(_TIME.search(sentence))
    if q.expects == "duration":
        return bool(_DURATION.search(sentence))
    if q.expects == "weekday":  # "quel jour est mort Louis XIV ?" asks for a date
        return any(w in WEEKDAYS for w in lexical.words(sentence)) or any(
            c.kind == "month" for c in extract_claims(sentence)
        )
    claims = extract_claims(sentence)
    if q.expects == "date":
        return (
            any(y not in given for y in _YEAR.findall(sentence))
            or any(c.kind == "month" for c in claims)
            or (q.clock and bool(_TIME.search(sentence)))
        )
    if q.expects == "number":
        if AGE_CUES.search(q.text) and not _AGE.search(sentence):
            return False  # "from what age…?": a price or a count is not an age
        dimensions = (q.essential | q.predicates) & _DIMENSIONS
        if _HOW_LONG.search(q.text):  # "how long is the crossing?" may ask for a duration
            dimensions -= _LENGTH_TERMS
        if dimensions and not _LENGTH.search(sentence):
            return False  # "how high is X?": a year or a count is not a height
        if q.predicates & _POPULATION_TERMS and not _PEOPLE_COUNT.search(sentence):
            return False  # a population is a number of people, not a carnet of 10 journeys
        if not _ASKS_FREQUENCY.search(q.text) and not _counts_periods(q):
            sentence = _FREQUENCY.sub(" ", sentence)
            if _asks_amount_of_thing(q):
                sentence = _DURATION.sub(" ", sentence)
            claims = extract_claims(sentence)
        # an amount of money answers "how much does it cost", not "how many litres"
        counts = extract_claims(_AMOUNT.sub(" ", sentence)) if q.counted else claims
        return any(c.kind == "number" and c.key not in given for c in counts)
    if q.expects in ("name", "place"):
        opening = _OPENING_WORD.match(sentence)
        # a sentence's first word is capitalised by grammar ("Questions about … go to the
        # Deputy Coordinator" names no one), unless another capitalised word follows it
        initial = opening.group(1) if opening and not opening.group(2) else None
        # (who holds a role or did an act is a person; "who was Robespierre?" asks who he was)
        places = _place_names(sentence) if q.expects == "name" and q.predicates else set()
        return any(
            c.kind == "name" and c.key not in given and c.text != initial and c.text not in places
            for c in claims
        )
    return True


# A run of capitalised words ("the old Dunmere railway station", "près du Moulin Vert").
_NAME_RUN = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:de |du |des |d'|la |le )?[A-ZÀ-ÖØ-Þ][\w'’-]*)*"
)
# Before a place: a preposition of place, then at most three lowercase words ("at the old").
_PLACE_BEFORE = re.compile(
    r"\b(?:at|in|on|near|from|into|inside|outside|opposite|behind|along|towards?|across|"
    r"à|au|aux|dans|en|près de|près du|près des|vers|sur|devant|derrière|le long de|du côté de)"
    r"(?:\s+[a-zà-ÿ'’-]+){0,3}\s+$"
)
# After a place: the kind of place it names ("Dunmere railway station", "the Otter Creek trail").
_PLACE_AFTER = re.compile(
    r"[ \t]{1,3}(?:railway |bus |train |metro )?(?:station|street|road|avenue|lane|square|trail|path|river|lake|park|"
    r"bridge|valley|hill|harbour|harbor|port|quay|airport|district|village|town|city|county|region|"
    r"gare|rue|route|chemin|place|quai|rivière|fleuve|lac|parc|pont|vallée|colline|aéroport|quartier|ville)\b",
    re.I,
)


# "When is delivery free?", "à partir de quel montant la livraison est-elle gratuite ?": being
# free is what is asked, and a sentence that states a charge instead does not answer.
_FREE_ASKED = re.compile(r"\b(?:free|gratuite?s?|gratuitement|offerte?s?)\b", re.I)
_FREE_SAID = re.compile(
    r"\b(?:free|gratuite?s?|gratuitement|offerte?s?|complimentary|no (?:extra |delivery |additional )?"
    r"(?:charge|fee|cost)|at no (?:extra )?cost|sans frais|pas de frais|aucun frais)\b",
    re.I,
)


# A price asked ("how much does it cost", "combien coûte") is not a sum collected ("fees brought
# in £7,215", "les cotisations ont rapporté 7 215 €").
_PRICE_ASKED = re.compile(
    r"\b(?:cost|costs|price|fee|pay|charge[sd]?|co[ûu]te?\w*|tarif|paie|paye|payer)\b", re.I
)
_TOTAL_COLLECTED = re.compile(
    r"\b(?:brought in|bring in|raised|generated|took in|collected|income|revenues?|receipts|rapport[ée]e?s?|"
    r"recettes?|chiffre d'affaires|encaiss[ée]e?s?|g[ée]n[ée]r[ée]e?s?|rapportent|ont rapport[ée])\b",
    re.I,
)


def total_for_price(q: Question, sentence: str) -> bool:
    """Whether ``q`` asks a price and ``sentence`` states a sum collected instead."""
    return (
        q.expects == "money"
        and bool(_PRICE_ASKED.search(q.text))
        and not _TOTAL_COLLECTED.search(q.text)
        and bool(_TOTAL_COLLECTED.search(sentence))
    )


def misses_free(q: Question, text: str) -> bool:
    """Whether ``q`` asks when something is free and ``text`` does not say free."""
    return bool(_FREE_ASKED.search(q.text)) and not _FREE_SAID.search(text)


def _place_names(sentence: str) -> set[str]:
    """The capitalised words of ``sentence`` that name a place, not a person: after a
    preposition of place ("at the old Dunmere …") or before a kind of place ("… railway
    station"). "Who runs X?" is not answered by where X is."""
    found: set[str] = set()
    for run in _NAME_RUN.finditer(sentence):
        before = sentence[max(0, run.start() - 40) : run.start()]
        if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(sentence, run.end()):
            found.update(re.findall(r"[\w'’-]+", run.group()))
    return found


_SERIES_END = re.compile(r"\b(?:first|last|earliest|latest|final|premi[eè]re?|derni[eè]re?|dernier)\b", re.I)
# a record line: "label: field value; …" or "field value; field value." (a table's row)
_RECORD = re.compile(r"[^\n.;:]{1,120}:\s|[^\n;]{1,120};[^\n]*\.$")
_LIST_ITEM = re.compile(r"[ \t]{0,8}(?:[-•*–]|\d{1,2}[.)])\s")
_OPENING_WORD = re.compile(r"\W{0,8}([^\W\d_][\w'’-]{0,40})(\s{1,3}[A-ZÀ-ÖØ-Þ])?")


def _answer_positions(q: Question, sentence: str) -> list[int]:
    """Word positions in ``sentence`` of things that could be the answer (numbers, new names)."""
    positions: list[int] = []
    given = q.words
    offset_words = [(m.start(), lexical.fold(m.group())) for m in re.finditer(r"[^\W_]+", sentence)]
    for index, (offset, word) in enumerate(offset_words):
        if word in given:
            continue
        if q.expects in ("name", "place"):
            if sentence[offset].isupper() and not lexical.is_stopword(word) and index > 0:
                positions.append(index)
        elif word.isdigit() or word in _NUMBER_WORDS or word in MONTHS or word in WEEKDAYS:
            positions.append(index)
    return positions


def _adjacent(q: Question, sentence: str, within: int = _ADJACENT_WORDS + 1) -> bool:
    """An answer-like word within a few words of a predicate ("La trésorière, Nadia Ferrand")."""
    if not q.expects or not q.predicates:
        return False
    words = lexical.words(sentence)
    predicates = set(q.predicates) | {e for t in q.predicates for e in equivalents(t)}
    anchors = [i for i, w in enumerate(words) if lexical.contains_term(predicates, lexical.stem(w))]
    answers = _answer_positions(q, sentence)
    return any(abs(a - b) <= within for a in anchors for b in answers)


def names_role_apart(q: Question, sentence: str, within: int) -> bool:
    """ "Who is the mayor?": no new name within ``within`` words of the role asked ("la
    trésorière, Inès Valcourt" names the treasurer; a sentence that thanks the town hall and
    names the vice-chair, or lists the other officers, names no mayor). A role written as a
    title ("the Operations Manager") is read as a name by the question's analysis and left to
    the other tests, and so is a work's maker ("a novel by Mary Shelley" states the author)."""
    if not q.predicates:
        return False
    acts = implied_acts(sentence)
    if any(
        lexical.contains_term(set(acts), t)
        or any(lexical.contains_term(set(acts), e) for e in equivalents(t))
        for t in q.predicates
    ):
        return False
    return not _adjacent(q, sentence, within)


# a row written by extract.tables_as_sentences: "Members (2024): 412.", "E-bike (bike type): …"
_RECORD_LABEL = re.compile(
    r"\W{0,4}(?P<label>[^\n:;()]{1,80}?(?: \([^()\n]{1,40}\))+):\s(?P<value>[^\n;:]{1,60})$"
)


def counted_numbers(q: Question, sentence: str) -> set[str]:
    """The numbers written just before the counted noun in ``sentence`` ("214" in "had 214
    members, up from 187"): what a "how many" answer must say."""
    found: set[str] = set()
    if not q.counted:
        return found
    # a table's row, "Members (2024): 412.": the count follows its label
    if (record := _RECORD_LABEL.match(sentence)) and any(
        _has({lexical.stem(t)}, q.counted) for t in lexical.words(record["label"])
    ):
        values = re.findall(r"(?<![\w.,])\d[\d,.\s]*", record["value"])
        return {re.sub(r"[,\s]", "", v).rstrip(".") for v in values}
    tokens = lexical.words(sentence)
    for i, token in enumerate(tokens):
        if _names_counted(token, q.counted) and not (i > 0 and tokens[i - 1] in _RATE_WORDS):
            for t in _counting_words(tokens, i):
                found.add(t.lstrip("0") or "0" if t.isdigit() else str(NUMBER_WORDS[t]))
    return found


# "sold in 250 g bags", "5-litre cans": a number with its unit measures each thing, counts none
_MEASURE_UNITS = lexical.wordset(
    "g kg mg t l ml cl dl cm mm m km lb lbs oz gram grams gramme grammes kilo kilos litre litres liter liters "
    "millilitre millilitres centimetre centimetres metre metres meter meters inch inches"
)


def _counting_words(tokens: list[str], noun: int) -> list[str]:
    """The numbers (digits or words) written just before the word at ``noun`` that count it:
    not those followed by a unit of measure."""
    start = max(0, noun - _ADJACENT_WORDS)
    return [
        t
        for j, t in enumerate(tokens[start:noun], start)
        if (t.isdigit() or t in NUMBER_WORDS) and not (j + 1 < noun and tokens[j + 1] in _MEASURE_UNITS)
    ]


# units of time counted in the other language, whose short words the glossary cannot hold
# ("an", "ans" are stop words): "how many years" is counted by "2 ans"
_TIME_COUNTS = {
    "year": frozenset(["year", "years", "an", "ans", "annee", "annees"]),
    "month": frozenset(["month", "months", "mois"]),
    "week": frozenset(["week", "weeks", "semaine", "semaines"]),
    "day": frozenset(["day", "days", "jour", "jours"]),
    "hour": frozenset(["hour", "hours", "heure", "heures", "h"]),
}
_TIME_COUNTS |= {lexical.stem(f): words for words in _TIME_COUNTS.values() for f in words if len(f) > 2}


def _names_counted(token: str, counted: str) -> bool:
    """Whether the word ``token`` names the counted thing (a stem), in either language."""
    return _has({lexical.stem(token)}, counted) or token in _TIME_COUNTS.get(counted, ())


def _counted_number(q: Question, sentence: str) -> bool | None:
    """Whether a number is written just before the counted noun ("47 maisons", "214 members");
    ``None`` when the sentence does not name the counted thing at all."""
    if not q.counted:
        return None
    if (record := _RECORD_LABEL.match(sentence)) and any(
        _has({lexical.stem(t)}, q.counted) for t in lexical.words(record["label"])
    ):
        return bool(re.search(r"\d", record["value"]))  # "Members (2024): 412."
    tokens = lexical.words(sentence)
    mentioned = False
    for i, token in enumerate(tokens):
        if _names_counted(token, q.counted):
            mentioned = True
            if i > 0 and tokens[i - 1] in _RATE_WORDS:
                continue  # "0,015 euro par litre" prices a litre, it counts none
            if any(t.isdigit() or t in _NUMBER_WORDS for t in _counting_words(tokens, i)):
                return True
    return False if mentioned else None


_RATE_WORDS = lexical.wordset("per par each chaque a the le la l")


_NUMBER_WORDS = lexical.wordset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand "
    "une deux trois quatre cinq six sept huit neuf dix onze douze vingt trente quarante cinquante cent mille"
)


# A count of the change, not of the whole: "seven new shops joined", "12 nouveaux adhérents",
# "3 additional staff", "20 more members"
_CHANGE_WORDS = frozenset(
    [
        "new",
        "newly",
        "additional",
        "extra",
        "more",
        "further",
        "fewer",
        "other",
        "nouveau",
        "nouveaux",
        "nouvelle",
        "nouvelles",
        "supplementaire",
        "supplementaires",
        "autres",
    ]
)


def counts_a_change(q: Question, sentence: str) -> bool:
    """Whether the counted noun comes right after a word of change ("seven new shops") that the
    question does not say: the sentence counts what was added, not how many there are."""
    if not q.counted or q.words & _CHANGE_WORDS:
        return False
    tokens = lexical.words(sentence)
    for i, token in enumerate(tokens):
        if i and _has({lexical.stem(token)}, q.counted) and tokens[i - 1] in _CHANGE_WORDS:
            return True
    return False


def _counts_something_else(q: Question, qualifiers: frozenset[str], in_sentence: set[str]) -> bool:
    """A count of the right noun in a sentence about something else: the question qualifies
    what it counts with two words or more (names aside: "She" may stand for one), and the
    sentence has none of them."""
    others = {t for t in qualifiers if not (q.counted and lexical.term_match(t, q.counted))}
    return len(others) >= 2 and not others & in_sentence


DEPUTY_WORDS = frozenset(
    {"vice", "deputy", "adjoint", "adjointe", "adjoints", "assistant", "assistante", "sous", "sub", "co"}
)


# A head's title, not a deputy's: "Festival director: …", "la directrice de l'école", "Chair:".
# Presiding titles (a board's, an association's) answer "who chairs X?"; they and the titles of
# those who run a place answer "who runs X?".
_NOT_DEPUTY = r"(?<!deputy )(?<!vice )(?<!vice-)(?<!assistant )(?<!associate )(?<!sous-)\b"
_PRESIDING_TITLE = (
    r"chair|chairs|chaired|chairman|chairwoman|chairperson|president|presidente|pr[ée]sident|pr[ée]sidente|"
    r"pr[ée]sid[ée]e?|presides|presided"
)
_RUNNING_TITLE = (
    r"head|director|directrice|directeur|manager|g[ée]rante?|chief executive|ceo|chef|cheffe|leader|boss|"
    r"responsable|mayor|maire|coordinator|coordinatrice|coordinateur|principal|proviseure?|warden|"
    r"administrat(?:or|eur|rice)"
)
# ... or by the act: "the company is run by …", "la compagnie est dirigée par …"
_RUN_BY = r"(?:run|headed|led|managed|directed|overseen) by|dirig[ée]e?s? par|g[ée]r[ée]e?s? par|[àa] (?:la|sa|leur) t[êe]te"
_HEAD_TITLES = {
    "preside": re.compile(rf"{_NOT_DEPUTY}(?:{_PRESIDING_TITLE})\b(?![ -]adjointe?)", re.I),
    "run": re.compile(
        rf"{_NOT_DEPUTY}(?:{_PRESIDING_TITLE}|{_RUNNING_TITLE}|{_RUN_BY})\b(?![ -]adjointe?)", re.I
    ),
}


def names_head(kind: str, text: str) -> bool:
    """Whether ``text`` names someone by a head's title of ``kind`` ("preside" or "run"), not
    a deputy's."""
    return bool(_HEAD_TITLES[kind].search(text))


def _other_rank(q: Question, sentence: str) -> bool:
    """A "who is the deputy X?" answered by a sentence naming no deputy, or a "who is the X?"
    answered by one where every X it names is a deputy ("vice-président", "directrice adjointe")."""
    asked_deputy = bool(q.words & DEPUTY_WORDS)
    words = lexical.words(sentence)
    if asked_deputy:
        return not any(w in DEPUTY_WORDS for w in words)
    roles = [i for i, w in enumerate(words) if lexical.stem(w) in q.predicates and not lexical.is_stopword(w)]
    return bool(roles) and all(any(w in DEPUTY_WORDS for w in words[max(0, i - 1) : i + 2]) for i in roles)


# "the first President", "l'ancien maire": a holder the words themselves place in the past
_PAST_HOLDER = re.compile(
    r"\b(?:first|former|late|founding|premier|premiere|ancien|ancienne|feu)\s+(?:[^\W\d_]+\s+){0,2}?"
    r"(?:president|presidente|mayor|maire|king|queen|roi|reine|chair|chairman|director|directeur|directrice|"
    r"head|leader|chef|minister|ministre|governor|gouverneur|emperor|empereur)\b",
    re.IGNORECASE,
)


def _dated_in_past(sentence: str, newest_year: int) -> bool:
    """The sentence dates its fact well before the newest year its document mentions, or
    long before today, or names the holder of a role as its first or former one."""
    if _PAST_HOLDER.search(lexical.fold(sentence)):
        return True
    years = [int(y) for y in _YEAR.findall(sentence)]
    if not years:
        return False
    latest = max(years)
    return latest < newest_year - _PRESENT_YEARS or latest < datetime.date.today().year - _PAST_YEARS
