"""Hostile input: no single request may freeze the server (issue 16).

Starts a real `eclair serve --backend fake` (multi-user, two accounts; then single-user) and
sends each attack of the security review while a second client measures, all the time:

- ``GET /health`` every 25 ms (target: p99 < 100 ms during every attack);
- a short chat answer through the assistant (``model: eclair``, routed to the fake model,
  which streams a few words with a fixed per-token delay), one after the other (target: its
  median < 2× its idle median; the worst one is reported too).

Each attack's own requests must be answered within 5 s, with an answer or a clean 4xx (an
OpenAI error envelope); 5xx and time-outs fail. Where an attack is a security check (login
throttled, a key that cannot mint keys, a foreign Host refused, quotas per user) its verdict
is reported as ``defended``. All traffic goes to 127.0.0.1.

    .venv/bin/python benchmarks/hostile.py [--json artifacts/hostile.json] [--only NAME…]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from eclair.bench.report import percentile, write_json
from eclair.bench.servers import ServerSpec, running

console = Console()
ANSWER_LIMIT_S = 5.0
PASSWORD = "correct horse battery staple"
# Requests per minute per user: high enough for the monitor's chat answers, low enough to flood.
RPM = 600


@dataclass
class Sent:
    status: int
    elapsed_s: float
    clean: bool  # 2xx, or a 4xx with the OpenAI error envelope


@dataclass
class Outcome:
    name: str
    sent: list[Sent] = field(default_factory=list)
    defended: bool | None = None
    note: str = ""
    health_ms: list[float] = field(default_factory=list)
    chat_ms: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    def row(self, idle_chat_ms: float) -> dict[str, Any]:
        slowest = max((s.elapsed_s for s in self.sent), default=0.0)
        chat_p50 = statistics.median(self.chat_ms) if self.chat_ms else None
        health_p99 = percentile(self.health_ms, 99)
        return {
            "attack": self.name,
            "requests": len(self.sent),
            "statuses": sorted({s.status for s in self.sent}),
            "slowest_answer_s": round(slowest, 3),
            "all_clean": all(s.clean for s in self.sent),
            "health_p99_ms": None if health_p99 is None else round(health_p99, 1),
            "health_max_ms": round(max(self.health_ms, default=0.0), 1),
            "chat_p50_ms": None if chat_p50 is None else round(chat_p50, 1),
            "chat_max_ms": round(max(self.chat_ms, default=0.0), 1),
            "chat_ratio_p50": None if chat_p50 is None else round(chat_p50 / idle_chat_ms, 2),
            "chat_ratio_max": round(max(self.chat_ms, default=0.0) / idle_chat_ms, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "defended": self.defended,
            "note": self.note,
        }


def passed(row: dict[str, Any]) -> bool:
    health = row["health_p99_ms"] is not None and row["health_p99_ms"] < 100
    chat = row["chat_ratio_p50"] is not None and row["chat_ratio_p50"] < 2
    answered = row["slowest_answer_s"] <= ANSWER_LIMIT_S and row["all_clean"]
    return health and chat and answered and row["defended"] is not False


# ------------------------------------------------------------------ requests


async def send(
    client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
) -> tuple[Sent, httpx.Response | None]:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, timeout=ANSWER_LIMIT_S * 4, **kwargs)
    except httpx.HTTPError:
        return Sent(0, time.perf_counter() - started, False), None
    elapsed = time.perf_counter() - started
    clean = response.status_code < 400
    if 400 <= response.status_code < 500:
        try:
            clean = "message" in response.json()["error"]
        except Exception:
            clean = False
    return Sent(response.status_code, elapsed, clean), response


def chat_body(content: str, model: str = "eclair") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": 16}


@dataclass
class Target:
    base: str
    keys: dict[str, str]  # user name -> API key
    process: psutil.Process | None
    carol_keys: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the monitor


async def monitor(target: Target, outcome: Outcome, stop: asyncio.Event) -> None:
    """Measure /health and a short chat answer until ``stop`` is set."""

    async def health(client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):  # a time-out is measured like an answer
                await client.get(f"{target.base}/health", timeout=60)
            outcome.health_ms.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.025)

    async def chat(client: httpx.AsyncClient) -> None:
        headers = {"Authorization": f"Bearer {target.keys['bob']}"}
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"{target.base}/v1/chat/completions",
                    json=chat_body("Hello there, how are you?"),
                    headers=headers,
                    timeout=60,
                )
                status = response.status_code
            except httpx.HTTPError:
                status = 200  # no answer: counted with the time it took to fail
            if status == 200:
                outcome.chat_ms.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)

    async def memory() -> None:
        while not stop.is_set() and target.process is not None:
            rss = sum(p.memory_info().rss for p in [target.process, *target.process.children(recursive=True)])
            outcome.peak_rss_mb = max(outcome.peak_rss_mb, rss / 2**20)
            await asyncio.sleep(0.1)

    async with httpx.AsyncClient() as health_client, httpx.AsyncClient() as chat_client:
        await asyncio.gather(health(health_client), chat(chat_client), memory())


async def idle_chat_ms(target: Target, rounds: int = 15) -> float:
    outcome = Outcome("idle")
    stop = asyncio.Event()
    task = asyncio.create_task(monitor(target, outcome, stop))
    while len(outcome.chat_ms) < rounds:
        await asyncio.sleep(0.05)
    stop.set()
    await task
    return statistics.median(outcome.chat_ms)


# ------------------------------------------------------------------ hostile files


def repeated_page_pdf(depth: int = 15) -> bytes:
    """A PDF of under 2 KB whose page tree has ``2**depth`` pages: each ``Pages`` node lists
    the next node twice, and the last lists one page object twice."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello hostile world) Tj ET"
    first_node = 2
    page, stream, font = first_node + depth, first_node + depth + 1, first_node + depth + 2
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = first_node + level
        child = number + 1  # the next node, or the page itself under the last node
        parent = b"" if level == 0 else b" /Parent %d 0 R" % (number - 1)
        objects.append(
            b"<< /Type /Pages%s /Kids [%d 0 R %d 0 R] /Count %d >>"
            % (parent, child, child, 2 ** (depth - level))
        )
    objects += [
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
        b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (page - 1, stream, font),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf(objects)


def wordy_pdf(repeats: int = 60_000) -> bytes:
    """A small compressed PDF whose one page draws the same words ``repeats`` times."""
    import zlib

    line = b"(lorem ipsum dolor sit amet consectetur adipiscing elit) Tj T* "
    content = zlib.compress(b"BT /F1 8 Tf 12 TL 10 780 Td " + line * repeats + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# ------------------------------------------------------------------ attacks


Attack = Callable[[httpx.AsyncClient, Target, Outcome], Awaitable[None]]


def _auth(target: Target, user: str = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {target.keys[user]}"}


async def spaces_message(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    for blank in (" ", "\t", "\u00a0"):
        sent, _ = await send(
            client,
            "POST",
            f"{target.base}/v1/chat/completions",
            json=chat_body(blank * 64_000 + "hi"),
            headers=_auth(target),
        )
        outcome.sent.append(sent)


async def dashes_message(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    for unit in (" - ", "1, ", "**a ", "(((", "3 fois 4, plus "):
        sent, _ = await send(
            client,
            "POST",
            f"{target.base}/v1/chat/completions",
            json=chat_body(unit * (64_000 // len(unit)) + "?"),
            headers=_auth(target),
        )
        outcome.sent.append(sent)


async def _upload(
    client: httpx.AsyncClient, target: Target, name: str, data: bytes, user: str = "alice"
) -> Sent:
    sent, _ = await send(
        client,
        "POST",
        f"{target.base}/v1/files",
        files={"file": (name, data)},
        data={"purpose": "assistants"},
        headers=_auth(target, user),
    )
    return sent


async def markdown_upload(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    outcome.sent.append(await _upload(client, target, "bold.md", b"**a " * 24_000))
    outcome.sent.append(await _upload(client, target, "spaces.txt", b" " * 160_000 + b"x\n"))


async def pdf_pages(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    data = repeated_page_pdf()
    outcome.note = f"{len(data)} bytes, {2**15:,} pages"
    outcome.sent.append(await _upload(client, target, "pages.pdf", data))


async def pdf_flood(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    """Seven text-heavy PDFs at once by one user while the other lists their files."""
    data = wordy_pdf()
    outcome.note = f"7 × {len(data)} bytes"

    async def other_user() -> None:
        for _ in range(5):
            sent, _ = await send(client, "GET", f"{target.base}/v1/files", headers=_auth(target, "bob"))
            outcome.sent.append(sent)
            await asyncio.sleep(0.2)

    uploads = [_upload(client, target, f"wordy-{i}.pdf", data + b"%" + str(i).encode()) for i in range(7)]
    results = await asyncio.gather(*uploads, other_user())
    outcome.sent.extend(r for r in results if isinstance(r, Sent))


async def login_brute_force(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    url = f"{target.base}/api/auth/login"
    for i in range(60):
        sent, _ = await send(client, "POST", url, json={"name": "alice", "password": f"guess-{i}"})
        outcome.sent.append(sent)
    sent, response = await send(client, "POST", url, json={"name": "alice", "password": PASSWORD})
    outcome.sent.append(sent)
    outcome.defended = response is not None and response.status_code == 429
    outcome.note = f"right password after 60 wrong: {sent.status}"


async def login_flood(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    url = f"{target.base}/api/auth/login"
    results = await asyncio.gather(
        *(send(client, "POST", url, json={"name": f"user{i}", "password": "x" * 20}) for i in range(120))
    )
    outcome.sent.extend(sent for sent, _ in results)
    outcome.defended = outcome.peak_rss_mb < 1024
    outcome.note = "120 concurrent bad logins"


async def key_escalation(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    created, _ = await send(
        client, "POST", f"{target.base}/api/keys", json={"name": "x"}, headers=_auth(target)
    )
    exported, _ = await send(client, "GET", f"{target.base}/api/me/export", headers=_auth(target))
    outcome.sent.extend([created, exported])
    outcome.defended = created.status in (401, 403) and exported.status in (401, 403, 404)
    outcome.note = f"key mints a key: {created.status}; key exports: {exported.status}"


async def _flood_completions(
    client: httpx.AsyncClient, target: Target, outcome: Outcome, headers: Callable[[int], dict[str, str]]
) -> None:
    """``RPM + 20`` requests on /v1/completions, 8 at a time, each with ``headers(i)``: one
    caller, so at most ``RPM`` may be admitted in the minute."""
    statuses: list[int] = []
    total = RPM + 20

    async def worker(start: int) -> None:
        for i in range(start, total, 8):
            sent, _ = await send(
                client,
                "POST",
                f"{target.base}/v1/completions",
                json={"model": "fake-model", "prompt": "hi", "max_tokens": 2},
                headers=headers(i),
            )
            outcome.sent.append(sent)
            statuses.append(sent.status)

    await asyncio.gather(*(worker(s) for s in range(8)))
    # The monitor's chat answers are another user's: this caller's admissions are the 200s here.
    outcome.defended = statuses.count(200) <= RPM and 429 in statuses
    outcome.note = f"{statuses.count(200)} admitted of {total} under rpm {RPM}"


async def completions_quota(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    """One user's four keys on /v1/completions count against that one user."""
    keys = target.carol_keys
    await _flood_completions(
        client, target, outcome, lambda i: {"Authorization": f"Bearer {keys[i % len(keys)]}"}
    )


MULTI_USER: dict[str, Attack] = {
    "spaces-message": spaces_message,
    "clause-message": dashes_message,
    "markdown-upload": markdown_upload,
    "pdf-pages": pdf_pages,
    "pdf-flood": pdf_flood,
    "login-brute-force": login_brute_force,
    "login-flood": login_flood,
    "key-escalation": key_escalation,
    "completions-quota": completions_quota,
}


async def foreign_host(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    me, _ = await send(client, "GET", f"{target.base}/api/me", headers={"Host": "evil.example"})
    v1, _ = await send(
        client,
        "POST",
        f"{target.base}/v1/chat/completions",
        json=chat_body("hi"),
        headers={"Host": "evil.example"},
    )
    outcome.sent.extend([me, v1])
    outcome.defended = me.status in (400, 403, 421) and v1.status in (400, 403, 421)
    outcome.note = f"/api/me {me.status}, /v1 {v1.status} with Host: evil.example"


async def rotating_identity(client: httpx.AsyncClient, target: Target, outcome: Outcome) -> None:
    """Single-user mode: new bearer tokens and X-Forwarded-For addresses are still one user.

    The monitor's chat answers are the local user's too, so they share the minute's quota:
    ``defended`` only asks that the flood is cut off."""
    await _flood_completions(
        client,
        target,
        outcome,
        lambda i: {"Authorization": f"Bearer random-{i}", "X-Forwarded-For": f"203.0.{i // 250}.{i % 250}"},
    )


SINGLE_USER: dict[str, Attack] = {"foreign-host": foreign_host, "rotating-identity": rotating_identity}


# ------------------------------------------------------------------ running


def add_user(data_dir: Path, name: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "eclair",
            "users",
            "add",
            name,
            "--password-stdin",
            "--data-dir",
            str(data_dir),
        ],
        input=PASSWORD.encode(),
        check=True,
        capture_output=True,
    )


def server_process(base: str) -> psutil.Process | None:
    port = int(base.rsplit(":", 1)[1])
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            return psutil.Process(conn.pid)
    return None


async def user_keys(base: str, name: str, count: int = 1) -> list[str]:
    """``count`` new API keys of ``name``, made through a logged-in session."""
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{base}/api/auth/login", json={"name": name, "password": PASSWORD})
        response.raise_for_status()
        csrf = response.json()["csrf_token"]
        keys = []
        for i in range(count):
            created = await client.post(
                f"{base}/api/keys", json={"name": f"bench-{i}"}, headers={"X-CSRF-Token": csrf}
            )
            created.raise_for_status()
            keys.append(str(created.json()["secret"]))
        return keys


async def run_attacks(target: Target, attacks: dict[str, Attack]) -> list[dict[str, Any]]:
    idle = await idle_chat_ms(target)
    console.print(f"idle chat answer: {idle:.1f} ms (median)")
    rows = []
    for name, attack in attacks.items():
        outcome = Outcome(name)
        stop = asyncio.Event()
        watcher = asyncio.create_task(monitor(target, outcome, stop))
        await asyncio.sleep(0.3)  # the monitor is measuring before the attack starts
        async with httpx.AsyncClient() as client:
            await attack(client, target, outcome)
        await asyncio.sleep(0.3)
        stop.set()
        await watcher
        row = outcome.row(idle)
        row["idle_chat_ms"] = round(idle, 1)
        row["passed"] = passed(row)
        rows.append(row)
        console.print(f"{name}: {'ok' if row['passed'] else 'FAIL'} {row}")
    return rows


def spec(data_dir: Path, extra: dict[str, str]) -> ServerSpec:
    argv = (sys.executable, "-m", "eclair", "serve", "--backend", "fake", "--port", "{port}")
    env = {
        "ECLAIR_DATA_DIR": str(data_dir),
        "ECLAIR_FAKE_TOKEN_DELAY_S": "0.01",
        "ECLAIR_RATE_LIMIT_RPM": str(RPM),
        "ECLAIR_LOG_LEVEL": "warning",
        **extra,
    }
    return ServerSpec("eclair-fake", argv, env, ready_path="/ready")


async def multi_user(attacks: dict[str, Attack]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="eclair-hostile-") as tmp:
        data_dir = Path(tmp)
        for name in ("alice", "bob", "carol"):
            add_user(data_dir, name)
        with running(spec(data_dir, {})) as base:
            keys = {name: (await user_keys(base, name))[0] for name in ("alice", "bob")}
            target = Target(base, keys, server_process(base), await user_keys(base, "carol", 4))
            return await run_attacks(target, attacks)


async def single_user(attacks: dict[str, Attack]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="eclair-hostile-") as tmp, running(spec(Path(tmp), {})) as base:
        target = Target(base, {"bob": "local", "alice": "local"}, server_process(base))
        return await run_attacks(target, attacks)


def print_rows(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Hostile input: each attack while /health and a chat answer are measured")
    columns = (
        "attack",
        "slowest_answer_s",
        "statuses",
        "health_p99_ms",
        "chat_ratio_p50",
        "chat_ratio_max",
        "defended",
        "passed",
    )
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="attack names to run")
    args = parser.parse_args()
    wanted = set(args.only or [*MULTI_USER, *SINGLE_USER])
    multi = {k: v for k, v in MULTI_USER.items() if k in wanted}
    single = {k: v for k, v in SINGLE_USER.items() if k in wanted}
    rows = []
    if multi:
        rows += asyncio.run(multi_user(multi))
    if single:
        rows += asyncio.run(single_user(single))
    print_rows(rows)
    ok = all(row["passed"] for row in rows)
    console.print(f"{sum(r['passed'] for r in rows)}/{len(rows)} attacks within the targets")
    if args.json:
        write_json(args.json, {"cpus": os.cpu_count(), "attacks": rows, "all_passed": ok})
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
