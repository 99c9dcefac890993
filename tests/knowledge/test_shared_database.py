"""Two ``eclair serve`` processes, each with its own data dir, on one PostgreSQL database: a
file uploaded through one is cited by the other's answer (documents live in the main database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import fake_servers, postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DOCUMENT = (
    "The Kerlann lighthouse stands on the north cape of the island of Groix. "
    "It was first lit in 1902 by its keeper, Yvonne Le Gall. "
    "The tower is 34 metres tall and its light carries 23 nautical miles."
)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with postgres_schema("serve") as database_url:
        envs = {}
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            envs[name] = {
                **os.environ,
                "ECLAIR_DATABASE_URL": database_url,
                "ECLAIR_DATA_DIR": str(tmp_path / name),
                "ECLAIR_LOG_LEVEL": "warning",
                "ECLAIR_KNOWLEDGE_DENSE": "false",
            }
        with fake_servers(tmp_path, envs) as (a, b):
            yield a, b


def test_a_file_uploaded_on_one_server_is_cited_by_the_other(two_servers: tuple[str, str]) -> None:
    a, b = two_servers
    with httpx.Client(timeout=60) as client:
        upload = client.post(
            f"{a}/v1/files",
            files={"file": ("kerlann.txt", DOCUMENT.encode(), "text/plain")},
            data={"purpose": "assistants"},
        )
        assert upload.status_code == 200, upload.text
        file_id = upload.json()["id"]
        assert file_id in [f["id"] for f in client.get(f"{b}/v1/files").json()["data"]]

        reply = client.post(
            f"{b}/v1/chat/completions",
            json={
                "model": "eclair",
                "messages": [{"role": "user", "content": "Who first lit the Kerlann lighthouse?"}],
            },
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["eclair"]["route"] == "knowledge", body["eclair"]
        citations = body["eclair"]["citations"]
        assert citations and {c["source"] for c in citations} == {"kerlann.txt"}
        assert "Yvonne Le Gall" in body["choices"][0]["message"]["content"]

        # deleted through b, gone for a
        assert client.delete(f"{b}/v1/files/{file_id}").status_code == 200
        assert client.get(f"{a}/v1/files/{file_id}").status_code == 404
