"""One of each: one folding function, one calendar vocabulary, arrows that run one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from eclair.text.calendar import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS
from eclair.text.fold import fold, fold_aligned

PACKAGE = Path(__file__).parents[2] / "src" / "eclair"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "knowledge").glob("*.py")), ids=lambda p: p.name)
def test_knowledge_never_imports_answer(path: Path) -> None:
    assert not any(m.startswith("eclair.answer") for m in _imports(path))


@pytest.mark.parametrize("path", sorted((PACKAGE / "text").glob("*.py")), ids=lambda p: p.name)
def test_text_imports_neither_answer_nor_knowledge(path: Path) -> None:
    assert not any(m.startswith(("eclair.answer", "eclair.knowledge")) for m in _imports(path))


@pytest.mark.parametrize(
    "path",
    sorted([*(PACKAGE / "answer").glob("*.py"), *(PACKAGE / "knowledge").glob("*.py")]),
    ids=lambda p: p.name,
)
def test_accents_are_folded_in_one_place(path: Path) -> None:
    assert "unicodedata.combining" not in path.read_text(encoding="utf-8")


def test_the_calendar_is_complete_in_both_languages() -> None:
    for lang in ("en", "fr"):
        assert [MONTHS[fold(name)] for name in MONTH_NAMES[lang]] == list(range(1, 13))
        assert [WEEKDAYS[fold(name)] for name in WEEKDAY_NAMES[lang]] == list(range(7))


def test_aligned_folding_keeps_offsets() -> None:
    text = "Qu’est-ce que l’Élysée coûte − en été ?"
    folded = fold_aligned(text)
    assert len(folded) == len(text) and folded.startswith("qu'est-ce") and "elysee" in folded
