"""Whether a model's rephrasing says what its source sentence says.

:mod:`eclair.knowledge.claims` checks that an answer's specifics (numbers, dates, names)
*occur* in the sources. A 135M model can still garble a sentence whose specifics are all
there: "L'adhésion coûte 32 euros pour une couleur" from "L'adhésion coûte 32 euros par an,
l'impression couleur 0,10 euro la page". This module judges *fidelity*.

Contract of :func:`fidelity_problem` (``None`` when faithful, else a short reason):
1. Vocabulary: at least :data:`MIN_KNOWN_SHARE` of the answer's content words (stop words of
   both languages removed, accents folded, light stems compared by prefix, English/French
   glossary equivalents allowed) occur in the cited sentences or in the question, and at
   most :data:`MAX_NEW_WORDS` do not.
2. Attachment: a number of the answer goes with the same words as in the source. The answer
   and each source sentence holding that number are cut into clauses (at punctuation and at
   "and/et/but/mais/while/tandis"); a content word in the number's clause of the answer that
   the source sentence uses *in another clause only* is misattached. The source sentence's
   opening clause, when it holds no number, is its subject and goes with every clause. Words
   the source sentence does not use at all are left to check 1.
3. Bounds and polarity: a number the source bounds ("at least 30", "moins de 30") keeps the
   same bound in the answer, and the answer adds no bound the source lacks; an answer that
   negates ("not", "ne … pas", "jamais") needs a negation in its source, and the reverse.
5. Events: for a question about a birth or a death, each name and number of the answer is,
   in its source, stated after that event's word, not after the other's ("born … in Ulm and
   died … in Princeton": Princeton is no birthplace).
4. Shape: the answer states the kind of thing the question expects: an amount with its
   currency for prices, a year, month, century or weekday for dates, a clock time for times,
   a number with a unit of time for durations, a number for counts and measures.

Everything is lexical and deterministic; a false alarm only costs a verbatim quote, which
is always faithful, so the checks lean towards refusing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents
from eclair.knowledge.claims import MONTHS, NUMBER_WORDS, WEEKDAYS, extract_claims
from eclair.knowledge.periods import clock_times, hour_ranges
from eclair.knowledge.question import Question
from eclair.knowledge.sentencekind import DEPUTY_WORDS, states_measure

MIN_KNOWN_SHARE = 0.75
MAX_NEW_WORDS = 2

_CLAUSE_MARK = re.compile(r"[,;:()\[\]—–!?]|\.\s|\s-\s")
_CONJUNCTIONS = lexical.wordset("and but while whereas et mais tandis alors puis then")
_NEGATIONS = lexical.wordset(
    "not no never nor none nobody nothing cannot ne pas jamais aucun aucune nul nulle rien"
)
_MORE = lexical.wordset("more over above least exceeding exceed exceeds minimum min plus dessus")
# "au moins 30" is a lower bound, "au plus 30" an upper one
_AU = {"moins": "more", "plus": "less"}
_LESS = lexical.wordset("less under below fewer maximum max most within moins dessous jusqu")
_CURRENCIES = lexical.wordset(
    "eur euro euros usd dollar dollars gbp pound pounds chf franc francs cent cents centime centimes livre livres"
)
_CURRENCY_SIGNS = re.compile(r"[€$£¥]")
_TIME_UNITS = lexical.wordset(
    "year years an ans annee annees month months mois week weeks semaine semaines day days jour jours "
    "journee journees hour hours heure heures h minute minutes min second seconds seconde secondes "
    "century centuries siecle siecles decade decades decennie decennies night nights nuit nuits"
)
_CENTURY = lexical.wordset("century centuries siecle siecles")
_CLOCK = re.compile(
    r"\b\d{1,2}\s*(?:h\b|h\d{2}|[:.]\d{2}\b|heures?\b|a\.?m\.?|p\.?m\.?|o'clock)|\b(?:midi|minuit|noon|midnight)\b",
    re.I,
)
_MONTH_STEMS = frozenset(lexical.stem(m) for m in MONTHS)
_YEAR = re.compile(r"^(?:1\d{3}|20\d{2})$")


def _value(word: str) -> str | None:
    if word.isdigit():
        return word.lstrip("0") or "0"
    return str(NUMBER_WORDS[word]) if word in NUMBER_WORDS else None


def _clauses(text: str) -> list[list[str]]:
    """The folded words of ``text`` grouped by clause. A conjunction between two numbers
    ("between 9 and 18") does not cut; a decimal or thousands separator is not a mark."""
    spans = lexical.word_spans(text)
    clauses: list[list[str]] = [[]]
    for i, (start, end) in enumerate(spans):
        gap = text[spans[i - 1][1] : start] if i else ""
        separator = gap in (",", ".") and text[start - 2].isdigit() and text[start].isdigit()
        if i and _CLAUSE_MARK.search(gap + " ") and not separator:
            clauses.append([])
        word = lexical.fold(text[start:end])
        if word in _CONJUNCTIONS:
            before = clauses[-1][-1] if clauses[-1] else ""
            after = lexical.fold(text[spans[i + 1][0] : spans[i + 1][1]]) if i + 1 < len(spans) else ""
            if not (_value(before) and _value(after)):
                clauses.append([])
                continue
        clauses[-1].append(word)
    return [c for c in clauses if c]


def _term(word: str) -> str:
    """A word's stem; a month by its number, so "May" and "mai" are one word."""
    return f"#{MONTHS[word]}#" if word in MONTHS else lexical.stem(word)  # never a prefix of another


