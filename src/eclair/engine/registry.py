"""Backends by name, imported lazily so that ``fake`` never loads llama.cpp.

A backend module exposes one :class:`~eclair.engine.protocol.Engine` subclass with a
``from_settings(settings)`` classmethod. Adding a backend is one line in ``_BACKENDS``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from eclair.errors import ConfigurationError

if TYPE_CHECKING:
    from eclair.config import Settings
    from eclair.engine.protocol import Engine

_BACKENDS: dict[str, str] = {
    "llama_cpp": "eclair.engine.llama_cpp:LlamaCppEngine",
    "fake": "eclair.engine.fake:FakeEngine",
    "openai": "eclair.engine.remote:OpenAIEngine",
    "ray": "eclair.deploy.ray_engine:RayEngine",
}


def backend_names() -> list[str]:
    return sorted(_BACKENDS)


def engine_class(name: str) -> type[Engine]:
    try:
        target = _BACKENDS[name]
    except KeyError:
        raise ConfigurationError(
            f"unknown backend {name!r}; choose one of {', '.join(backend_names())}"
        ) from None
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls: type[Engine] = getattr(module, class_name)
    return cls


def create_engine(settings: Settings) -> Engine:
    """Build (not start) the engine that ``settings.backend`` names."""
    cls = engine_class(settings.backend)
    return cls.from_settings(settings)  # type: ignore[attr-defined, no-any-return]
