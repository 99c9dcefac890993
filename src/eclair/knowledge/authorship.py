"""Acts a sentence states without their verb: "a novel by Victor Hugo" says who wrote it.

Contract: :func:`implied_acts` returns, for a FR/EN sentence, the stems of the creative
acts it attributes through a work noun followed by "by" / "de" / "par" and a capitalised
name ("Les Misérables is a French historical novel by Victor Hugo" → write, author;
"un tableau de Claude Monet" → paint). :func:`act_positions` gives the word positions of
those work nouns, so that a "who wrote X?" check finds its act there. Encyclopedias state
authorship this way far more often than with the verb; nothing else is inferred (a "book
about Napoleon" attributes nothing to Napoleon).
"""

from __future__ import annotations

import re
from functools import cache

from eclair.knowledge import lexical

# act: (work nouns, words of the act) — FR and EN
_ACTS = {
    "write": (
        "novel novels book books play plays poem poems essay essays story stories tale tales tragedy comedy "
        "saga roman romans livre livres piece pieces poeme poemes essai essais conte contes nouvelle recueil "
        "tragedie comedie fable fables",
        "write writes wrote written writer author authored ecrit ecrite ecrire ecrivit ecrivain auteur autrice",
    ),
    "paint": (
        "painting paintings portrait fresco canvas tableau tableaux peinture peintures fresque toile",
        "paint paints painted painter peint peinte peindre peignit peintre",
    ),
    "compose": (
        "symphony symphonies opera operas concerto sonata requiem ballet symphonie symphonies",
        "compose composes composed composer composa compositeur",
    ),
    "sculpt": ("sculpture sculptures statue statues", "sculpt sculpted sculptor sculpte sculpta sculpteur"),
    "direct": ("film films movie movies", "direct directed director realise realisa realisateur"),
}
_BY = frozenset({"by", "de", "d", "par"})
_REACH = 6  # words between the work noun and its "by" ("novel first published in 1862 by")
_TOKEN = re.compile(r"[^\W_]+")


@cache
def _tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    nouns = {word: act for act, (works, _) in _ACTS.items() for word in works.split()}
    acts = {act: frozenset(lexical.terms(words)) for act, (_, words) in _ACTS.items()}
    return nouns, acts


def _attributions(sentence: str) -> list[tuple[int, str, str]]:
    """(work noun position, act, folded first word of the name) for each attribution."""
    nouns, _ = _tables()
    tokens = [(m.group(), lexical.fold(m.group())) for m in _TOKEN.finditer(sentence)]
    found: list[tuple[int, str, str]] = []
    for i, (_, word) in enumerate(tokens):
        act = nouns.get(word)
        if act is None:
            continue
        for j in range(i + 1, min(len(tokens) - 1, i + 1 + _REACH)):
            if tokens[j][1] in _BY and tokens[j + 1][0][:1].isupper():
                found.append((i, act, tokens[j + 1][1]))
                break
    return found


# "He is the author of X", "Il est l'auteur des romans X", "the composer of X": the agent noun
# then "of"/"de" names the act as surely as its verb (the agent is the sentence's subject)
_AGENTS = {
    "author": "write", "auteur": "write", "autrice": "write", "writer": "write",
    "composer": "compose", "compositeur": "compose", "compositrice": "compose",
    "painter": "paint", "peintre": "paint", "sculptor": "sculpt", "sculpteur": "sculpt",
    "director": "direct", "realisateur": "direct", "realisatrice": "direct",
}  # fmt: skip
_OF = frozenset({"of", "de", "des", "du", "d"})


def implied_acts(sentence: str) -> frozenset[str]:
    """Stems of the acts the sentence attributes (see module docstring): through a work noun and
    a name, or an agent noun and "of" ("the author of Candide")."""
    _, acts = _tables()
    found = {stem for _, act, _ in _attributions(sentence) for stem in acts[act]}
    words = [lexical.fold(m.group()) for m in _TOKEN.finditer(sentence)]
    for i, word in enumerate(words):
        if word in _AGENTS and any(w in _OF for w in words[i + 1 : i + 3]):
            found |= acts[_AGENTS[word]]
    return frozenset(found)


def act_positions(sentence: str, predicates: frozenset[str]) -> list[int]:
    """Word positions of the work nouns whose act is one of ``predicates``."""
    _, acts = _tables()
    return [
        i
        for i, act, _ in _attributions(sentence)
        if any(lexical.contains_term(set(acts[act]), p) for p in predicates)
    ]


def attributed_agent(sentence: str, predicates: frozenset[str], given: frozenset[str]) -> bool:
    """The sentence attributes one of the acts in ``predicates`` to a name that is not one of
    the ``given`` (folded) words: "un roman de Victor Hugo" answers "who wrote it?"."""
    _, acts = _tables()
    return any(
        name not in given and any(lexical.contains_term(set(acts[act]), p) for p in predicates)
        for _, act, name in _attributions(sentence)
    )
