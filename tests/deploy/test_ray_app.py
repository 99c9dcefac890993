"""Engine replicas on a real local Ray cluster, behind Éclair's API (``--backend ray``).

Everything Ray runs in subprocesses (the head, ``python -m eclair.deploy``, ``eclair serve``),
so this test process never imports Ray."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import free_port, wait_ready
from tests.deploy.ray_cluster import RayCluster

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="the ray extra is not installed"),
]


def stream(url: str, words: int) -> tuple[int, str | None]:
    """(content chunks received, error message or None) of one streamed chat."""
    body = {
        "model": "fake-model",
        "stream": True,
        "messages": [{"role": "user", "content": " ".join(["word"] * words)}],
    }
    chunks, error = 0, None
    try:
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=60) as response:
            if response.status_code != 200:
                response.read()
                return 0, f"HTTP {response.status_code}: {response.text}"
            for line in response.iter_lines():
                if not line.startswith("data: {"):
                    continue
                payload = json.loads(line[6:])
                if "error" in payload:
                    error = payload["error"]["message"]
                elif payload["choices"] and payload["choices"][0]["delta"].get("content"):
                    chunks += 1
    except httpx.HTTPError as exc:
        error = str(exc)
    return chunks, error


@pytest.fixture(scope="module")
def cluster() -> Iterator[RayCluster]:
    ray = RayCluster(num_cpus=4).start()
    try:
        yield ray
    finally:
        ray.stop()


@pytest.fixture(scope="module")
def api(cluster: RayCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine_env = {"ECLAIR_BACKEND": "fake", "ECLAIR_FAKE_TOKEN_DELAY_S": "0.05"}
    cluster.deploy("--replicas", "2", "--cpus-per-replica", "1", env=engine_env)
    port = free_port()
    data_dir = tmp_path_factory.mktemp("ray-api")
    log = (data_dir / "api.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "eclair", "serve", "--backend", "ray", "--port", str(port)],
        env={**cluster.env, "ECLAIR_DATA_DIR": str(data_dir), "ECLAIR_LOG_LEVEL": "warning"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, timeout=120, process=process)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def test_requests_spread_over_both_replicas(cluster: RayCluster, api: str) -> None:
    results: list[tuple[int, str | None]] = []
    threads = [threading.Thread(target=lambda: results.append(stream(api, 8))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [error for _, error in results if error] == []
    assert all(chunks == 9 for chunks, _ in results)  # "Echo: " + 8 words
    served = cluster.replicas()
    assert len(served) == 2 and all(count > 0 for count in served.values()), served
    assert sum(served.values()) >= 16


def test_a_replica_killed_under_load_loses_no_unstarted_request(cluster: RayCluster, api: str) -> None:
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            chunks, error = stream(api, 20)  # about a second per answer
            if error is None:
                outcomes["completed"] += 1
            elif chunks:
                outcomes["clean mid-stream error"] += 1
            else:
                outcomes["lost"] += 1
                errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    killed = cluster.kill_a_replica()
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join(120)
    assert killed
    assert outcomes["lost"] == 0, errors[:3]
    assert outcomes["completed"] > 10
    # Serve replaces the dead replica: two answer again
    assert len(cluster.replicas()) == 2
