"""Who may read ``/metrics``, and what it keeps about a user once that user is erased."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.sovereignty.conftest import MESSAGES, metric_value

OPERATOR_KEY = "operator-secret-key"


def users_in(text: str) -> set[str]:
    """Every ``user`` label value of a Prometheus text."""
    return {
        sample.labels["user"]
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if "user" in sample.labels
    }


def test_metrics_can_require_the_operator_key(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=OPERATOR_KEY, metrics_require_key=True)
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"
    assert "eclair_" not in missing.text
    assert client.get("/metrics", headers={"Authorization": "Bearer not-the-key"}).status_code == 401
    assert client.get("/metrics?api_key=" + OPERATOR_KEY).status_code == 401  # header only
    allowed = client.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_KEY}"})
    assert allowed.status_code == 200 and "eclair_http_requests_total" in allowed.text


@pytest.mark.parametrize(
    "settings",
    [{"api_key": OPERATOR_KEY}, {"metrics_require_key": True}],
    ids=["not-required", "no-key-to-require"],
)
def test_metrics_stay_open_otherwise(
    make_client: Callable[..., TestClient], settings: dict[str, object]
) -> None:
    assert make_client(**settings).get("/metrics").status_code == 200


def test_an_erased_users_series_leave_metrics(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    alice = accounts.add_user("alice", "correct horse")
    bob = accounts.add_user("bob", "correct horse")
    for user in (alice, bob):
        key = accounts.create_key(user, "test").secret
        answered = client.post(
            "/v1/chat/completions",
            json={"model": "fake-model", "messages": MESSAGES},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert answered.status_code == 200, answered.text
    before = client.get("/metrics").text
    assert {alice.id, bob.id} <= users_in(before)  # not vacuous: both have series
    assert metric_value(before, "eclair_energy_wh_created", user=alice.id) > 0  # her first answer

    login = client.post("/api/auth/login", json={"name": "alice", "password": "correct horse"})
    assert login.status_code == 200, login.text
    erased = client.delete("/api/me", headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert erased.status_code == 200, erased.text

    after = client.get("/metrics").text
    assert alice.id not in after
    assert bob.id in users_in(after)  # the others' series are kept
