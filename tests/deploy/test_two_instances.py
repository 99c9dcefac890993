"""The multi-instance API tier: two ``eclair serve`` processes on one PostgreSQL database and
one shared data directory serve the same users consistently (a session opened on one works
on the other; a conversation started on one continues on the other). ``database_url`` (a
schema of its own) comes from ``tests/deploy/conftest.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import fake_servers

POSTGRES_URL = os.environ.get("ECLAIR_TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="ECLAIR_TEST_POSTGRES_URL is not set"),
]


@pytest.fixture
def two_instances(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "ECLAIR_DATABASE_URL": database_url,
        "ECLAIR_DATA_DIR": str(tmp_path / "shared"),
        "ECLAIR_LOG_LEVEL": "warning",
        "ECLAIR_KNOWLEDGE_DENSE": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "eclair", "users", "add", "alice", "--admin", "--password-stdin"],
        input="correct horse\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    with fake_servers(tmp_path, {"a": env, "b": env}) as (a, b):
        yield a, b


def send(client: httpx.Client, url: str, conversation: str, content: str, csrf: str) -> str:
    """Send a message on one instance; the answer's text as streamed."""
    response = client.post(
        f"{url}/api/conversations/{conversation}/messages",
        json={"content": content, "model": "fake-model"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    return response.text


def test_a_conversation_started_on_one_instance_continues_on_the_other(
    two_instances: tuple[str, str],
) -> None:
    a, b = two_instances
    with httpx.Client(timeout=60) as client:  # one cookie jar: both instances are 127.0.0.1
        login = client.post(f"{a}/api/auth/login", json={"name": "alice", "password": "correct horse"})
        assert login.status_code == 200, login.text
        csrf = login.json()["csrf_token"]
        assert client.get(f"{b}/api/me").json()["user"]["name"] == "alice"  # the session is shared

        created = client.post(
            f"{a}/api/conversations", json={"title": "across"}, headers={"X-CSRF-Token": csrf}
        )
        assert created.status_code == 201, created.text
        conversation = created.json()["id"]
        assert "Echo: first question" in send(client, a, conversation, "first question", csrf)

        on_b = client.get(f"{b}/api/conversations/{conversation}").json()
        assert [m["content"] for m in on_b["messages"]] == ["first question", "Echo: first question"]
        assert "Echo: second question" in send(client, b, conversation, "second question", csrf)

        on_a = client.get(f"{a}/api/conversations/{conversation}").json()
        assert [m["role"] for m in on_a["messages"]] == ["user", "assistant", "user", "assistant"]
        assert on_a["messages"][-1]["content"] == "Echo: second question"

        # an API key made on one instance opens the OpenAI API of the other
        key = client.post(f"{a}/api/keys", json={"name": "sdk"}, headers={"X-CSRF-Token": csrf})
        assert key.status_code == 201, key.text
        secret = key.json()["secret"]
        reply = httpx.post(
            f"{b}/v1/chat/completions",
            json={"model": "fake-model", "messages": [{"role": "user", "content": "hello"}]},
            headers={"Authorization": f"Bearer {secret}"},
            timeout=60,
        )
        assert reply.status_code == 200 and reply.json()["choices"][0]["message"]["content"] == "Echo: hello"
