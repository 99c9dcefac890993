"""The curated catalogue: short names (``qwen2.5:1.5b``) for GGUF repositories on the Hub.

Contract: the shipped ``catalogue.toml`` is read once per call of :func:`load_catalogue`,
validated whole (unknown keys and wrong types are a :class:`~eclair.errors.ConfigurationError`
naming the file and entry), and an operator's file laid over it entry by entry (same name:
replaced; new name: added). Names are matched case-insensitively. Figures here (size,
architecture) are the published ones, used before anything is downloaded; the Hub's and the
file's own figures win once known. Nothing is contacted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eclair.errors import ConfigurationError

SHIPPED = "catalogue.toml"


class CatalogueEntry(BaseModel):
    """One ``[[models]]`` table: a short name for a quantisation of a Hub repository."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._:-]*$")
    repo: str = Field(pattern=r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
    quant: str | None = None  # None: the default rule (Q4_K_M, else Q8_0)
    licence: str
    parameters: int = Field(ge=1)
    size: int = Field(ge=1)  # bytes to download, as published
    languages: list[str] = Field(min_length=1)
    context_length: int = Field(ge=1)  # tokens the model was trained for
    layers: int = Field(ge=1)
    kv_heads: int = Field(ge=1)
    head_dim: int = Field(ge=1)
    gpu: bool = False  # meant for hosts with a GPU
    summary: str = ""

    def kv_bytes_per_token(self) -> int:
        """K and V of every layer for one token, in f16 (llama.cpp's default cache type)."""
        return 2 * self.layers * self.kv_heads * self.head_dim * 2


@dataclass(frozen=True)
class Catalogue:
    """Entries by lower-cased name, in file order (smallest first in the shipped file)."""

    entries: dict[str, CatalogueEntry]

    def get(self, name: str) -> CatalogueEntry | None:
        return self.entries.get(name.strip().lower())

    def names(self) -> list[str]:
        return list(self.entries)

    def for_repo(self, repo: str, quant: str | None) -> CatalogueEntry | None:
        """The entry naming this repository and quantisation (None if none), for display."""
        for entry in self.entries.values():
            same_quant = (entry.quant or "").lower() == (quant or "").lower() or quant is None
            if entry.repo.lower() == repo.lower() and same_quant:
                return entry
        return None


def load_catalogue(extra: Path | None = None) -> Catalogue:
    """The shipped catalogue, with ``extra`` (an operator's TOML file) laid over it."""
    shipped = resources.files("eclair.engine.hub").joinpath(SHIPPED).read_text(encoding="utf-8")
    entries = {e.name: e for e in _parse(shipped, SHIPPED)}
    if extra is not None:
        try:
            text = extra.expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"cannot read the model catalogue {extra}: {exc.strerror}") from None
        entries.update({e.name: e for e in _parse(text, str(extra))})
    return Catalogue(entries)


def _parse(text: str, where: str) -> list[CatalogueEntry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"the model catalogue {where} is not valid TOML: {exc}") from None
    tables = data.get("models")
    if not isinstance(tables, list) or set(data) != {"models"}:
        raise ConfigurationError(f"the model catalogue {where} must hold [[models]] tables and nothing else")
    entries = []
    for index, table in enumerate(tables):
        try:
            entries.append(CatalogueEntry.model_validate(table))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            name = table.get("name", "?") if isinstance(table, dict) else "?"
            raise ConfigurationError(
                f"model catalogue {where}: models[{index}] ({name!r}).{field}: {first['msg']}"
            ) from None
    return entries
