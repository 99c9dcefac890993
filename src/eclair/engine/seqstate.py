"""Saved sequence states: more conversations than slots without prefilling their history again.

A slot's KV cache is lost when another conversation takes the slot. :class:`SequenceStates`
keeps it instead: just before a slot is reused, :meth:`SequenceStates.swap` copies the slot's
sequence state out of the llama context (``llama_state_seq_get_data``: the keys and values of
exactly the tokens the slot holds) into RAM, keyed by those tokens; when a conversation comes
back, the saved state whose tokens share the longest prefix with its prompt is copied into the
slot it gets (``llama_state_seq_set_data``), and only the rest of the prompt is prefilled.

Contract:
- A restored state is the same bytes that were saved: the continuation is exactly what the
  conversation would have produced had it kept its slot (at temperature 0, token for token).
  It is *not* bit-identical to a cold prefill of the same history, whose keys are computed in
  bulk rather than token by token (see :mod:`eclair.engine.slots`).
- Memory is bounded: saved states take at most ``ram_bytes`` of RAM; past it the least
  recently used ones are written to ``directory`` (one file each), which holds at most
  ``disk_bytes``; past that the least recently used are forgotten. A state larger than the
  RAM budget goes straight to disk, one larger than both is not kept. With no directory (or a
  zero disk budget) states past the RAM budget are forgotten.
- Only states worth it are kept: a slot is saved when the reuse would destroy at least
  ``min_tokens`` of its tokens, and a state is restored when it gives at least ``min_tokens``
  more of the prompt than the slot already holds. A saved state that a newer, longer save
  extends is dropped (the newer one holds it).
- Plain bookkeeping plus two llama.cpp calls, used from the scheduler thread only; the
  counters are ints that other threads may read at any time. A state that fails to load leaves
  its slot empty (the prompt is then prefilled in full), never a half-written sequence.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eclair.engine.slots import Slot, common_prefix

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class SavedState:
    """One saved sequence: the tokens whose keys and values it holds, in RAM or in a file."""

    tokens: list[int]
    nbytes: int
    data: bytes | None = None
    path: Path | None = None
    last_used: int = 0


@dataclass
class StateCounters:
    """What ``/metrics`` publishes (gauges first, then counters since the store was made)."""

    ram_bytes: int = 0
    disk_bytes: int = 0
    entries: int = 0
    saves: int = 0
    restores: int = 0
    restored_tokens: int = 0
    spills: int = 0
    evictions: int = 0
    failures: int = 0

    def as_stats(self) -> dict[str, int]:
        """These figures under :class:`~eclair.engine.protocol.EngineStats`'s field names."""
        return {
            "saved_state_ram_bytes": self.ram_bytes,
            "saved_state_disk_bytes": self.disk_bytes,
            "saved_states": self.entries,
            "state_saves": self.saves,
            "state_restores": self.restores,
            "state_restored_tokens": self.restored_tokens,
        }


def read_sequence(ctx: Any, seq: int) -> bytes:
    """The state of sequence ``seq`` of llama context ``ctx`` (its KV cells), as bytes."""
    import llama_cpp

    size = int(llama_cpp.llama_state_seq_get_size(ctx, seq))
    buffer = (ctypes.c_uint8 * size)()
    written = int(llama_cpp.llama_state_seq_get_data(ctx, buffer, size, seq))
    if written != size:
        raise RuntimeError(f"llama_state_seq_get_data wrote {written} of {size} bytes")
    return bytes(buffer)


def write_sequence(ctx: Any, seq: int, data: bytes) -> bool:
    """Load ``data`` (from :func:`read_sequence`) into sequence ``seq``, replacing what it held."""
    import llama_cpp

    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    return int(llama_cpp.llama_state_seq_set_data(ctx, buffer, len(data), seq)) > 0


