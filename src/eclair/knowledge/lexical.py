"""Word-level text handling shared by retrieval and grounding, for French and English.

Contract:
- :func:`fold` lowercases and strips diacritics, the way SQLite FTS5's ``unicode61
  remove_diacritics 2`` tokenizer does, so that "Élysée" and "elysee" compare equal.
- :func:`words` splits on the same boundaries as that tokenizer (anything that is not a
  letter or digit, apostrophes and hyphens included), so a word we build a query from is a
  word FTS5 indexed.
- :func:`terms` keeps the content words of a text (stop words and question words dropped)
  and reduces each to a light stem; :func:`term_match` compares two stems leniently
  (inflections: "designed"/"design", "visiteurs"/"visiteur").
  A few two-word terms whose sense is not that of their words ("aller simple" / "aller-retour",
  "full-time" / "part-time") are kept as one term; :func:`alternative_terms` says when two
  terms name alternatives of one thing (those pairs, and audiences: adult, child, student…).
- :func:`fts_query` turns free user text into an FTS5 ``MATCH`` expression made only of
  double-quoted tokens joined by ``OR``: user text can never inject FTS5 syntax.

Nothing here knows about documents or SQL connections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from eclair.text.fold import fold as fold_text

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: how word lists are written here."""
    return frozenset(text.split())


# Function words and question words of both languages. Kept deliberately broad: a word in
# this list never counts as evidence that a passage answers a question.
STOPWORDS: frozenset[str] = wordset(
    """
    a an and are as at be been being but by can could did do does doing done for from had has
    have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not of off on once only or other our ours out over own same she should so some such
    than that the their theirs them then there these they this those through to too under until
    up very was we were what when where which while who whom whose why will with would you your
    yours also about after again against all any because before below between both during each
    few further above down s t don now many much number numbers year years date day kind sort
    tell please know called name named say says said according
    tall high long old far big large heavy deep wide fast
    take takes took taken get gets got go goes went happen happened happens become became becomes
    last next current currently now today ago end beginning start someone something anyone
    mean means meaning until every each
    au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur
    leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que quel quelle
    quelles quels qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n
    y ete etee etes etais etait etions etaient suis es est sommes sont serai sera seront serait
    ai as avons avez ont avait avaient eu aura auront fut furent combien comment quand ou
    pourquoi lequel laquelle lesquels lesquelles dont ceci cela ca quoi si plus moins tres
    annee annees an ans jour jours nombre date dit nom appelle appelee appeles selon apres
    peux peut pouvez peuvent pouvons pourra pourrait sait savez savoir dire dites donner donne svp stp oui non
    chez entre parmi vers since among towards toward bout
    pourrai pourrais pourrions pourriez pourraient puisse puissent
    fait faire font prend prendre prennent passe lieu devient devenu devenue devenir
    utilise utilisee utilisent utiliser numero numeros use used uses using whats wheres whos hows
    stand stands stood located situated situe situee situes trouve
    actuel actuelle actuellement dernier derniere prochain prochaine maintenant aujourd hui
    fin debut quelqu quelque quelques chose pendant durant jusqu depuis avant signifie veut
    chaque tout tous toute toutes
    faut falloir
    etre avoir dure durent durer doit doivent dois devoir devrait devraient must
    compte comptait comptent comptaient compter per
    hello hi hey bonjour bonsoir salut thanks thank merci
    actually really exactly precisely roughly approximately traditionally vraiment exactement
    precisement environ approximativement traditionnellement
    """
)

_SUFFIXES = (
    "ements",
    "ement",
    "ments",
    "ment",
    "aient",
    "ent",
    "ation",
    "ations",
    "ings",
    "ing",
    "ies",
    "ied",
    "ees",
    "ee",
    "es",
    "ed",
    "ly",
    "e",
    "s",
    "x",
)
_SUFFIXES_BY_LENGTH = tuple(sorted(_SUFFIXES, key=len, reverse=True))
_MIN_STEM = 3


def fold(text: str) -> str:
    """Words of documents and questions folded alike (compatibility forms flattened)."""
    return fold_text(text, compatible=True)


