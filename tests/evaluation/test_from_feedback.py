"""``eclair eval --from-feedback``: 👎 answers stored by the web page become suite items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eclair.cli import app as cli_app
from eclair.config import Settings
from eclair.evaluation.suite import load_suite
from eclair.store import Store


def _rated(
    store: Store, user_id: str, question: str, answer: str, route: str, rating: int, comment: str
) -> None:
    conversation = store.conversations.create(user_id).id
    turn = store.conversations.add_turn(user_id, conversation, content=question, model="eclair")
    assert turn is not None
    store.conversations.finish_message(
        user_id, turn[1].id, content=answer, status="complete", eclair={"route": route}
    )
    store.feedback.rate(user_id, turn[1].id, rating=rating, comment=comment)


def test_disliked_answers_become_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECLAIR_DATA_DIR", str(tmp_path / "data"))
    store = Store.from_settings(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    user = store.users.create("alice", password_hash="h").id
    _rated(store, user, "Qui a peint la Joconde ?", "Je ne sais pas.", "abstain", -1, "c'est connu")
    _rated(store, user, "What is 17 × 23?", "400", "calculator", -1, "it is 391")
    _rated(store, user, "Hello", "Hi!", "model", 1, "")
    store.close()

    out = tmp_path / "evals" / "feedback.jsonl"
    result = CliRunner().invoke(cli_app, ["eval", str(out), "--from-feedback"])
    assert result.exit_code == 0, result.output
    assert "1 ready to run, 1 draft" in " ".join(result.output.split())
    suite = load_suite(out)
    [ready] = suite.items
    assert (
        ready.lang == "fr" and ready.expect.kind == "model" and ready.question == "Qui a peint la Joconde ?"
    )
    assert ready.note is not None and "c'est connu" in ready.note
    drafts = [line[3:] for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("// {")]
    [draft] = [json.loads(line) for line in drafts]
    assert draft["category"] == "arithmetic" and draft["expect"] == {"kind": "answer", "answers": []}
    assert "it is 391" in draft["note"] and "400" in draft["note"]
    # completed by the operator, the draft loads like any item
    draft["expect"]["answers"] = ["391"]
    completed = tmp_path / "completed.jsonl"
    completed.write_text(json.dumps(draft, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_suite(completed).items[0].expect.answers == ("391",)
