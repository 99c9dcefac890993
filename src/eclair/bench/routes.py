"""The ``routes`` scenario: time to the first word, and to the last, per answer route.

Éclair's assistant (model ``eclair``) answers a turn by one of several routes: a *computed*
answer (calculator, dates, premise checks: no generation), a *grounded* answer from the
uploaded documents (retrieval, the relevance gate, the model's sentence verified, or the
verbatim quote), an *encyclopedia* answer (the same path over the installed knowledge packs)
and the *model* (open chat). This scenario uploads a knowledge base of synthetic documents
(:func:`knowledge_documents`: fictional villages, so that nothing is known beforehand, one
document each, with distinct names and figures), then sends, one at a time, questions meant
for each route, and files every result under the route that actually answered, read from the
response's ``eclair`` object (``computed``, ``grounded``, ``encyclopedia``, ``model``,
``abstain``). Encyclopedia questions are answered from packs only when the server has some
installed; otherwise they land under whichever route took them.

Requests are sequential: these are latencies of one user, not of a loaded server.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from eclair.bench.client import StreamResult, stream_chat

_SYLLABLES = ("bra", "cor", "del", "fin", "gal", "hon", "kir", "lun", "mor", "nav", "pel", "quen",
              "ros", "sal", "tor", "vel", "zan", "bel", "dun", "mar")  # fmt: skip
_REGIONS = ("northern", "southern", "eastern", "western", "central")
_FIRST = ("Anna", "Bernard", "Claire", "Dmitri", "Elena", "Fabio", "Greta", "Henrik", "Ida", "Jules")
_LAST = ("Arnaud", "Berger", "Castel", "Duval", "Esteve", "Ferrand", "Garnier", "Hervé", "Imbert", "Jourdan")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

COMPUTED_QUESTIONS: tuple[str, ...] = (
    "What is 17 * 23?",
    "How much is 15% of 240?",
    "What is 1234 + 5678?",
    "Convert 5 km to miles.",
    "What is 144 divided by 12?",
    "What is 2 to the power of 10?",
    "Combien font 48 fois 12 ?",
    "What is the square root of 169?",
)
ENCYCLOPEDIA_QUESTIONS: tuple[str, ...] = (
    "Who wrote Les Misérables?",
    "What is the capital of Australia?",
    "When did the French Revolution begin?",
    "Who painted the Mona Lisa?",
)
MODEL_PROMPTS: tuple[str, ...] = (
    "Write a short poem about autumn leaves.",
    "Give me three tips for a good night's sleep.",
    "Tell me a short story about a lost kitten.",
    "Describe a sunrise over the sea in a few sentences.",
)


@dataclass(frozen=True)
class Document:
    filename: str
    text: str
    questions: tuple[str, ...]


def knowledge_documents(count: int = 50, seed: int = 15) -> list[Document]:
    """``count`` short documents about fictional villages, each with questions it answers."""
    rng = random.Random(seed)
    names: set[str] = set()
    out: list[Document] = []
    while len(out) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
        if name in names:
            continue
        names.add(name)
        people, year = rng.sample(range(len(_FIRST)), 2), rng.randrange(1650, 1950)
        engineer = f"{_FIRST[people[0]]} {_LAST[rng.randrange(len(_LAST))]}"
        mayor = f"{_FIRST[people[1]]} {_LAST[rng.randrange(len(_LAST))]}"
        inhabitants, market = rng.randrange(300, 9000), rng.choice(_WEEKDAYS)
        text = (
            f"{name}\n\n"
            f"{name} is a village in the {rng.choice(_REGIONS)} hills, known for its stone bridge and its "
            f"orchards. In 2020 {name} had {inhabitants} inhabitants. The stone bridge of {name} was built "
            f"in {year} by the engineer {engineer}. The current mayor of {name} is {mayor}. "
            f"The weekly market of {name} takes place every {market}, on the church square."
        )
        questions = (
            f"How many inhabitants did {name} have in 2020?",
            f"When was the stone bridge of {name} built?",
            f"Who built the stone bridge of {name}?",
            f"On which day is the weekly market of {name}?",
        )
        out.append(Document(f"{name.lower()}.md", text, questions))
    return out


async def upload(client: httpx.AsyncClient, base: str, documents: list[Document]) -> None:
    """Add ``documents`` to the server's knowledge base (``POST /v1/files``)."""
    for document in documents:
        response = await client.post(
            f"{base.rstrip('/')}/v1/files",
            files={"file": (document.filename, document.text.encode(), "text/markdown")},
            data={"purpose": "assistants"},
            timeout=120,
        )
        response.raise_for_status()


def answered_by(result: StreamResult) -> str:
    """The route that answered, in this scenario's terms (module docstring)."""
    eclair = result.extra.get("eclair") or {}
    route = eclair.get("route")
    if route == "knowledge":
        packs = any(c.get("pack") for c in eclair.get("citations") or ())
        return "encyclopedia" if packs else "grounded"
    if route in ("model", "abstain"):
        return str(route)
    return "computed" if route else "unknown"


def questions(documents: list[Document], per_route: int, seed: int = 15) -> list[tuple[str, str]]:
    """(intended route, question) pairs: ``per_route`` grounded questions drawn across the
    documents, and the fixed computed, encyclopedia and model ones, interleaved."""
    rng = random.Random(seed)
    grounded = [rng.choice(d.questions) for d in rng.sample(documents, min(per_route, len(documents)))]
    lists = {
        "computed": list(COMPUTED_QUESTIONS[:per_route]),
        "grounded": grounded,
        "encyclopedia": list(ENCYCLOPEDIA_QUESTIONS[:per_route]),
        "model": list(MODEL_PROMPTS[:per_route]),
    }
    out: list[tuple[str, str]] = []
    for i in range(max(len(v) for v in lists.values())):
        out.extend((route, items[i]) for route, items in lists.items() if i < len(items))
    return out


async def routes(
    client: httpx.AsyncClient,
    base: str,
    asked: list[tuple[str, str]],
    *,
    max_tokens: int,
    tick: Callable[[], None],
    model: str = "eclair",
) -> list[StreamResult]:
    """Send each question in turn to the assistant; label each result with both routes."""
    out = []
    for i, (intended, question) in enumerate(asked):
        result = await stream_chat(
            client, base, model, [{"role": "user", "content": question}], max_tokens=max_tokens,
            label=f"r{i}-{intended}", keep_eclair=True,
        )  # fmt: skip
        result.extra.update(intended=intended, route=answered_by(result))
        result.extra.pop("eclair", None)
        out.append(result)
        tick()
    return out
