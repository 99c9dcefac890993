"""Hostile-input fixtures: the fake-engine app, single- and multi-user."""

from __future__ import annotations

from tests.sovereignty.conftest import make_client  # noqa: F401  (fixture re-export)
