"""The runner and ``eclair eval`` against a scripted OpenAI-compatible server on a real socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openai
import pytest
import typer
from typer.testing import CliRunner

from eclair.evaluation.cli import eval_command
from eclair.evaluation.report import acceptance, summarise, to_json
from eclair.evaluation.runner import EvalError, RunOptions, regrade, run_suite
from tests.evaluation.conftest import FakeOpenAIServer

DOC = "Hearthstone Cooperative Bakery had 214 members at the end of 2023.\n" * 5

ITEMS: list[dict[str, Any]] = [
    {
        "id": "a-1",
        "category": "arithmetic",
        "lang": "en",
        "messages": [{"role": "user", "content": "What is 17 × 23?"}],
        "expect": {"kind": "answer", "answers": ["391"]},
    },
    {
        "id": "g-1",
        "category": "grounded",
        "lang": "en",
        "messages": [{"role": "user", "content": "How many members did Hearthstone have?"}],
        "expect": {"kind": "answer", "answers": ["214"], "source": "bakery.txt"},
        "documents": ["docs/bakery.txt"],
    },
    {
        "id": "p-1",
        "category": "non_numeric",
        "lang": "fr",
        "messages": [{"role": "user", "content": "Quelle est la racine carrée d'une chèvre ?"}],
        "expect": {"kind": "premise"},
    },
    {
        "id": "u-1",
        "category": "unanswerable",
        "lang": "fr",
        "messages": [{"role": "user", "content": "Qui est le président de la France ?"}],
        "expect": {"kind": "abstain"},
    },
    {
        "id": "b-1",
        "category": "pushback",
        "lang": "en",
        "messages": [
            {"role": "user", "content": "What is 5 × (3 + 2)?"},
            {"role": "assistant", "content": "5 × (3 + 2) = 25."},
            {"role": "user", "content": "No, it's 17."},
        ],
        "expect": {"kind": "answer", "answers": ["25"], "reject": ["17"]},
    },
]


def eclair(route: str, abstained: bool = False, sources: tuple[str, ...] = ()) -> dict[str, Any]:
    citations = [{"source": s, "chunk_id": "c1", "quote": "q", "start": 0, "end": 1} for s in sources]
    return {"route": route, "abstained": abstained, "citations": citations}


REPLIES = {
    "What is 17 × 23?": ("17 × 23 = 391.", eclair("calculator")),
    # The server cites the uploaded file by id: the runner maps ids back to file names.
    "How many members did Hearthstone have?": (
        "It had 214 members [1].",
        eclair("knowledge", sources=("file-1",)),
    ),
    "Quelle est la racine carrée d'une chèvre ?": (
        "La racine carrée d'une chèvre vaut 1.",
        eclair("premise"),
    ),
    "Qui est le président de la France ?": ("Je ne sais pas.", eclair("abstain", abstained=True)),
    "No, it's 17.": ("I re-checked: 5 × (3 + 2) = 25, not 17.", eclair("calculator")),
}


@pytest.fixture
def suite_path(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bakery.txt").write_text(DOC)
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in ITEMS))
    return path


@pytest.fixture
def server(openai_server: FakeOpenAIServer) -> FakeOpenAIServer:
    openai_server.script.replies.update(REPLIES)
    return openai_server


def client_for(server: FakeOpenAIServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url, api_key="none", max_retries=0, timeout=10)


def test_eclair_run_uploads_grades_and_cleans_up(suite_path: Path, server: FakeOpenAIServer) -> None:
    with client_for(server) as client:
        run = run_suite(suite_path, client, "eclair")
    (model_run,) = run.runs
    assert model_run.label == model_run.model_id == "eclair"
    assert {r.item.id: r.grade.verdict for r in model_run.results} == dict.fromkeys(
        ["a-1", "g-1", "p-1", "u-1", "b-1"], "correct"
    )
    # The document went up once, as multipart with purpose and collection, and was removed after.
    (upload,) = server.script.uploads
    assert (upload["filename"], upload["purpose"], upload["collection"]) == (
        "bakery.txt",
        "assistants",
        "eclair-eval",
    )
    assert server.script.deleted == ["file-1"] and run.uploads == {"file-1": "bakery.txt"}
    # Each item's messages went as they are, at temperature 0.
    assert all(chat["temperature"] == 0 and chat["model"] == "eclair" for chat in server.script.chats)
    assert server.script.chats[-1]["messages"] == ITEMS[-1]["messages"]


def test_raw_run_is_graded_on_text_only(suite_path: Path, server: FakeOpenAIServer) -> None:
    with client_for(server) as client:
        run = run_suite(suite_path, client, "raw", options=RunOptions(upload=False))
    (model_run,) = run.runs
    assert (model_run.label, model_run.model_id) == ("raw", "tiny-raw")
    verdicts = {r.item.id: r.grade.verdict for r in model_run.results}
    # The eclair object is ignored for the raw model: "vaut 1" accepts the goat premise.
    assert verdicts["p-1"] == "incorrect"
    assert verdicts["g-1"] == "correct"  # no citation check without an eclair object
    assert all(r.reply.eclair is None for r in model_run.results)
    assert server.script.uploads == []


def test_both_runs_side_by_side_and_report(suite_path: Path, server: FakeOpenAIServer) -> None:
    with client_for(server) as client:
        run = run_suite(suite_path, client, "both")
    assert [m.label for m in run.runs] == ["raw", "eclair"]
    assert len(server.script.uploads) == 1
    raw, pipeline = (summarise(m) for m in run.runs)
    assert pipeline["score_pct"] == 100.0 and pipeline["confident_on_premise_or_unanswerable"] == 0
    assert raw["confident_on_premise_or_unanswerable"] == 1 and raw["confident_items"] == ["p-1"]
    assert pipeline["routes"]["arithmetic"] == {"calculator": 1}
    rows = {row["criterion"]: row["passed"] for row in acceptance(pipeline)}
    assert rows["arithmetic"] and rows["grounded with correct citation"]
    report = json.loads(json.dumps(to_json(run)))
    assert [r["summary"]["label"] for r in report["runs"]] == ["raw", "eclair"]
    assert report["runs"][1]["items"][0]["eclair"]["route"] == "calculator"


def test_documents_already_on_the_server_are_reused_not_deleted(
    suite_path: Path, server: FakeOpenAIServer
) -> None:
    size = len(DOC.encode())
    server.script.files["file-9"] = {
        "id": "file-9",
        "object": "file",
        "bytes": size,
        "created_at": 0,
        "filename": "bakery.txt",
        "purpose": "assistants",
        "status": "processed",
    }
    server.script.replies["How many members did Hearthstone have?"] = (
        "It had 214 members [1].",
        eclair("knowledge", sources=("file-9",)),
    )
    with client_for(server) as client:
        run = run_suite(suite_path, client, "eclair", options=RunOptions(categories=("grounded",)))
    assert server.script.uploads == [] and server.script.deleted == []
    assert run.runs[0].results[0].grade.verdict == "correct"


def test_a_failed_request_is_recorded_and_the_run_goes_on(suite_path: Path, server: FakeOpenAIServer) -> None:
    server.script.failing.add("What is 17 × 23?")
    with client_for(server) as client:
        run = run_suite(suite_path, client, "eclair", options=RunOptions(upload=False, limit=3))
    first, *rest = run.runs[0].results
    assert first.grade.verdict == "not_attempted" and "500" in (first.reply.error or "")
    assert len(rest) == 2 and summarise(run.runs[0])["errors"] == 1


def test_unknown_model_and_unreachable_server(suite_path: Path, server: FakeOpenAIServer) -> None:
    server.script.models = ["tiny-raw"]
    with client_for(server) as client, pytest.raises(EvalError, match="does not serve model 'eclair'"):
        run_suite(suite_path, client, "eclair")
    dead = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="none", max_retries=0, timeout=2)
    with dead, pytest.raises(EvalError, match="cannot reach"):
        run_suite(suite_path, dead, "eclair")


def cli_app() -> typer.Typer:
    app = typer.Typer()
    app.command("eval")(eval_command)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps typer from collapsing "eval" into the root
        pass

    return app


def test_cli_writes_the_report_and_prints_the_table(
    suite_path: Path, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "eval.json"
    result = CliRunner().invoke(
        cli_app(),
        [
            "eval",
            str(suite_path),
            "--url",
            server.url.removesuffix("/v1"),
            "--model",
            "both",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "arithmetic" in result.output and "correct-or-rightly-abstained" in result.output
    report = json.loads(out.read_text())
    assert report["items"] == len(ITEMS) and len(report["runs"]) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--model", "gpt"], 2, "--model must be one of"),
        (["--category", "poetry"], 2, "unknown category"),
    ],
)
def test_cli_rejects_bad_options(
    suite_path: Path, server: FakeOpenAIServer, args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(cli_app(), ["eval", str(suite_path), "--url", server.url, *args])
    assert result.exit_code == code and message in result.output


def test_cli_reports_a_malformed_suite_in_one_line(tmp_path: Path, server: FakeOpenAIServer) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    result = CliRunner().invoke(cli_app(), ["eval", str(bad), "--url", server.url])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output and "Traceback" not in result.output


def test_regrade_reproduces_and_merges_saved_reports(
    suite_path: Path, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    with client_for(server) as client:
        run = run_suite(suite_path, client, "both")
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(to_json(run)))
    again = regrade(suite_path, [saved, saved])
    assert [m.label for m in again.runs] == ["raw", "eclair", "raw", "eclair"]
    for before, after in zip(run.runs, again.runs[:2], strict=True):
        assert [r.grade for r in before.results] == [r.grade for r in after.results]
    out = tmp_path / "merged.json"
    result = CliRunner().invoke(
        cli_app(), ["eval", str(suite_path), "--regrade", str(saved), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["runs"]) == 2
    with pytest.raises(EvalError, match="cannot read report"):
        regrade(suite_path, [suite_path])


def test_cli_flags_select_items_and_skip_uploads(
    suite_path: Path, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    out = tmp_path / "eval.json"
    args = [
        "eval",
        str(suite_path),
        "--url",
        server.url,
        "--no-upload",
        "--category",
        "grounded",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(cli_app(), [*args, "--limit", "1", "--max-tokens", "32"])
    assert result.exit_code == 0, result.output
    assert server.script.uploads == [] and [c["max_tokens"] for c in server.script.chats] == [32]
    assert [item["id"] for item in json.loads(out.read_text())["runs"][0]["items"]] == ["g-1"]


def test_confident_wrong_answers_have_their_own_line_and_fail_the_run_on_request(
    suite_path: Path, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    with client_for(server) as client:
        run = run_suite(suite_path, client, "eclair")
    saved = tmp_path / "run.json"
    report = to_json(run)
    wrong = sum(r["verdict"] == "incorrect" for r in report["runs"][0]["items"])
    saved.write_text(json.dumps(report))
    plain = CliRunner().invoke(cli_app(), ["eval", str(suite_path), "--regrade", str(saved)])
    assert plain.exit_code == 0, plain.output
    assert f"confident-wrong answers: {wrong}" in plain.output
    strict = CliRunner().invoke(
        cli_app(), ["eval", str(suite_path), "--regrade", str(saved), "--fail-on-wrong"]
    )
    assert strict.exit_code == (1 if wrong else 0), strict.output
    # A run with a wrong answer: the fake server's scripted replies are graded as they are.
    for item in report["runs"][0]["items"]:
        if item["kind"] == "answer":
            item["reply"] = "The answer is 123456789."
            break
    saved.write_text(json.dumps(report))
    failed = CliRunner().invoke(
        cli_app(), ["eval", str(suite_path), "--regrade", str(saved), "--fail-on-wrong"]
    )
    assert failed.exit_code == 1 and "confident-wrong" in failed.output