def words(text: str) -> list[str]:
    """The folded words of ``text``, split like FTS5's unicode61 tokenizer splits."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (not folded), in order."""
    return [m.span() for m in _WORD.finditer(text)]


# English irregular participles whose regular stem would not meet their verb's
_IRREGULAR = {
    "spoken": "speak", "spoke": "speak", "written": "writ", "wrote": "writ", "write": "writ", "writes": "writ",
    "drawn": "draw", "drew": "draw", "sung": "sing", "sang": "sing", "chosen": "choos", "chose": "choos",
    "known": "know", "knew": "know", "grown": "grow", "grew": "grow", "begun": "begin", "began": "begin",
}  # fmt: skip


def stem(word: str) -> str:
    """A light, symmetric suffix stripper for FR/EN inflections; ``word`` is already folded."""
    if word.isdigit():
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in _SUFFIXES_BY_LENGTH:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


# Two-word terms whose meaning is not that of their words ("aller simple" is not "aller-retour",
# "part-time" is not "full-time"): :func:`terms` keeps each as one term, so a glossary can
# translate it and a question about one never matches a sentence about the other.
_COMPOUND_PAIRS = wordset(
    """
    aller-simple aller-retour one-way round-trip full-time part-time temps-plein temps-partiel
    audio-guide demi-tarif half-price full-price plein-tarif
    high-season low-season peak-season off-season haute-saison basse-saison moyenne-saison mid-season
    """
)
_COMPOUNDS: dict[tuple[str, str], str] = {
    (pair.split("-")[0], pair.split("-")[1]): pair.replace("-", "") for pair in _COMPOUND_PAIRS
}
_COMPOUND_PARTS = {stem(joined): [stem(p) for p in parts] for parts, joined in _COMPOUNDS.items()}


# "né" (born) folds to "ne", the negation, a stop word: read it as "née" before folding
_BORN = re.compile(r"\b[nN][éÉ]s?\b")


_LETTER_PREFIXES = frozenset("extu")


def terms(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order, duplicates kept; a two-word term of
    ``_COMPOUNDS`` gives one stem."""
    found: list[str] = []
    all_words = words(_BORN.sub("née", text))
    i = 0
    while i < len(all_words):
        word = all_words[i]
        joined = _COMPOUNDS.get((word, all_words[i + 1])) if i + 1 < len(all_words) else None
        if joined:
            found.append(stem(joined))
            i += 2
            continue
        if word == "co" and i + 1 < len(all_words) and all_words[i + 1] in ("op", "ops"):
            found.append(stem("coop"))  # "co-op", "co-ops": one word
            i += 2
            continue
        if (
            word in _LETTER_PREFIXES
            and i + 1 < len(all_words)
            and all_words[i + 1].isalpha()
            and all_words[i + 1] not in STOPWORDS  # "a-t-elle", "va-t-il"
        ):
            # "e-bike", "e-mail", "x-ray", "t-shirt": the letter makes another thing than the word
            found.append(stem(word + all_words[i + 1]))
            i += 2
            continue
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            found.append(stem(word))
        i += 1
    return found


# Who a price or rule is for: a sentence about one of these does not answer for another.
_AUDIENCES = [
    frozenset(stem(w) for w in group.split())
    for group in (
        "adult adults adulte adultes",
        "child children kid kids enfant enfants",
        "young youth youths junior juniors teen teens teenager teenagers jeune jeunes ado ados adolescent adolescents",
        "student students etudiant etudiants",
        "senior seniors pensioner pensioners retraite retraites",
        "dog dogs pet pets chien chiens animal animals animaux",
    )
]


def is_audience(term: str) -> bool:
    """Whether ``term`` says who a price or rule is for ("adult", "enfant", "dog")."""
    return any(term in group for group in _AUDIENCES)


# Other families of alternatives: a trip one way or both ways, a subscription by the year or by
# the month: a sentence about one does not answer for the other.
_KINDS = [
    [
        frozenset(stem(w) for w in group.split())
        for group in family
    ]
    for family in (
        ("single oneway allersimple simple", "return roundtrip allerretour retour"),
        # (the adjectives only: "2 ans" of a guarantee answers "combien de jours", in other units)
        ("annual yearly annuel annuelle", "monthly mensuel mensuelle", "weekly hebdomadaire",
         "daily journalier journaliere quotidien quotidienne"),
        # when something starts, or when it ends: "the season opens on 12 April" does not say when it ends
        ("open opens opening start starts started begin begins began commence commencer debut debute ouvre "
         "ouvrent ouvert ouverte ouverture", "close closes closing end ends ended finish finishes finished fin finir termine "
         "terminent ferme ferment fermeture"),
        # a powered tool or machine, or one worked by hand
        ("electric electrical power powered electrique electriques", "hand manual manuel manuelle manuels manuelles"),
    )
]  # fmt: skip


def alternative_terms(a: str, b: str) -> bool:
    """Whether two different terms name alternatives of one thing: two-word terms that share
    a word ("aller simple", "aller-retour"), two audiences ("adult", "child"), or two kinds of
    one family ("single" and "return", "annual" and "monthly")."""
    if a == b:
        return False
    if a in _COMPOUND_PARTS and b in _COMPOUND_PARTS:
        return bool(set(_COMPOUND_PARTS[a]) & set(_COMPOUND_PARTS[b]))
    for family in (_AUDIENCES, *_KINDS):
        group_a = next((g for g in family if a in g), None)
        if group_a is not None and b not in group_a and any(b in g for g in family):
            return True
    return False


def same_kind(a: str, b: str) -> bool:
    """Whether two terms say one side of a family of alternatives ("closes" and "termine")."""
    return any(a in group and b in group for family in _KINDS for group in family)


def compound_parts(term: str) -> list[str]:
    """The stems of the words a two-word term is written with (itself for any other term):
    what full-text search can look up."""
    return _COMPOUND_PARTS.get(term, [term])


# Month and weekday names are whole words: "mai" is not a prefix of "maire" (mayor).
_CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    monday tuesday wednesday thursday friday saturday sunday
    lundi mardi mercredi jeudi vendredi samedi dimanche""".split()  # noqa: SIM905
)


