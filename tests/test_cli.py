"""The ``eclair`` command: flags derived from settings, clear errors, in-process answers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from eclair.cli import app, settings_options
from eclair.config import Settings

runner = CliRunner()


def test_serve_has_one_flag_per_setting() -> None:
    result = runner.invoke(app, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for name in Settings.model_fields:
        assert "--" + name.replace("_", "-") in result.output


def test_bad_setting_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "invalid setting 'port'" in result.output
    assert "Traceback" not in result.output


def test_missing_model_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["serve", "--model", str(tmp_path / "nope.gguf"), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "model file not found" in result.output


def test_ask_in_process_json(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECLAIR_BACKEND", "fake")
    monkeypatch.setenv("ECLAIR_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["ask", "--json", "hello there"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["object"] == "chat.completion"
    assert "hello there" in body["choices"][0]["message"]["content"]
    assert "eclair" in body


def test_ask_streams_text(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECLAIR_BACKEND", "fake")
    monkeypatch.setenv("ECLAIR_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["ask", "bonjour"])
    assert result.exit_code == 0
    assert "bonjour" in result.output


def test_chat_repl_reset_and_exit(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECLAIR_BACKEND", "fake")
    monkeypatch.setenv("ECLAIR_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["chat"], input="first\n/reset\nsecond\n/exit\n")
    assert result.exit_code == 0, result.output
    assert "first" in result.output and "conversation cleared" in result.output and "second" in result.output


def test_ask_against_unreachable_server_is_a_clear_error() -> None:
    result = runner.invoke(app, ["ask", "--url", "http://127.0.0.1:9", "hi"])
    assert result.exit_code == 1
    assert "cannot reach" in result.output and "Traceback" not in result.output


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eclair", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("eclair ")


def test_size_and_duration_flags_take_text() -> None:
    """``--models-memory-budget 8GB`` and ``--models-keep-alive 5m``: parsed by the settings, not
    refused by the CLI as not a number."""
    seen: list[Settings] = []

    def capture(settings: Settings) -> None:
        seen.append(settings)

    probe = typer.Typer()
    probe.command()(settings_options(capture))
    result = runner.invoke(probe, ["--models-memory-budget", "8GiB", "--models-keep-alive", "1h30m"])
    assert result.exit_code == 0, result.output
    assert seen[0].models_memory_budget == 8 * 2**30 and seen[0].models_keep_alive == 5400.0
    refused = runner.invoke(app, ["serve", "--models-keep-alive", "5x"])
    assert refused.exit_code == 2 and "invalid setting 'models_keep_alive'" in refused.output