def _terms(text: str) -> set[str]:
    return {
        _term(w) for w in lexical.words(text) if not lexical.is_stopword(w) and (len(w) > 1 or w.isdigit())
    }


def _content(words: Iterable[str]) -> set[str]:
    return {
        _term(w)
        for w in words
        if not lexical.is_stopword(w) and _value(w) is None and (len(w) > 1) and w not in _CONJUNCTIONS
    }


def _known(term: str, known: set[str]) -> bool:
    return lexical.contains_term(known, term) or any(
        lexical.contains_term(known, e) for e in equivalents(term)
    )


def _vocabulary_problem(answer: str, question: str, sources: list[str]) -> str | None:
    terms = {t for t in _terms(answer) if not t.isdigit()}
    if not terms:
        return None
    known = {t for text in [*sources, question] for t in _terms(text)}
    new = [t for t in terms if not _known(t, known)]
    if len(new) > MAX_NEW_WORDS or len(terms) - len(new) < MIN_KNOWN_SHARE * len(terms):
        return f"words not in the source: {', '.join(sorted(new))}"
    return None


def _attachment_problem(answer: str, question: str, sources: list[str]) -> str | None:
    # per source: (clauses holding each value, the rest of the sentence)
    split = [_clauses(s) for s in sources]
    free = {t for s, clauses in zip(sources, split, strict=True) if not _numbers(clauses) for t in _terms(s)}
    asked = _terms(question) | free
    for clause in _clauses(answer):
        near = _content(clause)
        for value in {v for w in clause if (v := _value(w))}:
            attached: set[str] = set()
            used: set[str] = set()
            dated = found = False
            for clauses in split:
                holding = [c for c in clauses if value in _numbers([c])]
                if not holding:
                    continue
                found = True
                # "In 2019, …" / "en 1889": a clause that is only the number dates the whole sentence
                if not all(_content(c) - _MONTH_STEMS for c in holding):
                    dated = True
                    continue
                attached |= _content([w for c in holding for w in c] + _subject(clauses, holding))
                used |= _content(w for c in clauses for w in c)
            if not found or dated:
                continue
            for term in near:
                if _known(term, attached):
                    continue
                if _known(term, used):
                    return f"{value} goes with '{term}' in the answer, not in the source"
                if not _known(term, asked):
                    return f"{value} goes with '{term}', a word the source does not use"
    return None


def _subject(clauses: list[list[str]], holding: list[list[str]]) -> list[str]:
    """Words of the sentence that go with every clause of ``holding``: an opening clause
    without a number ("La tour Eiffel, …"); and, for a clause that opens on its number (a
    list item: "…24 euros pour un adulte, 10 euros pour un enfant"), what the sentence says
    before its first number ("le tarif est de")."""
    subject = clauses[0] if clauses[0] not in holding and not _numbers(clauses[:1]) else []
    if any(not _content(_before_number(c)) for c in holding):
        first = next((c for c in clauses if _numbers([c])), [])
        subject = [*subject, *(w for c in clauses[: clauses.index(first)] for w in c), *_before_number(first)]
    return subject


