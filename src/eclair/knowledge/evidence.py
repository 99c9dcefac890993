"""Which retrieved sentence answers a question, and whether any does.

Contract:
- :func:`~eclair.knowledge.question.analyse_question` (in :mod:`eclair.knowledge.question`) reduces a FR/EN question to content terms, split into
  *anchors* (proper names and numbers written in the question: what it is about) and
  *predicates* (the other content words: what is asked about them), plus the kind of answer
  it expects (``number``, ``date``, ``name``, ``place`` or ``None``) and, for "how many X" /
  "combien de X", the counted noun X. Words naming where to look ("according to the
  museum guide", "selon le règlement") are not predicates; "who founded X?" is marked
  *agentive* (it asks for the agent of an act), "who is the treasurer?" is not.
- :func:`rank_evidence` scores every sentence of the passages: predicates found in the
  sentence (weighted by their rarity among the retrieved sentences), predicates in the
  sentence or the one before it (for "It"/"Elle" references), anchors nearby, and whether the
  sentence holds the kind of thing asked for (a number right before the counted noun scores
  best). Sentences repeated by overlapping chunks appear once.
- :func:`answers_question` is the relevance gate. A sentence answers only if
  (1) each name anchor is a subject of its document (near the sentence, in the file name, in
  the document's title or first sentence, or recurring in the retrieved text) and each
  number anchor ("in 2019") is near the sentence or in the file name or title;
  (2) every predicate occurs somewhere in that document's retrieved text (one may be missing
  when there are three or more, except the role a "who is" question asks for): a question
  about a concept the document never mentions is not answered by it; the words that say which
  thing is counted or priced ("tonnes *of barley*", "coffee *with milk*",
  :mod:`eclair.knowledge.qualifiers`) and the dimension asked ("how tall") are never the
  missing one;
  (3) at least a third of the required terms occur in the sentence or the one before it, and
  at least half counting those found elsewhere in the passage as half; required are the
  question's predicates, except those naming the document's own subject (its file name,
  title and first sentence) that are absent from the sentence and the one before, and its
  names that are not the document's subject ("E3"); the sentence or the one before holds a
  question term other than the document's title words (a sentence that only names the mill
  does not say when it was founded); the sentence shares a content word with the question
  and holds one the question does not;
  (4) the sentence holds what is asked: a number (not one the question gave) for number
  questions, and right before the counted noun when the sentence names it (and then in a
  sentence that repeats a word qualifying the count, when the question has two such words
  or more); an amount with
  a currency for prices; a year or month for dates; a clock time; a weekday; a name the
  question does not give for "who"/"where", introduced as the agent of the act for agentive
  questions; and, for other kinds, a fact not written next to another named thing when the
  question's own subject is not named nearby (:mod:`eclair.knowledge.subject`); and not
  for an alternative of what is asked (the return fare for the one-way one, the adult price
  for the child's). "When does the boat leave?" accepts a clock time as well as a date;
  "how much does it weigh / by how much" asks for a number, not a price; in a price question
  the words "cost", "pay", "prix" are answered by the amount itself.
  Below that the grounding step abstains: an unrelated passage never becomes an answer.

Scores are lexical and deterministic; no model is involved.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from eclair.knowledge import crosslingual, lexical
from eclair.knowledge.authorship import implied_acts
from eclair.knowledge.bilingual import also_equivalent, equivalents
from eclair.knowledge.chunking import split_sentences
from eclair.knowledge.periods import days_said_by_range, schedule_words_said, speaks_for_other_period
from eclair.knowledge.qualifiers import (
    counts_the_first,
    misses_bound,
    misses_negation,
    misses_superlative,
    names_alternative,
    names_other_items,
    prices_a_bundle,
    ranks_otherwise,
)
from eclair.knowledge.question import HEAD_TERMS, Question, analyse_question, asks_a_name, holds_role
from eclair.knowledge.sentencekind import (
    _DIMENSIONS,
    _GENERIC_PRICED,
    _LIST_ITEM,
    _MEASURED_BY,
    _MEASURES,
    _PAST,
    _PRESENT_VERB,
    _RECORD,
    _SERIES_END,
    _YEAR,
    _adjacent,
    _counted_number,
    _counts_something_else,
    _covered,
    _covered_by,
    _dated_in_past,
    _has,
    _has_expected,
    _other_rank,
    _states_dimension,
    counts_a_change,
    misses_free,
    names_head,
    names_role_apart,
    total_for_price,
)
from eclair.knowledge.subject import about_other_subject, names_agent
from eclair.text.language import detect_language
from eclair.text.passages import Citation, Passage

# a sentence that opens on a pronoun speaks of what the sentence before it named
# the sentence's subject is "he" / "il", first or after an opening phrase ("En 1880, il découvre")
# "He …", "En 1840, il …", "In 1831 he …": the article's person does what the sentence says
_PERSON_PRONOUN = re.compile(
    r"^\W*(?:[^,.;]{0,40},\s*|(?:in|on|at|from|after|later|then|en|puis|ensuite|vers|des|dès)\s[^,.;]{0,24}?\s)?"
    r"(?:he|she|il|elle)\b",
    re.I,
)
_LIFE_STEMS = frozenset(lexical.terms("born died nee naissance mort morte deces"))
_ANAPHORA = re.compile(
    r"^\W*(?:it|its|this|they|these|their|his|her|il|elle|ils|elles|cela|ceci|sa|son|ses|leur|leurs)\b", re.I
)
_LEAD_SENTENCES = 2
# a state after a dated change is asked ("how much will it cost after the spring 2031 review?")
_AFTER_ASKED = re.compile(
    r"\b(?:will|going to|after the|from next|once the|sera|seront|co[ûu]tera|co[ûu]teront|apr[èe]s (?:la|le|l')|"
    r"[àa] partir de (?:la|le|l'))\b",
    re.I,
)
# the most words between a role and its holder's name ("la conservatrice du musée s'appelle Hélène")
_ROLE_WORDS = 6


MIN_PREDICATE_COVERAGE = 0.5
MIN_NEAR_COVERAGE = 1 / 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence of a retrieved passage. ``start``/``end`` index the document's text."""

    passage: Passage
    start: int
    end: int
    text: str
    score: float
    anchors_found: bool
    predicates_in_document: bool
    predicate_coverage: float
    sentence_overlap: int
    adds_information: bool
    has_expected: bool
    context: str  # the sentence before, in the same passage ("" if none)
    context_start: int  # where that sentence starts in the document (-1 if none)

    needs_context: bool = False  # what is asked is named only in the sentence before

    def citation(self) -> Citation:
        """The sentence quoted verbatim, from the sentence before when it needs it."""
        start = self.context_start if self.needs_context and self.context_start >= 0 else self.start
        quote = self.passage.text[start - self.passage.start : self.end - self.passage.start]
        return Citation(
            self.passage.source,
            self.passage.chunk_id,
            quote,
            start,
            self.end,
            self.passage.pack,
            self.passage.url,
        )


