"""The shipped suite through ``eclair eval``'s runner against a real ``eclair serve --backend fake``.

The fake engine echoes the question, so the figures say nothing about answer quality; what
this checks is the wire: every item of the shipped suite goes through the official client to
the real server and back, uploads included once the server has ``/v1/files``, and the
side-by-side mode runs as soon as the server lists ``eclair``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from eclair.evaluation.report import summarise
from eclair.evaluation.runner import RunOptions, run_suite
from eclair.evaluation.suite import load_suite
from tests.conftest import free_port, wait_ready

SUITE = Path(__file__).resolve().parents[2] / "evals" / "simple-questions.jsonl"


@pytest.fixture(scope="module")
def fake_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    data_dir = tmp_path_factory.mktemp("eval-serve")
    env = {**os.environ, "ECLAIR_DATA_DIR": str(data_dir), "ECLAIR_LOG_LEVEL": "warning"}
    log = (data_dir / "server.log").open("wb")
    command = [sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, timeout=60, process=process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.slow
def test_shipped_suite_runs_end_to_end(fake_serve: str) -> None:
    files_endpoint = httpx.get(f"{fake_serve}/v1/files", timeout=10).status_code != 404
    with openai.OpenAI(base_url=f"{fake_serve}/v1", api_key="none", timeout=60) as client:
        served = [m.id for m in client.models.list()]
        model = "both" if "eclair" in served else "raw"
        run = run_suite(SUITE, client, model, options=RunOptions(upload=files_endpoint, max_tokens=64))
    suite = load_suite(SUITE)
    assert [m.label for m in run.runs] == (["raw", "eclair"] if model == "both" else ["raw"])
    for model_run in run.runs:
        assert len(model_run.results) == len(suite)
        assert summarise(model_run)["errors"] == 0, [
            r.reply.error for r in model_run.results if r.reply.error
        ]
    raw = summarise(run.runs[0])
    # An echo never states a computed result nor a weekday, and always says something.
    assert raw["categories"]["arithmetic"]["correct"] == 0 and raw["categories"]["dates"]["correct"] == 0
    assert raw["categories"]["chitchat"]["correct"] == raw["categories"]["chitchat"]["total"]
    if files_endpoint:
        assert len(run.uploads) == len(suite.documents())
