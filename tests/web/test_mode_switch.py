"""Over HTTP: keys made in single-user mode end with it; erasing the last account keeps login."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eclair.cli import app
from tests.web.conftest import LOCAL, login, session

runner = CliRunner()


def test_a_single_user_key_stops_working_when_the_first_account_is_added(web: TestClient) -> None:
    secret = web.post("/api/keys", json={"name": "laptop"}, headers=session(web)).json()["secret"]
    program = TestClient(web.app, base_url=LOCAL)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert program.get("/v1/models", headers=bearer).status_code == 200
    data_dir = web.app.state.settings.data_dir  # type: ignore[attr-defined]
    added = runner.invoke(
        app,
        ["users", "add", "alice", "--admin", "--password-stdin", "--data-dir", str(data_dir)],
        input="correct horse\n",
    )
    assert added.exit_code == 0, added.output
    for path in ("/v1/models", "/api/conversations"):
        response = program.get(path, headers=bearer)
        assert response.status_code == 401, (path, response.text)
    assert web.get("/api/conversations").status_code == 401, "the page's login-free session ended too"


def test_erasing_the_last_account_keeps_login_required(web: TestClient) -> None:
    web.app.state.accounts.add_user("alice", "correct horse")  # type: ignore[attr-defined]
    csrf = login(web, "alice")
    assert web.delete("/api/me", headers=csrf).status_code == 200
    me = web.get("/api/me").json()
    assert me["mode"] == "multi-user" and me["user"] is None and me["csrf_token"] is None
    assert web.get("/api/conversations").status_code == 401
    assert web.get("/v1/models").status_code == 401
    data_dir = web.app.state.settings.data_dir  # type: ignore[attr-defined]
    assert runner.invoke(app, ["users", "reopen", "--yes", "--data-dir", str(data_dir)]).exit_code == 0
    assert web.get("/api/me").json()["mode"] == "single-user", "until the operator reopens it"