def _before_number(clause: list[str]) -> list[str]:
    return list(itertools.takewhile(lambda w: _value(w) is None, clause))


def _numbers(clauses: list[list[str]]) -> set[str]:
    return {v for c in clauses for w in c if (v := _value(w))}


def _bounds(text: str) -> dict[str, set[str]]:
    """The bound written before each number: {"30": {"more"}} for "at least 30 days", and
    {"30": {"less"}} for "no more than 30" / "pas plus de 30"."""
    words = lexical.words(text)
    found: dict[str, set[str]] = {}
    for i, word in enumerate(words):
        if (value := _value(word)) is None:
            continue
        marks = found.setdefault(value, set())
        for j in range(max(0, i - 3), i):
            w, previous = words[j], words[j - 1] if j else ""
            if w in _AU and previous == "au":
                marks.add(_AU[w])
            elif w in _MORE or w in _LESS:
                mark = "more" if w in _MORE else "less"
                if previous in _NEGATIONS:  # "no more than 30" is an upper bound
                    mark = "less" if mark == "more" else "more"
                marks.add(mark)
    return found


def _negated(text: str) -> bool:
    """Whether ``text`` negates, a negated bound ("no more than", "pas plus de") aside."""
    words = lexical.words(text)
    return any(
        w in _NEGATIONS and not (i + 1 < len(words) and (words[i + 1] in _MORE or words[i + 1] in _LESS))
        for i, w in enumerate(words)
    )


def _bound_problem(answer: str, sources: list[str]) -> str | None:
    written: dict[str, set[str]] = {}
    for source in sources:
        for value, marks in _bounds(source).items():
            written.setdefault(value, set()).update(marks)
    for value, marks in _bounds(answer).items():
        if value in written and marks != written[value]:
            return f"{value} is bounded differently than in the source"
    return None


def _negation_problem(answer: str, sources: list[str]) -> str | None:
    if _negated(answer) != any(_negated(s) for s in sources):
        return "negation differs from the source"
    return None


def _has_number_before(words: list[str], targets: frozenset[str], span: int = 2) -> bool:
    for i, word in enumerate(words):
        if word in targets and any(_value(w) for w in words[max(0, i - span) : i]):
            return True
    return False


def states_expected(question: Question, answer: str) -> bool:
    """Whether ``answer`` holds the kind of thing ``question`` expects (contract, point 4)."""
    words = lexical.words(answer)
    numbers = [w for w in words if _value(w)]
    if not states_measure(question, answer):
        return False  # "the power of the X2 is the X2 Plus": a power is stated in watts
    kind = question.expects
    if kind == "money":
        if _CURRENCY_SIGNS.search(answer):
            return bool(numbers)
        return any(_value(w) for w in words) and any(w in _CURRENCIES for w in words)
    if kind == "date":
        return (
            any(_YEAR.match(w) for w in numbers)
            or any(c.kind == "month" for c in extract_claims(answer))
            or any(w in _CENTURY for w in words)
            or any(w in WEEKDAYS for w in words)
        )
    if kind == "time":
        return bool(_CLOCK.search(answer))
    if kind == "duration":
        return _has_number_before(words, _TIME_UNITS)
    if kind == "number":
        return bool(numbers)
    return True


def fidelity_problem(answer: str, question: Question, cited: list[str], shown: list[str]) -> str | None:
    """``None`` if ``answer`` is faithful to ``cited`` (the sentences it will cite) and to
    ``shown`` (every sentence the model saw) and answers ``question``, else the reason it
    is not (see module docstring)."""
    if not states_expected(question, answer):
        return f"does not state the {question.expects} asked for"
    return (
        _bound_problem(answer, shown)
        or _negation_problem(answer, cited)
        or _attachment_problem(answer, question.text, shown)
        or _event_problem(answer, question.text, shown)
        or _vocabulary_problem(answer, question.text, cited)
        or _deputy_problem(answer, question, cited)
        or _range_end_problem(answer, question, cited)
    )


