"""Installed models as models the server can serve: the Hugging Face cache's GGUFs and the bundled one.

Contract: :func:`installed_models` lists what ``eclair models list`` shows, as
:class:`~eclair.engine.pool.ModelSpec` entries for the model pool:
- a GGUF of the Hugging Face cache, as ``refs/main`` names it, is served under its catalogue
  name when the catalogue names that repository and quantisation (``qwen2.5:1.5b``), else as
  ``hf.co/ORG/REPO:QUANT``; the other name is accepted too (an alias);
- the bundled GGUF is ``SmolLM2-135M-Instruct.Q4_1``;
- files already served under another id (the same file on disk) are left out.
Engines are embedded llama.cpp ones built with the server's own engine settings (threads,
``ctx_size``, ``n_slots``…), so their memory is counted as the fit check counts it. Only the
disk is read (``scan_cache_dir``); nothing is loaded or downloaded here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from eclair.config import BUNDLED_MODEL_FILE, bundled_model_path
from eclair.engine.pool import ModelSpec
from eclair.engine.registry import create_engine
from eclair.errors import ConfigurationError

if TYPE_CHECKING:
    from eclair.config import Settings
    from eclair.engine.hub.cache import HubEnv
    from eclair.engine.hub.catalogue import Catalogue
    from eclair.engine.protocol import Engine

logger = logging.getLogger(__name__)


def installed_models(
    settings: Settings, *, env: HubEnv, catalogue: Catalogue, served: Iterable[Path] = ()
) -> list[ModelSpec]:
    """The installed models not in ``served`` (files already served), bundled one first."""
    from eclair.engine.hub.cache import installed

    seen = {_real(path) for path in served}
    specs: list[ModelSpec] = []
    try:
        bundled: Path | None = bundled_model_path()
    except ConfigurationError:
        bundled = None
    if bundled is not None and _real(bundled) not in seen:
        seen.add(_real(bundled))
        specs.append(_spec(settings, BUNDLED_MODEL_FILE.removesuffix(".gguf"), bundled))
    try:
        cached = installed(env)
    except OSError as exc:
        logger.warning("cannot read the Hugging Face cache %s: %s", env.cache_dir, exc)
        cached = []
    for found in cached:
        if "main" not in found.refs or _real(found.paths[0]) in seen:
            continue
        seen.add(_real(found.paths[0]))
        entry = catalogue.for_repo(found.repo, found.quant)
        named = entry is not None and (entry.quant or "").upper() in ("", found.quant.upper())
        model_id = entry.name if named and entry is not None else found.name
        aliases = (found.name,) if model_id != found.name else ()
        specs.append(_spec(settings, model_id, found.paths[0], aliases))
    return specs


def discovery(settings: Settings, served: Iterable[Engine]) -> Callable[[], list[ModelSpec]]:
    """What the pool calls to list installed models again (the cache is read at each call)."""
    from eclair.engine.hub.cache import HubEnv
    from eclair.engine.hub.catalogue import load_catalogue

    catalogue = load_catalogue(settings.model_catalogue)
    paths = [path for engine in served if isinstance(path := getattr(engine, "model_path", None), Path)]

    def discover() -> list[ModelSpec]:
        return installed_models(settings, env=HubEnv.from_environ(), catalogue=catalogue, served=paths)

    return discover


def _spec(settings: Settings, model_id: str, path: Path, aliases: tuple[str, ...] = ()) -> ModelSpec:
    local = settings.model_copy(update={"backend": "llama_cpp", "model": str(path), "model_id": model_id})
    return ModelSpec(model_id, lambda: create_engine(local), aliases=aliases, source="installed")


def _real(path: Path) -> Path:
    """The file itself (Hugging Face snapshots are symbolic links to blobs)."""
    try:
        return path.resolve()
    except OSError:
        return path