def _doc_key(passage: Passage) -> str:
    return passage.document_id or passage.source


class _Corpus:
    """What the retrieved passages say, per document: for rarity weights and subject tests."""

    def __init__(self, passages: list[Passage]):
        self.sentence_stems: list[set[str]] = []
        self.document_stems: dict[str, set[str]] = {}
        self.document_counts: dict[str, dict[str, int]] = {}
        self.filename_stems: dict[str, set[str]] = {}
        self.lead_stems: dict[str, set[str]] = {}
        self.title_stems: dict[str, set[str]] = {}  # the file name and first sentence only
        self.newest_year: dict[str, int] = {}
        seen: set[tuple[str, int]] = set()
        for passage in passages:
            key = _doc_key(passage)
            self.filename_stems.setdefault(key, set(lexical.terms(passage.source)))
            if passage.start == 0:  # the document's title and first sentence
                opening = split_sentences(passage.text)[:_LEAD_SENTENCES]
                self.lead_stems.setdefault(key, set()).update(
                    lexical.terms(passage.text[opening[0][0] : opening[-1][1]]) if opening else []
                )
                self.title_stems.setdefault(key, set()).update(
                    lexical.terms(passage.text[opening[0][0] : opening[0][1]]) if opening else []
                )
            years = [int(y) for y in _YEAR.findall(passage.text)]
            self.newest_year[key] = max([self.newest_year.get(key, 0), *years])
            counts = self.document_counts.setdefault(key, {})
            stems = self.document_stems.setdefault(key, set())
            for start, end in split_sentences(passage.text):
                if (key, passage.start + start) in seen:
                    continue
                seen.add((key, passage.start + start))
                sentence = passage.text[start:end]
                sentence_stems = set(lexical.terms(sentence)) | implied_acts(sentence)
                self.sentence_stems.append(sentence_stems)
                stems.update(sentence_stems)
                for stem in sentence_stems:
                    counts[stem] = counts.get(stem, 0) + 1

    def idf(self, term: str) -> float:
        df = sum(1 for stems in self.sentence_stems if _has(stems, term))
        return math.log(1.0 + (len(self.sentence_stems) + 1) / (df + 1))

    def is_subject(self, document: str, anchor: str, near: set[str]) -> bool:
        for known in (near, self.filename_stems[document], self.lead_stems.get(document, set())):
            if _has(known, anchor):  # "Espagne" is the subject of "Spain"'s article
                return True
        counts = self.document_counts[document]
        return sum(n for stem, n in counts.items() if lexical.term_match(stem, anchor)) >= 2

    def is_biography(self, document: str) -> bool:
        """The document's opening says when someone was born or died: it is about a person."""
        return bool(self.lead_stems.get(document, set()) & _LIFE_STEMS)

    def mentions(self, document: str, term: str) -> bool:
        return _has(self.document_stems[document] | self.filename_stems[document], term)


