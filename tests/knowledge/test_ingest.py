"""``eclair ingest``: files and directories, duplicates, refusals, exit status."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from eclair.cli import app
from eclair.knowledge.ingest import expand_paths, ingest_paths
from tests.knowledge.conftest import make_pdf


def make_docs(root: Path) -> Path:
    docs = root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text("Alpha text about otters.", encoding="utf-8")
    (docs / "sub" / "b.md").write_text("# Beta\n\nBeta notes about beavers.", encoding="utf-8")
    (docs / "sub" / "c.pdf").write_bytes(make_pdf(["Gamma report about herons."]))
    (docs / "ignored.png").write_bytes(b"\x89PNG")
    return docs


def test_expand_paths_walks_directories(tmp_path: Path) -> None:
    docs = make_docs(tmp_path)
    files = expand_paths([docs, tmp_path / "missing.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "docs/a.txt",
        "docs/sub/b.md",
        "docs/sub/c.pdf",
        "missing.txt",
    ]


def test_ingest_paths_reports_each_file(tmp_path: Path) -> None:
    docs = make_docs(tmp_path)
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04")
    seen: list[str] = []
    results = ingest_paths(
        [docs, bad, tmp_path / "missing.txt"],
        data_dir=tmp_path / "data",
        collection="field",
        dense=False,
        progress=lambda r: seen.append(r.path.name),
    )
    assert seen == ["a.txt", "b.md", "c.pdf", "notes.docx", "missing.txt"]
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert all(
        r.document and r.document.collection == "field" and r.document.user_id is None for r in results[:3]
    )
    assert "unsupported file type" in (results[3].error or "")
    again = ingest_paths([docs], data_dir=tmp_path / "data", collection="field", dense=False)
    assert all(r.duplicate for r in again)


def test_cli_ingest(tmp_path: Path) -> None:
    docs = make_docs(tmp_path)
    runner = CliRunner()
    data_dir = tmp_path / "data"
    result = runner.invoke(
        app,
        ["ingest", str(docs), "--collection", "field", "--data-dir", str(data_dir)],
        env={"ECLAIR_KNOWLEDGE_DENSE": "false"},
    )
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output and "0 refused" in result.output
    assert (data_dir / "eclair.db").is_file() and not (data_dir / "knowledge.db").exists()
    result = runner.invoke(
        app,
        ["ingest", str(tmp_path / "missing.txt"), "--data-dir", str(data_dir)],
        env={"ECLAIR_KNOWLEDGE_DENSE": "false"},
    )
    assert result.exit_code == 1
    assert "no such file" in result.output
