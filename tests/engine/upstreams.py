"""Real upstream servers for the remote backend's tests.

- :class:`EclairUpstream`: ``eclair serve --backend fake`` as a subprocess on a free port
  (deterministic echo replies, optional delay per token); it can be killed and restarted.
- :class:`ScriptedServer`: a tiny raw-socket HTTP server in the test's event loop, whose
  connections follow a script (an SSE stream that stalls, a 503, a connection dropped after
  the headers), for behaviour no real server shows on demand.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path

from eclair.bench.servers import ServerProcess
from tests.conftest import free_port, wait_ready

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class EclairUpstream(ServerProcess):
    stop_timeout = 10.0

    def __init__(self, data_dir: Path, *args: str, port: int | None = None):
        self.data_dir = data_dir
        self.args = args
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.base = f"{self.url}/v1"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> EclairUpstream:
        env = {**os.environ, "ECLAIR_DATA_DIR": str(self.data_dir), "ECLAIR_LOG_LEVEL": "warning"}
        command = [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, *self.args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_ready(self.url, timeout=timeout, process=self.process)
        return self


def sse_chunk(text: str | None = None, finish: str | None = None, **extra: object) -> bytes:
    delta = {} if text is None else {"content": text}
    payload = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(payload)}\n\n".encode()


class ScriptedServer:
    """Each new connection reads one request, then runs the next handler of the script."""

    def __init__(self) -> None:
        self.script: deque[Handler] = deque()
        self.requests: list[dict[str, object]] = []
        self.closed = asyncio.Event()
        self.port = 0
        self._server: asyncio.Server | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.decode().split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = await reader.readexactly(length) if length else b""
        if head.startswith(b"GET "):  # model listing and health checks are not scripted
            handler = listing
        else:
            self.requests.append(json.loads(body) if body else {})
            handler = self.script.popleft() if self.script else status(500, "script exhausted")
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


async def listing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model"}]}).encode()
    writer.write(
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()


def status(code: int, message: str, headers: dict[str, str] | None = None) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = json.dumps({"error": {"message": message, "type": "x", "param": None, "code": None}}).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        writer.write(
            f"HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{extra}\r\n".encode()
            + body
        )
        await writer.drain()

    return handler


def stream(*chunks: bytes, then: str = "done", server: ScriptedServer | None = None) -> Handler:
    """Stream ``chunks`` as SSE, then ``done`` ([DONE] and close), ``stall`` (wait until the
    client goes away, setting ``server.closed``) or ``drop`` (close mid-body)."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n"
        )
        for chunk in chunks:
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        if then == "done":
            done = b"data: [DONE]\n\n"
            writer.write(f"{len(done):x}\r\n".encode() + done + b"\r\n0\r\n\r\n")
            await writer.drain()
        elif then == "stall":
            await reader.read()  # returns b"" once the client closes its end
            if server is not None:
                server.closed.set()

    return handler


def stall(server: ScriptedServer | None = None) -> Handler:
    """Accept the request and never answer; note when the client hangs up."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        if server is not None:
            server.closed.set()

    return handler