def rank_evidence(question: Question | str, passages: list[Passage]) -> list[Evidence]:
    """Every sentence of ``passages``, best answer to ``question`` first. Over passages in the
    other language, the question's words that the glossary does not translate are looked up
    in the passages' own words (:mod:`eclair.knowledge.crosslingual`)."""
    q = analyse_question(question) if isinstance(question, str) else question
    pairs = _translated_predicates(q, passages)
    if not pairs:
        return _rank(q, passages)
    with also_equivalent(pairs):
        return _rank(q, passages)


def _translated_predicates(q: Question, passages: list[Passage]) -> dict[str, frozenset[str]]:
    if not passages or not crosslingual.available():
        return {}
    asked_in = detect_language(q.text)
    # (not an encyclopedia's articles: over their wide vocabulary the nearest word is too often
    # another thing — a drug's name found another discovery in a chemist's article; measured on the
    # encyclopedia suite, 3 answers wrong with it, none without)
    others = [p for p in passages if not p.pack and detect_language(p.text) != asked_in]
    if not others:
        return {}
    # (not the question's own names: "lanes" is not the "Lacs" of a place called "Deux-Lacs")
    vocabulary = {
        w
        for p in others
        for w in lexical.words(p.text)
        if _CONTENT_WORD.fullmatch(w) and not lexical.is_stopword(w) and lexical.stem(w) not in q.anchors
    }
    stems = {lexical.stem(w) for w in vocabulary}
    words = [
        w
        for w in lexical.words(q.text)
        if _CONTENT_WORD.fullmatch(w)
        and not lexical.is_stopword(w)
        and lexical.stem(w) in q.predicates
        and not _has(stems, lexical.stem(w))  # the word itself is there
        # a word the glossary translates is translated by it only: "height" is "hauteur",
        # which a viaduct's "1 250 mètres de long" does not say (e5 puts "mètres" next to it)
        and not equivalents(lexical.stem(w))
    ]
    pairs: dict[str, set[str]] = {}
    # what the glossary gives the question's other words ("revenue" for "chiffre d'affaires")
    glossed = {e for t in q.predicates for e in equivalents(t)}
    for word, translation in crosslingual.translations(words, sorted(vocabulary)).items():
        a, b = lexical.stem(word), lexical.stem(translation)
        if lexical.alternative_terms(a, b):
            continue  # the nearest word may be the other of a pair: "senior" is not "junior"
        if a in q.essential and lexical.contains_term(glossed, b):
            # the word that says which thing is asked ("the *export* revenue") is not translated
            # by the word that already translates the thing itself ("revenue")
            continue
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in pairs.items()}


