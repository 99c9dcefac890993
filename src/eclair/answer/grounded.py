"""Grounded answers: the model answers from retrieved passages, and nothing unverified is shown.

Contract of :func:`grounded_answer`:
1. Relevance gate (:mod:`eclair.knowledge.evidence`): the retrieved passages are cut into
   sentences and ranked against the question. If no sentence passes the gate (the question's
   names are not in the passage, or what is asked about them is not), the answer is an
   abstention: "I don't know: …" / "Je ne sais pas : …", ``info.abstained = True``,
   ``info.route = "abstain"``, ``info.reason = "not in the available documents"``. No model
   call is made.
2. Extractive first: the model sees only the best supporting sentences (each with the
   sentence before it) and is asked for one short sentence, decoded greedily.
3. Verification (:mod:`eclair.knowledge.claims`): every number, date and proper name of the
   model's answer must occur in the sentences it was shown; the kind of thing asked for (a
   number, an amount, a date, a name) must be stated and come from the answering sentence,
   and for "how many X" be the number written with X; a number must count what the source
   counts with it ("30 days" is not "30 mois"); its specifics must come from one
   sentence; and it must be faithful to that sentence (:mod:`eclair.knowledge.fidelity`:
   its content words come from it or the question, each number keeps the words, the bound
   and the polarity the source gives it, and it states the kind of thing asked); refusals,
   questions, empty, over-long or failed generations are rejected. A rejected answer is
   replaced by the best supporting sentence (with the sentence before it when that one names
   what is asked), quoted verbatim.
4. Citations: ``info.citations`` lists :class:`~eclair.answer.types.Citation` objects whose
   ``quote`` is exactly ``document_text[start:end]`` (a whole sentence), marked ``[1]``,
   ``[2]`` in the text. ``info.route = "knowledge"`` when an answer is given.

:func:`documents_answer` runs step 1 alone, so the pipeline can send an advice-shaped
wh-question ("how much … should I use?") to the documents when they answer it.

Because verification needs the whole answer, the model's output is generated completely,
checked, and only then streamed out (word by word, as engine events). Sampling is forced to
greedy (temperature 0) and short: a grounded answer must be reproducible. The model is a
rephrasing component here, never the source of truth; with ``engine=None`` the answer is
purely extractive.

Quote first when the model is slow (``quote_after_s``): if the model's answer is not ready
(generated *and* verified) that many seconds after the gate passed, the verbatim quote of step
3 is streamed at once (``According to …: "…" [1]``), and the model's verified sentence follows
it in a new paragraph when it is ready, its citation markers numbered after the quote's (the
same sentence keeps ``[1]``); a rejected answer adds nothing, so the quote alone is the answer,
exactly as without the option. Either way nothing unverified is shown and the verified
contents are the same; only their order and the time to the first word change. ``None`` (the
default): wait for the model, as above.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, replace

from eclair.answer.types import AnswerInfo, AnswerStream, Citation, Passage
from eclair.engine.protocol import (
    ChatMessage,
    Engine,
    Finished,
    GenerationRequest,
    SamplingParams,
    StreamEvent,
    TextDelta,
    Usage,
)
from eclair.errors import EclairError
from eclair.knowledge import lexical
from eclair.knowledge.bilingual import equivalents
from eclair.knowledge.chunking import split_sentences
from eclair.knowledge.claims import WEEKDAYS, Claim, extract_claims, is_supported, units_agree
from eclair.knowledge.evidence import Evidence, Question, best_evidence
from eclair.knowledge.fidelity import fidelity_problem
from eclair.knowledge.question import analyse_question
from eclair.knowledge.sentencekind import counted_numbers

log = logging.getLogger(__name__)

MAX_EVIDENCE = 2
MAX_ANSWER_CHARS = 400
MAX_ANSWER_TOKENS = 96
NOT_IN_DOCUMENTS = "not in the available documents"

_TEXTS = {
    "en": {
        "system": (
            "You answer questions using only the given text. Answer in one short sentence, in English. "
            "Copy names, numbers and dates exactly as they are written in the text."
        ),
        "user": "Text: {text}\n\nQuestion: {question}",
        "abstain": "I don't know: the available documents do not say.",
        "quote": 'According to {source}: "{quote}"',
    },
    "fr": {
        "system": (
            "Tu réponds aux questions uniquement à partir du texte donné. Réponds en une phrase courte, "
            "en français. Recopie les noms, les nombres et les dates exactement comme dans le texte."
        ),
        "user": "Texte : {text}\n\nQuestion : {question}",
        "abstain": "Je ne sais pas : les documents disponibles ne le disent pas.",
        "quote": "D'après {source} : « {quote} »",
    },
}
_REFUSAL = re.compile(
    r"(don'?t know|do not know|not (mentioned|stated|specified|provided|given)|no information|cannot|can'?t|"
    r"unable to|ne sais pas|ne peux pas|pas (mentionn|indiqu|précis)|aucune information|impossible de)",
    re.I,
)
_PREFIX = re.compile(
    # "A:"/"R:" are labels only with their colon: "A single crossing…" starts a sentence
    r"^\s*(((the )?(answer|original text|text) (is|says)|la r[ée]ponse est|(the )?answer|r[ée]ponse)\s*:?|[ar]\s*:)\s*",
    re.I,
)
# An answer that still asks, or echoes the question's wording, is not an answer.
_QUESTIONING = re.compile(
    r"\?|\b(combien|how (many|much|long)|est-(il|elle|ce)|a-t-(il|elle)|what (is|are|was|does)|quel(le)?s? (est|sont))\b",
    re.I,
)
_MARKER = re.compile(r"(?<!\s)\s*\[\d+\]")  # from a run's first space: linear
_PIECES = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence shown to the model, and the citation that quotes it."""

    text: str
    citation: Citation


