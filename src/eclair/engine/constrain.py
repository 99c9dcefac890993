"""Grammar-constrained decoding, one sequence at a time, with llguidance.

Contract:
- :func:`vocabulary` builds llguidance's view of a llama.cpp vocabulary (an ``LLTokenizer``,
  about half a second for 50k tokens) once per loaded model, on the first constrained request.
- :func:`check_grammar` compiles a grammar off the event loop and raises
  :class:`~eclair.errors.InvalidRequest` when it is malformed or takes more than
  :data:`COMPILE_TIMEOUT_S` to compile (the compiling thread is abandoned; llguidance's own
  fuel limits end it). :class:`GrammarCache` keeps compiled grammars so that each request
  starts from a cheap copy.
- :class:`SequenceConstraint` is one request's grammar state inside the scheduler. Only that
  sequence's logits row is masked (disallowed tokens set to ``-inf``, in place, before its
  sampler or greedy pick reads it); the other sequences of the same ``llama_decode`` are
  untouched. With a trigger (a tool call the model may or may not open) nothing is computed
  per token but a substring test until the trigger appears in the output; from there the
  grammar holds, the trigger included.
- :class:`MaskWorker` computes the next masks of a step's constrained sequences on its own
  thread while ``llama_decode`` runs (both release the GIL); the scheduler waits for it
  before it picks tokens. A mask a draft position needs is computed on the spot.
- Termination: JSON is compiled without free whitespace (no endless blank lines), and when a
  sequence nears its ``max_tokens`` (:data:`CLOSING_RESERVE`), tokens that close something
  (``"``, ``]``, ``}``) or end the output are preferred whenever the grammar allows them, so a
  rambling small model still ends with a complete document.

Nothing here knows about slots, batches, HTTP or OpenAI shapes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from eclair.engine.protocol import Constraint
from eclair.errors import InvalidRequest

logger = logging.getLogger(__name__)

#: A grammar that does not compile within this many seconds is refused.
COMPILE_TIMEOUT_S = 1.0
#: Tokens before ``max_tokens`` from which closing tokens are preferred (a quarter of
#: ``max_tokens`` when that is smaller).
CLOSING_RESERVE = 64
#: Compiled grammars kept per model.
CACHE_SIZE = 64
_CLOSERS = (b'"', b"]", b"}")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """llguidance's tokenizer for one model, and which tokens close a JSON value."""

    tokenizer: Any  # llguidance.LLTokenizer
    n_vocab: int
    eog: frozenset[int]
    closers: npt.NDArray[np.bool_]  # by token id: its text closes a string, array or object
    ends: npt.NDArray[np.bool_]  # by token id: it ends generation


def vocabulary(vocab: Any, n_vocab: int, eog: frozenset[int]) -> Vocabulary:
    """The llguidance view of a llama.cpp vocabulary (``llama_vocab*``), as llguidance's own
    ``lltokenizer_from_vocab`` builds it (control tokens, and user-defined ones written like
    ``<...>``, are special), less its deprecated calls; every end-of-generation token ends a
    grammar. Slow (about half a second): build once per model."""
    import ctypes

    import llama_cpp
    from llguidance import LLTokenizer

    buffer = ctypes.create_string_buffer(16 * 1024)
    pieces: list[bytes] = []
    special = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
    for token in range(n_vocab):
        n = llama_cpp.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, True)
        piece = buffer.raw[: max(n, 0)]
        attr = llama_cpp.llama_vocab_get_attr(vocab, token)
        if attr & special or (
            attr & llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED and piece.startswith(b"<") and piece.endswith(b">")
        ):
            piece = b"\xff" + piece
        pieces.append(piece)
    tokenize = ctypes.cast(llama_cpp.llama_cpp._lib.llama_tokenize, ctypes.c_void_p).value
    tokenizer = LLTokenizer.from_llamacpp(  # type: ignore[attr-defined]
        tokens=pieces, vocab_ptr=vocab, tokenize_fptr=tokenize, eos_token=sorted(eog), slices=None
    )
    closers = np.fromiter(
        (not p.startswith(b"\xff") and any(c in p for c in _CLOSERS) for p in pieces),
        dtype=np.bool_,
        count=n_vocab,
    )
    ends = np.zeros(n_vocab, dtype=np.bool_)
    ends[sorted(eog)] = True
    return Vocabulary(tokenizer, n_vocab, eog, closers, ends)