def term_match(a: str, b: str) -> bool:
    """Whether two stems name the same word: equal, or one a long prefix of the other."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in _CALENDAR_WORDS or short in _CALENDAR_STEMS:
        return long_ in _CALENDAR_WORDS and long_.startswith(short)  # "dimanch", "dimanche"
    if len(short) >= _MIN_STEM and long_.startswith(short) and len(short) >= 0.7 * len(long_):
        return True
    # cognates that part only at the ending: "photosynthetiqu" is "photosynthetic"
    shared = shared_prefix(short, long_)
    return shared >= _COGNATE_PREFIX and shared >= 0.85 * len(short)


_CALENDAR_STEMS = frozenset(stem(w) for w in _CALENDAR_WORDS)
_COGNATE_PREFIX = 8


def shared_prefix(a: str, b: str) -> int:
    """How many letters ``a`` and ``b`` share from their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def contains_term(haystack: set[str], term: str) -> bool:
    """Whether ``term`` matches any stem of ``haystack`` (see :func:`term_match`)."""
    return term in haystack or any(term_match(term, other) for other in haystack)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_query(text: str, *, extra: Iterable[str] = (), max_terms: int = 32) -> str:
    """An FTS5 MATCH expression for free text: quoted content words (prefix-matched on their
    stem when it is long enough) joined by OR, then the ``extra`` words (translations).
    Empty when the text has no word at all.

    Falls back to every word, stop words included, when the text has no content word
    ("qui est-ce ?"), so a search is still attempted.
    """
    all_words = words(text)
    content = [w for w in all_words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    clauses = []
    for word in content or all_words:
        base = stem(word)
        clauses.append(f"{_quote(base)}*" if len(base) >= 4 and base != word else _quote(word))
    # extra words are stems already ("roue" gives "rou"): prefix-match them
    clauses += [f"{_quote(w)}*" if len(w) >= _MIN_STEM else _quote(w) for w in words(" ".join(extra))]
    parts: list[str] = []
    seen: set[str] = set()
    for clause in clauses:
        if clause not in seen:
            seen.add(clause)
            parts.append(clause)
        if len(parts) >= max_terms:
            break
    return " OR ".join(parts)
