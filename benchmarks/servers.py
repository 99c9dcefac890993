"""Server processes and a streaming client shared by the scale-out benchmarks.

:class:`Server` runs ``eclair serve`` (any flags) as a subprocess on a free loopback port;
:func:`stream_chat` streams one chat completion with httpx and times every content chunk as
the client sees it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from eclair.bench.servers import ServerProcess, free_port


class Server(ServerProcess):
    """``eclair serve ARGS`` on 127.0.0.1; ``start()`` waits for ``/ready``."""

    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None):
        self.args = args
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env or {}
        self.data_dir = tempfile.mkdtemp(prefix="eclair-bench-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> Server:
        env = {**os.environ, "ECLAIR_DATA_DIR": self.data_dir, "ECLAIR_LOG_LEVEL": "warning", **self.env}
        command = [sys.executable, "-m", "eclair", "serve", "--port", str(self.port), *self.args]
        with Path(self.data_dir, "server.log").open("ab") as log:  # kept for post-mortems
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{command} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.url} not ready after {timeout}s")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux /proc)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class StreamResult:
    sent: float
    arrivals: list[float] = field(default_factory=list)
    error: str | None = None
    status: int = 0

    @property
    def ttft(self) -> float | None:
        return self.arrivals[0] - self.sent if self.arrivals else None

    @property
    def started(self) -> bool:
        return bool(self.arrivals)


def stream_chat(
    client: httpx.Client, url: str, model: str, content: str, max_tokens: int = 512
) -> StreamResult:
    """One streamed chat; records the arrival time of each content chunk and any error event."""
    body = {"model": model, "messages": [{"role": "user", "content": content}], "stream": True}
    body["max_tokens"] = max_tokens
    result = StreamResult(sent=time.perf_counter())
    try:
        with client.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
            result.status = response.status_code
            if response.status_code != 200:
                response.read()
                result.error = f"HTTP {response.status_code}: {response.text[:200]}"
                return result
            for line in response.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                payload = json.loads(line[6:])
                if "error" in payload:
                    result.error = payload["error"]["message"]
                    continue
                if payload["choices"] and payload["choices"][0]["delta"].get("content"):
                    result.arrivals.append(time.perf_counter())
    except httpx.HTTPError as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result
