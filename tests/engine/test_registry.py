from __future__ import annotations

import pytest

from eclair.config import Settings
from eclair.engine.fake import FakeEngine
from eclair.engine.registry import backend_names, create_engine, engine_class
from eclair.errors import ConfigurationError


def test_backends_are_registered_by_name() -> None:
    assert {"fake", "llama_cpp"} <= set(backend_names())
    assert engine_class("fake") is FakeEngine


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown backend 'nope'"):
        engine_class("nope")


def test_create_engine_from_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(Settings(backend="fake", model_id="mine", data_dir=tmp_path))
    assert isinstance(engine, FakeEngine) and engine.model_id == "mine"
