"""Energy and CO2e per answer: figures come from codecarbon and EcoLogits, on every answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from ecologits.electricity_mix_repository import electricity_mixes
from ecologits.impacts.llm import compute_llm_impacts
from fastapi.testclient import TestClient

from eclair.errors import ConfigurationError
from eclair.sovereignty.cpu_power import ProcessorPower, RaplCalibration, detect_processor, open_rapl
from eclair.sovereignty.energy import EnergyMeter, grid_mix, remote_model
from tests.sovereignty.conftest import MESSAGES

PROCESSOR = ProcessorPower(model="Test CPU 9000", tdp_w=64.0, threads=16, generic=False)


def test_grid_intensity_comes_from_ecologits_and_france_is_low_carbon() -> None:
    fra, usa = grid_mix("FRA"), grid_mix("usa")
    assert fra.kg_co2e_per_kwh == electricity_mixes.find_electricity_mix("FRA").gwp
    assert usa.kg_co2e_per_kwh == electricity_mixes.find_electricity_mix("USA").gwp
    assert 0.02 < fra.kg_co2e_per_kwh < 0.08 and 0.3 < usa.kg_co2e_per_kwh < 0.5
    assert usa.kg_co2e_per_kwh / fra.kg_co2e_per_kwh > 5


def test_unknown_zone_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown energy zone 'XXX'"):
        grid_mix("XXX")


def test_local_energy_is_cpu_seconds_times_power_per_thread() -> None:
    meter = EnergyMeter(zone="FRA", processor=PROCESSOR)
    report = meter.local(9.0, "measured by the engine")
    # 64 W / 16 threads = 4 W per busy thread; 9 CPU-s = 36 J = 0.01 Wh.
    assert report.wh == pytest.approx(0.01)
    assert report.gco2e == pytest.approx(0.01 * grid_mix("FRA").kg_co2e_per_kwh)
    assert report.zone == "FRA"
    assert "9 CPU-s" in report.method and "Test CPU 9000" in report.method
    assert "processor only" in report.method
    usa = EnergyMeter(zone="USA", processor=PROCESSOR).local(9.0, "x")
    assert usa.wh == report.wh and usa.gco2e is not None and usa.gco2e > 5 * report.gco2e


def test_engine_cpu_time_wins_over_the_loop_measurement() -> None:
    meter = EnergyMeter(zone="FRA", processor=PROCESSOR)
    common = {"output_tokens": 5, "latency_s": 1.0, "model_id": "m"}
    engine = meter.for_answer(engine_cpu_s=2.0, loop_cpu_s=0.001, used_engine=True, **common)
    tool = meter.for_answer(engine_cpu_s=None, loop_cpu_s=0.001, used_engine=False, **common)
    assert engine.wh == pytest.approx(2.0 * 4 / 3600)
    assert "measured by the engine" in engine.method
    assert tool.wh == pytest.approx(0.001 * 4 / 3600)
    assert "event-loop" in tool.method


def test_processor_detection_uses_codecarbon() -> None:
    processor = detect_processor()
    assert processor.threads >= 1 and processor.tdp_w > 0
    assert processor.watts_per_thread == pytest.approx(processor.tdp_w / processor.threads)


def _fake_rapl(root: Path, energy_uj: int) -> Path:
    domain = root / "intel-rapl:0"
    domain.mkdir(parents=True, exist_ok=True)
    (domain / "name").write_text("package-0\n")
    (domain / "energy_uj").write_text(f"{energy_uj}\n")
    (domain / "max_energy_range_uj").write_text("262143328850\n")
    return domain


def test_rapl_counters_calibrate_joules_per_cpu_second(tmp_path: Path) -> None:
    domain = _fake_rapl(tmp_path, 1_000_000_000)
    rapl = open_rapl(str(tmp_path))
    assert rapl is not None
    clock = [0.0]
    busy = [100.0]
    calibration = RaplCalibration(rapl, busy_cpu_s=lambda: busy[0], clock=lambda: clock[0], smoothing=1.0)
    # 2 s later the packages counted 30 J while the machine was busy for 1.5 CPU-s: 20 J/CPU-s.
    clock[0], busy[0] = 2.0, 101.5
    (domain / "energy_uj").write_text(f"{1_000_000_000 + 30_000_000}\n")
    assert calibration.sample() == pytest.approx(20.0, rel=1e-6)
    meter = EnergyMeter(zone="FRA", processor=PROCESSOR, rapl=calibration)
    report = meter.local(0.5, "measured by the engine")
    assert report.wh == pytest.approx(0.5 * 20 / 3600)
    assert "RAPL" in report.method


def test_no_rapl_directory_means_the_power_model(tmp_path: Path) -> None:
    assert open_rapl(str(tmp_path / "absent")) is None


def test_remote_answers_use_ecologits_llm_impacts() -> None:
    meter = EnergyMeter(zone="FRA", remote_params_b=8.0, runs_remotely=lambda model: True)
    report = meter.for_answer(
        engine_cpu_s=None,
        loop_cpu_s=0.0,
        output_tokens=200,
        latency_s=5.0,
        used_engine=True,
        model_id="my-8b",
    )
    mix = electricity_mixes.find_electricity_mix("FRA")
    from ecologits.tracers.utils import PROVIDER_CONFIG_MAP

    config = PROVIDER_CONFIG_MAP["huggingface_hub"]
    expected = compute_llm_impacts(
        model_active_parameter_count=8.0,
        model_total_parameter_count=8.0,
        output_token_count=200,
        request_latency=5.0,
        if_electricity_mix_adpe=mix.adpe,
        if_electricity_mix_pe=mix.pe,
        if_electricity_mix_gwp=mix.gwp,
        if_electricity_mix_wue=mix.wue,
        datacenter_pue=config.datacenter_pue,
        datacenter_wue=config.datacenter_wue,
    )
    energy = expected.energy.value
    kwh = (energy.min + energy.max) / 2 if hasattr(energy, "min") else energy
    assert report.wh == pytest.approx(kwh * 1000)
    assert report.gco2e is not None and report.gco2e > 0
    assert "EcoLogits compute_llm_impacts" in report.method and "my-8b" in report.method


def test_remote_model_known_to_ecologits_needs_no_parameter_count() -> None:
    found = remote_model("mistral-small-latest", None)
    assert found is not None and found.source == "EcoLogits model repository"
    assert found.active_params_b > 0


def test_unknown_remote_model_reports_unknown_energy_not_a_guess() -> None:
    meter = EnergyMeter(zone="FRA", runs_remotely=lambda model: True)
    report = meter.for_answer(
        engine_cpu_s=None,
        loop_cpu_s=0.0,
        output_tokens=10,
        latency_s=1.0,
        used_engine=True,
        model_id="mystery",
    )
    assert report.wh is None and report.gco2e is None
    assert "ECLAIR_ENERGY_REMOTE_PARAMS_B" in report.method


def _energy_of(body: dict) -> dict:  # type: ignore[type-arg]
    energy = body["eclair"]["energy"]
    assert set(energy) == {"wh", "gco2e", "zone", "method"}
    assert isinstance(energy["wh"], float) and math.isfinite(energy["wh"]) and energy["wh"] >= 0
    return energy  # type: ignore[no-any-return]


def test_every_chat_answer_carries_energy(make_client: Callable[..., TestClient]) -> None:
    client = make_client(energy_zone="DEU")
    body = client.post("/v1/chat/completions", json={"messages": MESSAGES}).json()
    energy = _energy_of(body)
    assert energy["zone"] == "DEU"
    assert energy["gco2e"] == pytest.approx(energy["wh"] * grid_mix("DEU").kg_co2e_per_kwh, rel=1e-2)


def test_streamed_answers_carry_energy_on_the_final_chunk(make_client: Callable[..., TestClient]) -> None:
    import json

    client = make_client()
    with client.stream(
        "POST",
        "/v1/chat/completions",
        json={"messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}},
    ) as response:
        frames = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: {")]
    finals = [f for f in frames if "eclair" in f]
    assert finals and all(_energy_of(f)["zone"] == "FRA" for f in finals)


def test_assistant_answers_carry_energy_when_the_pipeline_is_served(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    if "eclair" not in client.app.state.chat.model_ids():  # type: ignore[attr-defined]
        pytest.skip("the answer pipeline is not wired into the chat service yet")
    body = client.post(
        "/v1/chat/completions", json={"model": "eclair", "messages": [{"role": "user", "content": "17 * 23"}]}
    ).json()
    assert _energy_of(body)["wh"] < 1e-3  # a tool answer costs next to nothing, but is counted
