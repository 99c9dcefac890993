"""The models file: named models and the backends that serve each one.

A TOML file (path in ``Settings.models_file``) with one ``[[models]]`` table per backend;
several tables with the same ``name`` are several backends of one model, balanced and
failed over by a :class:`~eclair.engine.router.Router`::

    [routing]                   # optional; these are the defaults
    health_interval_s = 5
    failure_threshold = 3
    cooldown_s = 10

    [[models]]
    name = "smollm2"            # the id clients send as `model`
    backend = "llama_cpp"       # embedded; `path` empty means the bundled GGUF; `path` may
                                # also be a model name, as --model takes (qwen2.5:1.5b)
    context_size = 4096
    parameters = 135_000_000

    [[models]]
    name = "llama-70b"
    backend = "openai"          # any OpenAI-compatible server
    url = "http://gpu-1:8000/v1"
    upstream_model = "meta-llama/Llama-3.3-70B-Instruct"
    api_key_env = "VLLM_API_KEY"
    weight = 2
    max_concurrency = 64

Contract: the file is validated whole at start-up (unknown keys, wrong types, a model
without backends are :class:`~eclair.errors.ConfigurationError` naming the file and entry);
nothing is contacted while parsing. Every model becomes a ``Router`` (even with one
backend: it brings the breaker, health checks and ``max_concurrency``). Entries whose backend
is not ``openai`` are built through the registry's ``from_settings`` with the entry's values
laid over the server's settings, so any registered backend can be named.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eclair.engine.registry import create_engine, engine_class
from eclair.engine.router import Backend, CircuitBreaker, Router
from eclair.errors import ConfigurationError

if TYPE_CHECKING:
    from eclair.config import Settings
    from eclair.engine.protocol import Engine


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BackendEntry(_Strict):
    """One ``[[models]]`` table: one backend of the model ``name``."""

    name: str = Field(min_length=1, max_length=256)
    backend: str = "llama_cpp"
    # Embedded backends.
    path: Path | None = None
    threads: int | None = Field(default=None, ge=1)
    slots: int | None = Field(default=None, ge=1)
    # Remote (openai) backends.
    url: str | None = None
    upstream_model: str | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    connect_timeout_s: float = Field(default=5.0, gt=0)
    first_token_timeout_s: float = Field(default=60.0, gt=0)
    idle_timeout_s: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=1, ge=0, le=10)
    sampling_extensions: bool = True
    # Every backend.
    context_size: int | None = Field(default=None, ge=128)
    parameters: int | None = Field(default=None, ge=1)
    active_parameters: int | None = Field(default=None, ge=1)
    weight: float = Field(default=1.0, gt=0)
    max_concurrency: int | None = Field(default=None, ge=1)
    fallback: bool = False

    def resolved_api_key(self) -> str | None:
        if self.api_key_env:
            key = os.environ.get(self.api_key_env)
            if not key:
                raise ConfigurationError(
                    f"model {self.name!r}: the environment variable {self.api_key_env} is not set"
                )
            return key
        return self.api_key

    def label(self) -> str:
        return self.url or str(self.path or f"{self.backend}:bundled")


class RoutingSection(_Strict):
    health_interval_s: float = Field(default=5.0, ge=0)
    failure_threshold: int = Field(default=3, ge=1)
    cooldown_s: float = Field(default=10.0, ge=0)


class ModelsFile(_Strict):
    models: list[BackendEntry] = Field(min_length=1)
    routing: RoutingSection = RoutingSection()

    def names(self) -> list[str]:
        """Model names in the order of their first entry."""
        return list(dict.fromkeys(e.name for e in self.models))

    def entries(self, name: str) -> list[BackendEntry]:
        return [e for e in self.models if e.name == name]


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What accounting needs to know about a model (energy per token scales with these)."""

    name: str
    parameters: int | None
    active_parameters: int | None


