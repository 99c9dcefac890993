"""Slots: the llama context's sequences, and which cached prefix each one holds.

A slot is one sequence id of the llama context. While a request runs, the slot is *busy*; when
it ends, the slot keeps its KV cache and remembers the tokens it holds (``tokens``: exactly the
tokens whose keys and values are in the cache, in order), so a later request that starts with
the same tokens (the next turn of the same chat, or the same system prompt) only prefills the
rest.

:meth:`SlotTable.choose` picks a free slot for a prompt:

1. the free slot whose cached tokens share the longest prefix with the prompt, provided either
   the prompt continues that cache (the shared part covers at least half of it: reusing it
   destroys little) or the cache covers at least 80% of the prompt (a repeated prompt);
2. otherwise an empty slot, else the least recently used one (LRU eviction), preferring slots
   next to busy ones so that the busy sequence ids stay contiguous (llama.cpp batches
   contiguous sequence ids of a split KV cache in one pass).

The table is plain bookkeeping: it never calls llama.cpp, and it is used from one thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the longest common prefix of two token sequences."""
    n = min(len(a), len(b))
    if n == 0 or a[0] != b[0]:
        return 0
    if list(a[:n]) == list(b[:n]):
        return n
    lo, hi = 1, n  # a[:lo] == b[:lo] and a[:hi] != b[:hi]; bisect on slice equality (C speed)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


@dataclass(eq=False)
class Slot:
    seq: int
    tokens: list[int] = field(default_factory=list)
    busy: bool = False
    last_used: int = 0


class SlotTable:
    """All slots of one context, with prefix-aware, LRU choice of a free one."""

    def __init__(self, n_slots: int, *, prefix_cache: bool = True):
        self.slots = [Slot(seq) for seq in range(n_slots)]
        self.prefix_cache = prefix_cache
        self._clock = 0

    @property
    def n_busy(self) -> int:
        return sum(slot.busy for slot in self.slots)

    def has_free(self) -> bool:
        return any(not slot.busy for slot in self.slots)

    def choose(self, prompt: Sequence[int]) -> tuple[Slot, int]:
        """A free slot for ``prompt`` and how many leading prompt tokens its cache already holds.

        Raises ``LookupError`` when every slot is busy.
        """
        free = [slot for slot in self.slots if not slot.busy]
        if not free:
            raise LookupError("no free slot")
        if self.prefix_cache:
            best: Slot | None = None
            best_len = 0
            for slot in free:
                shared = common_prefix(slot.tokens, prompt)
                continues = shared * 2 >= len(slot.tokens) or shared * 5 >= len(prompt) * 4
                if continues and shared > best_len:
                    best, best_len = slot, shared
            if best is not None:
                return best, best_len
        empty = [slot for slot in free if not slot.tokens]
        if empty:
            chosen = min(empty, key=lambda slot: (not self._next_to_busy(slot), slot.seq))
        else:
            chosen = min(free, key=lambda slot: slot.last_used)
        shared = common_prefix(chosen.tokens, prompt) if self.prefix_cache else 0
        return chosen, shared

    def _next_to_busy(self, slot: Slot) -> bool:
        neighbours = (self.slots[i] for i in (slot.seq - 1, slot.seq + 1) if 0 <= i < len(self.slots))
        return any(n.busy for n in neighbours)

    def acquire(self, slot: Slot) -> None:
        slot.busy = True
        self._touch(slot)

    def release(self, slot: Slot, cached_tokens: list[int]) -> None:
        """Mark ``slot`` free; ``cached_tokens`` are the tokens its KV cache now holds."""
        slot.busy = False
        slot.tokens = cached_tokens if self.prefix_cache else []
        self._touch(slot)

    def _touch(self, slot: Slot) -> None:
        self._clock += 1
        slot.last_used = self._clock
