"""Memory sizes and keep-alive durations as operators and clients write them."""

from __future__ import annotations

import math

import pytest

from eclair.config import Settings
from eclair.engine.limits import FOREVER, describe_keep_alive, machine_memory, parse_keep_alive, parse_size


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (300, 300.0),
        (2.5, 2.5),
        (0, 0.0),
        (-1, FOREVER),
        (-0.5, FOREVER),
        ("300", 300.0),
        (" 42 ", 42.0),
        ("-1", FOREVER),
        ("5m", 300.0),
        ("1h30m", 5400.0),
        ("1.5h", 5400.0),
        ("500ms", 0.5),
        ("2m30s", 150.0),
        ("-1m", FOREVER),
        ("0s", 0.0),
        ("+10s", 10.0),
    ],
)
def test_keep_alive_as_ollama_reads_it(value: int | float | str, seconds: float) -> None:
    assert parse_keep_alive(value) == seconds


@pytest.mark.parametrize(
    "value", ["", "  ", "5x", "five minutes", "1d", "5 m", "m", "1e3", "--1m", "x" * 100]
)
def test_bad_keep_alive_says_what_is_expected(value: str) -> None:
    with pytest.raises(ValueError, match="is not a keep-alive: give seconds"):
        parse_keep_alive(value)


def test_keep_alive_refuses_booleans_and_nan() -> None:
    with pytest.raises(ValueError, match="not a boolean"):
        parse_keep_alive(True)
    with pytest.raises(ValueError, match="NaN"):
        parse_keep_alive(math.nan)


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (8_000_000_000, 8_000_000_000),
        ("8000000000", 8_000_000_000),
        ("8GB", 8_000_000_000),
        ("8gb", 8_000_000_000),
        ("8G", 8_000_000_000),
        ("8 GiB", 8 * 2**30),
        ("1.5GiB", int(1.5 * 2**30)),
        ("512M", 512_000_000),
        ("512MiB", 512 * 2**20),
        ("64KB", 64_000),
        ("1T", 10**12),
        ("100B", 100),
        ("50%", 500),
        ("100%", 1000),
        ("12.5 %", 125),
    ],
)
def test_memory_sizes(value: int | str, size: int) -> None:
    assert parse_size(value, total=1000) == size


@pytest.mark.parametrize("value", ["", "eight", "8XB", "0", "0.5", "-1GB", "0%", "101%", "8 G B"])
def test_bad_memory_sizes(value: str) -> None:
    with pytest.raises(ValueError, match=r"memory size|share|at least one byte"):
        parse_size(value, total=1000)


def test_default_budget_is_three_quarters_of_the_machine() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.models_memory_budget == int(machine_memory() * 0.75)
    assert 0 < machine_memory() < 2**50
    assert settings.models_keep_alive == 300.0 and settings.models_load_wait_s == 30.0


def test_settings_read_sizes_and_durations_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECLAIR_MODELS_MEMORY_BUDGET", "6GiB")
    monkeypatch.setenv("ECLAIR_MODELS_KEEP_ALIVE", "-1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.models_memory_budget == 6 * 2**30
    assert settings.models_keep_alive == FOREVER
    assert Settings(models_keep_alive="10m", _env_file=None).models_keep_alive == 600.0  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="'eight' is not a memory size"):
        Settings(models_memory_budget="eight", _env_file=None)  # type: ignore[call-arg]


def test_keep_alive_described_for_logs() -> None:
    assert [describe_keep_alive(s) for s in (300.0, 90.0, 0.5, FOREVER)] == ["5m", "90s", "0.5s", "forever"]
