"""A throwaway local Ray cluster (``ray start --head --block`` on 127.0.0.1) and helpers that
talk to it from subprocesses, so that the test process itself never imports Ray."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import free_port

RAY = str(Path(sys.executable).with_name("ray"))

_REPLICAS_SCRIPT = """
import json, sys, time, ray
from ray import serve
ray.init(log_to_driver=False)
handle = serve.get_deployment_handle("EngineReplica", "eclair-engine")
want, deadline, calls, seen = int(sys.argv[1]), time.monotonic() + 120, 0, {}
while (len(seen) < want or calls < 20) and time.monotonic() < deadline:
    name, served = handle.whoami.remote().result()
    seen[name] = max(served, seen.get(name, 0))
    calls += 1
print(json.dumps(seen))
"""

_KILL_SCRIPT = """
import ray
ray.init(log_to_driver=False)
names = [a["name"] for a in ray.util.list_named_actors(all_namespaces=True) if "EngineReplica" in a["name"]]
ray.kill(ray.get_actor(sorted(names)[0], namespace="serve"), no_restart=True)
print(sorted(names)[0])
"""


class RayCluster:
    def __init__(self, num_cpus: int = 4, worker_niceness: int | None = None):
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        # Ray's socket paths must stay short: a directory directly under /tmp
        self.temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")
        self.num_cpus = num_cpus
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {**os.environ, "RAY_ADDRESS": self.address, "PYTHONWARNINGS": "ignore"}
        if worker_niceness is not None:  # Ray starts workers at nice 15 unless told otherwise
            self.env["RAY_worker_niceness"] = str(worker_niceness)

    def start(self, timeout: float = 120.0) -> RayCluster:
        command = [
            RAY, "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(self.port),
            "--num-cpus", str(self.num_cpus), "--include-dashboard", "false", "--disable-usage-stats",
            "--object-store-memory", "150000000", "--temp-dir", self.temp_dir,
        ]  # fmt: skip
        with Path(self.temp_dir, "head.log").open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ray start exited: {Path(self.temp_dir, 'head.log').read_text()[-2000:]}")
            if b"block forever" in Path(self.temp_dir, "head.log").read_bytes():
                return self
            time.sleep(0.5)
        raise TimeoutError("the Ray head did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # `ray start --block` stops most of what it started
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
        # Ray's agents can outlive the head: end what still uses this cluster's directory
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in self._leftovers():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            time.sleep(3)
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def _leftovers(self) -> list[int]:
        """Processes whose command line or open files mention this cluster's temp dir."""
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if self.temp_dir.encode() in (proc / "cmdline").read_bytes() or any(
                    os.readlink(fd).startswith(self.temp_dir) for fd in (proc / "fd").iterdir()
                ):
                    found.append(int(proc.name))
            except OSError:
                continue
        return [pid for pid in found if pid != os.getpid()]

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> str:
        done = subprocess.run(
            args,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args} failed: {done.stdout[-2000:]} {done.stderr[-3000:]}")
        return done.stdout

    def deploy(self, *flags: str, env: dict[str, str] | None = None) -> None:
        self.run(sys.executable, "-m", "eclair.deploy", *flags, env=env)

    def replicas(self, want: int = 2) -> dict[str, int]:
        """Answers finished per replica, asking ``whoami`` until ``want`` replicas answered
        (Ray spreads the calls; a replacement replica may still be starting)."""
        output = self.run(sys.executable, "-c", _REPLICAS_SCRIPT, str(want))
        return json.loads(output.strip().splitlines()[-1])

    def kill_a_replica(self) -> str:
        return self.run(sys.executable, "-c", _KILL_SCRIPT).strip().splitlines()[-1]