_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")


def _rank(q: Question, passages: list[Passage]) -> list[Evidence]:
    corpus = _Corpus(passages)
    # what is asked weighs more than what it is asked about (except a year or number it gives)
    idf = {t: corpus.idf(t) * (0.5 if t in q.anchors and not t.isdigit() else 1.0) for t in q.terms}
    total_weight = sum(idf.values()) or 1.0
    names = frozenset(a for a in q.anchors if not a.isdigit())
    numbers = q.anchors - names
    asked_years = {t for t in numbers if _YEAR.fullmatch(t)}
    seen: set[tuple[str, int]] = set()
    ranked: list[Evidence] = []
    present = bool(_PRESENT_VERB.search(q.text)) and not _PAST.search(q.text)
    for rank, passage in enumerate(passages):
        document = _doc_key(passage)
        passage_stems = set(lexical.terms(passage.text))
        passage_words = set(lexical.words(passage.text))
        head_named = bool(q.head) and names_head(q.head, passage.text)
        missing = {
            t
            for t in q.predicates
            if not corpus.mentions(document, t)
            and not (head_named and t in HEAD_TERMS)
            and not _MEASURED_BY.get(t, frozenset()) & passage_words
            and not (t in _DIMENSIONS and _states_dimension(t, passage_words, passage.text))
        }
        # "Tuesday to Friday" says Wednesday; "8:00 to 17:30" when it closes
        missing -= days_said_by_range(q.text, passage.text) | (
            schedule_words_said(q.text, passage.text) if q.expects == "time" else set()
        )
        # "who is the president of X?": the role asked for must be in the document
        lenient = len(q.predicates) >= 3 and not (q.expects == "name" and not q.agentive)
        predicates_in_document = not missing or (len(missing) == 1 and lenient and not missing & q.essential)
        counted_in_document = q.counted is not None and corpus.mentions(document, q.counted)
        # words that name the document's own subject ("allotment site" in the allotment rules)
        # need not be repeated next to the answer; specific names ("E3") must be
        subject = corpus.filename_stems[document] | corpus.lead_stems.get(document, set())
        # a document whose title the question names whole ("Kenya", "Égypte")
        title_terms = corpus.filename_stems[document]
        titled = bool(title_terms) and all(_has(set(q.terms), t) for t in title_terms)
        asked = q.predicates | names
        # ... but only in a document about what the question names: "the capital" is not
        # excused in Samoa's article because it says "Germany" once; nor, in "who invented
        # X?", the act, which the answering sentence must state
        # (an encyclopedia article is about its title only: Ukraine's lead names Russia)
        about = corpus.filename_stems[document] if passage.pack else subject
        about_names = not names or any(_has(about, n) for n in names)
        excusable = frozenset() if q.agentive else q.predicates
        subject_terms = frozenset(
            t for t in asked if _has(subject, t) and (t in names or (about_names and t in excusable))
        )
        previous, previous_start = "", -1
        intro, intro_start = "", -1  # "The library is open twice a week:", before its list
        for start, end in split_sentences(passage.text):
            sentence = passage.text[start:end]
            item = _LIST_ITEM.match(sentence) is not None
            # a list item's context is the sentence that announced the list, not the item before;
            # a record line (a table's row: "Adult return (ticket): price £16.80.") lends nothing
            # to the next: one row's "return" does not make the next row a child's return
            context, context_start = (intro, intro_start) if item and intro else (previous, previous_start)
            if (
                not (item and intro)
                and _RECORD.match(sentence)
                and _RECORD.match(previous)
                and ("\n" in passage.text[max(0, previous_start - passage.start) : start])
            ):
                context, context_start = "", -1
            previous, previous_start = sentence, passage.start + start
            if sentence.rstrip().endswith(":"):
                intro, intro_start = sentence, passage.start + start
            elif not item:
                intro, intro_start = "", -1
            if (document, passage.start + start) in seen:
                continue
            seen.add((document, passage.start + start))
            sentence_stems = set(lexical.terms(sentence)) | implied_acts(sentence)  # "a novel by …"
            if any(c.isdigit() for c in sentence):  # "is 6,650 km long" states a length
                sentence_words = set(lexical.words(sentence))
                sentence_stems |= {t for t in q.predicates if _states_dimension(t, sentence_words, sentence)}
            sentence_stems |= days_said_by_range(q.text, sentence)  # "Tuesday to Friday": Wednesday
            if q.expects == "time":  # "opens 8:00 to 17:30" says when it closes
                sentence_stems |= schedule_words_said(q.text, sentence)
            if q.head and names_head(q.head, sentence):  # "Festival director: …" says who runs it
                sentence_stems |= q.predicates & HEAD_TERMS
            own_stems = set(sentence_stems)  # before any word is lent by the sentence before
            if context and (_ANAPHORA.match(sentence) or (item and intro)):
                # "It cost …": what was just named; "- Wednesday: 4 pm – 7 pm": what the list is of
                sentence_stems |= set(lexical.terms(context))
            window = sentence_stems | set(lexical.terms(context))
            in_sentence = _covered(q.terms, sentence_stems)
            in_window = _covered(q.terms, window)
            anchors_found = numbers <= (in_window | _covered(numbers, subject)) and all(
                corpus.is_subject(document, a, window) for a in names
            )
            # a subject word is excused when absent, and counts when present
            required = (q.predicates - (subject_terms - in_window)) | (names - subject_terms) or q.predicates
            near = required & in_window
            # "when was the mill founded?" is not answered by a sentence that only names the mill
            # (a name that is not the document's subject, "E3", says what is asked well enough)
            title = corpus.filename_stems[document] | corpus.title_stems.get(document, set())
            asks = {t for t in q.predicates | names if not _has(title, t) and t not in _MEASURES}
            # in another thing's document, or for "who invented X?", every predicate not in the
            # title must be next to the answer: "Germany" once in Samoa's article says nothing
            # of Germany's capital; "the Bell Telephone Company" invented nothing
            # (the act of "who invented X?" must be there even when the first sentence has it)
            excused_by = corpus.filename_stems[document] if q.agentive and passage.pack else title
            if (asks and not asks & in_window) or (
                # (and in an encyclopedia, whose articles are short, always)
                (not about_names or passage.pack)
                and len({t for t in q.predicates if not _has(excused_by, t)} - _covered(q.predicates, window))
                > (1 if about_names and len(q.predicates) >= 3 else 0)  # one of many may be unsaid
            ):
                coverage = 0.0
            elif (
                passage.pack
                and not about_names
                and (names | {t for t in q.predicates if not _has(title, t)})
                - _covered(names | q.predicates, own_stems)
            ):
                # in an encyclopedia article about another thing, the sentence itself must name
                # what is asked and ask it: "It borders Iraq, Turkey…" in Iran's article, after
                # "Its capital is Tehran", says nothing of Turkey's capital
                coverage = 0.0
            elif required and len(near) >= len(required) * MIN_NEAR_COVERAGE:
                elsewhere = _covered(required - near, passage_stems)
                coverage = (len(near) + 0.5 * len(elsewhere)) / len(required)
            else:
                coverage = 0.0 if required else 1.0
            counted = _counted_number(q, sentence)
            # in a person's own article, "En 1840, il a découvert X" names them: the title
            # (... when the sentence itself states the act asked about: "She is remembered as a
            # patient teacher" says nothing of whom she married)
            pronoun_agent = bool(
                passage.pack
                and q.agentive
                and corpus.is_biography(document)
                and _PERSON_PRONOUN.match(sentence)
                and {t for t in q.predicates if not _has(corpus.filename_stems[document], t)}
                <= _covered(q.predicates, own_stems)
            )
            # "what is the dog called?", in an article: the sentence itself speaks of the dog
            # (a name elsewhere in the article names something else)
            names_other_thing = bool(
                passage.pack
                and asks_a_name(q)
                and not {t for t in q.predicates if not _has(corpus.filename_stems[document], t)}
                <= _covered(q.predicates, own_stems)
            )
            has_expected = (
                (_has_expected(q, sentence) or pronoun_agent)
                and not names_other_thing
                and (
                    # "open to visitors from 1 April" names the counted thing but does not count it;
                    # when the document has the counted noun, the answer should use it too
                    counted is True or (counted is None and not counted_in_document) if q.counted else True
                )
            )
            # (a list item is read with the sentence that announced it: "612 tonnes de fromage :
            # - Bleu des Ravines : 131 tonnes" counts cheese)
            stated = in_window if item and intro else in_sentence
            if counted and _counts_something_else(q, (asked - subject_terms) & q.predicates, stated):
                has_expected = False  # "sleeps four people" does not count the tea room's staff
            if sentence.rstrip().endswith(":"):
                has_expected = False  # "The library is open twice a week:" announces, the list states
            if q.expects == "time" and _SERIES_END.search(q.text) and not _SERIES_END.search(sentence):
                has_expected = False  # one row of a timetable is not "the last ferry"
            if q.head and not names_head(q.head, f"{context} {sentence}" if item and intro else sentence):
                has_expected = False  # "who runs X?" is answered by X's head, named by the title
            if q.expects == "name" and _other_rank(q, sentence):
                has_expected = False  # the deputy is not the head, nor the head the deputy
            if (
                ranks_otherwise(q.text, sentence)
                or misses_superlative(q.text, sentence)
                or (q.expects == "number" and counts_the_first(q.text, sentence))
            ):
                has_expected = False  # "the second-largest", or no rank, does not answer "the largest"
            if misses_bound(q.text, sentence):
                has_expected = False  # an amount with no word of limit is not "at most"
            if misses_negation(q.text, sentence):
                has_expected = False  # "6 euros for residents" is not the price for non-residents
            if names_alternative(q.predicates, sentence_stems) or (
                # (a value asked of one thing; "which days?" is answered by the keys themselves)
                q.expects in ("number", "duration", "money")
                and names_other_items(q.terms, sentence, unsaid=bool(missing))
            ):
                has_expected = False  # "l'aller-retour" does not price the one-way ticket
            if speaks_for_other_period(q.text, sentence):
                has_expected = False  # the Sunday hours do not say when it closes on Wednesday
            unsaid = q.essential - _covered(q.essential, window)
            # (one generic word may go unsaid: "un aller simple coûte 12,50 €" is a ticket; not a
            # qualifier: "the export revenue" is not the turnover)
            if q.expects == "money" and (len(unsaid) > 1 or (unsaid and not unsaid <= _GENERIC_PRICED)):
                has_expected = False  # the price of a bicycle is not that of a child's return ticket
            if counts_a_change(q, sentence):
                has_expected = False  # "seven new shops joined" does not count the member farms
            if total_for_price(q, sentence):
                has_expected = False  # "fees brought in £7,215" is not what one member pays
            if misses_free(q, sentence):
                has_expected = False  # "a flat charge of £6.95 applies" does not say when it is free
            if q.expects == "money" and prices_a_bundle(q.text, sentence):
                has_expected = False  # a book of ten tickets does not price one ticket
            if q.present and _dated_in_past(sentence, corpus.newest_year[document]):
                has_expected = False  # "the current mayor" is not the mayor of 1947
            if has_expected and q.agentive and not names_agent(q, sentence) and not pronoun_agent:
                has_expected = False  # "who founded X?": the sentence founds X but names no one
            if (
                has_expected
                and q.expects not in ("name", "place")
                and not titled  # in Canada's own article, "its largest city" is Canada's
                and about_other_subject(q, sentence, context)
            ):
                has_expected = False  # the date or number of another thing than the one asked
            adjacent = _adjacent(q, sentence)
            if (
                has_expected
                and q.expects == "name"
                and not passage.pack
                and holds_role(q)
                and names_role_apart(q, sentence, _ROLE_WORDS)
            ):
                has_expected = False  # "who is the mayor?": the vice-chair named far from "la mairie"
            score = (
                0.5 * sum(idf[t] for t in in_sentence) / total_weight
                + 0.2 * sum(idf[t] for t in in_window) / total_weight
                + (0.1 if has_expected and q.expects else 0.0)
                + (0.15 if counted or adjacent else 0.0)
                # "214 member farms" counts the whole noun phrase, "eleven farming families" a part
                + (
                    0.1
                    if counted
                    and q.essential
                    and len(_covered(q.essential, sentence_stems)) == len(q.essential)
                    else 0.0
                )
                - 0.001 * rank  # ties go to the better-retrieved passage
            )
            if titled:
                score += 0.2  # the article about what is asked: Kenya's, before Nairobi's
            if present and _PAST.search(sentence):
                score -= 0.02  # "what is the capital?": "Lima is" before "whose capital was Cusco"
            if asked_years and not asked_years & in_window and _AFTER_ASKED.search(q.text):
                has_expected = False  # "how much will it cost after the 2026 review?": today's price
            own_years = set(_YEAR.findall(sentence))
            if asked_years and own_years and not asked_years & own_years and not item:
                # "the profit for 2023 was…" speaks of 2023 whatever the sentence before says
                has_expected = False
            if asked_years and not asked_years & in_window and _YEAR.search(sentence):
                score -= 0.1  # dated, but not the year asked about
                # ... and says nothing of it: "we opened in 2019 with 61 founding members" does
                # not count the members of 2025
                has_expected = False
            adds_information = bool(sentence_stems - _covered_by(sentence_stems, q.terms))
            if not adds_information:
                score *= 0.5  # it only restates the question (a heading, a title)
            ranked.append(
                Evidence(
                    passage=passage,
                    start=passage.start + start,
                    end=passage.start + end,
                    text=sentence,
                    score=score,
                    anchors_found=anchors_found,
                    predicates_in_document=predicates_in_document,
                    predicate_coverage=coverage,
                    sentence_overlap=len(in_sentence),
                    adds_information=adds_information,
                    has_expected=has_expected,
                    context=context,
                    context_start=context_start,
                    needs_context=bool(near - subject_terms - in_sentence),
                )
            )
    ranked.sort(key=lambda e: -e.score)
    return ranked


