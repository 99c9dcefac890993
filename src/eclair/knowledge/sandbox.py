"""Document extraction in worker processes: no upload ever runs a parser in the server.

Contract:
- :meth:`ExtractionPool.extract` turns a file's bytes into its stored text and chunk spans
  (:func:`extract_document`: :func:`~eclair.knowledge.extract.extract_text` under the caps of
  :class:`DocumentLimits`, then :func:`~eclair.knowledge.chunking.chunk_spans`) in one of at
  most ``workers`` processes, or raises the :class:`~eclair.errors.EclairError` that the
  extraction raised (unsupported type, empty file, a cap exceeded: 413 ``document_too_large``).
- Workers are started with ``spawn`` (a fork of the threaded server could inherit a lock
  that another thread held), on first use, and each serves one document at a time, then the
  next. Starting a worker does not count against the timeout.
- A document whose extraction takes longer than ``timeout_s`` gets its worker killed
  (SIGKILL; a parser cannot be interrupted any other way) and replaced on next use, and the
  upload 413 ``document_too_complex``. A worker that dies (a crash, the OOM killer): 400
  ``unreadable_file``. A bug in the extraction (an exception that is no EclairError) is
  logged with its traceback and answered the same.
- Waiting costs no thread: the event loop watches the worker's pipe (``add_reader``), so
  neither the default thread pool nor the loop is held while a document is parsed (the
  bytes go down the pipe and the text comes back up on the loop: a copy, milliseconds).
  What comes back is JSON of a bounded length, never a pickle: a worker that a hostile file
  took over must not be able to run code in the server by what it answers.
- Uploads wait for a worker in a short, fair line (:mod:`eclair.knowledge.queueing`): at
  most ``max_waiting`` wait, none longer than ``max_wait_s``, a user's flood delays others
  by one document at most, and a refused upload gets 429 (its owner's own backlog) or 503
  (everyone's) ``extraction_busy`` with ``Retry-After``. So every upload is answered within
  ``max_wait_s + timeout_s`` (1 + 4 = 5 s by default), waiting included. The pool works from any event loop (the
  server's, each ``asyncio.run`` of the CLI, a test's).
- :meth:`ExtractionPool.close` stops every worker, killing one still busy (its upload gets
  400); a pool garbage-collected unclosed kills its workers too.
Needs a selector-based event loop (``add_reader``): asyncio's default on Linux and macOS, and uvloop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import signal
import threading
import traceback
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from eclair.errors import EclairError, InvalidRequest, Overloaded, PayloadTooLarge
from eclair.knowledge.queueing import WorkerQueue

log = logging.getLogger(__name__)

READY = "ready"
START_TIMEOUT_S = 60.0  # a worker imports pypdf and trafilatura before it says it is ready


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """Caps on one document (see :mod:`eclair.knowledge.pdf` for how PDFs stop early)."""

    max_pages: int = 2000
    max_chars: int = 1_000_000
    max_chunks: int = 3000


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document's stored text and its chunks as ``(start, end)`` offsets into it."""

    text: str
    spans: list[tuple[int, int]]


def extract_document(data: bytes, filename: str, limits: DocumentLimits, chunk_chars: int) -> Extracted:
    """Text and chunk spans of a file, within ``limits``. Runs in a worker process."""
    from eclair.knowledge.chunking import chunk_spans
    from eclair.knowledge.extract import extract_text

    text = extract_text(data, filename, max_pages=limits.max_pages, max_chars=limits.max_chars)
    spans = [(c.start, c.end) for c in chunk_spans(text, max_chars=chunk_chars)]
    if len(spans) > limits.max_chunks:
        raise PayloadTooLarge(
            f"{filename!r} makes {len(spans):,} passages; the limit is {limits.max_chunks:,} (max_document_chunks)",
            param="file",
            code="document_too_large",
        )
    return Extracted(text, spans)


# -- the worker process ------------------------------------------------------------------