def _compile(grammar: str, tokenizer: Any) -> Any:
    """A fresh matcher for ``grammar`` (``tokenizer`` None: only check it); InvalidRequest if bad."""
    from llguidance import LLMatcher

    if tokenizer is None:
        is_error, messages = LLMatcher.validate_grammar_with_warnings(grammar, None)
        if is_error:
            raise InvalidRequest(f"invalid grammar or schema: {messages[0]}", param="response_format")
        return None
    matcher = LLMatcher(tokenizer, grammar, log_level=0)
    if matcher.is_error():
        raise InvalidRequest(f"invalid grammar or schema: {matcher.get_error()}", param="response_format")
    return matcher


async def bounded(work: Callable[[], T], timeout_s: float = COMPILE_TIMEOUT_S) -> T:
    """``work()`` on a thread of its own, refused (InvalidRequest) if it takes over ``timeout_s``:
    the request is answered then, and the abandoned thread ends when ``work`` does."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if not done.done():
            done.set_exception(error) if error is not None else done.set_result(result)

    def run() -> None:
        try:
            result: Any = work()
            error: BaseException | None = None
        except BaseException as exc:  # handed to the waiting request
            result, error = None, exc
        # (the loop may have closed while an abandoned compilation ran: nobody waits for it)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="eclair-grammar", daemon=True).start()
    try:
        return await asyncio.wait_for(done, max(0.0, timeout_s))
    except TimeoutError:
        raise InvalidRequest(
            f"the schema or grammar is too complex: it did not compile within {COMPILE_TIMEOUT_S:g} s",
            param="response_format",
            code="grammar_too_complex",
        ) from None


async def check_grammar(grammar: str, tokenizer: Any, timeout_s: float = COMPILE_TIMEOUT_S) -> Any:
    """Compile ``grammar`` within ``timeout_s`` (see :func:`bounded`); the matcher (None
    without a tokenizer)."""
    return await bounded(lambda: _compile(grammar, tokenizer), timeout_s)


class GrammarCache:
    """Compiled matchers by grammar text (most recent :data:`CACHE_SIZE`); thread-safe."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, grammar: str, matcher: Any) -> None:
        with self._lock:
            self._items[grammar] = matcher
            self._items.move_to_end(grammar)
            while len(self._items) > CACHE_SIZE:
                self._items.popitem(last=False)

    def fresh(self, grammar: str, tokenizer: Any) -> Any:
        """A matcher at the start of ``grammar``: a copy of the cached one, else compiled now."""
        with self._lock:
            cached = self._items.get(grammar)
        if cached is None:
            cached = _compile(grammar, tokenizer)
            self.put(grammar, cached)
        return cached.deep_copy()


