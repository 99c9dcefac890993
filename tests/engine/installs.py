"""Models "installed" in a Hugging Face cache without a Hub: the layout ``eclair models pull`` leaves.

``<cache>/models--ORG--REPO/blobs/<sha256>``, ``snapshots/<commit>/<file>`` a symbolic link
to it, and ``refs/main`` naming the commit (unless ``on_main`` is False).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from eclair.engine.hub.cache import HubEnv

CATALOGUE_ENTRY = """
[[models]]
name = "{name}"
repo = "{repo}"
quant = "{quant}"
licence = "apache-2.0"
parameters = 1000
size = 1000
languages = ["en"]
context_length = 256
layers = 2
kv_heads = 2
head_dim = 16
"""


def install(env: HubEnv, repo: str, filename: str, data: bytes, *, on_main: bool = True) -> Path:
    """Put ``data`` in the cache as ``repo``'s ``filename``; returns its snapshot path."""
    storage = env.storage(repo)
    sha = hashlib.sha256(data).hexdigest()
    commit = hashlib.sha1(repo.encode() + sha.encode()).hexdigest()
    blob = storage / "blobs" / sha
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    link = storage / "snapshots" / commit / filename
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(blob, link.parent), link)
    if on_main:
        (storage / "refs").mkdir(exist_ok=True)
        (storage / "refs" / "main").write_text(commit, encoding="utf-8")
    return link


def catalogue_file(path: Path, name: str, repo: str, quant: str) -> Path:
    """An operator's catalogue naming ``repo``'s ``quant`` as ``name``."""
    path.write_text(CATALOGUE_ENTRY.format(name=name, repo=repo, quant=quant), encoding="utf-8")
    return path