def load_models_file(path: Path) -> ModelsFile:
    """Parse and validate a models file; relative GGUF paths are relative to the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"cannot read the models file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"the models file {path} is not valid TOML: {exc}") from None
    try:
        models = ModelsFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _location(data, first["loc"])
        raise ConfigurationError(f"models file {path}: {where}: {first['msg']}") from None
    base = path.parent
    fixed = [
        e.model_copy(update={"path": base / e.path})
        if e.path is not None and not e.path.expanduser().is_absolute() and _is_file_path(e.path, base)
        else e
        for e in models.models
    ]
    return models.model_copy(update={"models": fixed})


def _is_file_path(path: Path, base: Path) -> bool:
    """A ``path`` that names a file (relative to the models file), not a model name
    (``qwen2.5:1.5b``, ``hf.co/ORG/REPO:Q4_K_M``), which is resolved like ``--model``."""
    from eclair.engine.hub.names import is_model_path

    return is_model_path(str(path)) or (base / path).is_file()


def _location(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """``models[2] ('llama-70b').weight`` rather than pydantic's bare tuple."""
    parts: list[str] = []
    node: Any = data
    for key in loc:
        if isinstance(key, int):
            parts[-1] += f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict) and "name" in node:
                parts[-1] += f" ({node['name']!r})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "top level"


def _backend_engine(entry: BackendEntry, settings: Settings) -> Engine:
    cls = engine_class(entry.backend)
    from_entry = getattr(cls, "from_entry", None)
    if from_entry is not None:  # backends configured by their own entry fields (openai)
        engine: Engine = from_entry(entry)
        return engine
    model = str(entry.path) if entry.path is not None else None
    overrides: dict[str, Any] = {"backend": entry.backend, "model": model, "model_id": entry.name}
    if entry.context_size is not None:
        overrides["ctx_size"] = entry.context_size
    if entry.threads is not None:
        overrides["threads"] = entry.threads
    if entry.slots is not None:
        overrides["n_slots"] = entry.slots
    local = settings.model_copy(update=overrides)
    # the embedded backend locates its GGUF as it is built: a missing file, an unknown name or a
    # model that does not fit is an error now, not at the first request (a pull runs at start)
    return create_engine(local)


def build_router(name: str, models: ModelsFile, settings: Settings) -> Router:
    entries = models.entries(name)
    routing = models.routing
    backends = [
        Backend(
            engine=_backend_engine(entry, settings),
            label=entry.label(),
            weight=entry.weight,
            max_concurrency=entry.max_concurrency,
            fallback=entry.fallback,
            breaker=CircuitBreaker(routing.failure_threshold, routing.cooldown_s),
        )
        for entry in entries
    ]
    contexts = [e.context_size for e in entries if e.context_size and not e.fallback]
    router = Router(
        name,
        backends,
        context_size=min(contexts) if contexts else None,
        health_interval_s=routing.health_interval_s,
    )
    facts = model_facts(name, models)
    router.parameters, router.active_parameters = facts.parameters, facts.active_parameters
    return router


def model_facts(name: str, models: ModelsFile) -> ModelFacts:
    entries = models.entries(name)
    parameters = next((e.parameters for e in entries if e.parameters), None)
    active = next((e.active_parameters for e in entries if e.active_parameters), None)
    return ModelFacts(name=name, parameters=parameters, active_parameters=active or parameters)


def create_engines(settings: Settings) -> dict[str, Engine]:
    """Every served model by id: the models file's, or the one ``settings.backend`` names."""
    if settings.models_file is None:
        engine = create_engine(settings)
        return {engine.model_id: engine}
    models = load_models_file(settings.models_file)
    return {name: build_router(name, models, settings) for name in models.names()}


def assistant_engine(engines: dict[str, Engine], settings: Settings) -> Engine:
    """The engine the ``eclair`` assistant generates with (``assistant_model``, else the first)."""
    name = settings.assistant_model
    if name is None:
        return next(iter(engines.values()))
    if name not in engines:
        raise ConfigurationError(
            f"assistant_model {name!r} is not in the models file (it has {', '.join(engines)})"
        )
    return engines[name]
