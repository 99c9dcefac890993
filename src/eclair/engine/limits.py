"""The model pool's limits as people write them: memory sizes and keep-alive durations.

Contract:
- :func:`parse_size` reads a memory size: bytes (``8000000000``), a number with a unit
  (``8GB``, ``1.5 GiB``, ``512M``; K/M/G/T are powers of 1000, KiB/MiB/GiB/TiB of 1024, as
  :func:`eclair.transfer.human_size` prints them) or a share of this machine's memory (``75%``).
- :func:`machine_memory` is that machine's memory: the RAM, or the container's memory limit
  (cgroup v2 ``memory.max``, v1 ``memory.limit_in_bytes``) when it is lower, since that limit
  is where the out-of-memory killer strikes.
- :func:`parse_keep_alive` reads how long a model stays loaded after its last request, as
  Ollama takes it: seconds (``300``, ``"300"``, ``2.5``) or a Go duration (``"5m"``,
  ``"1h30m"``, ``"500ms"``); 0 unloads the model once the answer ends; any negative value
  keeps it loaded for good (:data:`FOREVER`, ``math.inf``).
Bad values raise :class:`ValueError` with a message fit to show a user as it is.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

FOREVER = math.inf
DEFAULT_BUDGET_SHARE = 0.75  # of machine_memory(): the default models_memory_budget

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_SIZE = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>[kmgt]i?b?|b)?", re.IGNORECASE)
_SHARE = re.compile(rf"(?P<number>{_NUMBER})\s*%")
_POWERS = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4}
_DURATION_PART = re.compile(rf"({_NUMBER})(ns|us|µs|μs|ms|s|m|h)")
_DURATION = re.compile(rf"[+-]?(?:{_NUMBER}(?:ns|us|µs|μs|ms|s|m|h))+")
_SECONDS_PER_UNIT = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_CGROUP_LIMITS = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
_MAX_TEXT = 64


def machine_memory() -> int:
    """This machine's memory in bytes: the RAM, or the container's limit if lower."""
    import psutil

    total = int(psutil.virtual_memory().total)
    for limit_file in _CGROUP_LIMITS:
        try:
            text = limit_file.read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            return int(text)
    return total


def default_memory_budget() -> int:
    return int(machine_memory() * DEFAULT_BUDGET_SHARE)


def parse_size(value: int | float | str, *, total: int | None = None) -> int:
    """Bytes that ``value`` names (module docstring); ``total`` is what 100 % is (this machine's
    memory when None)."""
    if isinstance(value, bool):
        raise ValueError("a memory size is a number of bytes, a size such as '8GB', or a share such as '75%'")
    if isinstance(value, int | float):
        return _whole_bytes(float(value), str(value))
    text = value.strip()
    if share := _SHARE.fullmatch(text):
        percent = float(share["number"])
        if not 0 < percent <= 100:
            raise ValueError(f"{text!r}: a share of the machine's memory is between 0 and 100 %")
        return max(1, int((machine_memory() if total is None else total) * percent / 100))
    size = _SIZE.fullmatch(text) if len(text) <= _MAX_TEXT else None
    if size is None:
        raise ValueError(f"{text!r} is not a memory size: write bytes, '8GB', '512MiB' or '75%'")
    unit = (size["unit"] or "").lower().removesuffix("b")
    base = 1024 if unit.endswith("i") else 1000
    return _whole_bytes(float(size["number"]) * base ** _POWERS[unit.removesuffix("i")], text)


def _whole_bytes(number: float, shown: str) -> int:
    if not math.isfinite(number) or number < 1:
        raise ValueError(f"{shown!r}: a memory size must be at least one byte")
    return int(number)


def parse_keep_alive(value: int | float | str) -> float:
    """Seconds a model stays loaded after its last request (module docstring); ``FOREVER`` for
    a negative value."""
    if isinstance(value, bool):
        raise ValueError("keep_alive is a number of seconds or a duration such as '5m', not a boolean")
    if isinstance(value, int | float):
        seconds = float(value)
        if math.isnan(seconds):
            raise ValueError("keep_alive must be a number, not NaN")
        return FOREVER if seconds < 0 else seconds
    text = value.strip()
    if not text or len(text) > _MAX_TEXT:
        raise ValueError(_duration_error(value))
    try:
        return parse_keep_alive(float(text)) if re.fullmatch(rf"[+-]?{_NUMBER}", text) else _duration(text)
    except ValueError:
        raise ValueError(_duration_error(text)) from None


def _duration(text: str) -> float:
    """Seconds of a Go duration (``1h30m``, ``-1m``, ``250ms``); negative is FOREVER."""
    if not _DURATION.fullmatch(text):
        raise ValueError(text)
    sign = -1.0 if text.startswith("-") else 1.0
    seconds = sum(float(n) * _SECONDS_PER_UNIT[unit] for n, unit in _DURATION_PART.findall(text))
    return FOREVER if sign < 0 and seconds > 0 else seconds


def _duration_error(value: str) -> str:
    return (
        f"{value!r} is not a keep-alive: give seconds (300), a duration ('5m', '1h30m', '500ms'), "
        "0 to unload the model after the answer, or -1 to keep it loaded"
    )


def describe_keep_alive(seconds: float) -> str:
    """``5m``, ``90s``, ``forever``: for logs and messages."""
    if seconds == FOREVER:
        return "forever"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}m"
    return f"{seconds:g}s"
