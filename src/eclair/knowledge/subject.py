"""Is a sentence about the thing a question asks about? Checks for the relevance gate.

Contract (both functions are pure, lexical and FR/EN; :mod:`eclair.knowledge.evidence`
calls them on sentences that already share the question's words):
- :func:`names_agent`: for "who founded/designed/built X?", the sentence introduces a name
  as the agent of that act: after "by"/"par"/"under the direction of" shortly after the
  act, or just before it ("Jean Brunel a fondé"). A sentence that founds something without
  naming anyone, or names the agent of another act ("published by …"), does not.
- :func:`about_other_subject`: the question names its subject ("the Lace Museum"), the
  sentence and the one before do not name it, and the sentence writes another name heading
  its own noun phrase next to what is asked ("Fondée en 1821, la manufacture Brunel"): the
  fact belongs to that other thing. Names inside a complement ("rue des Tanneurs"),
  acronyms ("4 DVD") and names qualified by the asked words ("the Hollins Beekeepers' Club"
  for "the beekeepers' club") do not count.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from eclair.knowledge import lexical
from eclair.knowledge.authorship import act_positions, attributed_agent
from eclair.knowledge.bilingual import equivalents
from eclair.knowledge.claims import MONTHS, NUMBER_WORDS, WEEKDAYS

if TYPE_CHECKING:
    from eclair.knowledge.question import Question

_ADJACENT_WORDS = 3  # words between a name and the act it performs ("Jean Brunel a fondé")
_AGENT_MARKERS = re.compile(
    r"\b(?:by|par|direction (?:of|de|d['’])|supervision (?:of|de|d['’])|led by|men[ée]e? par)\b", re.I
)
_AGENT_REACH = 6  # words between "by"/"par" and the name it introduces ("by the engineer Alistair")
_ACT_REACH = 8  # words between the act and its "by" ("built between 1684 and 1691 under the direction of")
_SUBJECT_REACH = 5  # words between a predicate and a name it may be about
_PREPOSITIONS = lexical.wordset(
    "of in at from to into on near with by for de des du d a au aux en dans par pour sur avec pres chez vers"
)


def _has(stems: set[str], term: str) -> bool:
    return lexical.contains_term(stems, term) or any(
        lexical.contains_term(stems, e) for e in equivalents(term)
    )


def _tokens(sentence: str) -> list[tuple[int, str, str]]:
    """(offset, word as written, folded word) for each word of ``sentence``."""
    return [(m.start(), m.group(), lexical.fold(m.group())) for m in re.finditer(r"[^\W_]+", sentence)]


def _act_positions(q: Question, tokens: list[tuple[int, str, str]]) -> list[int]:
    """Word positions of the question's predicates (or their translations) in a sentence."""
    predicates = set(q.predicates) | {e for t in q.predicates for e in equivalents(t)}
    return [
        i
        for i, (_, _, word) in enumerate(tokens)
        if not lexical.is_stopword(word) and lexical.contains_term(predicates, lexical.stem(word))
    ]


def _new_names(q: Question, tokens: list[tuple[int, str, str]]) -> list[int]:
    """Word positions of capitalised words the question does not give (not the first word)."""
    given = q.words
    return [
        i
        for i, (_, written, word) in enumerate(tokens)
        if i > 0
        and written[0].isupper()
        and word not in given
        and not lexical.is_stopword(word)
        and word not in MONTHS
        and word not in WEEKDAYS
        and word not in NUMBER_WORDS
    ]


def names_agent(q: Question, sentence: str) -> bool:
    """For "who founded X": a name the sentence introduces with "by"/"par"/"under the direction
    of" shortly after the act ("built … under the direction of the engineer Étienne Rouvière"),
    or writes just before the act ("Jean Brunel a fondé"). "Fondée en 1821, la manufacture
    Brunel …" founds something but names no founder; "published by the Friends of X" names
    the agent of another act."""
    if attributed_agent(sentence, q.predicates, q.words):  # "un roman de Victor Hugo"
        return True
    tokens = _tokens(sentence)
    acts = _act_positions(q, tokens) + act_positions(sentence, q.predicates)  # "a novel by …"
    offsets = [offset for offset, _, _ in tokens]
    markers = [sum(1 for o in offsets if o < m.end()) - 1 for m in _AGENT_MARKERS.finditer(sentence)]
    markers = [m for m in markers if any(0 <= m - act <= _ACT_REACH for act in acts)]
    for name in _new_names(q, tokens):
        if any(0 < name - marker <= _AGENT_REACH for marker in markers):
            return True
        # (a name after a preposition is a place or a complement: "né à Brest et assassiné")
        if any(0 < act - name <= _ADJACENT_WORDS for act in acts) and not (
            name > 0 and tokens[name - 1][2] in _PREPOSITIONS
        ):
            return True
    return False


def about_other_subject(q: Question, sentence: str, context: str) -> bool:
    """The question names its subject ("the Lace Museum"), the sentence and the one before do
    not (as a name: "the end of the orchard" does not name "Bramblecote Orchard"), and the
    sentence writes another name next to what is asked ("Fondée en 1821, la manufacture
    Brunel"): the fact is about that other thing."""
    names = {a for a in q.anchors if not a.isdigit()}
    written = {
        lexical.stem(word) for _, original, word in _tokens(f"{context} {sentence}") if original[0].isupper()
    }
    if not names or any(_has(written, n) for n in names):
        return False
    tokens = _tokens(sentence)
    acts = _act_positions(q, tokens)
    # a name inside a complement ("la rue des Tanneurs", "the quarries at Penmarrow") places
    # or qualifies the fact; only a name heading its own noun phrase can be what it is about
    # (an acronym, "4 DVD", is more often a common noun than a subject of its own; and "the
    # Hollins Beekeepers' Club" is what "the beekeepers' club" asks about)
    subjects = [
        n
        for n in _new_names(q, tokens)
        if not tokens[n][1].isupper()
        and not any(t[2] in _PREPOSITIONS for t in tokens[max(0, n - 2) : n])
        and not any(abs(n - act) <= 2 for act in acts)
    ]
    return any(abs(name - act) <= _SUBJECT_REACH for name in subjects for act in acts)
