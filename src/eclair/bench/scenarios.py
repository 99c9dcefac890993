"""Load patterns ``eclair bench`` plays against one server.

- :func:`concurrency_wave`: ``n`` streams sent at once (the concurrency sweep runs 1, 2, 4, 8);
- :func:`poisson_arrivals`: requests arriving as a Poisson process of a given rate;
- :func:`multiturn`: users chatting in parallel, each sending the whole history every turn and
  waiting for the answer before the next turn, so conversations interleave on the server (with
  ``names``, each user introduces themself first, so that no two histories are the same: the
  ``overflow`` run, more conversations than the server has slots);
- :func:`sequential`: one request at a time over a prompt list (single-stream speed, and the
  speculation check on grounded and open prompts).

Every function returns the :class:`~eclair.bench.client.StreamResult` of each request and calls
``tick()`` as each one completes (the progress bar). Randomness is seeded: runs are repeatable.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence

import httpx

from eclair.bench.client import StreamResult, stream_chat
from eclair.bench.prompts import CONVERSATION_TURNS, SYSTEM_PROMPT

Tick = Callable[[], None]


def _user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


async def _timed(coro: asyncio.Future[StreamResult] | object, tick: Tick) -> StreamResult:
    result: StreamResult = await coro  # type: ignore[misc]
    tick()
    return result


async def concurrency_wave(
    client: httpx.AsyncClient,
    base: str,
    model: str,
    *,
    concurrency: int,
    prompts: Sequence[str],
    max_tokens: int,
    tick: Tick,
) -> list[StreamResult]:
    jobs = [
        _timed(
            stream_chat(
                client, base, model, _user(prompts[i % len(prompts)]),
                max_tokens=max_tokens, label=f"c{concurrency}-{i}",
            ),
            tick,
        )
        for i in range(concurrency)
    ]  # fmt: skip
    return list(await asyncio.gather(*jobs))


async def poisson_arrivals(
    client: httpx.AsyncClient,
    base: str,
    model: str,
    *,
    rate: float,
    requests: int,
    prompts: Sequence[str],
    max_tokens: int,
    tick: Tick,
    seed: int = 7,
) -> list[StreamResult]:
    rng = random.Random(seed)
    tasks: list[asyncio.Task[StreamResult]] = []
    for i in range(requests):
        request = stream_chat(
            client, base, model, _user(prompts[i % len(prompts)]), max_tokens=max_tokens, label=f"p{i}"
        )
        tasks.append(asyncio.create_task(_timed(request, tick)))
        await asyncio.sleep(rng.expovariate(rate))
    return list(await asyncio.gather(*tasks))


async def multiturn(
    client: httpx.AsyncClient,
    base: str,
    model: str,
    *,
    users: int,
    turns: int,
    max_tokens: int,
    tick: Tick,
    names: Sequence[str] = (),
) -> list[StreamResult]:
    async def one_user(u: int) -> list[StreamResult]:
        script = CONVERSATION_TURNS[u % len(CONVERSATION_TURNS)]
        history = [{"role": "system", "content": SYSTEM_PROMPT}]
        out = []
        for t in range(turns):
            message = script[t % len(script)]
            if names and t == 0:
                message = f"Hello, my name is {names[u % len(names)]}. {message}"
            history.append({"role": "user", "content": message})
            result = await stream_chat(
                client, base, model, list(history), max_tokens=max_tokens, label=f"u{u}-t{t}"
            )
            result.extra.update(user=u, turn=t)
            tick()
            out.append(result)
            history.append({"role": "assistant", "content": result.text or "(no answer)"})
        return out

    per_user = await asyncio.gather(*(one_user(u) for u in range(users)))
    return [r for results in per_user for r in results]


async def sequential(
    client: httpx.AsyncClient,
    base: str,
    model: str,
    *,
    prompts: Sequence[str],
    max_tokens: int,
    tick: Tick,
    label: str = "s",
) -> list[StreamResult]:
    out = []
    for i, prompt in enumerate(prompts):
        out.append(
            await stream_chat(client, base, model, _user(prompt), max_tokens=max_tokens, label=f"{label}{i}")
        )
        tick()
    return out
