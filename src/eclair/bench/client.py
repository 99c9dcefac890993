"""One streamed chat completion against any OpenAI-compatible server, timed on the client.

:func:`stream_chat` sends ``POST {base}/v1/chat/completions`` with ``stream: true`` and reads the
server-sent events with httpx (no SDK in the timing path). It records when the request left,
when the first and last pieces of text arrived, the text, and the completion token count
(the server's ``usage`` when it sends one, else the number of content chunks).

Figures, in Artificial Analysis's terms:

- time to first token (TTFT): first text − request sent;
- output speed: tokens after the first / (last text − first text);
- end-to-end latency: last byte − request sent.

Failures are recorded, never raised: a benchmark reports them (``error`` set, ``ok`` false).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx


@dataclass
class StreamResult:
    label: str
    sent: float
    first: float | None = None
    last: float | None = None
    done: float | None = None
    completion_tokens: int = 0
    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    text: str = ""
    status: int | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.first is not None

    @property
    def ttft(self) -> float | None:
        return None if self.first is None else self.first - self.sent

    @property
    def latency(self) -> float | None:
        return None if self.done is None else self.done - self.sent

    @property
    def output_speed(self) -> float | None:
        if self.first is None or self.last is None or self.completion_tokens < 2:
            return None
        span = self.last - self.first
        return (self.completion_tokens - 1) / span if span > 0 else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ttft=self.ttft, latency=self.latency, output_speed=self.output_speed, ok=self.ok)
        return data


async def stream_chat(
    client: httpx.AsyncClient,
    base_url: str,
    model: str,
    messages: list[dict[str, str]],
    *,
    max_tokens: int,
    temperature: float = 0.0,
    seed: int | None = 1234,
    label: str = "",
    extra_body: dict[str, Any] | None = None,
    timeout_s: float = 600.0,
    keep_eclair: bool = False,
) -> StreamResult:
    """``keep_eclair``: keep Éclair's ``eclair`` object of the last chunk (the route that
    answered, citations) in ``extra["eclair"]``."""
    body: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": temperature,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if seed is not None:
        body["seed"] = seed
    body.update(extra_body or {})
    result = StreamResult(label=label, sent=time.perf_counter())
    chunks = 0
    pieces: list[str] = []
    try:
        async with client.stream(
            "POST", f"{base_url.rstrip('/')}/v1/chat/completions", json=body, timeout=timeout_s
        ) as response:
            result.status = response.status_code
            if response.status_code != 200:
                result.error = f"HTTP {response.status_code}: {(await response.aread())[:200]!r}"
                return result
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                event = json.loads(data)
                if "error" in event:
                    result.error = str(event["error"])[:200]
                    break
                for choice in event.get("choices") or ():
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        now = time.perf_counter()
                        if result.first is None:
                            result.first = now
                        result.last = now
                        chunks += 1
                        pieces.append(content)
                if keep_eclair and isinstance(event.get("eclair"), dict):
                    result.extra["eclair"] = event["eclair"]
                usage = event.get("usage")
                if usage:
                    result.completion_tokens = int(usage.get("completion_tokens") or 0)
                    result.prompt_tokens = usage.get("prompt_tokens")
                    details = usage.get("prompt_tokens_details") or {}
                    result.cached_tokens = details.get("cached_tokens")
    except (httpx.HTTPError, json.JSONDecodeError, OSError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    result.done = time.perf_counter()
    result.text = "".join(pieces)
    if not result.completion_tokens:
        result.completion_tokens = chunks
    return result
