"""Saved sequence states: the store's budgets on a fake context, and restores on the real model.

The fake context holds one byte string per sequence, the size of its tokens, so what the store
saves, spills, reads back and forgets can be checked byte for byte without llama.cpp.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.protocol import ChatMessage, Finished, GenerationRequest, SamplingParams, TextDelta
from eclair.engine.seqstate import SequenceStates
from eclair.engine.slots import Slot


class FakeContext:
    """Sequences as bytes: ``fill`` puts tokens in one, the store reads and writes them."""

    def __init__(self) -> None:
        self.seqs: dict[int, bytes] = {}
        self.fail_writes = False

    def fill(self, slot: Slot, tokens: list[int]) -> None:
        slot.tokens = tokens
        self.seqs[slot.seq] = bytes(t % 256 for t in tokens)

    def read(self, ctx: object, seq: int) -> bytes:
        return self.seqs.get(seq, b"")

    def write(self, ctx: object, seq: int, data: bytes) -> bool:
        if self.fail_writes:
            self.seqs.pop(seq, None)
            return False
        self.seqs[seq] = data
        return True


def store(fake: FakeContext, ram: int, disk: int = 0, directory: Path | None = None) -> SequenceStates:
    return SequenceStates(ram, disk, directory, min_tokens=4, read=fake.read, write=fake.write)


def conversation(n: int, length: int) -> list[int]:
    return [n * 1000 + i for i in range(length)]


def test_an_evicted_slot_is_saved_and_restored_where_the_conversation_returns() -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=1000)
    a, b = conversation(1, 50), conversation(2, 40)
    fake.fill(slot, a)
    assert states.swap(None, slot, b, 0) == 0  # b takes the slot: a is saved
    fake.fill(slot, b)
    assert states.counters.saves == 1 and states.counters.ram_bytes == 50
    returning = [*a, 7, 8, 9]
    assert states.swap(None, slot, returning, 0) == 50  # a comes back: its 50 tokens are loaded
    assert slot.tokens == a and fake.seqs[0] == bytes(t % 256 for t in a)
    # a is in the slot again (and saved again when evicted): only b's state is held now
    assert states.counters.restores == 1 and states.counters.restored_tokens == 50
    assert states.counters.entries == 1 and states.counters.ram_bytes == 40


def test_small_gains_and_small_losses_are_not_worth_a_copy() -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=1000)
    fake.fill(slot, conversation(1, 3))  # fewer than min_tokens: not saved
    assert states.swap(None, slot, conversation(2, 10), 0) == 0
    assert states.counters.saves == 0
    a = conversation(1, 20)
    fake.fill(slot, a)
    # the prompt continues the slot's cache: two tokens destroyed, nothing saved
    assert states.swap(None, slot, [*a[:18], 5, 5], 18) == 18
    assert states.counters.saves == 0


def test_a_longer_save_replaces_the_state_it_extends() -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=1000)
    a = conversation(1, 30)
    fake.fill(slot, a)
    states.swap(None, slot, conversation(2, 10), 0)
    fake.fill(slot, [*a, *range(10)])  # a, one turn later, in another slot
    states.swap(None, slot, conversation(3, 10), 0)
    assert states.counters.entries == 1 and states.counters.ram_bytes == 40


def test_past_the_ram_budget_states_go_to_disk_then_are_forgotten(tmp_path: Path) -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=100, disk=150, directory=tmp_path)
    users = [conversation(n, 60) for n in range(1, 6)]
    for user, following in zip(users, [*users[1:], conversation(9, 10)], strict=True):
        fake.fill(slot, user)
        states.swap(None, slot, following, 0)
        assert states.counters.ram_bytes <= 100 and states.counters.disk_bytes <= 150
    files = list(tmp_path.rglob("*.kv"))
    assert states.counters.spills >= 2 and states.counters.evictions >= 2
    assert sum(f.stat().st_size for f in files) == states.counters.disk_bytes
    # the two oldest conversations were forgotten; the third is on disk and comes back from there
    fake.fill(slot, [])
    assert states.swap(None, slot, [*users[0], 1], 0) == 0
    assert states.swap(None, slot, [*users[1], 1], 0) == 0
    third = states._best([*users[2], 1])[0]
    assert third is not None and third.path is not None
    assert states.swap(None, slot, [*users[2], 1], 0) == 60
    assert fake.seqs[0] == bytes(t % 256 for t in users[2])
    assert len(list(tmp_path.rglob("*.kv"))) == len(files) - 1
    states.clear()
    assert states.counters.ram_bytes == states.counters.disk_bytes == 0
    assert not list(tmp_path.rglob("*.kv"))


def test_without_a_disk_states_past_the_budget_are_forgotten() -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=100)
    for n in range(1, 5):
        fake.fill(slot, conversation(n, 60))
        states.swap(None, slot, conversation(n + 10, 5), 0)
    assert states.counters.ram_bytes == 60 and states.counters.entries == 1
    assert states.counters.disk_bytes == 0


def test_a_state_that_fails_to_load_leaves_the_slot_empty() -> None:
    fake, slot = FakeContext(), Slot(0)
    states = store(fake, ram=1000)
    a = conversation(1, 30)
    fake.fill(slot, a)
    states.swap(None, slot, conversation(2, 10), 0)
    fake.fill(slot, conversation(2, 10))
    fake.fail_writes = True
    assert states.swap(None, slot, [*a, 1], 0) == 0
    assert slot.tokens == [] and states.counters.failures == 1


# -- the real model ---------------------------------------------------------------------------

GREEDY = SamplingParams(temperature=0.0, max_tokens=32)
SYSTEM = ChatMessage("system", "You are a helpful assistant. Answer clearly and briefly.")


async def answer(engine: LlamaCppEngine, messages: list[ChatMessage]) -> tuple[str, Finished]:
    parts: list[str] = []
    async for event in engine.generate(GenerationRequest(engine.render_chat(messages), GREEDY)):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            return "".join(parts), event
    raise AssertionError("the stream ended without Finished")


async def second_turn(*, interloper: bool, seq_state_ram: int) -> tuple[str, Finished, LlamaCppEngine]:
    """A two-turn chat on a one-slot engine, another conversation taking the slot in between
    when ``interloper``."""
    engine = LlamaCppEngine(
        bundled_model_path(), model_id="smollm2", threads=1, n_slots=1, context_size=512,
        prefix_cache=True, seq_state_ram=seq_state_ram,
    )  # fmt: skip
    await engine.start()
    chat = [SYSTEM, ChatMessage("user", "I am planning a trip to Lisbon. What should I see first?")]
    first, _ = await answer(engine, chat)
    if interloper:
        await answer(
            engine, [SYSTEM, ChatMessage("user", "How do bees make honey? Explain it step by step.")]
        )
    chat += [ChatMessage("assistant", first), ChatMessage("user", "What local food should I try there?")]
    text, finished = await answer(engine, chat)
    return text, finished, engine


@pytest.mark.slow
async def test_a_restored_conversation_answers_as_if_it_had_kept_its_slot() -> None:
    kept, kept_end, engine = await second_turn(interloper=False, seq_state_ram=1 << 26)
    await engine.close()
    restored, restored_end, engine = await second_turn(interloper=True, seq_state_ram=1 << 26)
    stats = engine.stats()
    await engine.close()
    assert restored == kept and restored_end.usage == kept_end.usage
    assert stats.state_restores == 1 and stats.state_restored_tokens == kept_end.usage.cached_tokens
    assert stats.saved_state_ram_bytes > 0
    cold, cold_end, engine = await second_turn(interloper=True, seq_state_ram=0)
    await engine.close()
    assert cold_end.usage.cached_tokens < restored_end.usage.cached_tokens // 2  # history prefilled again
    assert cold  # prefill rounding may change the words; the restored path is the exact one


@pytest.mark.slow
async def test_closing_the_engine_frees_its_saved_states(tmp_path: Path) -> None:
    engine = LlamaCppEngine(
        bundled_model_path(), model_id="smollm2", threads=1, n_slots=1, context_size=512,
        prefix_cache=True, seq_state_ram=1, seq_state_disk=1 << 26, seq_state_dir=tmp_path,
    )  # fmt: skip
    await engine.start()
    for topic in ("the sea", "mountains", "rivers"):
        await answer(engine, [SYSTEM, ChatMessage("user", f"Write a few sentences about {topic}.")])
    stats = engine.stats()
    assert stats.saved_state_ram_bytes == 0 and stats.saved_state_disk_bytes > 0
    assert sum(f.stat().st_size for f in tmp_path.rglob("*.kv")) == stats.saved_state_disk_bytes
    await engine.close()
    await asyncio.sleep(0)
    assert not list(tmp_path.rglob("*.kv"))
    assert engine.stats().state_saves == stats.state_saves  # counters carry over a close


@pytest.mark.slow
async def test_a_q8_0_kv_cache_saves_half_the_bytes_and_restores_exactly() -> None:
    sizes = {}
    for kv in ("f16", "q8_0"):
        engine = LlamaCppEngine(
            bundled_model_path(), model_id="smollm2", threads=1, n_slots=1, context_size=512,
            prefix_cache=True, seq_state_ram=1 << 26, kv_cache_type=kv,
        )  # fmt: skip
        await engine.start()
        chat = [SYSTEM, ChatMessage("user", "I am planning a trip to Lisbon. What should I see first?")]
        first, _ = await answer(engine, chat)
        await answer(
            engine, [SYSTEM, ChatMessage("user", "How do bees make honey? Explain it step by step.")]
        )
        sizes[kv] = engine.stats().saved_state_ram_bytes
        chat += [ChatMessage("assistant", first), ChatMessage("user", "What local food should I try there?")]
        text, _ = await answer(engine, chat)
        assert engine.stats().state_restores == 1 and text
        await engine.close()
    assert sizes["q8_0"] < 0.6 * sizes["f16"]
