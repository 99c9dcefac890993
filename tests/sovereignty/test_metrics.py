"""``GET /metrics``: Prometheus text, every series ``eclair_…``, one registry per app."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import EngineStats
from tests.sovereignty.conftest import MESSAGES, metric_value


class BusyEngine(FakeEngine):
    """A fake engine with the counters a batching engine publishes."""

    def stats(self) -> EngineStats:
        return EngineStats(
            active_slots=3,
            total_slots=8,
            queue_depth=5,
            prefix_hit_tokens=300,
            prefill_tokens=100,
            generated_tokens=1000,
            draft_tokens=200,
            accepted_draft_tokens=150,
        )


def test_every_series_is_named_eclair(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    client.post("/v1/chat/completions", json={"messages": MESSAGES})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    names = [family.name for family in text_string_to_metric_families(response.text)]
    assert names and all(name.startswith("eclair_") for name in names)


def test_requests_answers_latency_tokens_and_energy_are_counted(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(engine=FakeEngine(token_delay_s=0.002))
    wh = 0.0
    for _ in range(3):
        body = client.post("/v1/chat/completions", json={"model": "fake-model", "messages": MESSAGES}).json()
        wh += body["eclair"]["energy"]["wh"]
    client.post("/v1/chat/completions", json={"model": "nope", "messages": MESSAGES})
    text = client.get("/metrics").text
    route = "/v1/chat/completions"
    model = "fake-model"
    assert metric_value(text, "eclair_http_requests_total", route=route, status="200", model=model) == 3
    assert metric_value(text, "eclair_http_requests_total", route=route, status="404") == 1
    assert metric_value(text, "eclair_answers_total", model=model, route="model", finish_reason="stop") == 3
    assert metric_value(text, "eclair_time_to_first_token_seconds_count", model=model) == 3
    # "Echo: hello there" is three tokens: two gaps per answer.
    assert metric_value(text, "eclair_inter_token_latency_seconds_count", model=model) == 6
    assert metric_value(text, "eclair_decode_tokens_per_second_count", model=model) == 3
    assert metric_value(text, "eclair_completion_tokens_total", model=model) == 9
    user = client.app.state.accounts.local_user().id  # type: ignore[attr-defined]
    energy = metric_value(text, "eclair_energy_wh_total", model=model, user=user)
    assert energy == pytest.approx(wh, rel=1e-2)
    assert metric_value(text, "eclair_co2e_grams_total", model=model, user=user) > 0
    assert metric_value(text, "eclair_grid_carbon_intensity_grams_per_kwh", zone="FRA") == pytest.approx(
        41.44, rel=0.2
    )


def test_engine_stats_are_published_at_scrape_time(make_client: Callable[..., TestClient]) -> None:
    text = make_client(engine=BusyEngine()).get("/metrics").text
    model = "fake-model"
    assert metric_value(text, "eclair_engine_queue_depth", model=model) == 5
    assert metric_value(text, "eclair_engine_active_slots", model=model) == 3
    assert metric_value(text, "eclair_engine_total_slots", model=model) == 8
    assert metric_value(text, "eclair_engine_prefix_cache_hit_ratio", model=model) == pytest.approx(0.75)
    assert metric_value(text, "eclair_engine_speculative_acceptance_ratio", model=model) == pytest.approx(
        0.75
    )
    assert metric_value(text, "eclair_engine_generated_tokens_total", model=model) == 1000


def test_each_app_has_its_own_registry(make_client: Callable[..., TestClient]) -> None:
    first, second = make_client(), make_client()
    first.post("/v1/chat/completions", json={"messages": MESSAGES})
    route = "/v1/chat/completions"
    assert metric_value(first.get("/metrics").text, "eclair_http_requests_total", route=route) == 1
    assert metric_value(second.get("/metrics").text, "eclair_http_requests_total", route=route) == 0


def test_unmatched_paths_and_odd_methods_do_not_grow_the_series(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    for i in range(20):
        client.get(f"/no/such/path/{i}")
    client.request("PROPFIND", "/v1/models")
    text = client.get("/metrics").text
    assert metric_value(text, "eclair_http_requests_total", route="unmatched", status="404") == 20
    assert "/no/such/path" not in text
    assert "PROPFIND" not in text


def test_metrics_carry_no_message_text(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    canary = "canary-7f3a9c-metrics"
    client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": canary}]})
    assert canary not in client.get("/metrics").text
