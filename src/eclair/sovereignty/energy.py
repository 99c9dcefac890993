"""Energy (Wh) and carbon (gCO2e) of each answer.

Contract:

- Every answer gets an :class:`EnergyReport` ``{"wh", "gco2e", "zone", "method"}``; ``method``
  states how the figure was obtained and under which assumption. No number here is a
  home-made constant: power comes from codecarbon (:mod:`eclair.sovereignty.cpu_power`),
  carbon intensity from EcoLogits' electricity-mix repository (``ECLAIR_ENERGY_ZONE``, an
  ISO 3166-1 alpha-3 code; ``FRA`` by default), and the impacts of remote GPU inference from
  EcoLogits' ``compute_llm_impacts``.
- Local engines (the embedded llama.cpp): energy = CPU seconds of the request × joules per
  busy CPU-second (RAPL when readable, else codecarbon's TDP per thread). The CPU seconds are
  the engine's own measure (``Finished.cpu_s``) when it gives one; otherwise the process's
  CPU time over the answer's lifetime times the answer's share of the tokens the engine
  processed meanwhile (its ``stats()`` counters); for answers no engine produced (tool
  answers), the event-loop CPU time spent on the answer's steps. Only the processor is counted: not memory,
  disks, fans, power-supply losses or the machine's idle draw between requests, and no PUE
  (a machine you own, not a data centre).
- Remote engines (an engine whose class says ``is_remote = True``): EcoLogits' model of GPU inference
  from the model's parameter count (looked up by model id in EcoLogits' repository, else
  ``ECLAIR_ENERGY_REMOTE_PARAMS_B``), output tokens and latency; usage phase only (what the
  electricity emits), with the data-centre PUE EcoLogits uses for that provider.
- CO2e = energy × the zone's grid intensity (usage phase: the grid's emissions, not the
  hardware's manufacture).

Nothing here opens a connection, starts a thread or writes a file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eclair.errors import ConfigurationError
from eclair.sovereignty.cpu_power import ProcessorPower, RaplCalibration, detect_processor, open_rapl

if TYPE_CHECKING:
    from eclair.config import Settings

logger = logging.getLogger(__name__)

JOULES_PER_WH = 3600.0


def _significant(value: float, digits: int = 4) -> float:
    return float(f"{value:.{digits}g}")


@dataclass(frozen=True, slots=True)
class EnergyReport:
    """The ``energy`` entry of an answer's ``eclair`` object."""

    wh: float | None
    gco2e: float | None
    zone: str
    method: str

    def to_json(self) -> dict[str, Any]:
        return {
            "wh": None if self.wh is None else _significant(self.wh),
            "gco2e": None if self.gco2e is None else _significant(self.gco2e),
            "zone": self.zone,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class GridMix:
    """A zone's electricity, from EcoLogits' electricity-mix repository."""

    zone: str
    kg_co2e_per_kwh: float
    # The other factors EcoLogits' LLM model needs (abiotic depletion, primary energy, water).
    adpe: float
    pe: float
    wue: float

    @property
    def g_co2e_per_wh(self) -> float:
        # kg/kWh and g/Wh are the same number.
        return self.kg_co2e_per_kwh


@lru_cache(maxsize=32)
def grid_mix(zone: str) -> GridMix:
    """The electricity mix of ``zone`` (ISO 3166-1 alpha-3, or ``WOR`` for the world average)."""
    from ecologits.electricity_mix_repository import electricity_mixes

    mix = electricity_mixes.find_electricity_mix(zone.upper())
    if mix is None:
        known = sorted(m.zone for m in electricity_mixes.list_electricity_mixes())
        raise ConfigurationError(
            f"unknown energy zone '{zone}': use an ISO 3166-1 alpha-3 code EcoLogits knows "
            f"(e.g. FRA, DEU, USA, WOR; {len(known)} zones)"
        )
    return GridMix(zone=mix.zone, kg_co2e_per_kwh=mix.gwp, adpe=mix.adpe, pe=mix.pe, wue=mix.wue)


@dataclass(frozen=True, slots=True)
class RemoteModel:
    """What EcoLogits needs to model a remote model's inference."""

    name: str
    active_params_b: float
    total_params_b: float
    provider: str  # EcoLogits provider whose data-centre PUE/WUE apply
    source: str


def remote_model(model_id: str, params_b: float | None) -> RemoteModel | None:
    """Parameters of a remote model: EcoLogits' repository by name, else the configured count."""
    from ecologits.model_repository import ParametersMoE, models

    wanted = model_id.lower()
    for model in models.list_models():
        name = model.name.lower()
        if wanted in (name, name.rsplit("/", 1)[-1]):
            params = model.architecture.parameters
            total, active = (
                (params.total, params.active) if isinstance(params, ParametersMoE) else (params, params)
            )
            return RemoteModel(
                name=model.name,
                active_params_b=_midpoint(active),
                total_params_b=_midpoint(total),
                provider=model.provider.value,
                source="EcoLogits model repository",
            )
    if params_b is None:
        return None
    return RemoteModel(
        name=model_id,
        active_params_b=params_b,
        total_params_b=params_b,
        provider="huggingface_hub",
        source="ECLAIR_ENERGY_REMOTE_PARAMS_B",
    )


def _midpoint(value: Any) -> float:
    """EcoLogits gives some figures as ranges (RangeValue); we report their midpoint."""
    if hasattr(value, "min") and hasattr(value, "max"):
        return (float(value.min) + float(value.max)) / 2
    return float(value)


class EnergyMeter:
    """Turns the measurements of one answer into an :class:`EnergyReport`."""

    def __init__(
        self,
        *,
        zone: str,
        processor: ProcessorPower | None = None,
        rapl: RaplCalibration | None = None,
        remote_params_b: float | None = None,
        runs_remotely: Callable[[str], bool] = lambda model_id: False,
    ):
        self.mix = grid_mix(zone)
        self._processor = processor
        self.rapl = rapl
        self.remote_params_b = remote_params_b
        self.runs_remotely = runs_remotely
        self._remote: dict[str, RemoteModel | None] = {}

    @property
    def zone(self) -> str:
        return self.mix.zone

    @property
    def processor(self) -> ProcessorPower:
        """codecarbon's model of this processor (looked up on first use; see :meth:`prepare`)."""
        if self._processor is None:
            self._processor = detect_processor()
        return self._processor

    async def prepare(self) -> None:
        """Look the processor up off the event loop (about 2 s, once per process)."""
        if self._processor is None:
            self._processor = await asyncio.to_thread(detect_processor)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, runs_remotely: Callable[[str], bool] = lambda model_id: False
    ) -> EnergyMeter:
        """The meter of an app; ``runs_remotely(model_id)`` tells remote models (EcoLogits) apart."""
        rapl = open_rapl()
        return cls(
            zone=settings.energy_zone,
            rapl=None if rapl is None else RaplCalibration(rapl),
            remote_params_b=settings.energy_remote_params_b,
            runs_remotely=runs_remotely,
        )

    def remote_for(self, model_id: str) -> RemoteModel | None:
        if model_id not in self._remote:
            self._remote[model_id] = remote_model(model_id, self.remote_params_b)
        return self._remote[model_id]

    def joules_per_cpu_s(self) -> tuple[float, str]:
        """Joules per busy CPU-second and where the figure comes from."""
        if self.rapl is not None:
            measured = self.rapl.sample()
            if measured is not None:
                return measured, f"RAPL package energy per busy CPU-second ({measured:.3g} J/s)"
        processor = self.processor
        return processor.watts_per_thread, f"codecarbon CPU model: {processor.describe()}"

    def local(self, cpu_s: float, cpu_source: str) -> EnergyReport:
        """Energy of ``cpu_s`` CPU-seconds of work on this machine."""
        per_cpu_s, power_source = self.joules_per_cpu_s()
        wh = max(0.0, cpu_s) * per_cpu_s / JOULES_PER_WH
        method = (
            f"local CPU: {cpu_s:.4g} CPU-s ({cpu_source}) × {power_source}; processor only, no PUE; "
            f"grid {self.zone} {self.mix.kg_co2e_per_kwh:g} kgCO2e/kWh (EcoLogits)"
        )
        return EnergyReport(wh, wh * self.mix.g_co2e_per_wh, self.zone, method)

    def remote_answer(self, model_id: str, output_tokens: int, latency_s: float) -> EnergyReport:
        """EcoLogits' estimate for a remote GPU answer of ``output_tokens`` in ``latency_s``."""
        remote = self.remote_for(model_id)
        if remote is None:
            return EnergyReport(
                None,
                None,
                self.zone,
                "unknown: the remote model is not in EcoLogits' repository; "
                "set ECLAIR_ENERGY_REMOTE_PARAMS_B to its parameter count",
            )
        from ecologits.impacts.llm import compute_llm_impacts
        from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

        provider = PROVIDER_CONFIG_MAP[remote.provider]
        impacts = compute_llm_impacts(
            model_active_parameter_count=remote.active_params_b,
            model_total_parameter_count=remote.total_params_b,
            output_token_count=max(0, output_tokens),
            request_latency=max(latency_s, 1e-3),
            if_electricity_mix_adpe=self.mix.adpe,
            if_electricity_mix_pe=self.mix.pe,
            if_electricity_mix_gwp=self.mix.kg_co2e_per_kwh,
            if_electricity_mix_wue=self.mix.wue,
            datacenter_pue=provider.datacenter_pue,
            datacenter_wue=provider.datacenter_wue,
        )
        wh = _midpoint(impacts.energy.value) * 1000.0
        gco2e = _midpoint(impacts.usage.gwp.value) * 1000.0
        method = (
            f"remote GPU: EcoLogits compute_llm_impacts ({remote.name}, "
            f"{remote.active_params_b:g}B active parameters from {remote.source}; "
            f"{output_tokens} output tokens in {latency_s:.3g} s; {remote.provider} data-centre PUE); "
            f"usage phase, grid {self.zone} {self.mix.kg_co2e_per_kwh:g} kgCO2e/kWh; "
            "range midpoints"
        )
        return EnergyReport(wh, gco2e, self.zone, method)

    def for_answer(
        self,
        *,
        engine_cpu_s: float | None,
        loop_cpu_s: float,
        output_tokens: int,
        latency_s: float,
        used_engine: bool,
        model_id: str,
        estimated_cpu: tuple[float, str] | None = None,
    ) -> EnergyReport:
        """The report for one finished answer (see the module docstring for the rules).

        ``estimated_cpu`` is (CPU seconds, how they were estimated) for a local engine that
        does not measure a request's CPU time itself.
        """
        if used_engine and self.runs_remotely(model_id):
            return self.remote_answer(model_id, output_tokens, latency_s)
        if engine_cpu_s is not None:
            return self.local(
                engine_cpu_s,
                "measured by the engine (CPU time of the decode steps it took part in, shared by token count)",
            )
        if used_engine and estimated_cpu is not None:
            return self.local(*estimated_cpu)
        return self.local(loop_cpu_s, "event-loop CPU time of the answer's steps")
