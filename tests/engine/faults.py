"""Fault injection for the flash engine: a runtime that fails on cue.

:class:`FaultyRuntime` wraps the real :class:`~eclair.engine.llama_runtime.LlamaRuntime`
(``LlamaCppEngine(runtime_hook=FaultyRuntime)``) and does what it does, except where a test
queued a fault:

- ``decode``: a ``llama_decode`` result code returned *without decoding* (``NO_KV_SLOT``: the
  cache had no room; a negative code: the batch failed), or an exception raised. Faults are
  queued (:meth:`FaultyRuntime.fail_decodes`) or scheduled every N decodes
  (:meth:`FaultyRuntime.fail_every`);
- ``seq_rm`` (the first runtime call of an admission; also called when drafts are rejected,
  so tests that arm it turn speculation off): an exception raised;
- ``decode`` and ``clear_memory`` (the first thing a rebuilt scheduler does) can be *held*
  until the test lets them go: a stalled loop, and an observable "restarting" window.

:class:`LoopKilled` is a ``BaseException``: the scheduler's per-request and per-batch handlers
catch ``Exception`` only, so raising it from ``decode`` ends the scheduler thread itself, as a
bug in the loop would.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from eclair.config import bundled_model_path
from eclair.engine.llama_cpp import LlamaCppEngine
from eclair.engine.llama_runtime import Batch, LlamaRuntime

#: A decode result code, an exception to raise from decode, or ADMISSION: the decode runs,
#: and the next admission fails instead.
Fault = int | BaseException | str
ADMISSION = "admission"


class LoopKilled(BaseException):
    """Raised inside the scheduler loop: nothing in the loop catches it, so the thread ends."""


class FaultyRuntime:
    def __init__(self, real: LlamaRuntime):
        self.real = real
        self.n_seq_max = real.n_seq_max
        self.n_ctx_seq = real.n_ctx_seq
        self.n_vocab = real.n_vocab
        self.eog = real.eog
        self.decodes = 0  # decode calls, faulty ones included
        self.injected: list[Fault] = []
        self._queued: deque[Fault] = deque()
        self._every = 0
        self._cycle: Iterator[Fault] = iter(())
        self._admission_faults: deque[BaseException] = deque()
        self.held = threading.Event()  # set while a held call waits
        self._hold_clear = False
        self._hold_decode = False
        self._release = threading.Event()
        self.sizes: list[int] = []  # tokens of each decode's batch

    # -- arming (test side) ---------------------------------------------------------------

    def fail_decodes(self, *faults: Fault) -> None:
        """The next decodes answer these, in order, instead of decoding."""
        self._queued.extend(faults)

    def fail_every(self, n: int, faults: Iterable[Fault]) -> None:
        """Every ``n``-th decode answers the next of ``faults`` (cycled) instead of decoding."""
        self._every, self._cycle = n, itertools.cycle(list(faults))

    def fail_next_admission(self, error: BaseException) -> None:
        self._admission_faults.append(error)

    def stop_faults(self) -> None:
        """No more faults: whatever is queued or scheduled is dropped."""
        self._queued.clear()
        self._admission_faults.clear()
        self._every = 0

    def hold_clear_memory(self) -> None:
        """The next clear_memory (a rebuilt scheduler's first act) waits for :meth:`release`."""
        self._release.clear()
        self._hold_clear = True

    def hold_next_decode(self) -> None:
        """The next decode waits for :meth:`release`: the scheduler thread stalls."""
        self._release.clear()
        self._hold_decode = True

    def release(self) -> None:
        self._release.set()

    def _wait_if_held(self, held: bool) -> None:
        if held:
            self.held.set()
            self._release.wait(60)
            self.held.clear()

    # -- the runtime ----------------------------------------------------------------------

    @property
    def ctx(self) -> Any:
        return self.real.ctx

    def piece(self, token: int) -> bytes:
        return self.real.piece(token)

    def decode(self, batch: Batch) -> int:
        self.decodes += 1
        self.sizes.append(batch.n)
        held, self._hold_decode = self._hold_decode, False
        self._wait_if_held(held)
        fault: Fault | None = None
        if self._queued:
            fault = self._queued.popleft()
        elif self._every and self.decodes % self._every == 0:
            fault = next(self._cycle)
        if fault is None:
            return self.real.decode(batch)
        self.injected.append(fault)
        if fault == ADMISSION:
            self.fail_next_admission(RuntimeError("injected admission fault"))
            return self.real.decode(batch)
        if isinstance(fault, BaseException):
            raise type(fault)(*fault.args)  # a fresh one each time: no traceback piles up
        assert isinstance(fault, int)
        return fault

    def logits(self, n_rows: int) -> npt.NDArray[np.float32]:
        return self.real.logits(n_rows)

    def seq_rm(self, seq: int, p0: int, p1: int = -1) -> None:
        if self._admission_faults:
            raise self._admission_faults.popleft()
        self.real.seq_rm(seq, p0, p1)

    def clear_memory(self) -> None:
        held, self._hold_clear = self._hold_clear, False
        self._wait_if_held(held)
        self.real.clear_memory()


class FaultyEngine:
    """A bundled-model :class:`LlamaCppEngine`, not started, whose runtime is a FaultyRuntime
    (``runtime`` once the engine is started)."""

    def __init__(self, **options: object):
        settings = {
            "model_id": "smollm2", "threads": 1, "n_slots": 4, "context_size": 512, "prefix_cache": False,
            **options,
        }  # fmt: skip
        self._made: list[FaultyRuntime] = []
        self.engine = LlamaCppEngine(bundled_model_path(), runtime_hook=self._wrap, **settings)  # type: ignore[arg-type]

    def _wrap(self, real: LlamaRuntime) -> FaultyRuntime:
        self._made.append(FaultyRuntime(real))
        return self._made[-1]

    @property
    def runtime(self) -> FaultyRuntime:
        return self._made[-1]