# A question by its form ("How much citric acid should I use…?", "Comment dois-je…?"), as
# opposed to a request ("Peux-tu résumer…?") or small talk.
_WH_QUESTION = re.compile(
    r"^\W*(?:how|what|which|when|where|who|whom|whose|combien|quel(?:le)?s?|quand|o[uù]|comment|qui|"
    r"qu['’]est-ce)\b[^\n]*\?\s*$",
    re.I,
)
# "What do you think of…?", "Que penses-tu de…?": asked of the assistant, not of the documents.
_TO_ASSISTANT = re.compile(r"\b(?:you|your|yours|tu|toi|ton|ta|tes|vous|votre|vos)\b|-(?:tu|vous)\b", re.I)


def documents_answer(question: str, passages: list[Passage]) -> bool:
    """Whether ``passages`` answer ``question`` (the relevance gate of step 1 passes), for a
    question the router sent to the model as advice ("How much … should I use?") that the
    documents may answer after all. Only wh-questions not addressed to the assistant ("what
    do you think…") are tried; requests never are."""
    question = question.strip()
    if not _WH_QUESTION.match(question) or _TO_ASSISTANT.search(question):
        return False
    return bool(best_evidence(question, passages)[1])


def supports(question: str, passages: list[Passage]) -> bool:
    """Whether a sentence of ``passages`` passes the relevance gate for ``question`` (step 1)."""
    return bool(best_evidence(question, passages)[1])


def needs_source(question: str, passages: list[Passage]) -> bool:
    """Whether an open question ("why…", "how does…", "is it true that…") must be answered
    from sources or abstained on, rather than explained by the model: when ``passages``
    support an answer, and whenever it names something (a person, a place, an organisation,
    a work): what a small model would say about a named thing is a guess, and a "why" may
    carry a false premise about it ("why is the Great Wall visible from the Moon?"). A general
    explanation ("why are flamingos pink?") is the model's."""
    names = {a for a in analyse_question(question).anchors if not a.isdigit()}
    return bool(names) or (bool(passages) and supports(question, passages))


def texts(lang: str) -> dict[str, str]:
    return _TEXTS["fr" if lang.lower().startswith("fr") else "en"]


def abstention_text(lang: str) -> str:
    """The abstention sentence in the user's language."""
    return texts(lang)["abstain"]


def grounded_answer(
    engine: Engine | None,
    question: str,
    passages: list[Passage],
    params: SamplingParams,
    lang: str,
    *,
    quote_after_s: float | None = None,
) -> AnswerStream:
    """Answer ``question`` from ``passages`` with verified citations (see module docstring)."""
    info = AnswerInfo(route="knowledge")
    events = _answer_events(engine, question, passages, params, lang, info, quote_after_s)
    return AnswerStream(events, info)


