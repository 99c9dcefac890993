"""Quotas are per user on every generation route, whatever credential or address the caller shows.

A user's several API keys share one quota on ``/v1/completions`` as on ``/v1/chat/completions``;
in single-user mode every request is the local user's, so rotating bearer tokens or
``X-Forwarded-For`` values buys nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.sovereignty.conftest import MESSAGES

CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"


def _call(client: TestClient, route: str, headers: dict[str, str]) -> int:
    body: dict[str, Any] = {"messages": MESSAGES} if route == CHAT else {"prompt": "hello there"}
    body["model"] = "fake-model"
    return client.post(route, json=body, headers=headers).status_code


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_users_keys_share_one_quota_on_completions(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_rpm=3)
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    alice = accounts.add_user("alice", "correct horse")
    bob = accounts.add_user("bob", "correct horse")
    keys = [_bearer(accounts.create_key(alice, f"key {i}").secret) for i in range(4)]
    # Four keys, three requests each, round robin: the quota is Alice's, not each key's.
    statuses = [_call(client, COMPLETIONS, keys[i % 4]) for i in range(12)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429] * 9
    # Alice's flood spends Alice's quota only.
    assert _call(client, COMPLETIONS, _bearer(accounts.create_key(bob, "bob").secret)) == 200


def test_chat_and_completions_draw_on_the_same_quota(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_rpm=3)
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    alice = accounts.add_user("alice", "correct horse")
    first, second = (_bearer(accounts.create_key(alice, name).secret) for name in ("one", "two"))
    assert _call(client, CHAT, first) == 200
    assert _call(client, CHAT, first) == 200
    assert _call(client, COMPLETIONS, second) == 200
    assert _call(client, COMPLETIONS, second) == 429
    assert _call(client, CHAT, second) == 429


@pytest.mark.parametrize("route", [COMPLETIONS, CHAT])
def test_single_user_mode_is_one_principal(make_client: Callable[..., TestClient], route: str) -> None:
    client = make_client(rate_limit_rpm=3)

    def disguised() -> dict[str, str]:
        address = ".".join(str(secrets.randbelow(250) + 1) for _ in range(4))
        return {**_bearer(secrets.token_hex(8)), "X-Forwarded-For": address}

    statuses = [_call(client, route, disguised()) for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert _call(client, route, {}) == 429  # no token at all: the same local user
