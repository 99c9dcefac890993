"""What narrows a question's subject: words that a sentence or document must hold for it to
answer, and sentences that answer for a neighbouring thing instead.

Contract:
- :func:`qualifying_terms` gives the stems of the words that say *which* thing is counted or
  priced ("how many tonnes **of barley**", "combien de salariés **à temps partiel**",
  "combien coûte un pain **de blé**", "a coffee **with milk**"). A document that lacks one of
  them does not answer, even when it holds the question's other words.
- :func:`names_alternative` says whether a sentence is about an alternative of what is asked:
  the other term of a two-word pair (the return fare when the one-way fare is asked,
  part-time staff when full-time is; :func:`eclair.knowledge.lexical.alternative_terms`), or
  another audience (the adult price when the child's is asked, or a sentence naming whom it
  is for without everyone the question names).

Both work on words only (FR and EN, through :mod:`eclair.knowledge.bilingual`); they can only
make the relevance gate stricter, never let a sentence through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents

# the noun phrase after "how many" / "combien de", up to the verb
_COUNTED_PHRASE = re.compile(r"\b(?:how many|combien (?:de|d'|d’))\s*(.*)", re.I)
# the thing a price question prices
_PRICED_PHRASE = re.compile(
    r"\b(?:combien (?:co[ûu]te(?:nt)?|vaut|valent)|how much (?:is|are|does|do|did|was|were)|(?:price|cost) of|"
    r"what (?:does|do|did|will|would) (?=.{1,80}\bcosts?\b)|"
    r"prix (?:de|d'|d’|du|des))\s*(.*)",
    re.I,
)
# "a coffee with milk", "une chambre sans vue": the word after "with" changes what is asked
_WITH = re.compile(
    r"\b(?:with|without|avec|sans)\s+(?:(?:a|an|the|some|du|de la|des|un|une)\s+)?([^\W\d_]+)", re.I
)
# function words that link a noun to its complement inside one noun phrase
_PHRASE_LINKS = lexical.wordset("of de d du des a à")
_INDEFINITE = lexical.wordset("a an un une")


def _noun_phrase(text: str) -> str:
    """The words of ``text`` up to the first function word that does not link a noun to its
    complement ("tonnes of barley did …" gives "tonnes of barley"); leading articles skipped."""
    kept: list[str] = []
    for word in re.findall(r"[^\W_]+", text):
        folded = lexical.fold(word)
        if kept and lexical.fold(kept[-1]) in _PHRASE_LINKS and folded in _INDEFINITE:
            continue  # a kind of thing: "la location d'une parcelle collective" (not "of the orchard")
        if not kept and lexical.is_stopword(folded):
            continue
        if lexical.is_stopword(folded) and folded not in _PHRASE_LINKS:
            break
        kept.append(word)
    return " ".join(kept)


# "the export revenue", "net profit", "le bénéfice net", "le chiffre d'affaires à l'export": the
# word that says which amount of money is asked
_MONEY_NOUN = r"(?:revenues?|income|profits?|turnover|sales|earnings|losses|budget|spending)"
_MONEY_BEFORE = re.compile(rf"\b([^\W\d_]{{3,}})\s+{_MONEY_NOUN}\b", re.I)
# "the off-peak fare", "the family rate": a word that says which rate is asked (the
# words of a charge's noun phrase, up to three before it; "tarif réduit" after it in French)
_RATE_NOUN = r"(?:fees?|fares?|rates?|tariffs?|prices?|subscriptions?|dues)"
_RATE_BEFORE = re.compile(rf"\b((?:[^\W\d_][\w'-]{{2,}}\s+){{1,3}}){_RATE_NOUN}\b", re.I)
_RATE_AFTER = re.compile(
    r"\b(?:tarifs?|prix|cotisations?|frais|abonnements?)\s+(?!(?:de|du|des|la|le|les|en|pour|par|sur|d)\b)([^\W\d_]{3,})",
    re.I,
)
_MONEY_AFTER = re.compile(
    r"\b(?:chiffre d['’]affaires|b[ée]n[ée]fices?|recettes?|r[ée]sultat|budget|d[ée]penses?|ventes?)"
    # ("de la coopérative" says whose: not a qualifier)
    r"\s+(?:(?:à|a)\s+l['’]|d['’])?(?!(?:de|du|des|la|le|les|en|pour|par|sur)\b)([^\W\d_]{3,})",
    re.I,
)
_NOT_QUALIFIERS = lexical.wordset(
    "the its their our your his her total annual yearly what which how much was were is are did does "
    "2020 2021 2022 2023 2024 2025 2026 en pour de par le la les ont a atteint etait sont est"
)


def _money_qualifiers(question: str) -> set[str]:
    found: set[str] = set()
    for pattern in (_MONEY_BEFORE, _MONEY_AFTER, _RATE_BEFORE, _RATE_AFTER):
        for m in pattern.finditer(question):
            for raw in m.group(1).split():
                word = lexical.fold(raw)
                if word not in _NOT_QUALIFIERS and not lexical.is_stopword(word) and not raw[0].isupper():
                    found.update(lexical.terms(word))
    return found


def qualifying_terms(question: str, *, money: bool) -> set[str]:
    """Stems of the words that say which thing ``question`` counts or prices (see module doc)."""
    found: set[str] = _money_qualifiers(question) if money else set()
    for modifier in _WITH.finditer(question):
        found.update(lexical.terms(modifier.group(1)))
    phrase = _COUNTED_PHRASE.search(question) or (_PRICED_PHRASE.search(question) if money else None)
    if phrase:
        found.update(lexical.terms(_noun_phrase(phrase.group(1))))
    return found


def _has(stems: set[str], term: str) -> bool:
    return lexical.contains_term(stems, term) or any(
        lexical.contains_term(stems, e) for e in equivalents(term)
    )


def names_alternative(predicates: Iterable[str], sentence_stems: set[str]) -> bool:
    """Whether the sentence is about an alternative of what is asked (see module doc)."""
    asked_terms = list(predicates)
    for asked in asked_terms:
        forms = {asked} | equivalents(asked)
        if any(s in forms or any(lexical.same_kind(f, s) for f in forms) for s in sentence_stems):
            continue
        if any(lexical.alternative_terms(f, s) for f in forms for s in sentence_stems):
            return True
    # "an adult ticket for a dog": a sentence that says whom it is for must name each of them
    audiences = [t for t in asked_terms if lexical.is_audience(t)]
    if any(lexical.is_audience(s) for s in sentence_stems):
        return not all(_has(sentence_stems, t) for t in audiences)
    return False


# "a book of ten tickets", "un carnet de 10 tickets", "a pack of 6": a price for several units
_BUNDLE = re.compile(
    r"\b(?:books?|packs?|packets?|sets?|bundles?|booklets?|boxes|box|cartons?|carnets?|lots?|paquets?|"
    r"coffrets?|forfaits?)\s+(?:of|de|d'|d’)\s*(?:\d+|two|three|four|five|six|eight|ten|twelve|twenty|"
    r"deux|trois|quatre|cinq|six|huit|dix|douze|vingt)\b",
    re.I,
)


def prices_a_bundle(question: str, sentence: str) -> bool:
    """Whether ``sentence`` prices a bundle of several units that ``question`` does not ask
    about: the price of ten tickets does not answer the price of one."""
    return bool(_BUNDLE.search(sentence)) and not _BUNDLE.search(question)


# "the largest planet" is not answered by "the second-largest planet", nor "la plus haute
# montagne" by "la deuxième plus haute montagne": a rank before a superlative changes it.
_SUPERLATIVE = r"(?:[^\W\d_]+est|most|least|plus|moins|best|worst|meilleure?s?|pire)"
_RANKED_SUPERLATIVE = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th|e|ème|eme)|"
    r"deuxi[èe]me|seconde?|troisi[èe]me|quatri[èe]me|cinqui[èe]me|sixi[èe]me|septi[èe]me|huiti[èe]me|"
    r"neuvi[èe]me|dixi[èe]me)[\s-]+(?:" + _SUPERLATIVE + r")\b",
    re.I,
)


def ranks_otherwise(question: str, sentence: str) -> bool:
    """The sentence ranks its subject second, third… where the question asks for the first
    (no rank in the question, a ranked superlative in the sentence)."""
    return bool(_RANKED_SUPERLATIVE.search(sentence)) and not _RANKED_SUPERLATIVE.search(question)


# "the deepest lake", "le plus grand lac", "its highest point", "point culminant"
_EST = (
    r"(?:long|high|larg|bigg|tall|old|small|deep|great|fast|hott|cold|wid|heavi|short|low|young|earli|lat|"
    r"rich|strong|bright|dens)est"
)
_RANKING = rf"(?:most|least|best|worst|{_EST}|plus|moins|meilleure?s?|pire)"
_SUPERLATIVE_SAID = re.compile(rf"\b(?:{_RANKING}|culmin\w*)\b", re.I)
_SUPERLATIVE_ASKED = re.compile(
    rf"\b(?:the|its|their|le|la|les|l['’]|son|sa|ses)\s*(?:[^\W\d_]+\s+){{0,2}}?{_RANKING}\b|\bculminant\b",
    re.I,
)


def misses_superlative(question: str, sentence: str) -> bool:
    """The question asks for the first of a kind ("the deepest lake of the region"); the sentence
    ranks nothing ("its main lakes are the Vell, the Arne…"): it names candidates, not the
    one asked."""
    return bool(_SUPERLATIVE_ASKED.search(question)) and not _SUPERLATIVE_SAID.search(sentence)


# "the most borrowed item: the carpet cleaner (94 loans)", "l'outil le plus emprunté": a count
# of the first of a kind, not of the whole
_COUNTS_THE_FIRST = re.compile(
    r"\b(?:most|least) (?:[^\W\d_]+ ){0,2}?(?:borrowed|popular|requested|sold|visited|used|rented|read|loaned)\b|"
    r"\b(?:le|la|les) (?:plus|moins) (?:emprunte|demande|vendu|populaire|visite|utilise|loue|lu)e?s?\b",
    re.I,
)


def counts_the_first(question: str, sentence: str) -> bool:
    """The sentence counts what the most (or least) used item had ("the most borrowed item, the
    carpet cleaner, with 94 loans"); the question, which ranks nothing, asks a total."""
    return bool(_COUNTS_THE_FIRST.search(sentence)) and not _SUPERLATIVE_SAID.search(question)


# "how much can it hold at most?", "combien au maximum ?": a limit is asked, which a sentence
# states with a word of limit or of permission ("up to 6", "may borrow 6", "capacity: 1.7 l")
_BOUND_ASKED = re.compile(
    r"\b(?:at (?:the )?most|at (?:the )?least|maximum|minimum|max|min|au (?:maximum|minimum|plus|moins)|"
    r"tout au plus|pas plus|upper limit|lower limit)\b",
    re.I,
)
_BOUND_SAID = re.compile(
    r"\b(?:maximum|minimum|maximal\w*|minimal\w*|max|min|up to|at (?:the )?most|at (?:the )?least|"
    r"no (?:more|less|fewer) than|not (?:more|less) than|(?:more|less|fewer) than|over|under|above|below|"
    r"exceed\w*|limit\w*|capacity|capacit[ée]|cap|ceiling|plafon\w*|limite\w*|jusqu['’][àa]|"
    r"au (?:plus|moins)|pas (?:plus|moins) de|plus de|moins de|d[ée]passe\w*|within|"
    r"can|cannot|may|must|allowed|permitted|peut|peuvent|pouvez|pourr\w*|doit|doivent|autoris\w*)\b",
    re.I,
)


def misses_bound(question: str, sentence: str) -> bool:
    """The question asks for a limit ("at most", "au maximum"); the sentence states an amount
    with no word of limit or permission ("mix 15 g of powder in 1 litre of water" is not how
    much the tank holds)."""
    return bool(_BOUND_ASKED.search(question)) and not _BOUND_SAID.search(sentence)


# "for non-residents", "les non-membres": the question asks for those who are not X
_NEGATED = re.compile(r"\bnon[- ]?([^\W\d_]{3,})", re.I)
_OTHERWISE = re.compile(
    r"\b(?:not|outside|other|others|otherwise|except|hors|autres?|exterieur\w*|sauf|pas)\b", re.I
)


def misses_negation(question: str, sentence: str) -> bool:
    """The question asks for the non-X ("the price for non-residents"); the sentence speaks of
    the X themselves ("6 euros for residents") with no word that sets others apart."""
    folded_sentence = lexical.fold(sentence)
    for match in _NEGATED.finditer(lexical.fold(question)):
        stem = lexical.stem(match.group(1))
        said = {lexical.stem(w) for w in lexical.words(folded_sentence)}
        if (
            lexical.contains_term(said, stem)
            and not _NEGATED.search(folded_sentence)
            and not _OTHERWISE.search(folded_sentence)
        ):
            return True
    return False


# "- pomme : 3 € - poire : 4 €", "Adults: £6; children: £3": values keyed by what they are for
# (blanks taken whole: a long run of them is scanned once)
_KEYED_VALUE = re.compile(
    r"(?:^|[-•*;,(]|\n)[ \t]*+([^\W\d_][^\W\d_' -]{1,30}?)[ \t]*+:[ \t]*+[£$€]?[ \t]*+\d"
)


_LIST_ITEM = re.compile(r"^\s*+[-•*–]\s")


def names_other_items(question_terms: Iterable[str], sentence: str, *, unsaid: bool = False) -> bool:
    """The sentence lists values keyed by what each is for, and the question names none of the
    keys: the plum is not among the apple, the pear and the cherry. Two keys or more; one
    (a list item: "- pomme : 3 €") when a word of the question is ``unsaid`` in the document."""
    keys = [m.group(1) for m in _KEYED_VALUE.finditer(sentence)]
    # (one key only in a list item: "Tarif : 6 €" labels the value, "- pomme : 3 €" is one of several)
    if len(keys) < 2 and not (unsaid and keys and _LIST_ITEM.match(sentence)):
        return False
    key_stems = {t for key in keys for t in lexical.terms(key)}
    return not any(_has(key_stems, t) for t in question_terms)
