"""The welcome page's suggestions, as the page shows them (read from its string files), are
answered well by the default set-up: the bundled model behind the answer pipeline. Each is
answered by a checked route (computed, or a mistaken premise pointed out), never declined."""

from __future__ import annotations

import re
from collections.abc import Iterator

import openai
import pytest

from eclair.web import STATIC_DIR

pytestmark = pytest.mark.e2e


def suggestions() -> list[tuple[str, str]]:
    found = []
    for language in ("en", "fr"):
        text = (STATIC_DIR / f"strings-{language}.js").read_text(encoding="utf-8")
        found += [(language, s) for s in re.findall(r'"chat\.suggest\d": "([^"]+)"', text)]
    return found


@pytest.fixture(scope="module")
def sdk(model_server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{model_server}/v1", api_key="unused", max_retries=0) as client:
        yield client


def test_every_language_has_the_same_suggestions() -> None:
    counts = {lang: sum(1 for lg, _ in suggestions() if lg == lang) for lang in ("en", "fr")}
    assert counts["en"] == counts["fr"] >= 3


@pytest.mark.parametrize(("language", "suggestion"), suggestions())
def test_a_suggestion_gets_a_checked_answer(sdk: openai.OpenAI, language: str, suggestion: str) -> None:
    response = sdk.chat.completions.create(
        model="eclair", messages=[{"role": "user", "content": suggestion}], temperature=0
    )
    answer = response.choices[0].message.content or ""
    eclair = response.model_extra["eclair"]  # type: ignore[index]
    assert eclair["route"] in ("calculator", "date", "premise"), (suggestion, eclair, answer)
    assert not eclair["abstained"] and answer.strip()
    assert re.search(r"\d|mammif|mammal", answer), answer
