"""Where quota windows live (``rate_limit_storage``), and quotas shared through the database:
two :class:`Quotas` on one SQLite file stand for two instances on one database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from eclair.errors import ConfigurationError, RateLimited
from eclair.sovereignty.quotas import Quotas, storage_uri_for
from eclair.store.database import Database
from eclair.store.rate_limits import DatabaseStorage

POSTGRES = "postgresql+psycopg://eclair@db.internal/eclair"


@pytest.mark.parametrize(
    ("setting", "database_url", "uri"),
    [
        ("auto", POSTGRES, "async+database://"),
        ("auto", "sqlite:////var/lib/eclair/eclair.db", "async+memory://"),
        ("auto", None, "async+memory://"),
        ("database", "sqlite:////var/lib/eclair/eclair.db", "async+database://"),
        ("memory", POSTGRES, "async+memory://"),
        ("memory://", POSTGRES, "async+memory://"),
        ("redis://cache:6379", POSTGRES, "async+redis://cache:6379"),
    ],
)
def test_the_setting_names_a_storage(setting: str, database_url: str | None, uri: str) -> None:
    assert storage_uri_for(setting, database_url) == uri


def test_database_storage_without_a_database_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="rate_limit_storage"):
        Quotas(requests_per_minute=1, tokens_per_minute=0, storage_uri="database")


@pytest.fixture
async def two_instances(tmp_path: Path) -> AsyncIterator[Callable[[int, int], tuple[Quotas, Quotas]]]:
    url = f"sqlite:///{tmp_path / 'eclair.db'}"
    Database.open(url).close()  # the store's migrations, as at start-up
    made: list[Quotas] = []

    def make(rpm: int, tpm: int) -> tuple[Quotas, Quotas]:
        pair = tuple(
            Quotas(requests_per_minute=rpm, tokens_per_minute=tpm, storage_uri="database", database_url=url)
            for _ in range(2)
        )
        made.extend(pair)
        return pair[0], pair[1]

    yield make
    for quotas in made:
        await quotas.close()


async def test_requests_are_counted_across_instances(
    two_instances: Callable[[int, int], tuple[Quotas, Quotas]],
) -> None:
    a, b = two_instances(4, 0)
    assert isinstance(a.storage, DatabaseStorage)
    for quotas in (a, b, a, b):
        await quotas.admit("user:alice")
    with pytest.raises(RateLimited) as refused:
        await a.admit("user:alice")
    assert 1 <= refused.value.retry_after <= 60
    with pytest.raises(RateLimited):
        await b.admit("user:alice")
    await b.admit("user:bob")  # Alice's spent quota is Alice's only


async def test_tokens_charged_on_one_instance_are_refused_on_the_other(
    two_instances: Callable[[int, int], tuple[Quotas, Quotas]],
) -> None:
    a, b = two_instances(0, 100)
    await a.admit("user:alice")
    await a.charge("user:alice", 60)
    await b.admit("user:alice")  # 60 of 100 spent: still open
    await b.charge("user:alice", 45)
    for quotas in (a, b):
        with pytest.raises(RateLimited, match="token quota"):
            await quotas.admit("user:alice")
