"""What clients see of the engine healing itself: ``/ready``, ``/metrics``, 503s and 504s.

The real bundled model behind the app, its runtime wrapped by
:class:`~tests.engine.faults.FaultyRuntime` to kill the scheduler loop on cue.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from tests.api.test_chat_completions import sse_events
from tests.conftest import wait_until
from tests.engine.faults import FaultyEngine, FaultyRuntime, LoopKilled

HANG_S = 60.0


def chat(stream: bool = False, max_tokens: int = 8) -> dict[str, object]:
    return {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Tell me a long story about the sea."}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": stream,
    }


@contextlib.contextmanager
def serving(settings: Settings, **options: object) -> Iterator[tuple[TestClient, FaultyEngine]]:
    built = FaultyEngine(**options)
    app = create_app(settings, built.engine)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        wait_until(lambda: app.state.ready, timeout=HANG_S)
        try:
            yield client, built
        finally:
            built.runtime.release()


def test_ready_flips_to_503_while_the_engine_rebuilds_then_back(settings: Settings) -> None:
    with serving(settings) as (client, built):
        _kill_and_heal(client, built.runtime)


def _kill_and_heal(client: TestClient, runtime: FaultyRuntime) -> None:
    assert client.get("/ready").status_code == 200
    runtime.hold_clear_memory()  # keep the rebuilt scheduler from its first turn until released
    runtime.fail_decodes(LoopKilled())

    crashed = client.post("/v1/chat/completions", json=chat())
    assert crashed.status_code == 500
    assert crashed.json()["error"]["code"] == "engine_restarted"

    wait_until(runtime.held.is_set, timeout=HANG_S)
    ready = client.get("/ready")
    assert ready.status_code == 503 and ready.headers["retry-after"] == "1"
    assert ready.json() == {"status": "restarting"}
    refused = client.post("/v1/chat/completions", json=chat())
    assert refused.status_code == 503 and refused.headers["retry-after"]

    runtime.release()
    wait_until(lambda: client.get("/ready").status_code == 200, timeout=HANG_S)
    answered = client.post("/v1/chat/completions", json=chat())
    assert answered.status_code == 200 and answered.json()["choices"][0]["message"]["content"]
    metrics = client.get("/metrics").text
    assert 'eclair_engine_restarts_total{model="smollm2"} 1.0' in metrics


def test_a_generation_past_its_deadline_is_a_504_timeout(settings: Settings) -> None:
    with serving(settings, request_timeout_s=0.5) as (client, _):
        _time_out(client)


def _time_out(client: TestClient) -> None:
    late = client.post("/v1/chat/completions", json=chat(max_tokens=400))
    assert late.status_code == 504
    assert late.json() == {
        "error": {
            "message": late.json()["error"]["message"],
            "type": "server_error",
            "param": None,
            "code": "timeout",
        }
    }
    streamed = client.post("/v1/chat/completions", json=chat(stream=True, max_tokens=400))
    assert streamed.status_code == 200  # the headers left before the deadline passed
    events = sse_events(streamed.text)
    assert events[-1] == "[DONE]"
    error = events[-2]
    assert isinstance(error, dict) and error["error"]["code"] == "timeout"
    assert not any(
        isinstance(e, dict) and e.get("choices", [{}])[0].get("finish_reason") for e in events[:-2]
    )