async def _answer_events(
    engine: Engine | None,
    question: str,
    passages: list[Passage],
    params: SamplingParams,
    lang: str,
    info: AnswerInfo,
    quote_after_s: float | None = None,
) -> AsyncIterator[StreamEvent]:
    # 1. relevance gate
    analysed, evidence = best_evidence(question, passages)
    if not evidence:
        info.route, info.abstained, info.reason = "abstain", True, NOT_IN_DOCUMENTS
        async for event in _stream(abstention_text(lang), None):
            yield event
        return
    chosen = _choose(evidence)
    units = _units(chosen)
    if engine is not None and quote_after_s is not None:
        quoting = _quote_first(engine, question, analysed, chosen, units, params, lang, info, quote_after_s)
        async with contextlib.aclosing(quoting) as events:  # closing us stops the model at once
            async for event in events:
                yield event
        return
    # 2. the model rephrases from the best sentences only
    finished: Finished | None = None
    answer: tuple[str, list[Citation]] | None = None
    if engine is not None:
        raw, finished = await _generate(engine, question, units, params, lang)
        # 3. verification
        if raw is not None:
            answer = verify(raw, analysed, units, chosen[0].citation().quote)
    if answer is None:
        answer = _extractive(chosen, lang)
    text, citations = answer
    info.citations = citations
    async for event in _stream(text, finished):
        yield event


async def _quote_first(
    engine: Engine,
    question: str,
    analysed: Question,
    chosen: list[Evidence],
    units: list[_Unit],
    params: SamplingParams,
    lang: str,
    info: AnswerInfo,
    wait_s: float,
) -> AsyncGenerator[StreamEvent, None]:
    """Steps 2-4 with the quote streamed first when the model's verified answer is not ready
    within ``wait_s`` (module docstring)."""

    async def model_answer() -> tuple[tuple[str, list[Citation]] | None, Finished | None]:
        raw, finished = await _generate(engine, question, units, params, lang)
        verified = verify(raw, analysed, units, chosen[0].citation().quote) if raw is not None else None
        return verified, finished

    task = asyncio.ensure_future(model_answer())
    try:
        done, _ = await asyncio.wait({task}, timeout=wait_s)
        if done:  # in time: the answer it would have been without the option
            answer, finished = task.result()
            text, citations = answer if answer is not None else _extractive(chosen, lang)
            info.citations = citations
            async for event in _stream(text, finished):
                yield event
            return
        quote, quoted = _extractive(chosen, lang)
        info.citations = list(quoted)
        for piece in _PIECES.findall(quote):
            yield TextDelta(piece)
        answer, finished = await task
        shown = len(_PIECES.findall(quote))
        if answer is not None:
            text, citations = _after_quote(answer, quoted)
            info.citations = [*quoted, *(c for c in citations if c not in quoted)]
            pieces = _PIECES.findall("\n\n" + text)
            shown += len(pieces)
            for piece in pieces:
                yield TextDelta(piece)
        yield _finished(finished, shown)
    finally:
        if not task.done():  # the consumer left: stop the generation behind the answer
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _after_quote(answer: tuple[str, list[Citation]], quoted: list[Citation]) -> tuple[str, list[Citation]]:
    """The model's verified answer with its markers renumbered after the quote's ``[1]``: a
    sentence the quote already cites keeps its number."""
    text, citations = answer
    numbers = {}
    extra: list[Citation] = []
    for i, citation in enumerate(citations, start=1):
        if citation in quoted:
            numbers[i] = quoted.index(citation) + 1
        else:
            extra.append(citation)
            numbers[i] = len(quoted) + len(extra)
    renumbered = _NUMBERED.sub(lambda m: f"[{numbers.get(int(m[1]), int(m[1]))}]", text)
    return renumbered, extra


_NUMBERED = re.compile(r"\[(\d+)\]")
_LIST_MARK = re.compile(r"[ \t]{0,8}(?:[-•*–]|\d{1,2}[.)])\s")
MAX_LIST_ITEMS = 12


