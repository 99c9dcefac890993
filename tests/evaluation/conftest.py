"""A minimal OpenAI-compatible server on a real socket (stdlib only), scripted per test.

It speaks just what the evaluation runner uses: ``GET /v1/models``, ``POST
/v1/chat/completions`` (non-streaming, with an ``eclair`` object), and ``/v1/files``
(multipart upload with extra form fields, list, delete). Replies are looked up by the last
user message; every request is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Script:
    models: list[str] = field(default_factory=lambda: ["eclair", "tiny-raw"])
    # last user message -> (text, eclair object or None)
    replies: dict[str, tuple[str, dict[str, Any] | None]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    chats: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence the default stderr log
        pass

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_GET(self) -> None:
        script = self.server.script
        if self.path == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in script.models]
            self._send(200, {"object": "list", "data": data})
        elif self.path.startswith("/v1/files"):
            self._send(200, {"object": "list", "data": list(script.files.values())})
        else:
            self._send(404, {"error": {"message": "not found", "type": "not_found_error"}})

    def do_DELETE(self) -> None:
        file_id = self.path.rsplit("/", 1)[-1]
        self.server.script.files.pop(file_id, None)
        self.server.script.deleted.append(file_id)
        self._send(200, {"id": file_id, "object": "file", "deleted": True})

    def do_POST(self) -> None:
        if self.path == "/v1/files":
            self._upload()
        elif self.path == "/v1/chat/completions":
            self._chat(json.loads(self._body()))
        else:
            self._send(404, {"error": {"message": "not found", "type": "not_found_error"}})

    def _upload(self) -> None:
        raw = b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + self._body()
        form: dict[str, Any] = {}
        for part in BytesParser(policy=HTTP).parsebytes(raw).iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            form[str(name)] = (part.get_filename(), payload) if part.get_filename() else payload.decode()
        script = self.server.script
        filename, content = form["file"]
        record = {
            "id": f"file-{len(script.uploads) + 1}",
            "object": "file",
            "bytes": len(content),
            "created_at": 0,
            "filename": filename,
            "purpose": form.get("purpose"),
            "status": "processed",
        }
        script.uploads.append({**record, "collection": form.get("collection")})
        script.files[record["id"]] = record
        self._send(200, record)

    def _chat(self, request: dict[str, Any]) -> None:
        script = self.server.script
        script.chats.append(request)
        question = request["messages"][-1]["content"]
        if request["model"] not in script.models:
            self._send(404, {"error": {"message": "no such model", "type": "not_found_error"}})
            return
        if question in script.failing:
            self._send(500, {"error": {"message": "engine exploded", "type": "server_error"}})
            return
        text, eclair = script.replies.get(question, ("", None))
        payload: dict[str, Any] = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": request["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        if eclair is not None:
            payload["eclair"] = eclair
        self._send(200, payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script


@dataclass
class FakeOpenAIServer:
    script: Script
    url: str


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    script = Script()
    server = _Server(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeOpenAIServer(script, f"http://127.0.0.1:{server.server_address[1]}/v1")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
