"""How many joules one CPU-second costs on this machine, from codecarbon.

Two sources, best first:

1. **RAPL** (Intel RAPL / AMD energy counters under ``/sys/class/powercap``), when the
   machine exposes them readably: codecarbon's :class:`~codecarbon.core.cpu.IntelRAPL` reads
   the package energy counters; :class:`RaplCalibration` divides the energy they count over
   an interval by the busy CPU time of the whole machine over the same interval (psutil),
   which gives measured joules per busy CPU-second.
2. **codecarbon's CPU power model**: the processor is identified (py-cpuinfo) and looked up
   in codecarbon's TDP table (``cpu_power.csv``); unknown processors get codecarbon's own
   default of 4 W per thread. As in codecarbon's ``tracking_mode="process"``, a process
   that keeps one logical CPU busy draws ``TDP / logical CPUs`` watts.

Contract: nothing here starts a thread, opens a network connection or writes a file. The
processor lookup runs once per process (``py-cpuinfo`` spawns one short Python subprocess
and codecarbon probes for ``nvidia-smi``/``rocm-smi``), off the event loop, at start-up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_RAPL_DIR = "/sys/class/powercap/intel-rapl/subsystem"


@dataclass(frozen=True, slots=True)
class ProcessorPower:
    """codecarbon's power model for this machine's processor."""

    model: str
    tdp_w: float
    threads: int
    # True when codecarbon did not know the processor and used its default per thread.
    generic: bool

    @property
    def watts_per_thread(self) -> float:
        return self.tdp_w / max(1, self.threads)

    def describe(self) -> str:
        source = (
            "codecarbon's default for processors missing from its TDP table"
            if self.generic
            else "TDP from codecarbon's processor table"
        )
        return (
            f"{self.model or 'unknown CPU'}: {self.tdp_w:g} W for {self.threads} threads "
            f"({source}), so {self.watts_per_thread:.3g} W per busy thread"
        )


_detect_lock = threading.Lock()


def detect_processor() -> ProcessorPower:
    """Identify the processor and its TDP with codecarbon (once per process: the hardware does
    not change; concurrent callers wait for the first)."""
    with _detect_lock:
        return _detect_processor()


@lru_cache(maxsize=1)
def _detect_processor() -> ProcessorPower:
    from codecarbon.core import cpu
    from codecarbon.core.util import count_cpus

    # codecarbon warns loudly (and points at its web site) for unknown processors; we say
    # the same thing once, in our own words, in ``describe()``.
    codecarbon_logger = logging.getLogger("codecarbon")
    level = codecarbon_logger.level
    codecarbon_logger.setLevel(logging.ERROR)
    try:
        threads = int(count_cpus() or 1)
        tdp = cpu.TDP()
    finally:
        codecarbon_logger.setLevel(level)
    default_total = cpu.DEFAULT_POWER_PER_CORE * threads
    if tdp.tdp is None:
        return ProcessorPower(model=tdp.model, tdp_w=float(default_total), threads=threads, generic=True)
    generic = float(tdp.tdp) == float(default_total)
    return ProcessorPower(model=tdp.model, tdp_w=float(tdp.tdp), threads=threads, generic=generic)


def open_rapl(rapl_dir: str = DEFAULT_RAPL_DIR) -> Any | None:
    """codecarbon's RAPL reader if this machine exposes readable package counters, else None."""
    from codecarbon.core.cpu import IntelRAPL, is_rapl_available

    try:
        if not is_rapl_available(rapl_dir):
            return None
        rapl = IntelRAPL(rapl_dir=rapl_dir)
        rapl.start()
    except (OSError, SystemError) as exc:
        logger.info("RAPL counters not usable (%s): using the CPU power model", exc)
        return None
    return rapl


def machine_busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy (all CPUs, everything but idle/iowait)."""
    import psutil

    times = psutil.cpu_times()
    idle = getattr(times, "idle", 0.0) + getattr(times, "iowait", 0.0)
    return float(sum(times)) - idle


class RaplCalibration:
    """Joules per busy CPU-second, measured from RAPL energy counters.

    :meth:`sample` (cheap; at most one real reading per ``min_interval_s``) reads the energy
    the packages used since the previous reading and the machine's busy CPU time over the
    same interval; the ratio is smoothed (exponential moving average) so that one noisy
    interval does not swing the figures.
    """

    def __init__(
        self,
        rapl: Any,
        *,
        busy_cpu_s: Callable[[], float] = machine_busy_cpu_s,
        clock: Callable[[], float] = time.monotonic,
        min_interval_s: float = 1.0,
        smoothing: float = 0.3,
    ):
        self._rapl = rapl
        self._busy_cpu_s = busy_cpu_s
        self._clock = clock
        self._min_interval_s = min_interval_s
        self._smoothing = smoothing
        self._lock = threading.Lock()
        self._last_time = clock()
        self._last_busy = busy_cpu_s()
        self.joules_per_cpu_s: float | None = None

    def sample(self) -> float | None:
        """Update the calibration if enough time has passed; return the current value."""
        from codecarbon.core.units import Time

        with self._lock:
            now = self._clock()
            elapsed = now - self._last_time
            if elapsed < self._min_interval_s:
                return self.joules_per_cpu_s
            busy = self._busy_cpu_s()
            details = self._rapl.get_cpu_details(Time.from_seconds(elapsed))
            kwh = sum(v for k, v in details.items() if "Energy" in k)
            busy_delta = busy - self._last_busy
            self._last_time, self._last_busy = now, busy
            # An almost idle interval says little about the cost of work: keep the last value.
            if busy_delta >= 0.05 and kwh > 0:
                measured = kwh * 3.6e6 / busy_delta
                previous = self.joules_per_cpu_s
                self.joules_per_cpu_s = (
                    measured if previous is None else previous + self._smoothing * (measured - previous)
                )
            return self.joules_per_cpu_s