def _choose(evidence: list[Evidence]) -> list[Evidence]:
    """The best sentence, and a runner-up from elsewhere if it is nearly as good."""
    chosen = [evidence[0]]
    for candidate in evidence[1:]:
        if len(chosen) >= MAX_EVIDENCE or candidate.score < 0.8 * evidence[0].score:
            break
        if all(candidate.start != c.start and candidate.context_start != c.start for c in chosen):
            chosen.append(candidate)
    best = evidence[0]
    if best.context and _LIST_MARK.match(best.text):
        # "The library is open: - Tuesday … - Thursday … - Saturday …": the items of one list that
        # each answer say the answer together; two of three would be a wrong answer
        siblings = [
            e
            for e in evidence[1:]
            if e.passage is best.passage and e.context_start == best.context_start and e not in chosen
        ]
        chosen.extend(siblings[:MAX_LIST_ITEMS])
    return chosen


def _units(chosen: list[Evidence]) -> list[_Unit]:
    units: list[_Unit] = []
    starts: set[int] = set()
    for e in chosen:
        source, chunk = e.passage.source, e.passage.chunk_id
        if e.context and e.context_start not in starts:
            end = e.context_start + len(e.context)
            units.append(
                _Unit(
                    e.context,
                    Citation(source, chunk, e.context, e.context_start, end, e.passage.pack, e.passage.url),
                )
            )
            starts.add(e.context_start)
        if e.start not in starts:
            units.append(_Unit(e.text, e.citation()))
            starts.add(e.start)
    return units


async def _generate(
    engine: Engine, question: str, units: list[_Unit], params: SamplingParams, lang: str
) -> tuple[str | None, Finished | None]:
    """The model's full answer, or ``None`` when generation failed."""
    t = texts(lang)
    messages = [
        ChatMessage("system", t["system"]),
        ChatMessage(
            "user", t["user"].format(text=" ".join(u.text for u in units), question=question.strip())
        ),
    ]
    sampling = replace(
        params,
        temperature=0.0,
        max_tokens=min(params.max_tokens, MAX_ANSWER_TOKENS),
        stop=(*params.stop, "\n\n"),
    )
    parts: list[str] = []
    finished: Finished | None = None
    try:
        request = GenerationRequest(prompt=engine.render_chat(messages), params=sampling, messages=messages)
        stream = engine.generate(request)
        try:
            async for event in stream:
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                else:
                    finished = event
        finally:  # closing the stream cancels generation (our consumer may have gone away)
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()
    except EclairError as exc:  # the quote needs no model: degrade rather than fail
        log.warning("grounded generation failed, answering extractively: %s", exc.message)
        return None, finished
    if finished is not None and finished.finish_reason in ("error", "cancelled"):
        return None, finished
    return "".join(parts), finished


def clean(raw: str) -> str:
    """The model's answer without prefixes or markers, cut to at most two sentences."""
    text = _MARKER.sub("", _PREFIX.sub("", raw.strip()))
    text = " ".join(text.split()).strip(" \"'«»“”")
    spans = split_sentences(text)
    if not spans:
        return ""
    complete = [s for s in spans if text[s[1] - 1] in ".!?…"] or spans[:1]
    return text[complete[0][0] : complete[:2][-1][1]]


