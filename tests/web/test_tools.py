"""MCP tools in the web app's conversations, over HTTP: the approval frames of the answer
stream, the approval and grant routes, the audit trail, and who may configure servers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from eclair.mcp.config import McpConfig, save_config
from tests.agent.calls import tool_call_text
from tests.conftest import LiveServer, wait_until
from tests.mcp.conftest import calls_made, toy_stdio
from tests.web.conftest import build_app, events, login, session


@pytest.fixture
def mcp_json(tmp_path: Path) -> Path:
    path = tmp_path / "mcp.json"
    save_config(path, McpConfig({"toy": toy_stdio(tmp_path / "toy-calls.jsonl")}))
    return path


@pytest.fixture
def live(tmp_path: Path, mcp_json: Path) -> Iterator[tuple[str, Any]]:
    app = build_app(tmp_path / "data", mcp_config=mcp_json, mcp_connect_timeout_s=30)
    with LiveServer(app) as server:
        wait_until(lambda: app.state.ready, timeout=10)
        yield server.url, app


def _answer(
    url: str,
    conversation: str,
    csrf: dict[str, str],
    cookies: httpx.Cookies,
    decide: Callable[[dict[str, Any]], str],
) -> list[dict[str, Any]]:
    """Send a message to the fake model and answer every approval frame with ``decide``."""
    frames: list[dict[str, Any]] = []
    with (
        httpx.Client(base_url=url, cookies=cookies, headers=csrf, timeout=60) as http,
        http.stream(
            "POST",
            f"/api/conversations/{conversation}/messages",
            json={"content": "add", "model": "fake-model"},
        ) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            if not line.startswith("data: "):
                continue
            frame = json.loads(line[6:])
            frames.append(frame)
            if frame["type"] == "tool" and frame["event"] == "approval":
                pending = http.get("/api/tool-approvals").json()["data"]
                assert [p["id"] for p in pending] == [frame["approval_id"]]
                answered = http.post(
                    f"/api/tool-approvals/{frame['approval_id']}", json={"decision": decide(frame)}
                )
                assert answered.status_code == 200, answered.text
    return frames


def _open(url: str) -> tuple[dict[str, str], httpx.Cookies]:
    with httpx.Client(base_url=url) as http:
        me = http.get("/api/me")
        return {"X-CSRF-Token": me.json()["csrf_token"]}, me.cookies


def test_a_tool_call_waits_for_approval_and_is_audited(live: tuple[str, Any], tmp_path: Path) -> None:
    url, app = live
    csrf, cookies = _open(url)
    with httpx.Client(base_url=url, cookies=cookies, headers=csrf) as http:
        conversation = http.post("/api/conversations", json={"model": "fake-model"}).json()["id"]
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 3}), "It makes 5.")
    frames = _answer(url, conversation, csrf, cookies, lambda frame: "once")
    tool_frames = [(f["event"], f["call"]["status"]) for f in frames if f["type"] == "tool"]
    assert tool_frames == [("call", "pending"), ("approval", "pending"), ("result", "ok")]
    assert "".join(f["text"] for f in frames if f["type"] == "delta") == "It makes 5."
    done = frames[-1]["message"]
    (audited,) = done["eclair"]["tool_calls"]
    assert (audited["tool"], audited["decision"], audited["result"]) == ("mcp__toy__add", "once", "5")
    assert audited["message_id"] == done["id"]
    assert calls_made(tmp_path / "toy-calls.jsonl") == ["add"]
    with httpx.Client(base_url=url, cookies=cookies, headers=csrf) as http:
        trail = http.get(f"/api/conversations/{conversation}/tool-calls").json()["data"]
        assert [c["id"] for c in trail] == [audited["id"]]
        # reloaded, the answer still carries its calls
        stored = http.get(f"/api/conversations/{conversation}").json()["messages"][-1]
        assert stored["eclair"]["tool_calls"][0]["result"] == "5"


def test_always_is_kept_and_can_be_taken_back(live: tuple[str, Any], tmp_path: Path) -> None:
    url, app = live
    csrf, cookies = _open(url)
    with httpx.Client(base_url=url, cookies=cookies, headers=csrf) as http:
        conversation = http.post("/api/conversations", json={"model": "fake-model"}).json()["id"]
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 1, "b": 1}), "2.")
    _answer(url, conversation, csrf, cookies, lambda frame: "always")
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 2, "b": 2}), "4.")
    again = _answer(url, conversation, csrf, cookies, lambda frame: pytest.fail("asked again"))
    assert [f["event"] for f in again if f["type"] == "tool"] == ["call", "result"]
    with httpx.Client(base_url=url, cookies=cookies, headers=csrf) as http:
        assert http.get("/api/tool-permissions").json()["data"] == [{"tool": "mcp__toy__add"}]
        assert http.delete("/api/tool-permissions/mcp__toy__add").json()["deleted"] is True
        assert http.delete("/api/tool-permissions/mcp__toy__add").status_code == 404
    app.state.engine.enqueue(tool_call_text("mcp__toy__add", {"a": 3, "b": 3}), "no.")
    third = _answer(url, conversation, csrf, cookies, lambda frame: "deny")
    assert [f["event"] for f in third if f["type"] == "tool"] == ["call", "approval", "result"]
    assert calls_made(tmp_path / "toy-calls.jsonl") == ["add", "add"]


def test_the_assistant_model_keeps_its_router(web: TestClient) -> None:
    csrf = session(web)
    conversation = web.post("/api/conversations", json={}, headers=csrf).json()["id"]
    frames = events(
        web.post(f"/api/conversations/{conversation}/messages", json={"content": "hi"}, headers=csrf)
    )
    assert not [f for f in frames if f["type"] == "tool"]


def test_deciding_unknown_or_others_approvals(web: TestClient) -> None:
    csrf = session(web)
    assert web.get("/api/tool-approvals").json()["data"] == []
    missing = web.post("/api/tool-approvals/appr_nope", json={"decision": "once"}, headers=csrf)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "approval_not_found"
    bad = web.post("/api/tool-approvals/appr_nope", json={"decision": "maybe"}, headers=csrf)
    assert bad.status_code == 400


def test_only_administrators_configure_servers(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    client = make_client(mcp_config=tmp_path / "servers.json")
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    accounts.add_user("alice", "correct horse", admin=True)
    accounts.add_user("bob", "correct horse")
    entry = {"command": "uvx", "args": ["some-mcp-server"], "env": {"TOKEN": "secret"}}
    bob = login(client, "bob")
    refused = client.put("/api/mcp/servers/files", json=entry, headers=bob)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "admin_required"
    alice = login(client, "alice")
    added = client.put("/api/mcp/servers/files", json=entry, headers=alice)
    assert added.status_code == 200, added.text
    assert added.json() == {
        "name": "files",
        "transport": "stdio",
        "disabled": False,
        "env": ["TOKEN"],
        "target": "uvx some-mcp-server",
    }
    saved = json.loads((tmp_path / "servers.json").read_text())
    assert saved == {"mcpServers": {"files": entry}}
    assert (tmp_path / "servers.json").stat().st_mode & 0o077 == 0
    invalid = client.put("/api/mcp/servers/web", json={"url": "ftp://x"}, headers=alice)
    assert invalid.status_code == 400 and invalid.json()["error"]["code"] == "invalid_mcp_config"
    # everyone sees what is configured, not its command line or secrets
    login(client, "bob")
    listed = client.get("/api/mcp/servers").json()["data"]
    assert [(s["name"], s["state"]) for s in listed] == [("files", "idle")] and "target" not in listed[0]
    assert "secret" not in json.dumps(listed)
    alice = login(client, "alice")
    assert client.delete("/api/mcp/servers/files", headers=alice).json() == {"name": "files", "deleted": True}
    assert client.delete("/api/mcp/servers/files", headers=alice).status_code == 404
