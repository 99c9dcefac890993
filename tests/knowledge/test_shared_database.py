"""Two ``eclair serve`` processes, each with its own data dir, on one PostgreSQL database: a
file uploaded through one is cited by the other's answer (documents live in the main database)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, postgres_schema, wait_ready

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DOCUMENT = (
    "The Kerlann lighthouse stands on the north cape of the island of Groix. "
    "It was first lit in 1902 by its keeper, Yvonne Le Gall. "
    "The tower is 34 metres tall and its light carries 23 nautical miles."
)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with postgres_schema("serve") as database_url:
        processes, urls = [], []
        try:
            for name in ("a", "b"):
                data_dir = tmp_path / name
                data_dir.mkdir()
                env = {
                    **os.environ,
                    "ECLAIR_DATABASE_URL": database_url,
                    "ECLAIR_DATA_DIR": str(data_dir),
                    "ECLAIR_LOG_LEVEL": "warning",
                    "ECLAIR_KNOWLEDGE_DENSE": "false",
                }
                port = free_port()
                command = [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)]
                with (tmp_path / f"{name}.log").open("wb") as log:
                    processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
                urls.append(f"http://127.0.0.1:{port}")
            for url, process in zip(urls, processes, strict=True):
                wait_ready(url, timeout=120, process=process)
            yield urls[0], urls[1]
        finally:
            for process in processes:
                process.terminate()
                process.wait(30)


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
