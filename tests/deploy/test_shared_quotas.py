"""Rate limits hold across instances: two ``eclair serve`` processes on one database count
one caller's requests together, so the quota is the quota of the tier, not of each process.

On PostgreSQL the default ``rate_limit_storage=auto`` picks the database by itself; on a
shared SQLite file it is asked for with ``database``."""

from __future__ import annotations

import contextlib
from pathlib import Path

import httpx
import pytest

from tests.conftest import eclair_serve

pytestmark = pytest.mark.slow
QUOTA = 3


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_request_quota_is_shared_by_two_instances(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend == "postgres":
        url, storage = request.getfixturevalue("database_url"), "auto"
    else:
        url, storage = f"sqlite:///{tmp_path / 'shared.db'}", "database"
    monkeypatch.setenv("ECLAIR_KNOWLEDGE_DENSE", "false")
    args = ["--backend", "fake", "--database-url", url, "--rate-limit-rpm", str(QUOTA)]
    args += ["--rate-limit-storage", storage]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with contextlib.ExitStack() as stack:
        # One after the other: the first start migrates the database (and makes the local user).
        a = stack.enter_context(eclair_serve(tmp_path / "a", *args))
        b = stack.enter_context(eclair_serve(tmp_path / "b", *args))
        body = {"model": "fake-model", "messages": [{"role": "user", "content": "hello"}]}
        with httpx.Client(timeout=60) as client:
            statuses = [client.post(f"{url}/v1/chat/completions", json=body) for url in (a, b, a)]
            assert [r.status_code for r in statuses] == [200] * QUOTA, [r.text for r in statuses]
            for url in (b, a):  # the (QUOTA+1)-th request overall, whichever instance gets it
                refused = client.post(f"{url}/v1/chat/completions", json=body)
                assert refused.status_code == 429, refused.text
                assert 1 <= int(refused.headers["retry-after"]) <= 60
                error = refused.json()["error"]
                assert error["type"] == "rate_limit_error" and error["code"] == "rate_limit_exceeded"
                assert f"{QUOTA} requests per minute" in error["message"]
