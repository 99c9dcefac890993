"""What a question asks: its anchors, predicates and the kind of answer it expects.

Contract: :func:`analyse_question` reduces a FR/EN question to content terms, split into
*anchors* (proper names and numbers written in the question: what it is about) and
*predicates* (the other content words: what is asked about them), plus the kind of answer it
expects (:func:`expectation`), the counted noun of "how many X" / "combien de X", and the
flags the evidence ranking needs (present-tense, agentive "who founded X", recurring "when
does the boat leave", the words that must be in the document). Words naming where to look
("according to the lace museum") are not predicates. Lexical and deterministic; used by
:mod:`eclair.knowledge.evidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from eclair.knowledge import lexical
from eclair.knowledge.bilingual import place_names
from eclair.knowledge.claims import MONTHS, WEEKDAYS
from eclair.knowledge.qualifiers import qualifying_terms

Expectation = Literal["number", "money", "date", "time", "duration", "weekday", "name", "place"] | None

_DATE_CUES = re.compile(
    r"\b(when|what year|which year|what date|which century|what century|since when|quand|"
    r"en quelle ann[ée]e|quelle ann[ée]e|quelle date|depuis quand|quel si[èe]cle|en quel si[èe]cle)\b",
    re.I,
)
_NUMBER_CUES = re.compile(
    r"\b(how (many|much|tall|long|high|old|far|big|large|heavy|deep|wide|fast)|combien|"
    r"what is the ([^\W\d_]+ ){0,2}(height|length|population|area|weight|size|distance|age|depth|temperature|price|"
    r"altitude|width|speed|capacity|duration|cost|budget|number|amount)|"
    r"quel(le)? (est|sont|était) (la|le|l')\s?([^\W\d_]+ )?(hauteur|longueur|population|superficie|poids|taille|"
    r"distance|profondeur|temp[ée]rature|prix|altitude|largeur|vitesse|capacit[ée]|dur[ée]e|co[ûu]t|"
    r"budget|nombre|montant|[âa]ge)|"
    r"(what|which) (minimum |maximum )?(share|proportion|percentage|fraction|portion)|"
    r"(at|to|from) (what|which) (height|altitude|depth|distance|speed|temperature)|"
    r"(?:[àa]|de|jusqu'[àa]) quelle (hauteur|altitude|profondeur|distance|vitesse|temp[ée]rature)|"
    r"quel(le)? (part|proportion|fraction|pourcentage|portion))",
    re.I,
)
_MONEY_CUES = re.compile(
    r"\b(cost|costs|price|fee|fees|rent|how much (does|do|did|is|was|are|would|will)|"
    r"combien (?:(?:me|te|nous|vous|lui|leur|m'|t') ?)?(co[ûu]t(?:e|ent|era|eront|erait|eraient|ait|aient)|vaut|paie|paye|paierai|paierais)|"
    r"combien (?:a|ont|avait|avaient) co[ûu]t[ée]|"
    r"revenue|revenues|turnover|income|profit|profits|chiffre d'affaires|recettes|benefice|b[ée]n[ée]fices|"
    r"surplus|exc[ée]dents?|deficits?|d[ée]ficits?|"
    r"salary|salaire|"
    r"prix|tarif|co[ûu]t|loyer|cotisation|montant|frais|deposit|caution)\b",
    re.I,
)
# (the words between "how long does" and "take" hold no other "how long does": else each one
# would rescan the rest of the line, quadratic; the later one is tried on its own)
_HOW_LONG = r"how long (?:does|did|do|will|would|should|can)\b"
_DURATION_CUES = re.compile(
    rf"\b({_HOW_LONG}(?:(?!{_HOW_LONG}).)*\b(take|last)|how much time|for how long|"
    r"combien de temps|quelle (est la )?dur[ée]e)\b",
    re.I,
)
_PRESENT_CUES = re.compile(
    r"\b(current|currently|now|today|nowadays|present|actuel|actuelle|actuellement|aujourd'hui|maintenant|"
    r"en ce moment)\b",
    re.I,
)
_TIME_CUES = re.compile(
    r"\b(what time|which time|until when|[àa] quelle heure|jusqu'[àa] quelle heure|opening (?:hours|times)|"
    r"hours of opening|what hours|horaires?(?: d'ouverture)?|heures d'ouverture|"
    # "what are the ticket office's hours?", "the hours of the pool": hours as a schedule
    r"(?:what|which) (?:are|were) (?:the |its |their )?(?:[\w'’-]+ ){0,3}hours|the hours of)\b",
    re.I,
)
_WEEKDAY_CUES = re.compile(
    r"\b(what|which) days? of the week\b|\bquels? jours? de la semaine\b|\b(which|what) days?\b|\bquels? jours?\b|"
    r"\bon which days\b",
    re.I,
)
_WHO = re.compile(r"\b(who|whom|whose|by whom|qui|par qui)\b", re.I)
# "Comment s'appelle la trésorière ?", "what is the name of the head keeper?": a name is asked, of
# whoever holds the role the question names
_NAMING = re.compile(
    r"\b(comment s['’]appell?e(?:nt)?|(?:what|which) (?:is|was|are|were) (?:the |his |her |their |its )?names?|"
    r"quel(?:s)? (?:est|sont|[ée]tait) (?:le |les )?noms?)\b",
    re.I,
)
_PLACE_CUES = re.compile(
    r"\b(where|o[ùu]|in which (city|country|town|region)|(?:dans|en) quel(?:le)? (?:ville|pays|r[ée]gion))\b",
    re.I,
)
_COUNTED = re.compile(
    r"\b(?:how many|combien (?:de|d'|d’)|(?:maximum|minimum|max|min|total|greatest|largest|smallest|highest) number of|"
    r"nombre (?:maximum|minimum|maximal|minimal|total|max|min) (?:de|d'|d’))\s*(?!temps\b)([^\W\d_]+)",
    re.I,
)
# "how much does X weigh" asks for a weight, not a price
_NOT_MONEY = re.compile(
    r"\b(weigh|weighs|weighed|measure|measures|p[èe]se|p[èe]sent|mesure|mesurent)\b|\bby how much\b|\bde combien\b|"
    # "jusqu'à combien d'heures avant peut-on annuler sans frais ?" asks for hours
    r"\bcombien d['’](?:heures|jours|minutes|ann[ée]es)\b|\bcombien de (?:jours|minutes|semaines|mois|fois|personnes)\b|"
    r"\bhow many (?:hours|days|minutes|weeks|months|years|times|people)\b",
    re.I,
)
# "who runs / manages / chairs X?" asks who holds a role, not who did an act once
_ROLE_VERBS = re.compile(
    r"\b(runs?|manages?|heads?|leads?|chairs?|directs?|dirige|dirigent|g[èe]re|g[èe]rent|pr[ée]side|pr[ée]sident)\b",
    re.I,
)
# "when does the first boat leave?" is answered by a clock time as well as by a date
_WHEN_RECURRING = re.compile(
    r"\b(when (does|do|is|are)|quand (part|partent|ouvre|ouvrent|ferme|ferment|commence))\b", re.I
)
_CALENDAR_NAMES = frozenset(MONTHS) | WEEKDAYS
# words that only say a price is asked ("how much do students pay"): the amount answers them
_MONEY_TERMS = frozenset(
    lexical.terms(
        "cost costs price prices pay pays paid fee fees charge fare coute coutent prix tarif paie paient payer"
    )
)
# words that only say a length of time is asked ("quelle est la durée de…"): the duration answers them
_DURATION_TERMS = frozenset(lexical.terms("duree durees duration durations length time temps"))
_CAPITALISED_WORD = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w-]*")
# "Who runs / heads / is in charge of X?", "qui dirige X ?": the head of X is asked, whom a
# document names by the head's title ("Festival director: …", "la directrice de l'école")
_HEAD_ASKED = re.compile(
    r"\b(?:who|qui)\b(?:\W+\w+){0,2}?\W+(?:runs?|heads?|leads?|manages?|directs?|chairs?|"
    r"(?:is|are) (?:in charge|responsible|at the head)|(?:is|are) the (?:head|boss|leader|chief|director|manager|"
    r"chair(?:man|woman|person)?|president) of|dirige(?:nt)?|g[èe]re(?:nt)?|pr[ée]side(?:nt)?|"
    r"est (?:[àa] la t[êe]te|responsable|en charge|le chef|la cheffe|le directeur|la directrice|le pr[ée]sident|"
    r"la pr[ée]sidente|le responsable|la responsable) d)\b",
    re.I,
)
# presiding (a board, an association) is a chair's or a president's office, not a manager's
_PRESIDING = re.compile(r"chair|pr[ée]sid", re.I)
_DEPUTY = frozenset({"vice", "deputy", "adjoint", "adjointe", "adjoints", "assistant", "assistante", "sous"})
# the words of such a question that the head's title answers ("runs", "in charge", "dirige")
HEAD_TERMS = frozenset(
    lexical.terms(
        "run runs head heads lead leads manage manages direct directs chair chairs charge responsible boss "
        "leader chief director manager chairman chairwoman chairperson president dirige dirigent gere gerent "
        "preside president presidente tete responsable chef cheffe directeur directrice"
    )
)
# Phrases that say what kind of answer is wanted, not what it is about: left out of the terms.
_CUE_PHRASES = re.compile(
    r"\b(how (many|much|long)|combien de temps|combien (de|d'|d’)?|what (day|time) of the (week|day)|(what|which) (day|time)|"
    r"quel jour de la semaine|quel jour|[àa] quelle heure|until when|jusqu'[àa] quand|"
    r"(what|which) (year|date|century)|en quelle ann[ée]e|quelle ann[ée]e|quelle date|"
    r"(what|how) is the (amount|number) of|quel(le)? est le (montant|nombre) (de|d'|d’)|"
    r"(what|which) (share|proportion|percentage|fraction|portion)( of)?|"
    r"quel(le)? (part|proportion|fraction|pourcentage|portion)( de| d'| d’)?|"
    # "at what altitude does it sit?", "où se trouve…": where a thing is, not what it does
    r"\b(?:sits?|lies|stands|located|situated|se trouve(?:nt)?|se situe(?:nt)?|situ[ée]e?s?)\b|"
    r"in the morning|in the evening|du matin|du soir|(?:in |with |from )?which (?:city|town|country|region)|"
    r"(?:dans |en |avec |de )?quel(?:le)? (?:ville|pays|r[ée]gion)|"
    # "what deposit do I need to leave": the obligation is not what is asked about
    r"\b(?:do|does|did|will) (?:i|we|you|one|they) (?:need|have) to\b|\b(?:dois-je|doit-on|faut-il)\b|"
    # "how many can I borrow at the same time": not a predicate of time
    r"\b(?:at the same time|at a time|at once|en m[êe]me temps|[àa] la fois)\b|"
    # "à partir de quel âge": a threshold, said by the number itself
    r"\b[àa] partir (?:de|d'|d’|du)|"
    # "ride one of the e-bikes": which one is not asked
    r"\bone of (?:the|our|your|its|their)|\bl['’]une? (?:des|de nos|de leurs)|\bune? (?:des|de nos|de leurs))",
    re.I,
)
# "According to the lace museum, …", "…, selon le règlement des jardins ?": the words name
# where to look, not what is asked, so they are not predicates (names stay anchors).
# So are words pointing at the user's files: "based on the attached file", "in my notes",
# "dans le fichier joint" (a source noun after a determiner, whatever the preposition).
_SOURCE_PHRASE = re.compile(
    r"\b(?:according to|as (?:stated|said|written) in|d['’]apr[èe]s|selon)\s+[^,;?!]+|"
    r"\b(?:based on|going by|from|in|using|within|dans|sur la base d[eu]|[àa] partir d[eu]|par)\s+"
    r"(?:the|my|your|this|these|our|that|le|la|les|l['’]|mes|vos|nos|ce|cet|cette|ces|du|des)\s*"
    r"(?:(?:attached|uploaded|enclosed|provided|shared|joint|jointe|joints|jointes|fourni|fournie)\s+)?"
    r"(?:documents?|docs?|files?|fichiers?|pdfs?|manuals?|manuels?|reports?|rapports?|texts?|textes?|"
    r"notes?|handbooks?|guides?|brochures?|leaflets?|dépliants?|pi[èe]ces? jointes?|attachments?|"
    r"sources?|uploads?)\b"
    r"(?:\s+(?:attached|uploaded|enclosed|provided|I (?:sent|gave|shared|uploaded)|joints?|jointes?|fournis?))?",
    re.I,
)
# "Who designed X?" asks for an agent; "Who is the treasurer?" for a holder of a role.
_COPULA_WHO = re.compile(r"^\W*(?:who|qui)\s+(?:is|was|are|were|est|[ée]tait|sont|[ée]taient)\b", re.I)
# ("how long should I let it rest?" asks for a time: only "how long is X?" asks for a length)
_DIMENSION = re.compile(r"\bhow (tall|high|wide|deep)\b|\bhow (long) (?:is|was|are|were)\b", re.I)
_DIMENSIONS = {"tall": "height", "high": "height", "long": "length", "wide": "width", "deep": "depth"}


def asks_a_name(q: Question) -> bool:
    """ "What is the name of …?", "Comment s'appelle …?": the name of the thing the question
    describes is asked."""
    return bool(_NAMING.search(q.text))


def holds_role(q: Question) -> bool:
    """ "Who is the treasurer?": a holder of a role is asked, whose name a sentence gives next to
    the role's word ("la trésorière, Inès Valcourt")."""
    return bool(_COPULA_WHO.search(q.text) or _NAMING.search(q.text)) and not q.agentive


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    words: frozenset[str]  # its folded words, read once (lexical.words)
    anchors: frozenset[str]
    predicates: frozenset[str]
    expects: Expectation
    counted: str | None = None  # stem of X in "how many X"
    present: bool = False  # asks about now ("current", "actuel"): old facts do not answer it
    agentive: bool = False  # "who founded/designed X": the answer is the agent of the act
    essential: frozenset[str] = frozenset()  # predicates the document must hold ("height", "barley")
    clock: bool = False  # "when does the boat leave?": a clock time answers it too
    # "who runs X?" ("run") or "who chairs X?" ("preside"): the holder of X's head title is asked
    head: str = ""

    @property
    def terms(self) -> frozenset[str]:
        return self.anchors | self.predicates


