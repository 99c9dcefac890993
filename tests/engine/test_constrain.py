"""Grammar-constrained decoding in the batching engine, on the real bundled model.

One engine for the module (loading it and llguidance's view of its vocabulary takes about a
second); greedy decoding and prefix reuse off, so that a free request's text can be compared
with and without a constrained neighbour in its batches.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import jsonschema
import numpy as np
import pytest
import pytest_asyncio

from eclair.config import bundled_model_path
from eclair.engine import grammars
from eclair.engine.constrain import SequenceConstraint
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import (
    ChatMessage,
    Constraint,
    Finished,
    GenerationRequest,
    SamplingParams,
    TextDelta,
    TokenLogprob,
)

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 30},
        "age": {"type": "integer", "minimum": 0, "maximum": 120},
        "role": {"enum": ["admin", "user"]},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["name", "age", "role"],
    "additionalProperties": False,
}


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engine() -> AsyncIterator[LlamaCppEngine]:
    options = {"model_id": "smollm2", "threads": 1, "n_slots": 4, "context_size": 1024, "prefix_cache": False}
    engine = LlamaCppEngine(bundled_model_path(), **options)  # type: ignore[arg-type]
    await engine.start()
    yield engine
    await engine.close()


async def run(
    engine: LlamaCppEngine, text: str, params: SamplingParams, constraint: Constraint | None = None
) -> tuple[str, Finished, list[TokenLogprob]]:
    if constraint is not None:
        await engine.check_constraint(constraint)
    prompt = engine.render_chat([ChatMessage("user", text)])
    parts: list[str] = []
    scores: list[TokenLogprob] = []
    finished = None
    async for event in engine.generate(GenerationRequest(prompt, params, constraint=constraint)):
        if isinstance(event, TextDelta):
            parts.append(event.text)
            scores.extend(event.logprobs or ())
        else:
            finished = event
    assert finished is not None
    return "".join(parts), finished, scores


@pytest.mark.parametrize("temperature", [0.0, 0.9])
async def test_the_output_follows_the_schema(engine: LlamaCppEngine, temperature: float) -> None:
    params = SamplingParams(temperature=temperature, max_tokens=300, seed=7)
    text, finished, _ = await run(engine, "Describe a person.", params, grammars.json_schema(PERSON))
    jsonschema.validate(json.loads(text), PERSON)
    assert finished.finish_reason == "stop"


async def test_a_constraint_leaves_the_other_sequences_alone(engine: LlamaCppEngine) -> None:
    greedy = SamplingParams(temperature=0.0, max_tokens=40)
    alone, _, _ = await run(engine, "List three fruits.", greedy)
    beside = await asyncio.gather(
        run(engine, "List three fruits.", greedy),
        run(engine, "Describe a person.", greedy, grammars.json_schema(PERSON)),
        run(engine, "Describe a person.", greedy, grammars.json_object()),
    )
    assert beside[0][0] == alone
    jsonschema.validate(json.loads(beside[1][0]), PERSON)
    assert isinstance(json.loads(beside[2][0]), dict)


async def test_a_short_budget_still_closes_the_document(engine: LlamaCppEngine) -> None:
    schema = {"type": "object", "properties": {"story": {"type": "string"}}, "required": ["story"]}
    params = SamplingParams(temperature=0.0, max_tokens=40)
    text, finished, _ = await run(engine, "Tell me a very long story.", params, grammars.json_schema(schema))
    jsonschema.validate(json.loads(text), schema)
    assert finished.finish_reason == "stop" and finished.usage.completion_tokens <= 40


async def test_logprobs_describe_each_token(engine: LlamaCppEngine) -> None:
    params = SamplingParams(temperature=0.0, max_tokens=12, logprobs=3, repeat_penalty=1.0)
    text, finished, scores = await run(engine, "Name a colour.", params)
    assert len(scores) == finished.usage.completion_tokens
    assert b"".join(s.token for s in scores).decode() == text
    for score in scores:
        assert score.logprob <= 0 and len(score.top) == 3
        assert [p for _, p in score.top] == sorted((p for _, p in score.top), reverse=True)
        assert score.logprob == pytest.approx(score.top[0][1])  # greedy, no penalty: the likeliest


async def test_a_call_is_constrained_from_its_marker(engine: LlamaCppEngine) -> None:
    tools = [
        {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
    ]
    constraint = grammars.tool_calls(tools, ["f"], parallel=False, lazy=True)
    await engine.check_constraint(constraint)
    vocab = engine._grammar_vocabulary()
    sequence = SequenceConstraint(
        constraint, vocab, engine._grammars.fresh(constraint.grammar, vocab.tokenizer), max_tokens=200
    )
    tokenize = vocab.tokenizer.tokenize_str
    for token in tokenize("Let me call it. <tool_"):
        sequence.consume(token, vocab.tokenizer.decode_bytes([token]))
    assert not sequence.active  # free text costs no mask
    for token in tokenize('call>\n{"na'):
        sequence.consume(token, vocab.tokenizer.decode_bytes([token]))
    assert sequence.active
    row = np.zeros(vocab.n_vocab, dtype=np.float32)
    sequence.apply(row, 100)
    allowed = {vocab.tokenizer.decode_str([int(t)]) for t in np.flatnonzero(row == 0)}
    assert allowed and all('me": "f"'.startswith(a) for a in allowed)