class SequenceConstraint:
    """One sequence's grammar: its matcher, its next-token mask, and the trigger it waits for."""

    __slots__ = (
        "_allowed",
        "_blocked",
        "_error",
        "_mask",
        "_matcher",
        "_ready",
        "_reserve",
        "_tail",
        "_trigger",
        "_vocab",
        "active",
    )

    def __init__(self, constraint: Constraint, vocab: Vocabulary, matcher: Any, *, max_tokens: int):
        self._vocab = vocab
        self._reserve = min(CLOSING_RESERVE, max_tokens // 4)
        self._matcher = matcher
        self._trigger = constraint.trigger.encode() if constraint.trigger else b""
        self._tail = b""  # recent output bytes, while waiting for the trigger
        self.active = not self._trigger
        self._mask = np.full((vocab.n_vocab + 31) // 32, -1, dtype=np.int32)
        self._allowed: npt.NDArray[np.intp] = np.empty(0, dtype=np.intp)
        self._blocked: npt.NDArray[np.intp] | None = None
        self._ready = False
        self._error: str | None = None

    @property
    def needs_mask(self) -> bool:
        """Whether the next pick needs a mask not computed yet (work for :class:`MaskWorker`)."""
        return self.active and not self._ready

    def compute(self) -> None:
        """Compute the allowed tokens for the matcher's current state (any thread: llguidance
        releases the GIL, and so does NumPy on arrays this size)."""
        try:
            self._matcher.unsafe_compute_mask_ptr(self._mask.ctypes.data, self._mask.nbytes)
            bits = np.unpackbits(self._mask.view(np.uint8), count=self._vocab.n_vocab, bitorder="little")
            self._allowed = np.flatnonzero(bits)
            # Masking writes whichever set is smaller: the allowed values kept, or the others.
            few = self._allowed.size * 2 <= bits.size
            self._blocked = None if few else np.flatnonzero(bits == 0)
        except Exception as exc:  # reported by apply(), on the scheduler thread
            self._error = str(exc)
        self._ready = True

    def apply(self, row: npt.NDArray[np.float32], remaining: int) -> None:
        """Mask ``row`` (this sequence's logits, modified in place) for its next token;
        ``remaining``: tokens it may still produce, for the closing preference."""
        if not self.active:
            return
        if not self._ready:
            self.compute()
        if self._error is not None or self._matcher.is_error():
            raise RuntimeError(f"grammar failed: {self._error or self._matcher.get_error()}")
        if remaining > self._reserve and self._blocked is not None:
            row[self._blocked] = -np.inf
            return
        allowed = self._allowed if remaining > self._reserve else self._closing(self._allowed)
        kept = row[allowed]
        row.fill(-np.inf)
        row[allowed] = kept

    def _closing(self, allowed: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        ends = allowed[self._vocab.ends[allowed]]
        if ends.size:
            return ends
        pressed = allowed[self._vocab.closers[allowed]]
        return pressed if pressed.size else allowed

    def consume(self, token: int, piece: bytes) -> None:
        """Record the token the sequence chose (``piece``: its bytes, for the trigger)."""
        if self.active:
            self._ready = False
            if token in self._vocab.eog and self._matcher.is_accepting():
                return
            if not self._matcher.consume_token(token):
                raise RuntimeError(f"grammar refused a token: {self._matcher.get_error()}")
            return
        if not self._trigger:
            return
        self._tail = (self._tail + piece)[-(len(self._trigger) + 64) :]
        at = self._tail.find(self._trigger)
        if at < 0:
            return
        # The call opens: the grammar takes over from the trigger, with what followed it in
        # this token (the matcher reads bytes, so any tokenization of them is accepted).
        tokens = self._vocab.tokenizer.tokenize_bytes(self._tail[at:])
        self.active = True
        self._ready = False
        if not self._matcher.consume_tokens(tokens):
            raise RuntimeError(f"the tool call opened badly: {self._matcher.get_error()}")


class _Pending:
    __slots__ = ("_future",)

    def __init__(self, future: Future[None] | None):
        self._future = future

    def wait(self) -> None:
        if self._future is not None:
            self._future.result()


def _compute_all(constraints: Sequence[SequenceConstraint]) -> None:
    for constraint in constraints:
        constraint.compute()


class MaskWorker:
    """One background thread for masks, so that they are ready when the decode returns."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    def start(self, constraints: Sequence[SequenceConstraint | None]) -> _Pending:
        """Start computing the masks ``constraints`` need; ``wait()`` on the result before
        picking tokens (nothing else may touch those constraints meanwhile)."""
        todo = [c for c in constraints if c is not None and c.needs_mask]
        if not todo:
            return _Pending(None)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="eclair-masks")
        return _Pending(self._pool.submit(_compute_all, todo))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
