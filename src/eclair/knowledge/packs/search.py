"""Finding the passages of the installed packs that may answer a question.

Contract of :meth:`PackSearch.search` (blocking; call it from a worker thread):
1. Packs in the question's language are searched first; when their passages do not pass
   the relevance gate (:func:`eclair.knowledge.evidence.best_evidence`), all packs are. At most
   ``max_articles`` articles are read in all, so a question costs a bounded amount of work
   whatever the size of the packs (a 100 GB Wikipedia included).
2. Articles are found by their **titles** first — every phrase of the question (up to five
   words, not starting or ending with a function word) looked up as a path in the pack, as
   written, capitalised, and as the other language names it when it is a country, territory
   or language (CLDR's names, from Babel: "Japon" finds "Japan") — and then through the
   pack's own Xapian **full-text index** (content words, all of them, then any of them; in
   the pack's language through the FR↔EN glossary when the question is in the other one).
   A pack without a full-text index is searched through titles only. Redirects are followed.
3. Each article is read as text (:func:`~eclair.knowledge.packs.articles.article_text`);
   its lead paragraphs and the paragraphs sharing the most content words with the question
   become :class:`~eclair.text.passages.Passage` objects whose ``source`` is the article's
   title, ``pack`` the pack's name, ``url`` the article's local link ``/kb/{pack}/{path}``
   and ``start``/``end`` offsets into the article's text, so the grounded path quotes them
   exactly. Whether they answer the question is decided there, not here.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import quote

from libzim.reader import Archive, Entry  # type: ignore[import-untyped]
from libzim.search import Query, Searcher  # type: ignore[import-untyped]
from libzim.suggestion import SuggestionSearcher  # type: ignore[import-untyped]

from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents, place_names
from eclair.knowledge.evidence import best_evidence
from eclair.knowledge.packs.articles import ArticleText, article_text
from eclair.knowledge.packs.registry import PackRegistry, follow
from eclair.knowledge.packs.zimfile import PackInfo
from eclair.text.fold import fold
from eclair.text.passages import Passage

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W_]+(?:['’-](?![sS]\b)[^\W_]+)*(['’][sS]\b)?")
_PUNCTUATION = re.compile(r"[\s\-–'’.,]+")
_DISAMBIGUATED = re.compile(r"\s*\([^()]*\)$")  # "Germinal (roman)" is "Germinal"
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.I)  # "l'Espagne" → "Espagne"
_MAX_PHRASE = 5
_MAX_LOOKUPS = 300
_MAX_TERMS = 12
_TITLE_WEIGHT = 10.0
_NAME_BONUS = 5.0
_FULLTEXT_WEIGHT = 4.0
_COMMON_TERM = 5000
_MIN_COGNATE = 5  # the shortest word looked up by its spelling, and the shortest prefix searched
_MAX_COGNATES = 6  # words of a question looked up that way
_COGNATE_RESULTS = 10
_COGNATE_START = 3  # letters a name and its cognate share from their start
_COGNATE_SIMILARITY = 0.8
_COGNATE_WEIGHT = 6.0


@dataclass(frozen=True, slots=True)
class _Phrase:
    text: str
    words: int
    capitalised: bool


def _phrases(question: str) -> list[_Phrase]:
    """The question's phrases that may be an article's title, longest first: as written
    ("Jeanne d'Arc"), with an elided article dropped from the first word ("l'Espagne")."""
    # (an English possessive is not part of the name: "Molière's" is "Molière")
    spans = [(m.start(), m.end() - len(m.group(1) or "")) for m in _TOKEN.finditer(question)]
    tokens = [question[a:b] for a, b in spans]
    found: dict[str, _Phrase] = {}
    for i in range(len(tokens)):
        first_word = _ELISION.sub("", tokens[i])
        for n in range(1, _MAX_PHRASE + 1):
            if i + n > len(tokens):
                break
            words = [first_word, *(_ELISION.sub("", t) for t in tokens[i + 1 : i + n])]
            first, last = words[0], words[-1]
            if lexical.is_stopword(fold(last)) or (
                lexical.is_stopword(fold(first)) and not first[:1].isupper()
            ):
                continue
            if i == 0 and lexical.is_stopword(fold(first)):
                continue  # "What …", "Qui …": a question word, not a name
            text = first_word + question[spans[i][1] : spans[i + n - 1][1]]
            capitalised = all(w[:1].isupper() for w in words if not lexical.is_stopword(fold(w)))
            capitalised = capitalised and (i > 0 or n > 1)  # a first word is capitalised by grammar
            found.setdefault(text, _Phrase(text, n, capitalised))
    return sorted(found.values(), key=lambda p: (-p.words, not p.capitalised))


def _variants(text: str) -> Iterator[str]:
    yield text
    yield text[:1].upper() + text[1:]
    yield " ".join(w[:1].upper() + w[1:] if not lexical.is_stopword(fold(w)) else w for w in text.split())
    yield text.lower()
    if " " not in text and len(text) > 4:  # a cognate in the other language: "Oxygène" → "Oxygen"
        bare = fold(text)
        yield bare[:1].upper() + bare[1:]
        if bare.endswith("e"):
            yield bare[:1].upper() + bare[1:-1]


def _cognate(a: str, b: str) -> bool:
    """Two folded words spelt nearly alike from the same start: the other language's name
    ("copernic", "copernicus"; "varsovie", "varsovia") or a slip of the
    keyboard ("thailnad"); or the same word."""
    return (
        lexical.shared_prefix(a, b) >= _COGNATE_START
        and abs(len(a) - len(b)) <= 3
        and SequenceMatcher(None, a, b).ratio() >= _COGNATE_SIMILARITY
    )


def _content_words(question: str) -> list[str]:
    words = [w for w in lexical.words(question) if not lexical.is_stopword(w) and len(w) > 1]
    return list(dict.fromkeys(words))[:_MAX_TERMS]


def _translated(words: list[str]) -> list[str]:
    """The other language's words for ``words``: the glossary's, and the word's own stem, which
    finds its cognate ("planete" → "planet"; the pack's stemmer reduces both alike)."""
    out: list[str] = []
    for word in words:
        stem = lexical.stem(word)
        out.extend([*sorted(equivalents(stem))[:2], stem])
    return list(dict.fromkeys(out))[:_MAX_TERMS]


class PackSearch:
    """Searches the packs of a :class:`PackRegistry` (see module docstring)."""

    def __init__(self, registry: PackRegistry, *, max_articles: int = 3, max_passages: int = 4):
        self.registry = registry
        self.max_articles = max_articles
        self.max_passages = max_passages

    def available(self) -> bool:
        return bool(self.registry.list())

    def search(self, question: str, lang: str) -> list[Passage]:
        packs = self.registry.list()
        same = [p for p in packs if p.language == lang]
        others = [p for p in packs if p.language != lang]
        if same and others:  # the question's language first; the others when it does not answer
            first = self._search(question, lang, same)
            if first and best_evidence(question, first)[1]:
                return first
        return self._search(question, lang, same + others)

    def _search(self, question: str, lang: str, packs: list[PackInfo]) -> list[Passage]:
        if not packs:
            return []
        phrases = _phrases(question)
        words = _content_words(question)
        scored: dict[tuple[str, str], float] = {}
        found: dict[tuple[str, str], tuple[PackInfo, Archive, str, str]] = {}
        for info in packs:
            try:
                archive = self.registry.archive(info.name)
            except Exception:  # a pack whose file went away must not break answers
                log.exception("knowledge pack %s cannot be opened", info.name)
                continue
            penalty = 0.5 if info.language != lang else 0.0  # another language's article: after
            for path, title, score in self._candidates(archive, info, lang, phrases, words):
                key = (info.name, path)
                scored[key] = scored.get(key, 0.0) + score - penalty
                found.setdefault(key, (info, archive, path, title))
        best = sorted(scored, key=lambda k: -scored[k])[: self.max_articles]
        passages: list[Passage] = []
        for order, key in enumerate(best):
            info, archive, path, title = found[key]
            passages.extend(self._passages(info, archive, path, title, words, scored[key] - order))
        return passages

    # -- finding articles ---------------------------------------------------------------

    def _candidates(
        self, archive: Archive, info: PackInfo, lang: str, phrases: list[_Phrase], words: list[str]
    ) -> Iterator[tuple[str, str, float]]:
        lookups = 0
        titled: set[str] = set()
        for phrase in phrases:
            names = [phrase.text, *place_names().get(fold(phrase.text), ())]
            for name in dict.fromkeys(names):
                for variant in dict.fromkeys(_variants(name)):
                    lookups += 1
                    if lookups > _MAX_LOOKUPS:
                        break
                    entry = self._entry(archive, variant.replace(" ", "_")) or self._suggested(
                        archive, variant
                    )
                    if entry is not None:
                        score = _TITLE_WEIGHT * phrase.words + (_NAME_BONUS if phrase.capitalised else 0.0)
                        titled.add(phrase.text)
                        yield entry.path, entry.title, score
                        break
        # (a word that is itself a title needs no cousin: "Mali" is not "Malines")
        yield from self._cognate_titles(archive, [p for p in phrases if p.text not in titled])
        if not archive.has_fulltext_index or not words:
            return
        terms = words if info.language == lang else _translated(words)
        # The pack's query parser joins words with AND: all of them together first; then each
        # word alone, weighted by its rarity in the pack (an OR query ranked as BM25 would: an
        # article that holds several rare words of the question comes first)
        weights: dict[str, float] = {}
        everything = max(2, int(archive.article_count))
        for n, query in enumerate([" ".join(terms), *terms]):
            try:
                search = Searcher(archive).search(Query().set_query(query))
                matches = search.getEstimatedMatches()
                if not matches or (n and matches > min(_COMMON_TERM, everything // 4)):
                    continue  # a word a quarter of the pack holds says nothing
                results = list(search.getResults(0, self.max_articles))
            except RuntimeError:
                continue
            rarity = 1.0 if n == 0 else math.log(everything / matches) / math.log(everything)
            for rank, path in enumerate(results):
                weights[path] = weights.get(path, 0.0) + _FULLTEXT_WEIGHT * rarity / (rank + 1)
        for path, weight in sorted(weights.items(), key=lambda kv: -kv[1])[: self.max_articles]:
            entry = self._entry(archive, path)
            if entry is not None:
                yield entry.path, entry.title, weight

    def _cognate_titles(self, archive: Archive, phrases: list[_Phrase]) -> Iterator[tuple[str, str, float]]:
        """Articles whose title holds a word spelt like one of the question's, but for its
        ending: the other language's name ("Copernic" finds "Nicolaus Copernicus") or a person
        named by surname only ("Copernicus" finds the same article), through the
        pack's title index."""
        if not archive.has_title_index:
            return
        singles = [p for p in phrases if p.words == 1 and len(p.text) >= _MIN_COGNATE]
        singles = sorted(singles, key=lambda p: not p.capitalised)[:_MAX_COGNATES]
        for phrase in singles:
            word = fold(phrase.text)
            if lexical.is_stopword(word):
                continue
            prefix = word[: max(_MIN_COGNATE, round(len(word) * 0.6))]
            try:
                paths = list(SuggestionSearcher(archive).suggest(prefix).getResults(0, _COGNATE_RESULTS))
            except RuntimeError:
                continue
            for path in paths:
                entry = self._entry(archive, path)
                if entry is None:
                    continue
                title_words = lexical.words(_DISAMBIGUATED.sub("", entry.title))
                if any(_cognate(word, w) for w in title_words):
                    yield (
                        entry.path,
                        entry.title,
                        _COGNATE_WEIGHT + (_NAME_BONUS if phrase.capitalised else 0.0),
                    )

    def _suggested(self, archive: Archive, title: str) -> Entry | None:
        """The article titled ``title (…)`` ("Germinal (roman)"), through the pack's title index."""
        if not archive.has_title_index or len(title) < 3:
            return None
        try:
            paths = list(SuggestionSearcher(archive).suggest(title).getResults(0, 5))
        except RuntimeError:
            return None
        wanted = _PUNCTUATION.sub(" ", fold(title))  # "Moby Dick" is "Moby-Dick"
        for path in paths:
            entry = self._entry(archive, path)
            if (
                entry is not None
                and _PUNCTUATION.sub(" ", _DISAMBIGUATED.sub("", fold(entry.title))) == wanted
            ):
                return entry
        return None

    @staticmethod
    def _entry(archive: Archive, path: str) -> Entry | None:
        """An article at ``path`` (redirects followed): not the main page, not an image."""
        entry = follow(archive, path)
        try:
            if entry is None or entry.path == archive.main_entry.get_item().path:
                return None
            return entry if entry.get_item().mimetype.split(";")[0] == "text/html" else None
        except (RuntimeError, KeyError):
            return None

    # -- reading articles ---------------------------------------------------------------

    def _passages(
        self, info: PackInfo, archive: Archive, path: str, title: str, words: list[str], score: float
    ) -> list[Passage]:
        try:
            page = bytes(archive.get_entry_by_path(path).get_item().content).decode("utf-8", "replace")
        except (RuntimeError, KeyError):
            return []
        article = article_text(page, title)
        chosen = _chosen_paragraphs(article, words, self.max_passages)
        url = f"/kb/{quote(info.name)}/{quote(path)}"
        return [
            Passage(
                chunk_id=f"kb:{info.name}/{path}#{i}",
                source=title,
                text=article.text[start:end],
                start=start,
                end=end,
                score=score,
                document_id=f"kb:{info.name}/{path}",
                collection=f"kb:{info.name}",
                pack=info.name,
                url=url,
            )
            for i, (start, end) in chosen
        ]


def _chosen_paragraphs(
    article: ArticleText, words: list[str], limit: int
) -> list[tuple[int, tuple[int, int]]]:
    """The lead's paragraphs, then those sharing most of ``words``, in reading order."""
    # (with their translations: an English question reads a French article's paragraphs too)
    stems = {lexical.stem(w) for w in words}
    stems |= {e for stem in stems for e in equivalents(stem)}
    lead = list(enumerate(article.paragraphs[: max(1, article.lead_paragraphs)]))[:limit]
    rest = [
        (len(stems & {lexical.stem(w) for w in lexical.words(article.text[s:e])}), i, (s, e))
        for i, (s, e) in enumerate(article.paragraphs)
        if i >= max(1, article.lead_paragraphs)
    ]
    extra = sorted((r for r in rest if r[0] > 0), key=lambda r: (-r[0], r[1]))[
        : max(0, limit - len(lead)) + 2
    ]
    return sorted(lead + [(i, span) for _, i, span in extra])
