"""``--model`` to a GGUF on disk: the one place where a model name becomes a file.

Contract: :func:`locate_model` takes what the settings say (``model``, and the catalogue,
context and slots the fit check needs) and returns a :class:`LocatedModel`:
- a path (see :func:`~eclair.engine.hub.names.is_model_path`): that file, which must exist;
- a name found in the Hugging Face cache: the cached file, without contacting the network
  (with no quantisation named, a cached Q4_K_M is taken at once; another default is taken from
  the cache only offline, since online the Hub says which default the repository has);
- any other name: a :class:`~eclair.engine.hub.pull.PullPlan`, checked to fit (no ``--force``
  here: pull it with ``eclair models pull NAME --force`` to go past the check), whose download
  :meth:`LocatedModel.ensure` runs, logging its progress. The embedded engine calls it in its
  loading thread, so the server answers ``/health`` while ``/ready`` says 503 (Retry-After)
  until the model is pulled and loaded.
Errors are :class:`~eclair.errors.ModelUnavailable` (a name) or
:class:`~eclair.errors.ConfigurationError` (a missing file).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eclair.engine.hub.cache import HubEnv, find_cached
from eclair.engine.hub.catalogue import load_catalogue
from eclair.engine.hub.fit import Machine
from eclair.engine.hub.names import DEFAULT_QUANTS, is_model_path, parse_model_name
from eclair.engine.hub.pull import PullPlan, fetch, plan_pull
from eclair.errors import ConfigurationError
from eclair.transfer import ProgressCallback, human_size

logger = logging.getLogger(__name__)
_LOG_EVERY_S = 10.0


@dataclass(frozen=True)
class LocatedModel:
    """Where the GGUF is (or will be, once ``pending`` is fetched)."""

    path: Path
    pending: PullPlan | None = None

    def ensure(self) -> Path:
        """The file, downloaded first if it is not in the cache yet (progress in the log)."""
        if self.pending is not None and self.pending.missing:
            plan = self.pending
            logger.info(
                "pulling %s (%s, %s) into %s",
                plan.model.name,
                plan.selection.first.path,
                human_size(plan.selection.size),
                plan.env.cache_dir,
            )
            fetch(plan, bars=_log_progress)
            logger.info("pulled %s", plan.model.name)
        return self.path


def locate_model(
    model: str,
    *,
    catalogue_file: Path | None,
    ctx_size: int,
    n_slots: int,
    env: HubEnv | None = None,
    machine: Machine | None = None,
) -> LocatedModel:
    """Where ``model`` is (module docstring). ``env`` and ``machine`` default to this process's
    environment and this machine."""
    if is_model_path(model):
        path = Path(model).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"model file not found: {path}")
        return LocatedModel(path)
    env = env or HubEnv.from_environ()
    hub_model = parse_model_name(model, load_catalogue(catalogue_file))
    cached = find_cached(env, hub_model)
    if cached is not None and (hub_model.quant or env.offline or cached.selection.quant == DEFAULT_QUANTS[0]):
        return LocatedModel(cached.path)
    plan = plan_pull(hub_model, env, ctx_size=ctx_size, n_slots=n_slots, machine=machine)
    plan.fit.check(hub_model.name)
    return LocatedModel(plan.path, plan if plan.missing else None)


@contextmanager
def _log_progress(name: str, total: int | None) -> Iterator[ProgressCallback]:
    """A progress "bar" for a server's log: one line every 10 s, and at the end."""
    last = 0.0

    def report(done: int, size: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= _LOG_EVERY_S or (size is not None and done >= size):
            last = now
            share = f" ({100 * done / size:.0f} %)" if size else ""
            of = f" of {human_size(size)}" if size is not None else ""
            logger.info("pulling %s: %s%s%s", name, human_size(done), of, share)

    yield report
