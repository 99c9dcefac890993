"""Fixtures of the accounts tests: a store on a fresh SQLite file, and the service over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eclair.accounts.service import Accounts
from eclair.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'eclair.db'}")
    yield opened
    opened.close()


@pytest.fixture
def accounts(store: Store) -> Accounts:
    return Accounts(store, bind_host="127.0.0.1")