# "until what time…?", "jusqu'à quelle heure…?", "what time does it close?": the end of a range
_UNTIL_ASKED = re.compile(
    r"\b(?:until|till) (?:what|which) time|\buntil when\b|\bhow late\b|\bjusqu['’][àa] (?:quelle heure|quand)|"
    r"\bclosing time\b|\bheure de fermeture\b|\b(?:what|which) time (?:does|do|is|are)\b.{0,60}\bclos(?:e|es|ed|ing)\b|"
    r"\b[àa] quelle heure (?:ferme|fermen?t)",
    re.I,
)


def _range_end_problem(answer: str, question: Question, cited: list[str]) -> str | None:
    """ "Until what time is the shop open?": a time the answer gives must not be only where a
    range of hours in the cited text starts ("open 8 am – 1 pm" is not open until 8 am)."""
    if not _UNTIL_ASKED.search(question.text):
        return None
    ranges = hour_ranges(" ".join(cited))
    starts = {start for start, end in ranges if start is not None and end is not None}
    ends = {end for _, end in ranges if end is not None}
    for said in clock_times(answer):
        if said in starts and said not in ends:
            return "states when a range of hours starts, not until when"
    return None


# the deputy words of the evidence gate (sentencekind), as a pattern
_DEPUTY_ALT = "(?:" + "|".join(sorted(DEPUTY_WORDS, key=len, reverse=True)) + ")"


def _deputy_problem(answer: str, question: Question, cited: list[str]) -> str | None:
    """ "Who is the deputy?": each name the answer gives must be written as the deputy's in the
    cited text: after the deputy's title ("Deputy Director Ana Brightwell", "le
    vice-président est Paul") or right after the name ("Lucie Marnay, directrice adjointe")."""
    if not question.words & DEPUTY_WORDS:
        return None
    text = " ".join(cited)
    given = question.words
    for claim in extract_claims(answer):
        if claim.kind != "name" or claim.key in given:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(claim.text)}(?![\w-])", text):
            before = lexical.words(text[max(0, m.start() - 80) : m.start()])[-5:]
            after = text[m.end() : m.end() + 60]
            if any(w in DEPUTY_WORDS for w in before) or re.match(
                rf"[\w'’ -]{{0,40}}?,\s*(?:(?:the|our|her|his|le|la|l'|son|sa|notre)\s+)?(?:\w+\s+)?{_DEPUTY_ALT}\b",
                after,
                re.I,
            ):
                break
        else:
            return f"names {claim.text}, not the deputy"
    return None


# Life events a sentence often states side by side ("born … in Ulm and died … in Princeton").
_EVENTS = {
    event: frozenset(lexical.words(words))
    for event, words in (
        (
            "birth",
            "born birth birthplace nee nes nees naissance natif native baptised baptise naitre naquit nait",
        ),
        (
            "death",
            "die died death dies mort morte morts deces decede decedee buried enterre mourir mourut meurt",
        ),
    )
}


def _event_of(words: list[str], position: int) -> str | None:
    """The life event named last before ``position`` in ``words``."""
    for word in reversed(words[:position]):
        for event, names in _EVENTS.items():
            if word in names:
                return event
    return None


def _event_problem(answer: str, question: str, sources: list[str]) -> str | None:
    """5. A question about one life event ("where was he born?") is answered with the place or
    date its source gives to that event, not to the other ("… and died in Princeton")."""
    question_words = set(lexical.words(question.replace("né", "nee")))
    asked = {event for event, names in _EVENTS.items() if names & question_words}
    if len(asked) != 1:
        return None
    (event,) = asked
    for claim in extract_claims(answer):
        for source in sources:
            words = lexical.words(source.replace("né", "nee"))
            key = claim.key
            positions = [i for i, w in enumerate(words) if w == key or (claim.kind == "number" and w == key)]
            if positions and all(_event_of(words, i) not in (None, event) for i in positions):
                return f"{claim.key} belongs to another event than the {event} asked about"
    return None
