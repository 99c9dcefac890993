"""Property-based fuzzing of every operation of the OpenAPI document (schemathesis).

A real server (the app with the fake engine, on a loopback port) takes generated requests,
valid and invalid, for each operation. Every response must:

- never be a server error (5xx other than the documented 503 of overload);
- have a status code the document lists for that operation;
- carry the OpenAI error envelope ``{"error": {"message", "type", "param", "code"}}`` when it
  is an error (4xx/5xx) with a JSON body.

Requests go out with the single-user session's cookie and CSRF token, so that state-changing
``/api`` operations are exercised beyond their CSRF check. ``ECLAIR_FUZZ_EXAMPLES`` sets the
number of cases per operation (CI: 200, half schema-valid, half schema-violating), and
``ECLAIR_FUZZ_REPORT`` a file that receives the status codes seen per operation.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, status_code_conformance

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.conftest import LiveServer

EXAMPLES = int(os.environ.get("ECLAIR_FUZZ_EXAMPLES", "200"))
# A JSON-lines file that gets, per operation and mode, how many cases answered each status.
REPORT = os.environ.get("ECLAIR_FUZZ_REPORT")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings(  # type: ignore[call-arg]
        backend="fake", data_dir=Path(data), knowledge_dense=False, max_file_bytes=64 * 1024, _env_file=None
    )
    with LiveServer(create_app(settings_, FakeEngine())) as live:
        yield live


@pytest.fixture
def session_headers(server: LiveServer) -> dict[str, str]:
    """A fresh session of the page in single-user mode: cookie and CSRF token.

    Fresh for each operation, since some operations end it (``POST /api/auth/logout``,
    ``DELETE /api/me``)."""
    response = httpx.get(f"{server.url}/api/me", timeout=10)
    cookie = "; ".join(f"{k}={v}" for k, v in response.cookies.items())
    return {"Cookie": cookie, "X-CSRF-Token": response.json()["csrf_token"]}


def _operations() -> dict[str, Any]:
    """Every operation of the app's OpenAPI document, by label (``POST /v1/chat/completions``)."""
    app = create_app(Settings(backend="fake", _env_file=None), FakeEngine())  # type: ignore[call-arg]
    loaded = schemathesis.openapi.from_dict(app.openapi())
    return {op.label: op for op in (result.ok() for result in loaded.get_all_operations())}


OPERATIONS = _operations()


def openai_error_shape(response: Any) -> None:
    """Errors with a JSON body use the OpenAI envelope."""
    content_type = " ".join(response.headers.get("content-type", []))  # schemathesis: lists of values
    if response.status_code < 400 or "json" not in content_type:
        return
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), f"not an error envelope: {body!r}"
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, f"error keys: {sorted(error)}"
    assert isinstance(error["message"], str) and error["message"], "empty error message"
    assert isinstance(error["type"], str), "error type is not a string"


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation_never_fails_on_generated_input(
    label: str, mode: GenerationMode, server: LiveServer, session_headers: dict[str, str]
) -> None:
    """Positive (schema-valid) and negative (schema-violating) cases, half of EXAMPLES each."""
    operation = OPERATIONS[label]
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=max(1, EXAMPLES // 2),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, headers=session_headers, timeout=30)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
        openai_error_shape(response)

    try:
        run()
    except Unsatisfiable:
        # Only string path parameters and no body: nothing violates the schema.
        assert mode is GenerationMode.NEGATIVE
        pytest.skip("no schema-violating request exists for this operation")
    finally:
        if REPORT:
            with open(REPORT, "a") as out:
                out.write(json.dumps({"operation": label, "mode": mode.value, "statuses": statuses}) + "\n")