_EXPECTATIONS: tuple[tuple[re.Pattern[str], Expectation], ...] = (
    (_TIME_CUES, "time"),
    (_DURATION_CUES, "duration"),
    (_WEEKDAY_CUES, "weekday"),
    (_DATE_CUES, "date"),
    (_MONEY_CUES, "money"),
    (_NUMBER_CUES, "number"),
    (_WHO, "name"),
    (_NAMING, "name"),
    (_PLACE_CUES, "place"),
)


_CONTRACTED = re.compile(r"\b(what|who|where|when|how)['’]s\b", re.I)
# An age asked for, before any price ("from what age can a member rent a plot?")
AGE_CUES = re.compile(
    r"\b(?:(?:from|at|until|up to) )?what age\b|\bhow old (?:must|do|does|should|can|to|is the youngest)\b|"
    r"\b(?:minimum|maximum|min|max) age\b|\bage (?:limit|requirement|minimum)\b|"
    r"(?:[àa] partir de |jusqu'[àa] |avant |dès )?quel [âa]ge\b|\b[âa]ge (?:minimum|maximum|minimal|requis|limite)\b",
    re.I,
)


def expectation(question: str) -> Expectation:
    question = _CONTRACTED.sub(r"\1 is", question)  # "what's the maximum number" asks a number
    if AGE_CUES.search(question):
        return "number"
    for cues, kind in _EXPECTATIONS:
        if cues.search(question):
            if kind == "money" and _NOT_MONEY.search(question):
                return "number"
            return kind
    return None


