"""What the operator typed for ``--model``: a GGUF path, or a model name to find on the Hub.

Contract:
- :func:`is_model_path` says whether text is a file path (absolute, ``./``, ``~``, ending in
  ``.gguf``, or an existing file). Paths are never looked up on the Hub.
- :func:`parse_model_name` turns any other text into a :class:`HubModel`:
  - a catalogue name (``qwen2.5:1.5b``, any case): its repository and quantisation;
  - ``hf.co/ORG/REPO[:QUANT]``, ``huggingface.co/…``, ``https://huggingface.co/…`` or plain
    ``ORG/REPO[:QUANT]`` — the syntax Ollama and llama-server accept. ``QUANT`` is matched
    case-insensitively in the repository's GGUF file names (``Q4_K_M``, ``iq4_xs``) or is one
    file name (``model-q4_k_m.gguf``); absent, the default rule applies (Q4_K_M, else Q8_0).
  Anything else is :class:`~eclair.errors.ModelUnavailable` (``unknown_model``). Nothing is
  contacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from eclair.engine.hub.catalogue import Catalogue, CatalogueEntry
from eclair.errors import ModelUnavailable

DEFAULT_QUANTS = ("Q4_K_M", "Q8_0")  # the first a repository has, when no quantisation is named
_HUB_NAME = re.compile(
    r"(?:(?:https?://)?(?:www\.)?(?:hf\.co|huggingface\.co)/)?"
    r"(?P<repo>[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})"
    r"(?::(?P<quant>[\w.+-]{1,200}))?"
)


@dataclass(frozen=True)
class HubModel:
    """A GGUF in a Hub repository. ``quant`` is None for the default rule; ``name`` is what
    was typed (the id the server shows); ``entry`` is the catalogue entry it came from."""

    repo: str
    quant: str | None
    name: str
    entry: CatalogueEntry | None = None

    @property
    def label(self) -> str:
        """``hf.co/ORG/REPO:QUANT`` (without ``:QUANT`` for the default rule)."""
        return f"hf.co/{self.repo}" + (f":{self.quant}" if self.quant else "")

    def with_quant(self, quant: str) -> HubModel:
        return HubModel(self.repo, quant, self.name, self.entry)


def is_model_path(text: str) -> bool:
    """True when ``text`` names a file rather than a model (see the module docstring)."""
    text = text.strip()
    if text.startswith(("/", "./", "../", "~", ".\\")) or "\\" in text or text.lower().endswith(".gguf"):
        return True
    try:
        return Path(text).is_file()
    except OSError:  # a name too long for the file system is no file
        return False


def parse_model_name(text: str, catalogue: Catalogue) -> HubModel:
    """The Hub model ``text`` names (module docstring); ``ModelUnavailable`` if none."""
    name = text.strip()
    if entry := catalogue.get(name):
        return HubModel(entry.repo, entry.quant, name, entry)
    found = _HUB_NAME.fullmatch(name)
    if found is None:
        known = ", ".join(catalogue.names())
        raise ModelUnavailable(
            f"unknown model {name!r}: not a GGUF file, not a catalogue name ({known}; see "
            "`eclair models list --available`), not hf.co/ORG/REPO[:QUANT]",
            code="unknown_model",
        )
    repo, quant = found["repo"], found["quant"]
    return HubModel(repo, quant, name, catalogue.for_repo(repo, quant))
