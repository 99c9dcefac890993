"""Servers ``eclair bench`` can start itself, so every comparison runs side by side.

Each :class:`ServerSpec` names a command line and the environment that starts an
OpenAI-compatible server on the same GGUF with the same threads:

- ``eclair``: ``eclair serve`` with every engine feature on (the default);
- ``eclair-no-prefix``: prefix (KV) reuse off;
- ``eclair-no-spec``: prompt-lookup speculation off;
- ``eclair-no-state``: evicted conversations' KV states not saved (their history is prefilled
  again when they return); ``eclair-state-disk``: saved, with a RAM budget of 16 MiB so that
  most go to disk; ``eclair-2x-slots``: twice the slots, so no conversation is evicted (the
  exact reference for restored states);
- ``eclair-cold`` / ``eclair-cold-no-spec``: prefix reuse off, speculation on / off (the clean
  speculation comparison: float rounding of reused prefixes cannot differ between the two);
- ``llama-cpp-python``: ``python -m llama_cpp.server`` with ``--interrupt_requests False``
  (its default interrupts a running stream when a new request arrives);
- ``llama-server``: native llama.cpp ``llama-server -np N`` when a binary is given.

:func:`running` starts one, waits until it answers, yields its base URL and stops it (SIGTERM,
then SIGKILL). Only one server runs at a time: on a small machine they would steal each
other's cores.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import httpx


@dataclass(frozen=True)
class ServerSpec:
    name: str
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/v1/models"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The lifecycle of a server subprocess (benchmarks and tests): subclasses set
    ``self.process`` in ``start()``; ``stop()`` terminates, then kills after ``stop_timeout``."""

    process: subprocess.Popen[bytes] | None = None
    stop_timeout: float = 15.0

    def start(self) -> Self:
        raise NotImplementedError

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def server_specs(
    model: Path, *, threads: int, n_slots: int, ctx_size: int, llama_server: Path | None = None
) -> dict[str, ServerSpec]:
    """Every known server, keyed by name (``{port}`` is filled in at start)."""

    def eclair_argv(slots: int) -> tuple[str, ...]:
        return (
            sys.executable, "-m", "eclair", "serve", "--port", "{port}", "--model", str(model),
            "--threads", str(threads), "--n-slots", str(slots), "--ctx-size", str(ctx_size),
        )  # fmt: skip

    eclair = eclair_argv(n_slots)
    quiet = {"ECLAIR_LOG_LEVEL": "warning"}
    specs = {
        "eclair": ServerSpec("eclair", eclair, quiet),
        "eclair-no-prefix": ServerSpec("eclair-no-prefix", eclair, {**quiet, "ECLAIR_PREFIX_CACHE": "false"}),
        "eclair-no-spec": ServerSpec("eclair-no-spec", eclair, {**quiet, "ECLAIR_SPECULATIVE": "false"}),
        "eclair-no-state": ServerSpec("eclair-no-state", eclair, {**quiet, "ECLAIR_SEQ_STATE": "false"}),
        "eclair-state-disk": ServerSpec(
            "eclair-state-disk", eclair, {**quiet, "ECLAIR_SEQ_STATE_RAM": "16MiB"}
        ),
        "eclair-2x-slots": ServerSpec("eclair-2x-slots", eclair_argv(2 * n_slots), quiet),
        # Speculation alone (no prefix reuse on either side, so outputs compare like with like).
        "eclair-cold": ServerSpec("eclair-cold", eclair, {**quiet, "ECLAIR_PREFIX_CACHE": "false"}),
        "eclair-cold-no-spec": ServerSpec(
            "eclair-cold-no-spec",
            eclair,
            {**quiet, "ECLAIR_PREFIX_CACHE": "false", "ECLAIR_SPECULATIVE": "false"},
        ),
        "llama-cpp-python": ServerSpec(
            "llama-cpp-python",
            (
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--port",
                "{port}",
                "--n_threads",
                str(threads),
                "--n_threads_batch",
                str(threads),
                "--n_ctx",
                str(ctx_size),
                "--interrupt_requests",
                "False",
            ),
        ),
    }
    if llama_server is not None:
        specs["llama-server"] = ServerSpec(
            "llama-server",
            (
                str(llama_server),
                "-m",
                str(model),
                "--port",
                "{port}",
                "-t",
                str(threads),
                "-np",
                str(n_slots),
                "-c",
                str(ctx_size * n_slots),
            ),
        )
    return specs


@contextlib.contextmanager
def running(spec: ServerSpec, *, startup_s: float = 180.0) -> Iterator[str]:
    """Start ``spec``, yield its base URL once it answers, then stop it."""
    port = free_port()
    argv = [arg.replace("{port}", str(port)) for arg in spec.argv]
    with tempfile.TemporaryDirectory(prefix="eclair-bench-") as data_dir:
        env = {**os.environ, "ECLAIR_DATA_DIR": data_dir, **spec.env}
        log = Path(data_dir) / "server.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                argv, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(process, base + spec.ready_path, startup_s, log)
            yield base
        finally:
            _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], url: str, startup_s: float, log: Path) -> None:
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"server exited with {process.returncode}: {tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} within {startup_s:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


async def model_id(client: httpx.AsyncClient, base_url: str) -> str:
    """The model requests should name: the last one the server lists.

    Éclair lists its answer pipeline (``eclair``: retrieval, tools, grounding) first and the raw
    model last; speed comparisons are about the raw model, like every other server's.
    """
    response = await client.get(f"{base_url}/v1/models", timeout=10)
    response.raise_for_status()
    data = response.json().get("data") or [{}]
    return str(data[-1].get("id") or "default")
