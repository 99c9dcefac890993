"""Sentences and chunks: exact offsets into the stored text, sizes, overlap."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.knowledge.chunking import chunk_spans, split_sentences

TEXT = (
    "La tour Eiffel\n\n"
    "La tour Eiffel mesure 330 mètres. Elle a été construite par M. Eiffel et J. K. Dupont, etc. "
    "pour l'Exposition de 1889.\nElle pèse 10.100 tonnes, soit 3.5 fois plus ! Vraiment ? Oui.\n\n"
    'Histoire\nLa construction a duré deux ans. "Une citation." Puis e.g. Ceci.\n- premier point\n- second point\n'
)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentence_boundaries() -> None:
    assert sentences(TEXT) == [
        "La tour Eiffel",
        "La tour Eiffel mesure 330 mètres.",
        "Elle a été construite par M. Eiffel et J. K. Dupont, etc. pour l'Exposition de 1889.",
        "Elle pèse 10.100 tonnes, soit 3.5 fois plus !",
        "Vraiment ?",
        "Oui.",
        "Histoire",
        "La construction a duré deux ans.",
        '"Une citation."',
        "Puis e.g. Ceci.",
        "- premier point",
        "- second point",
    ]


def test_hard_wrapped_lines_stay_one_sentence() -> None:
    text = "This sentence was wrapped by an editor at a fixed column width and it\ngoes on here."
    assert sentences(text) == [text]


def test_chunks_are_exact_spans_within_size() -> None:
    text = " ".join(f"Sentence number {i} says something about item {i}." for i in range(60))
    chunks = chunk_spans(text, max_chars=200, overlap=1)
    assert len(chunks) > 5
    for chunk in chunks:
        piece = text[chunk.start : chunk.end]
        assert piece == piece.strip() and piece
        assert len(piece) <= 200
    # consecutive chunks overlap by one sentence, and together they cover the text
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end
        assert after.start > before.start
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_no_overlap_across_paragraphs_and_long_sentences_are_cut() -> None:
    text = "First paragraph sentence one. " * 3 + "\n\n" + ("word " * 300).strip() + "."
    chunks = chunk_spans(text, max_chars=150)
    assert all(c.end - c.start <= 150 for c in chunks)
    assert chunks[-1].end == len(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abcdeé XYZ.!?\n,'\"0123"), min_size=0, max_size=80), max_size=12
    ),
    st.integers(min_value=20, max_value=300),
)
def test_spans_are_always_exact(parts: list[str], max_chars: int) -> None:
    text = "".join(parts)
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    previous_end = 0
    for chunk in chunk_spans(text, max_chars=max_chars):
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert chunk.end - chunk.start <= max_chars
        assert chunk.end >= previous_end
        previous_end = chunk.end