@dataclass
class SequenceStates:
    """Saved states of the sequences evicted from their slots (module docstring)."""

    ram_bytes: int
    disk_bytes: int = 0
    directory: Path | None = None
    min_tokens: int = 32
    counters: StateCounters = field(default_factory=StateCounters)
    # The two llama.cpp calls (a test's fake context replaces them).
    read: Callable[[Any, int], bytes] = read_sequence
    write: Callable[[Any, int, bytes], bool] = write_sequence

    def __post_init__(self) -> None:
        self._entries: list[SavedState] = []
        self._clock = itertools.count(1)
        self._names = itertools.count()
        if self.directory is not None and self.disk_bytes > 0:
            self.directory = _own_directory(self.directory)

    # -- the scheduler's hook --------------------------------------------------------------

    def swap(self, ctx: Any, slot: Slot, prompt: list[int], shared: int) -> int:
        """Before ``slot`` (free, holding ``slot.tokens``) is given to ``prompt``, of which it
        holds ``shared`` leading tokens: save what the reuse would destroy, load a saved state
        that holds more of the prompt. Returns how many prompt tokens the slot now holds
        (``slot.tokens`` is updated to match its KV cache)."""
        best, best_shared = self._best(prompt)
        restore = best is not None and best_shared >= shared + self.min_tokens
        destroyed = len(slot.tokens) if restore else len(slot.tokens) - shared
        if destroyed >= self.min_tokens:
            self._save(ctx, slot)
        if not restore or best is None:
            return shared
        if self._load(ctx, slot, best):
            self.counters.restores += 1
            self.counters.restored_tokens += best_shared
            if best_shared == len(best.tokens):  # the slot now holds all of it, and will save more
                self._forget(best)
            return best_shared
        return 0

    def clear(self) -> None:
        """Forget every saved state (the model is unloaded: they mean nothing to the next one)."""
        for entry in list(self._entries):
            self._forget(entry)
        if self.directory is not None:
            with contextlib.suppress(OSError):
                self.directory.rmdir()

    # -- saving ------------------------------------------------------------------------------

    def _save(self, ctx: Any, slot: Slot) -> None:
        try:
            data = self.read(ctx, slot.seq)
        except Exception:  # the slot is reused anyway; only the saving is lost
            logger.exception("saving a sequence state failed")
            self.counters.failures += 1
            return
        tokens = list(slot.tokens)
        for entry in [e for e in self._entries if common_prefix(e.tokens, tokens) == len(e.tokens)]:
            self._forget(entry)  # the new state extends it
        entry = SavedState(tokens, len(data), data=data, last_used=next(self._clock))
        self._entries.append(entry)
        self.counters.ram_bytes += entry.nbytes
        self.counters.saves += 1
        self._fit()
        self.counters.entries = len(self._entries)

    def _fit(self) -> None:
        """Spill the least recently used RAM states to disk, then forget past the disk budget."""
        in_ram = sorted((e for e in self._entries if e.data is not None), key=lambda e: e.last_used)
        for entry in in_ram:
            if self.counters.ram_bytes <= self.ram_bytes:
                break
            self._spill(entry)
        on_disk = sorted((e for e in self._entries if e.path is not None), key=lambda e: e.last_used)
        for entry in on_disk:
            if self.counters.disk_bytes <= self.disk_bytes:
                break
            self._forget(entry)
            self.counters.evictions += 1

    def _spill(self, entry: SavedState) -> None:
        data, entry.data = entry.data, None
        self.counters.ram_bytes -= entry.nbytes
        if self.directory is None or entry.nbytes > self.disk_bytes or data is None:
            self._drop(entry)
            return
        path = self.directory / f"{next(self._names)}.kv"
        try:
            path.write_bytes(data)
        except OSError:
            logger.exception("writing a sequence state to %s failed", path)
            self.counters.failures += 1
            path.unlink(missing_ok=True)
            self._drop(entry)
            return
        entry.path = path
        self.counters.disk_bytes += entry.nbytes
        self.counters.spills += 1

    def _drop(self, entry: SavedState) -> None:
        self._entries.remove(entry)
        self.counters.evictions += 1
        self.counters.entries = len(self._entries)

    # -- restoring ---------------------------------------------------------------------------

    def _best(self, prompt: list[int]) -> tuple[SavedState | None, int]:
        best: SavedState | None = None
        best_shared = 0
        for entry in self._entries:
            shared = common_prefix(entry.tokens, prompt)
            if shared > best_shared:
                best, best_shared = entry, shared
        return best, best_shared

    def _load(self, ctx: Any, slot: Slot, entry: SavedState) -> bool:
        entry.last_used = next(self._clock)
        try:
            data = entry.data if entry.data is not None else entry.path.read_bytes()  # type: ignore[union-attr]
            loaded = self.write(ctx, slot.seq, data)
        except Exception:
            logger.exception("loading a sequence state failed")
            loaded = False
        if not loaded:  # llama.cpp cleared the sequence on failure; the slot holds nothing
            self.counters.failures += 1
            slot.tokens = []
            self._forget(entry)
            return False
        slot.tokens = list(entry.tokens)
        return True

    def _forget(self, entry: SavedState) -> None:
        if entry not in self._entries:
            return
        self._entries.remove(entry)
        if entry.data is not None:
            self.counters.ram_bytes -= entry.nbytes
            entry.data = None
        if entry.path is not None:
            with contextlib.suppress(OSError):
                entry.path.unlink()
            self.counters.disk_bytes -= entry.nbytes
            entry.path = None
        self.counters.entries = len(self._entries)


def _own_directory(parent: Path) -> Path:
    """A new empty folder in ``parent/<pid>/`` (one per store: a process may serve several
    models); the folders of processes no longer running are removed (their states belonged to
    contexts that are gone)."""
    parent.mkdir(parents=True, exist_ok=True)
    for folder in parent.iterdir():
        if folder.is_dir() and folder.name.isdigit() and not _running(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
    mine = parent / str(os.getpid())
    mine.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=mine))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: not ours to clean
        return True
    return True
