"""Every bad parameter value answers 400 with the OpenAI error envelope naming the parameter.

A table of edge values for each parameter of chat and text completions; none may produce a
422, a 5xx or a silently coerced value.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

MESSAGES = [{"role": "user", "content": "hi"}]
NAN, INF = float("nan"), float("inf")

BAD_VALUES: dict[str, list[object]] = {
    "max_tokens": [-1, 0, 1.5, "10", True, 2**31 - 1 + 2**40, 1e308, [], {}],
    "max_completion_tokens": [-5, 0, 2.5, "x", False, 10**12],
    "temperature": [-0.1, 2.01, "hot", NAN, INF, -INF, 1e308, [], True],
    "top_p": [-0.01, 1.01, "all", NAN, INF, {}],
    "top_k": [-1, 1.5, "k", 10**9, NAN],
    "min_p": [-0.5, 1.5, "p", NAN],
    "repeat_penalty": [-1.0, 11, "r", NAN],
    "seed": [1.5, "42", 2**63, -(2**63) - 1, 1e308, NAN, True],
    "stop": [5, "", ["ok", ""], [1, 2], ["x" * 300], [str(i) for i in range(17)], {"a": 1}],
    "presence_penalty": [-2.01, 2.01, "p", NAN, INF],
    "frequency_penalty": [-3, 3, "f", NAN, -INF],
    "n": [0, -1, 2, 128, 1.0, "1", 10**6],
    "user": [5, ["u"], "u" * 1000],
    "stream": ["yes", 1, {}],
    "stream_options": ["x", {"include_usage": "yes"}],
    "model": [5, ["m"], "m" * 1000],
    "logprobs": ["x", 2],
    "top_logprobs": [-1, 21, "3", 1.5, 2],  # 2: without logprobs
    "tools": ["x", [{"type": "function"}], [{"type": "function", "function": {"name": "a b"}}]],
    "tool_choice": ["sometimes", {"type": "function"}, {"type": "function", "function": {"name": "nope"}}],
    "parallel_tool_calls": ["yes"],
    "response_format": [
        "json",
        {"type": "xml"},
        {"type": "json_schema"},
        {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "strin"}}},
    ],
    "messages": [
        [],
        "hello",
        [{"role": "wizard", "content": "x"}],
        [{"content": "x"}],
        [{"role": "user", "content": 5}],
    ],
}

CASES = [(param, value) for param, values in BAD_VALUES.items() for value in values]


def _json_body(param: str, value: object) -> bytes:
    import json

    body = {"messages": MESSAGES, param: value}
    # NaN and infinities are not JSON, but Python's json module (and many clients) send them.
    return json.dumps(body).encode()


@pytest.mark.parametrize(("param", "value"), CASES, ids=[f"{p}={v!r}"[:60] for p, v in CASES])
def test_bad_chat_parameter_is_400_naming_it(client: TestClient, param: str, value: object) -> None:
    response = client.post(
        "/v1/chat/completions", content=_json_body(param, value), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert error["param"] is not None and error["param"].split(".")[0].split("[")[0] == param


COMPLETION_CASES = [
    ("prompt", 5),
    ("prompt", None),
    ("prompt", [1, 2]),
    ("max_tokens", -3),
    ("temperature", "x"),
    ("best_of", 3),
    ("echo", "yes"),
]


@pytest.mark.parametrize(("param", "value"), COMPLETION_CASES)
def test_bad_completion_parameter_is_400(client: TestClient, param: str, value: object) -> None:
    body = {"prompt": "hello", param: value}
    response = client.post("/v1/completions", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"].startswith(param)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b"\xff\xfe{}",
        b'{"messages": [{"role": "user", "content": "\xff"}]}',
    ],
)
def test_malformed_bodies_are_400(client: TestClient, raw: bytes) -> None:
    response = client.post("/v1/chat/completions", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "error" in response.json()


def test_wrong_content_type_is_400(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions", content=b"messages=hi", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "good",
    [
        {"temperature": 0},
        {"temperature": 2},
        {"top_p": 0},
        {"top_k": 0},
        {"seed": -(2**63)},
        {"seed": 2**63 - 1},
        {"n": 1},
        {"stop": "END"},
        {"stop": ["a", "b", "c", "d"]},
        {"max_tokens": 1},
        {"presence_penalty": -2, "frequency_penalty": 2},
        {"logprobs": False},
        {"logprobs": True, "top_logprobs": 3},
        {"response_format": {"type": "text"}},
        {"unknown_field": {"ignored": True}},
    ],
)
def test_edge_values_that_are_valid_are_accepted(client: TestClient, good: dict) -> None:
    response = client.post("/v1/chat/completions", json={"messages": MESSAGES, **good})
    assert response.status_code == 200, response.text
