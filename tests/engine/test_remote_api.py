"""Éclair as a proxy: its API in front of a real upstream server, driven by the official SDK.

The upstream is a second ``eclair serve --backend fake`` (and, marked e2e, llama-cpp-python's
own server with the bundled model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from eclair.api.app import create_app
from eclair.config import Settings, bundled_model_path
from eclair.engine.remote import OpenAIEngine
from tests.conftest import LiveServer, free_port
from tests.engine.upstreams import EclairUpstream

USER = [{"role": "user", "content": "hello through the proxy"}]


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EclairUpstream]:
    with EclairUpstream(tmp_path_factory.mktemp("upstream"), "--fake-token-delay-s", "0.002") as server:
        yield server


def proxy(settings: Settings, base: str, **kwargs: object) -> LiveServer:
    """Éclair in front of ``base``; the upstream Éclair's raw model unless told otherwise."""
    kwargs.setdefault("model", "fake-model")
    return LiveServer(create_app(settings, OpenAIEngine(base, **kwargs)))  # type: ignore[arg-type]


def test_sdk_streams_through_the_proxy(settings: Settings, upstream: EclairUpstream) -> None:
    with proxy(settings, upstream.base) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="x")
        assert "fake-model" in [m.id for m in client.models.list()]
        chunks = list(
            client.chat.completions.create(
                model="fake-model", messages=USER, stream=True, stream_options={"include_usage": True}
            )
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text == "Echo: hello through the proxy"
        usage = chunks[-1].usage
        assert usage is not None and usage.completion_tokens == 5
        reply = client.chat.completions.create(model="fake-model", messages=USER, max_tokens=2)
        assert (
            reply.choices[0].message.content == "Echo: hello " and reply.choices[0].finish_reason == "length"
        )
        assert reply.model_extra and reply.model_extra["eclair"]["route"] == "model"
        done = client.completions.create(model="fake-model", prompt="raw text")
        assert done.choices[0].text == "Echo: raw text"


def test_upstream_refusals_keep_their_status(settings: Settings, upstream: EclairUpstream) -> None:
    with proxy(settings, upstream.base, model="renamed-upstream", model_id="fake-model") as server:
        response = httpx.post(f"{server.url}/v1/chat/completions", json={"messages": USER}, timeout=30)
        assert response.status_code == 404
        assert "renamed-upstream" in response.json()["error"]["message"]
    # the proxy believes in a large window; the upstream (4096 tokens) has the last word
    with proxy(settings, upstream.base, context_size=100_000) as server:
        too_long = httpx.post(
            f"{server.url}/v1/chat/completions", json={"messages": USER, "max_tokens": 5000}, timeout=30
        )
        assert too_long.status_code == 400
        assert too_long.json()["error"]["code"] == "context_length_exceeded"


def test_upstream_killed_mid_stream_ends_with_an_error_event(settings: Settings, tmp_path: Path) -> None:
    with (
        EclairUpstream(tmp_path / "up", "--fake-token-delay-s", "0.05") as slow,
        proxy(settings, slow.base) as server,
    ):
        body = {"messages": [{"role": "user", "content": " ".join(["word"] * 200)}], "stream": True}
        events: list[object] = []
        with httpx.stream("POST", f"{server.url}/v1/chat/completions", json=body, timeout=30) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if not line.startswith("data: "):
                    continue
                data = line[6:]
                events.append(data if data == "[DONE]" else json.loads(data))
                if len(events) == 4:
                    slow.kill()
        assert events[-1] == "[DONE]"
        error = events[-2]
        assert isinstance(error, dict) and error["error"]["type"] == "server_error"
        assert "upstream server" in error["error"]["message"]
        assert all("choices" in e for e in events[:-2] if isinstance(e, dict))


def test_unreachable_upstream_is_a_503_with_retry_after(settings: Settings) -> None:
    with proxy(settings, f"http://127.0.0.1:{free_port()}/v1", model="m") as server:
        response = httpx.post(f"{server.url}/v1/chat/completions", json={"model": "m", "messages": USER})
        assert response.status_code == 503 and "Retry-After" in response.headers
        assert response.json()["error"]["code"] == "upstream_unavailable"


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's own OpenAI-compatible server with the bundled model."""
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("wb")
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path())]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("llama_cpp.server exited")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.e2e
def test_llama_cpp_server_as_upstream(settings: Settings, llama_server: str) -> None:
    with proxy(settings, llama_server, model=None, max_retries=0) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="x")
        model = client.models.list().data[-1].id  # after the assistant, the upstream's model
        question = [{"role": "user", "content": "What is the capital of France? One word."}]
        chunks = list(
            client.chat.completions.create(
                model=model, messages=question, stream=True, max_tokens=12, temperature=0, seed=1
            )
        )
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text.strip() and chunks[-1].choices[0].finish_reason in ("stop", "length")
        reply = client.chat.completions.create(model=model, messages=question, max_tokens=12, temperature=0)
        assert reply.choices[0].message.content and reply.usage and reply.usage.completion_tokens > 0
