"""Structured outputs and tool calls through the official OpenAI SDK, against ``eclair serve``
with the bundled model: ``parse()`` with pydantic models, and a tool round trip (call → result
→ answer), streamed and not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

import openai
import pytest
from pydantic import BaseModel, Field

pytestmark = pytest.mark.e2e


class City(BaseModel):
    name: str = Field(max_length=40)
    country: str = Field(max_length=40)
    population_millions: float = Field(ge=0, le=50)
    kind: Literal["capital", "other"]


class Weather(BaseModel):
    city: str = Field(max_length=40)
    unit: Literal["celsius", "fahrenheit"]


def weather_of(city: str, unit: str) -> str:
    return json.dumps({"city": city, "temperature": 21, "unit": unit, "sky": "sunny"})


@pytest.fixture(scope="module")
def sdk(model_server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{model_server}/v1", api_key="unused", max_retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def model_id(sdk: openai.OpenAI) -> str:
    return next(m.id for m in sdk.models.list().data if m.id != "eclair")


def test_parse_returns_the_pydantic_model(sdk: openai.OpenAI, model_id: str) -> None:
    completion = sdk.chat.completions.parse(
        model=model_id,
        messages=[{"role": "user", "content": "Describe Paris as JSON."}],
        response_format=City,
        temperature=0,
        max_tokens=200,
    )
    message = completion.choices[0].message
    assert isinstance(message.parsed, City)
    assert completion.choices[0].finish_reason == "stop"


def test_a_tool_round_trip(sdk: openai.OpenAI, model_id: str) -> None:
    tool = openai.pydantic_function_tool(Weather, name="get_weather", description="Current weather of a city")
    messages: list[dict] = [{"role": "user", "content": "What is the weather in Paris, in celsius?"}]
    first = sdk.chat.completions.parse(
        model=model_id, messages=messages, tools=[tool], tool_choice="required", temperature=0, max_tokens=200
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.tool_calls
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather" and isinstance(call.function.parsed_arguments, Weather)
    arguments = call.function.parsed_arguments
    messages += [
        choice.message.model_dump(exclude_none=True, include={"role", "content", "tool_calls"}),
        {"role": "tool", "tool_call_id": call.id, "content": weather_of(arguments.city, arguments.unit)},
    ]
    answer = sdk.chat.completions.create(
        model=model_id, messages=messages, tools=[tool], tool_choice="none", temperature=0, max_tokens=60
    )
    assert answer.choices[0].message.content and not answer.choices[0].message.tool_calls


def test_a_streamed_tool_round_trip(sdk: openai.OpenAI, model_id: str) -> None:
    tool = openai.pydantic_function_tool(Weather, name="get_weather")
    messages: list[dict] = [{"role": "user", "content": "Weather in Lyon?"}]
    stream = sdk.chat.completions.create(
        model=model_id,
        messages=messages,
        tools=[tool],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        parallel_tool_calls=False,
        temperature=0,
        max_tokens=200,
        stream=True,
    )
    call_id, name, arguments, finish, deltas = "", "", "", None, 0
    for chunk in stream:
        delta = chunk.choices[0].delta
        for part in delta.tool_calls or ():
            deltas += 1
            assert part.index == 0
            call_id = part.id or call_id
            name = (part.function.name if part.function else None) or name
            arguments += (part.function.arguments if part.function else None) or ""
        finish = chunk.choices[0].finish_reason or finish
    assert finish == "tool_calls" and deltas > 2  # the arguments came in pieces
    weather = Weather.model_validate_json(arguments)
    messages += [
        {
            "role": "assistant",
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": weather_of(weather.city, weather.unit)},
    ]
    stream = sdk.chat.completions.create(
        model=model_id, messages=messages, temperature=0, max_tokens=60, stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text.strip()


def test_logprobs_on_a_chat_completion(sdk: openai.OpenAI, model_id: str) -> None:
    response = sdk.chat.completions.create(
        model=model_id,
        messages=[{"role": "user", "content": "Say yes."}],
        max_tokens=8,
        temperature=0,
        logprobs=True,
        top_logprobs=2,
    )
    logprobs = response.choices[0].logprobs
    assert logprobs is not None and logprobs.content
    assert "".join(t.token for t in logprobs.content) == response.choices[0].message.content
    assert all(t.logprob <= 0 and len(t.top_logprobs) == 2 for t in logprobs.content)