def answers_question(question: Question, evidence: Evidence) -> bool:
    """The relevance gate (see module docstring)."""
    return (
        bool(question.terms)
        and evidence.anchors_found
        and evidence.predicates_in_document
        and evidence.predicate_coverage >= MIN_PREDICATE_COVERAGE
        and evidence.sentence_overlap > 0
        and evidence.adds_information
        and evidence.has_expected
    )


def best_evidence(question: Question | str, passages: list[Passage]) -> tuple[Question, list[Evidence]]:
    """The question's analysis and the sentences that pass the relevance gate, best first.

    A sentence that passes only thanks to words translated by the embedding model
    (:func:`_translated_predicates`) must pass a stricter gate: every predicate of the question
    in it or the sentence before, two of them in the sentence itself, and a kind of answer asked."""
    q = analyse_question(question) if isinstance(question, str) else question
    pairs = _translated_predicates(q, passages)
    lexical_pass = [e for e in _rank(q, passages) if answers_question(q, e)]
    if not pairs:
        return q, lexical_pass
    with also_equivalent(pairs):
        ranked = _rank(q, passages)
    known = {(e.passage.chunk_id, e.start) for e in lexical_pass}
    return q, [
        e
        for e in ranked
        if answers_question(q, e)
        and (
            (e.passage.chunk_id, e.start) in known
            or (q.expects is not None and e.predicate_coverage >= 0.75 and e.sentence_overlap >= 2)
        )
    ]