def verify(raw: str, question: Question, units: list[_Unit], best: str) -> tuple[str, list[Citation]] | None:
    """The cited answer if the model's text passes every check, else ``None``.

    Checks: a short, complete statement (no refusal, no question); every number, date and
    name in it occurs in a sentence it was shown; it states the kind of thing asked for, and
    that thing comes from ``best``, the sentence that answers; its specifics come from one
    sentence, and it is faithful to that sentence (:func:`fidelity_problem`: a 135M model
    paraphrasing freely, or garbling a sentence whose numbers are all there, is not
    trusted)."""
    answer = clean(raw)
    if not answer or len(answer) > MAX_ANSWER_CHARS or _REFUSAL.search(answer) or _QUESTIONING.search(answer):
        return None
    claims = extract_claims(answer)
    sources = [u.text for u in units]
    if any(not any(is_supported(c, s) for s in sources) for c in claims):
        return None
    if not _answers_kind(question, answer, [c for c in claims if is_supported(c, best)]):
        return None
    # "had 214 members, up from 187": a count must be the number written with the noun
    slot = counted_numbers(question, best)
    if slot and not any(c.kind == "number" and c.key in slot for c in claims):
        return None
    if not units_agree(answer, sources):
        return None  # "5 ans à 30 mois" from "within 30 days": the number counts something else
    answer_terms = set(lexical.terms(answer))
    asked_terms = set(lexical.terms(question.text))
    if all(
        lexical.contains_term(asked_terms, t)
        or any(lexical.contains_term(asked_terms, e) for e in equivalents(t))
        for t in answer_terms
    ):
        return None  # "Cela lui est la monnaie de Japan": it says nothing the question did not
    # names the question already gives are its topic, not facts that need a source
    asked = question.words
    specific = [c for c in claims if not (c.kind == "name" and c.key in asked)]
    cited = [u for u in units if any(is_supported(c, u.text) for c in specific)]
    if len(cited) > 1 and not any(all(is_supported(c, u.text) for c in specific) for u in cited):
        return None  # stitched from several sentences: a tiny model mixes facts up that way
    cited = [u for u in cited if all(is_supported(c, u.text) for c in specific)][:1] or cited[:1]
    if not cited:
        cited = sorted(units, key=lambda u: -len(answer_terms & set(lexical.terms(u.text))))[:1]
    problem = fidelity_problem(answer, question, [u.text for u in cited], sources)
    if problem is not None:
        log.info("grounded answer not faithful (%s), quoting instead: %r", problem, answer)
        return None
    return _with_markers(answer, len(cited)), [u.citation for u in cited]


def _answers_kind(question: Question, answer: str, claims: list[Claim]) -> bool:
    """Whether the answer states the kind of thing asked for (a number for "how many"…),
    among ``claims`` (those taken from the answering sentence)."""
    if question.expects in ("number", "money", "date", "time", "duration"):
        return any(c.kind in ("number", "month") for c in claims)
    if question.expects == "weekday":
        return any(w in WEEKDAYS for w in lexical.words(answer))
    if question.expects in ("name", "place"):
        given = question.words
        return any(c.kind == "name" and c.key not in given for c in claims)
    return True


def _with_markers(text: str, count: int) -> str:
    markers = "".join(f" [{i}]" for i in range(1, count + 1))
    if text and text[-1] in ".!?…":
        return f"{text[:-1]}{markers}{text[-1]}"
    return f"{text}{markers}"


def _extractive(chosen: list[Evidence], lang: str) -> tuple[str, list[Citation]]:
    """The supporting sentence, quoted verbatim, with its citation; with the runner-up when both
    are items of one list ("open twice a week: - Wednesday … - Saturday …"), the span of both."""
    evidence = chosen[0]
    citation = evidence.citation()
    for other in chosen[1:]:
        if (
            other.passage is evidence.passage
            and other.context
            and other.context_start == evidence.context_start
        ):
            start, end = min(citation.start, other.citation().start), max(citation.end, other.end)
            quote = evidence.passage.text[start - evidence.passage.start : end - evidence.passage.start]
            citation = replace(citation, quote=quote, start=start, end=end)
    quote = " ".join(citation.quote.split())  # a PDF's line breaks are not part of the sentence
    text = texts(lang)["quote"].format(source=evidence.passage.source, quote=quote)
    return f"{text} [1]", [citation]


async def _stream(text: str, finished: Finished | None) -> AsyncIterator[StreamEvent]:
    pieces = _PIECES.findall(text)
    for piece in pieces:
        yield TextDelta(piece)
    yield _finished(finished, len(pieces))


def _finished(finished: Finished | None, pieces: int) -> Finished:
    """The answer's end: the model's usage and times when it ran, else ``pieces`` as tokens."""
    model = finished.usage if finished is not None else None
    usage = Usage(
        prompt_tokens=model.prompt_tokens if model else 0,
        completion_tokens=model.completion_tokens if model else pieces,
        cached_tokens=model.cached_tokens if model else 0,
    )
    return Finished(
        finish_reason="stop",
        usage=usage,
        decode_s=finished.decode_s if finished else 0.0,
        cpu_s=finished.cpu_s if finished else None,
    )
