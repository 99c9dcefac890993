"""``kill -9`` during a write-heavy load, 50 times: no acknowledged message is lost.

A writer process appends turns through the store exactly as the web app does (the user's
message and a ``streaming`` placeholder in one transaction, then the finished answer) and
prints each id once the call has returned, i.e. once the write is acknowledged. The test
kills it with SIGKILL at a random moment, reopens the database, and checks:

- ``PRAGMA integrity_check`` is ``ok``;
- every acknowledged user message is there, with its text;
- every acknowledged finished answer is ``complete`` with its text;
- after the start-up sweep, no answer is left ``streaming``: a cut one is ``interrupted``.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from eclair.store import Store

WRITER = """
import sys
from eclair.store import Store

store = Store.open(sys.argv[1])
user = store.users.by_name("writer") or store.users.create("writer", password_hash=None)
conversation = store.conversations.create(user.id, title="load")
print("ready", flush=True)
i = 0
while True:
    i += 1
    asked, answer = store.conversations.add_turn(user.id, conversation.id, content=f"question {i}", model="m")
    print("asked", asked.id, i, flush=True)
    store.conversations.finish_message(user.id, answer.id, content=f"answer {i} " + "x" * 2000, status="complete")
    print("answered", answer.id, i, flush=True)
"""

KILLS = 50


def _kill_once(script: Path, url: str, rng: random.Random) -> list[list[str]]:
    process = subprocess.Popen(
        [sys.executable, str(script), url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.strip() == "ready", process.stderr.read() if process.stderr else first
    time.sleep(rng.uniform(0.0, 0.4))
    process.send_signal(signal.SIGKILL)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # A line cut by the kill was never fully acknowledged: keep the lines its newline ended
    # (the piece after the last newline may stop anywhere, even right after a space).
    return [line.split() for line in out.split("\n")[:-1] if len(line.split()) == 3]


@pytest.mark.slow
def test_acknowledged_messages_survive_kill_9(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    url = f"sqlite:///{tmp_path / 'eclair.db'}"
    rng = random.Random(1234)
    acknowledged_questions: dict[str, str] = {}
    acknowledged_answers: dict[str, str] = {}
    for _ in range(KILLS):
        for kind, message_id, number in _kill_once(script, url, rng):
            if kind == "asked":
                acknowledged_questions[message_id] = f"question {number}"
            else:
                acknowledged_answers[message_id] = f"answer {number} "
        store = Store.open(url)
        try:
            with store.db.read() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
                rows = {
                    row.id: row
                    for row in conn.execute(text("SELECT id, content, status FROM messages")).fetchall()
                }
            for message_id, content in acknowledged_questions.items():
                assert rows[message_id].content == content
            for message_id, prefix in acknowledged_answers.items():
                assert rows[message_id].status == "complete"
                assert rows[message_id].content.startswith(prefix)
            store.conversations.interrupt_streaming()
            with store.db.read() as conn:
                assert (
                    conn.execute(
                        text("SELECT count(*) FROM messages WHERE status = 'streaming'")
                    ).scalar_one()
                    == 0
                )
        finally:
            store.close()
    assert len(acknowledged_questions) > KILLS  # the load really wrote between the kills