# Idioms said another way in the documents: "annuler sans frais" is "free" to cancel.
_IDIOMS = ((re.compile(r"\bsans (?:aucuns? )?frais\b", re.I), "gratuitement"),)


def analyse_question(question: str) -> Question:
    for idiom, plain in _IDIOMS:
        question = idiom.sub(plain, question)
    words = frozenset(lexical.words(question))
    anchors: set[str] = {w for w in words if w.isdigit()}
    first = len(question) - len(question.lstrip())  # where the question's first word starts
    for match in _CAPITALISED_WORD.finditer(question):
        # the question's first word is capitalised by grammar, not because it is a name
        # month and weekday names are capitalised in English but translate like any word
        if match.start() > first and lexical.fold(match.group()) not in _CALENDAR_NAMES:
            anchors.update(lexical.terms(match.group()))
    places = place_names()
    for word in words:  # "whats the capital of turkey": a country is a name, capitals or not
        if word in places and not lexical.is_stopword(word):
            anchors.update(lexical.terms(word))
    asked = _CUE_PHRASES.sub(" ", question)
    predicates = set(lexical.terms(_SOURCE_PHRASE.sub(" ", asked))) - anchors
    predicates = predicates or set(lexical.terms(asked)) - anchors
    kind = expectation(question)
    dimension = _DIMENSION.search(question)
    if dimension and kind == "number":  # "how high is X?" asks for a height, not any number
        predicates |= set(lexical.terms(_DIMENSIONS[(dimension.group(1) or dimension.group(2)).lower()]))
    essential: set[str] = set()
    # ("how long is the crossing?" may ask for a duration: only other dimensions are required)
    if dimension and kind == "number" and dimension.group(1):
        essential |= set(lexical.terms(_DIMENSIONS[(dimension.group(1) or dimension.group(2)).lower()]))
    if kind == "money" and predicates - _MONEY_TERMS:
        predicates -= _MONEY_TERMS  # the amount itself answers "how much do they pay"
    if kind == "duration" and predicates - _DURATION_TERMS:
        predicates -= _DURATION_TERMS  # "35 minutes" itself answers "quelle est la durée"
    essential |= qualifying_terms(question, money=kind == "money") & predicates
    counted = _COUNTED.search(question)
    counted_stem = lexical.stem(lexical.fold(counted.group(1))) if counted else None
    # (the deputy asked for is not the head: "qui est le directeur adjoint ?")
    head = ""
    if kind == "name" and not words & _DEPUTY and (asked_head := _HEAD_ASKED.search(question)):
        head = "preside" if _PRESIDING.search(asked_head.group(0)) else "run"
    return Question(
        question,
        words,
        frozenset(anchors),
        frozenset(predicates),
        kind,
        counted_stem,
        bool(_PRESENT_CUES.search(question)),
        kind == "name"
        and bool(_WHO.search(question))
        and not _COPULA_WHO.search(question)
        and not _ROLE_VERBS.search(question),
        frozenset(essential),
        kind == "date" and bool(_WHEN_RECURRING.search(question)),
        head,
    )