def serve(conn: Connection) -> None:
    """A worker's loop: say it is ready, then answer one job at a time until told to stop
    (``None``) or until the server's end of the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C hits the whole group; the server stops us
    import eclair.knowledge.extract  # noqa: F401  (imported before READY, not under a timeout)

    conn.send_bytes(json.dumps(READY).encode())
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send_bytes(json.dumps(_answer(*job), ensure_ascii=False).encode())


def _answer(data: bytes, filename: str, limits: DocumentLimits, chunk_chars: int) -> dict[str, Any]:
    try:
        extracted = extract_document(data, filename, limits, chunk_chars)
    except EclairError as exc:
        return {"error": [type(exc).__name__, exc.message, exc.param, exc.code]}
    except Exception:
        return {"bug": traceback.format_exc()}
    return {"text": extracted.text, "spans": extracted.spans}


def _answer_bytes(limits: DocumentLimits) -> int:
    """The longest answer a worker may send: the text in UTF-8 (at most 4 bytes a character,
    newlines escaped in 2) and the spans, with room to spare."""
    return 4 * limits.max_chars + 48 * limits.max_chunks + 65536


_ERRORS: dict[str, type[EclairError]] = {cls.__name__: cls for cls in (InvalidRequest, PayloadTooLarge)}


def _unreadable(filename: str) -> InvalidRequest:
    return InvalidRequest(f"{filename!r} could not be read", param="file", code="unreadable_file")


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, context: Any):
        ours, theirs = context.Pipe()
        self.process = context.Process(target=serve, args=(theirs,), name="eclair-extract", daemon=True)
        self.process.start()
        theirs.close()
        self.conn: Connection = ours

    async def receive(self, timeout: float, max_bytes: int = 65536) -> Any:
        """The worker's next message (JSON); TimeoutError past ``timeout``, EOFError if it
        died, OSError if it is longer than ``max_bytes``."""
        if not self.conn.poll():
            loop = asyncio.get_running_loop()
            readable: asyncio.Future[None] = loop.create_future()
            fd = self.conn.fileno()
            loop.add_reader(fd, _settle, readable)
            try:
                await asyncio.wait_for(readable, timeout)
            finally:
                loop.remove_reader(fd)
                # uvloop makes a watched fd non-blocking and leaves it so: a long answer
                # would then be read in part, and a long job written in part
                os.set_blocking(fd, True)
        return json.loads(self.conn.recv_bytes(max_bytes))

    def stop(self, kill: bool = False) -> None:
        """Ask the worker to exit (or kill it), and reap it. Blocks for milliseconds."""
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
            else:
                self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _kill_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.stop(kill=True)
    workers.clear()


class ExtractionPool:
    """Worker processes that extract documents (see module docstring)."""

    def __init__(
        self, *, workers: int = 2, timeout_s: float = 4.0, max_waiting: int = 8, max_wait_s: float = 1.0
    ):
        self.timeout_s = timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        # None: a slot whose process is not started yet (or was killed)
        self._slots: WorkerQueue[_Worker | None] = WorkerQueue(
            [None] * workers, max_waiting=max_waiting, max_wait_s=max_wait_s, dispose=self._retire
        )
        self._finalizer = weakref.finalize(self, _kill_all, self._live)

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the workers started and alive (for operators and tests)."""
        with self._lock:
            return sorted(w.process.pid for w in self._live if w.process.pid and w.process.is_alive())

    async def extract(
        self, data: bytes, filename: str, limits: DocumentLimits, chunk_chars: int, owner: str | None = None
    ) -> Extracted:
        """Text and chunk spans of a file, from a worker, in ``owner``'s turn (see module
        docstring and :mod:`eclair.knowledge.queueing`)."""
        worker = await self._slots.take(owner)
        try:
            if worker is not None and not worker.process.is_alive():  # died while idle
                self._discard(worker)
                worker = None
            if worker is None:
                worker = await self._start()
            worker.conn.send((data, filename, limits, chunk_chars))
            answer = await worker.receive(self.timeout_s, _answer_bytes(limits))
        except TimeoutError:
            self._discard(worker)
            worker = None
            raise PayloadTooLarge(
                f"{filename!r} took longer than {self.timeout_s:g} s to read (extraction_timeout_s)",
                param="file",
                code="document_too_complex",
            ) from None
        except (EOFError, OSError, ValueError):  # died, or answered too much or not JSON
            self._discard(worker)
            worker = None
            log.warning("the extraction worker failed while reading %r", filename, exc_info=True)
            raise _unreadable(filename) from None
        except BaseException:  # cancelled mid-document: the worker's state is unknown
            self._discard(worker)
            worker = None
            raise
        finally:
            self._slots.give_back(worker, owner)
        return self._result(answer, filename)

    @staticmethod
    def _result(answer: Any, filename: str) -> Extracted:
        if not isinstance(answer, dict):
            raise _unreadable(filename)
        if "error" in answer:
            name, message, param, code = answer["error"]
            raise _ERRORS.get(name, InvalidRequest)(str(message), param=param, code=code)
        if "bug" in answer:
            log.warning("extracting %r failed:\n%s", filename, answer["bug"])
            raise _unreadable(filename)
        text, spans = answer.get("text"), answer.get("spans")
        if not isinstance(text, str) or not isinstance(spans, list):
            raise _unreadable(filename)
        return Extracted(text, [(int(start), int(end)) for start, end in spans])

    async def _start(self) -> _Worker:
        worker = _Worker(self._context)
        with self._lock:
            self._live.add(worker)
        try:
            message = await worker.receive(START_TIMEOUT_S)
        except (TimeoutError, EOFError, OSError, ValueError):
            message = None
        except BaseException:
            self._discard(worker)
            raise
        if message != READY:
            self._discard(worker)
            raise Overloaded("the document reader could not start", code="extraction_unavailable")
        return worker

    def _discard(self, worker: _Worker | None) -> None:
        """Kill a worker whose state is unknown; its slot gets a fresh one on next use."""
        if worker is not None:
            with self._lock:
                self._live.discard(worker)
            worker.stop(kill=True)

    def _retire(self, worker: _Worker | None) -> None:
        """Stop a worker given back after close."""
        if worker is not None:
            with self._lock:
                self._live.discard(worker)
            worker.stop()

    def close(self) -> None:
        """Stop every worker (blocking, briefly); later extractions get 503."""
        idle = [w for w in self._slots.close() if w is not None]
        for worker in idle:
            self._retire(worker)
        with self._lock:
            busy = list(self._live)
        for worker in busy:  # their extraction gets EOF, discards them and answers 400
            worker.process.kill()


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
