"""Fixtures for the sovereignty tests: apps with chosen settings and a scripted engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eclair.api.app import create_app
from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from tests.conftest import wait_until

MESSAGES = [{"role": "user", "content": "hello there"}]


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    overrides.setdefault("knowledge_dense", False)
    return Settings(backend="fake", data_dir=data_dir, _env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """``make(engine=None, **settings)``: a started TestClient; closed at the end of the test."""
    opened: list[TestClient] = []

    def make(engine: FakeEngine | None = None, **overrides: Any) -> TestClient:
        app = create_app(make_settings(tmp_path / f"data{len(opened)}", **overrides), engine or FakeEngine())
        client = TestClient(app, base_url="http://127.0.0.1")  # single-user mode serves loopback only
        client.__enter__()
        wait_until(lambda: app.state.ready)
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def metric_value(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text ``text`` (0.0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0
