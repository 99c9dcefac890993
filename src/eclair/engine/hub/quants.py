"""Which GGUF file(s) of a repository a quantisation names.

Contract: :func:`select` takes a repository's file list (paths with their size and LFS sha256,
from the Hub or from the cache) and a quantisation, and returns the :class:`Selection` to
download or load:
- the quantisation is matched case-insensitively as a whole token of the file name
  (``Q4_K`` does not match ``…-Q4_K_M.gguf``), or it is one file name exactly;
- no quantisation: ``Q4_K_M``, else ``Q8_0`` (:data:`~eclair.engine.hub.names.DEFAULT_QUANTS`);
- a split model (``name-00001-of-00003.gguf``) is one choice of all its parts, which must all
  be listed; llama.cpp loads the first and finds the others beside it;
- vision projectors (``mmproj*.gguf``) are never chosen.
Several different files matching one quantisation are refused with their names (name the
file instead); no match is refused with the quantisations the repository has.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

from eclair.engine.hub.names import DEFAULT_QUANTS
from eclair.errors import ModelUnavailable

_SPLIT = re.compile(r"(?P<stem>.+)-(?P<part>\d{5})-of-(?P<total>\d{5})\.gguf", re.IGNORECASE)
_QUANT_LABEL = re.compile(
    r"(?:^|[-._])(?P<quant>(?:i?q|tq)\d[a-z0-9_]*|bf16|f16|f32|mxfp4[a-z0-9_]*)"
    r"(?:-\d{5}-of-\d{5})?\.gguf$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RepoFile:
    """A file of a repository: path in the repo, size, and LFS sha256 (None if not LFS)."""

    path: str
    size: int | None
    sha256: str | None

    @property
    def basename(self) -> str:
        return PurePosixPath(self.path).name


@dataclass(frozen=True)
class Selection:
    """The files of one model, in order; the first is what llama.cpp opens."""

    quant: str
    files: tuple[RepoFile, ...]

    @property
    def first(self) -> RepoFile:
        return self.files[0]

    @property
    def size(self) -> int:
        return sum(f.size or 0 for f in self.files)


def quant_label(filename: str) -> str | None:
    """``Q4_K_M`` for ``model-q4_k_m.gguf`` (upper case), None when the name shows none."""
    found = _QUANT_LABEL.search(PurePosixPath(filename).name)
    return found["quant"].upper() if found else None


def available_quants(files: list[RepoFile]) -> list[str]:
    """The quantisations (or, failing a label, file names) of the models in ``files``."""
    labels = [quant_label(g[0].path) or g[0].basename for g in grouped_models(files)]
    return sorted(dict.fromkeys(labels))


def select(files: list[RepoFile], quant: str | None, repo: str) -> Selection:
    """The model of ``files`` that ``quant`` names (module docstring); ``repo`` is for messages."""
    models = grouped_models(files)
    if not models:
        raise ModelUnavailable(f"{repo} has no GGUF file", code="quant_not_found")
    for wanted in (quant,) if quant else DEFAULT_QUANTS:
        matches = [group for group in models if _matches(group, wanted)]
        if len(matches) > 1:
            names = ", ".join(group[0].path for group in matches)
            raise ModelUnavailable(
                f"{repo}: several GGUF files match {wanted}: {names}; name one, as hf.co/{repo}:FILE.gguf",
                code="quant_not_found",
            )
        if matches:
            group = matches[0]
            return Selection(quant_label(group[0].path) or wanted.upper(), tuple(group))
    asked = quant or " or ".join(DEFAULT_QUANTS)
    raise ModelUnavailable(
        f"{repo} has no GGUF file for {asked}; it has: {', '.join(available_quants(files))}",
        code="quant_not_found",
    )


def _matches(group: list[RepoFile], wanted: str) -> bool:
    wanted = wanted.lower()
    if wanted.endswith(".gguf"):
        return any(f.path.lower() == wanted or f.basename.lower() == wanted for f in group)
    token = re.compile(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9_])")
    return token.search(group[0].basename.lower()) is not None


def grouped_models(files: list[RepoFile]) -> list[list[RepoFile]]:
    """GGUF models: single files, and split parts grouped (complete groups only), in order."""
    singles: list[list[RepoFile]] = []
    splits: dict[tuple[str, int], dict[int, RepoFile]] = defaultdict(dict)
    for file in files:
        name = file.basename
        if not name.lower().endswith(".gguf") or name.lower().startswith("mmproj"):
            continue
        if part := _SPLIT.fullmatch(file.path):
            splits[(part["stem"], int(part["total"]))][int(part["part"])] = file
        else:
            singles.append([file])
    groups = [
        [parts[i] for i in range(1, total + 1)]
        for (_, total), parts in splits.items()
        if set(parts) == set(range(1, total + 1))
    ]
    return sorted(singles + groups, key=lambda group: group[0].path)
