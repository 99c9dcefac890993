"""``eclair knowledge add | list | rm | pull`` as a user runs them (pull from a local server)."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eclair.cli import app
from eclair.knowledge.packs.registry import PackRegistry

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["knowledge", *args], env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def test_add_list_rm(tmp_path: Path, zims: dict[str, Path]) -> None:
    data = str(tmp_path / "data")
    code, out = run("add", str(zims["en"]), "--data-dir", data)
    assert code == 0 and "installed test_en" in out and "10 articles" in out
    code, out = run("add", str(zims["titles"]), "--data-dir", data)
    assert code == 0 and "titles only" in out
    code, out = run("list", "--data-dir", data)
    assert code == 0 and "test_en" in out and "Test encyclopedia" in out and "full-text" in out
    code, out = run("rm", "titles_en", "--data-dir", data)
    assert code == 0 and [p.name for p in PackRegistry(tmp_path / "data").list()] == ["test_en"]
    code, out = run("rm", "titles_en", "--data-dir", data)
    assert code == 1 and "no knowledge pack named 'titles_en'" in out


def test_a_corrupt_file_is_refused_at_add(tmp_path: Path, zims: dict[str, Path]) -> None:
    bad = tmp_path / "half.zim"
    bad.write_bytes(zims["en"].read_bytes()[:5000])
    code, out = run("add", str(bad), "--data-dir", str(tmp_path / "data"))
    assert code == 1 and "half.zim" in out
    assert run("list", "--data-dir", str(tmp_path / "data"))[1].startswith("no knowledge pack installed")


@pytest.fixture
def mirror(tmp_path: Path, zims: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    root.mkdir()
    data = zims["fr"].read_bytes()
    (root / "encyclo_fr.zim").write_bytes(data)
    (root / "encyclo_fr.zim.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  encyclo_fr.zim\n")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_pull_downloads_verifies_and_installs(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    url, _ = mirror
    data = tmp_path / "data"
    code, out = run("pull", f"{url}/encyclo_fr.zim", "--data-dir", str(data))
    assert code == 0, out
    assert "installed test_fr" in out
    (info,) = PackRegistry(data).list()
    assert Path(info.path) == (data / "packs" / "encyclo_fr.zim").resolve()
    assert run("rm", "test_fr", "--data-dir", str(data))[0] == 0
    assert not (data / "packs" / "encyclo_fr.zim").exists()  # pulled into the data dir: deleted with it


def test_a_wrong_published_checksum_installs_nothing(tmp_path: Path, mirror: tuple[str, Path]) -> None:
    url, root = mirror
    (root / "encyclo_fr.zim.sha256").write_text("0" * 64 + "  encyclo_fr.zim\n")
    data = tmp_path / "data"
    code, out = run("pull", f"{url}/encyclo_fr.zim", "--data-dir", str(data))
    assert code == 1 and "sha256" in out
    assert PackRegistry(data).list() == []
    assert not list((data / "packs").glob("*.zim*"))
