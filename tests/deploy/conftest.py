"""Deployment fixtures: a PostgreSQL database of its own for the multi-instance tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import postgres_schema


@pytest.fixture
def database_url() -> Iterator[str]:
    """A schema of its own in the test database (``ECLAIR_TEST_POSTGRES_URL``), dropped afterwards."""
    with postgres_schema("tier") as url:
        yield url
