"""The chat page is served from the package with strict headers and references nothing remote."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from eclair.web import STATIC_DIR


def test_index_has_a_strict_content_security_policy(web: TestClient) -> None:
    response = web.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'self'")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in csp


def test_every_static_file_is_served_with_its_type(web: TestClient) -> None:
    types = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml"}
    for path in STATIC_DIR.iterdir():
        response = web.get(f"/static/{path.name}")
        assert response.status_code == 200, path.name
        assert response.headers["content-type"].startswith(types[path.suffix])
        assert "default-src 'self'" in response.headers["content-security-policy"]


def test_only_shipped_files_are_served(web: TestClient) -> None:
    for name in ("../__init__.py", "..%2F__init__.py", "missing.js", "%2e%2e/%2e%2e/config.py", "app.js.map"):
        assert web.get(f"/static/{name}").status_code == 404, name


def test_the_page_references_nothing_remote() -> None:
    """No URL to any other origin in the page's source (the SVG namespace is a name, not a request)."""
    for path in STATIC_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        remote = [
            u
            for u in re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text)
            if u not in ("http://www.w3.org/2000/svg",)
        ]
        assert remote == [], (path.name, remote)
    for page in ("index.html", "help.html"):
        html = (STATIC_DIR / page).read_text(encoding="utf-8")
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert re.findall(r"\son[a-z]+=", html) == [], "no inline event handlers"
    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)="([^"#]+)"', index) == [
        "/static/favicon.svg",
        "/static/app.css",
        "/static/app.js",
        "/help",
    ]
    help_page = (STATIC_DIR / "help.html").read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)="([^"#]+)"', help_page) == [
        "/static/favicon.svg",
        "/static/app.css",
        "/static/help.js",
        "/",
    ]


def test_scripts_never_assign_html(web: TestClient) -> None:
    for path in STATIC_DIR.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in source, (path.name, sink)
