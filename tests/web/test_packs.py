"""Knowledge packs over HTTP: the offline article reader at /kb and the admin's pack settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eclair.knowledge.packs.writer import Article, write_pack
from tests.web.conftest import login, session

ARTICLES = [
    Article(
        "Lisbon",
        "Lisbon",
        "Lisbon is the capital of Portugal.",
        (("History", "An earthquake struck in 1755."),),
    ),
    Article("Porto", "Porto", "Porto is a city in Portugal.", redirects=("Oporto",)),
]


@pytest.fixture(scope="module")
def zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(
        tmp_path_factory.mktemp("zim") / "cities.zim", ARTICLES, name="cities", title="Cities", language="en"
    )


def test_an_article_is_served_sanitised_and_sandboxed(web: TestClient, zim: Path) -> None:
    headers = session(web)
    assert web.post("/api/knowledge/packs", json={"path": str(zim)}, headers=headers).status_code == 201
    page = web.get("/kb/cities/Lisbon")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Lisbon is the capital of Portugal." in page.text and "1755" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    redirected = web.get("/kb/cities/Oporto", follow_redirects=False)
    assert redirected.status_code == 307 and redirected.headers["location"] == "/kb/cities/Porto"
    missing = web.get("/kb/cities/Madrid")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "article_not_found"
    assert web.get("/kb/nothing/Lisbon").json()["error"]["code"] == "pack_not_found"


def test_list_add_remove_in_single_user_mode(web: TestClient, zim: Path) -> None:
    headers = session(web)
    assert web.get("/api/knowledge/packs").json()["data"] == []
    added = web.post("/api/knowledge/packs", json={"path": str(zim), "name": "villes"}, headers=headers)
    assert added.status_code == 201 and added.json()["name"] == "villes" and added.json()["articles"] == 2
    listed = web.get("/api/knowledge/packs").json()["data"]
    assert [(p["name"], p["language"], p["fulltext"]) for p in listed] == [("villes", "en", True)]
    assert web.delete("/api/knowledge/packs/villes", headers=headers).json() == {
        "name": "villes",
        "deleted": True,
    }
    assert web.get("/api/knowledge/packs").json()["data"] == []
    assert zim.exists()


def test_a_corrupt_file_is_refused_with_400(web: TestClient, zim: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zim"
    bad.write_bytes(zim.read_bytes()[:-100])
    refused = web.post("/api/knowledge/packs", json={"path": str(bad)}, headers=session(web))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_pack"


def test_only_admins_install_packs_in_multi_user_mode(multi: TestClient, zim: Path) -> None:
    assert multi.get("/kb/cities/Lisbon").status_code == 401  # reading needs a login too
    bob = login(multi, "bob")
    refused = multi.post("/api/knowledge/packs", json={"path": str(zim)}, headers=bob)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "admin_required"
    multi.post("/api/auth/logout", headers=bob)
    alice = login(multi, "alice")
    assert multi.post("/api/knowledge/packs", json={"path": str(zim)}, headers=alice).status_code == 201
    multi.post("/api/auth/logout", headers=alice)
    bob = login(multi, "bob")
    assert multi.get("/kb/cities/Lisbon").status_code == 200  # every user reads them
    assert [p["name"] for p in multi.get("/api/knowledge/packs").json()["data"]] == ["cities"]
    assert multi.delete("/api/knowledge/packs/cities", headers=bob).status_code == 403


def test_a_pack_is_cited_by_the_eclair_model(make_client: Callable[..., TestClient], zim: Path) -> None:
    from eclair.answer.pipeline import AnswerPipeline
    from eclair.api.serving_chat import ChatService
    from eclair.knowledge.packs.search import PackSearch

    client = make_client()
    app = client.app
    app.state.packs.add(zim)  # type: ignore[attr-defined]
    state = app.state  # type: ignore[attr-defined]
    pipeline = AnswerPipeline(state.engine, state.knowledge, packs=PackSearch(state.packs))
    state.chat = ChatService(state.engine, state.settings, pipeline)
    answer = client.post(
        "/v1/chat/completions",
        json={
            "model": "eclair",
            "messages": [{"role": "user", "content": "What is the capital of Portugal?"}],
        },
    ).json()
    assert "Lisbon" in answer["choices"][0]["message"]["content"]
    cited = answer["eclair"]["citations"][0]
    assert cited["pack"] == "cities" and cited["url"] == "/kb/cities/Lisbon"
    assert client.get(cited["url"]).status_code == 200
