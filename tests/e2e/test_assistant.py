"""The `eclair` assistant end to end: the real bundled model behind the answer pipeline."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sdk(model_server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{model_server}/v1", api_key="unused", max_retries=0) as client:
        yield client


def ask(sdk: openai.OpenAI, text: str, stream: bool = False) -> tuple[str, dict]:
    messages = [{"role": "user", "content": text}]
    if not stream:
        response = sdk.chat.completions.create(model="eclair", messages=messages, temperature=0)
        return response.choices[0].message.content or "", response.model_extra["eclair"]  # type: ignore[index]
    pieces, eclair = [], {}
    for chunk in sdk.chat.completions.create(model="eclair", messages=messages, temperature=0, stream=True):
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
        eclair = (chunk.model_extra or {}).get("eclair", eclair)
    return "".join(pieces), eclair


def test_listed_first(sdk: openai.OpenAI) -> None:
    assert sdk.models.list().data[0].id == "eclair"


@pytest.mark.parametrize("stream", [False, True])
def test_arithmetic_is_computed_not_guessed(sdk: openai.OpenAI, stream: bool) -> None:
    text, eclair = ask(sdk, "What is 17 times 23?", stream)
    assert "391" in text and eclair["route"] == "calculator"


def test_false_premise_is_rejected(sdk: openai.OpenAI) -> None:
    _, eclair = ask(sdk, "What is the square root of a goat?")
    assert eclair["route"] == "premise" and not eclair["abstained"]


def test_unknown_fact_abstains(sdk: openai.OpenAI) -> None:
    _, eclair = ask(sdk, "Who was the mayor of Lyon in 1923?")
    assert eclair["abstained"] is True and eclair["route"] == "abstain"
