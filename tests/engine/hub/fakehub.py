"""A fake Hugging Face Hub on 127.0.0.1: what huggingface_hub 1.x and Éclair's pull ask of it.

- ``GET /api/models/{repo}/revision/{rev}[?blobs=true]``: the commit (``sha``) and
  ``siblings`` with ``size`` and ``lfs: {sha256, size, pointerSize}`` (``HfApi.model_info``).
- ``HEAD /{repo}/resolve/{rev}/{path}``: as the Hub answers for an LFS file, a 302 to the CDN
  (another host: ``localhost`` instead of ``127.0.0.1``) carrying ``X-Repo-Commit``,
  ``X-Linked-Etag`` (the sha256), ``X-Linked-Size`` and ``ETag`` (``get_hf_file_metadata``).
- ``GET`` of the same: the same 302; ``GET /cdn/{sha256}`` serves the bytes, with ``Range``
  (206, 416 past the end).
- Unknown repositories and revisions: 404 with ``X-Error-Code: RepoNotFound`` /
  ``RevisionNotFound``, which huggingface_hub turns into its typed errors.
Misbehaviour on demand: drop the connection after N bytes of a file (``cut_after``, for
``cuts_left`` responses), serve a corrupted byte under the advertised sha256 (``corrupt``),
wait before a download's first byte (``download_delay_s``).
Every request is recorded (method, path, Range).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


@dataclass
class Repo:
    commit: str
    files: dict[str, bytes]


@dataclass
class Request:
    method: str
    path: str
    range: str | None


@dataclass
class FakeHub:
    base: str = ""
    cdn: str = ""
    repos: dict[str, Repo] = field(default_factory=dict)
    cut_after: int | None = None  # drop the connection after this many body bytes of a file...
    cuts_left: int = 0  # ...for this many responses
    corrupt: set[str] = field(default_factory=set)  # sha256s served with one byte changed
    download_delay_s: float = 0.0  # before a download's body (not a header read's)
    requests: list[Request] = field(default_factory=list)

    def add(self, repo: str, files: dict[str, bytes], commit: str | None = None) -> Repo:
        digest = hashlib.sha1(
            repr(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in files.items())).encode()
        )
        self.repos[repo] = Repo(commit or digest.hexdigest(), dict(files))
        return self.repos[repo]

    def blobs(self) -> dict[str, bytes]:
        return {
            hashlib.sha256(data).hexdigest(): data
            for repo in self.repos.values()
            for data in repo.files.values()
        }

    def file_gets(self) -> list[Request]:
        """GETs of file bytes (at the CDN)."""
        return [r for r in self.requests if r.method == "GET" and r.path.startswith("/cdn/")]

    def ranges_from(self) -> list[int]:
        """The first byte each file GET asked for (0 without Range)."""
        starts = []
        for request in self.file_gets():
            found = re.match(r"bytes=(\d+)-", request.range or "")
            starts.append(int(found[1]) if found else 0)
        return starts


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:
        hub = self.server.hub
        url = urlsplit(self.path)
        path = unquote(url.path)
        hub.requests.append(Request(self.command, path, self.headers.get("Range")))
        if api := re.fullmatch(r"/api/models/(?P<repo>[^/]+/[^/]+)/revision/(?P<rev>[^/]+)", path):
            return self._model_info(api["repo"], api["rev"])
        if resolve := re.fullmatch(r"/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)", path):
            return self._resolve(resolve["repo"], resolve["rev"], resolve["file"], head)
        if cdn := re.fullmatch(r"/cdn/(?P<sha>[0-9a-f]{64})", path):
            return self._blob(cdn["sha"], head)
        self._send(404, b"not found")

    def _repo(self, name: str, rev: str) -> Repo | None:
        repo = self.server.hub.repos.get(name)
        if repo is None:
            self._send(404, b'{"error":"Repository not found"}', {"X-Error-Code": "RepoNotFound"})
            return None
        if rev not in ("main", repo.commit):
            self._send(404, b'{"error":"Invalid rev id"}', {"X-Error-Code": "RevisionNotFound"})
            return None
        return repo

    def _model_info(self, name: str, rev: str) -> None:
        if (repo := self._repo(name, rev)) is None:
            return
        siblings = [
            {
                "rfilename": path,
                "size": len(data),
                "blobId": hashlib.sha1(data).hexdigest(),
                "lfs": {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134},
            }
            for path, data in repo.files.items()
        ]
        body = {"id": name, "modelId": name, "sha": repo.commit, "private": False, "siblings": siblings}
        self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _resolve(self, name: str, rev: str, file: str, head: bool) -> None:
        if (repo := self._repo(name, rev)) is None:
            return
        if file not in repo.files:
            return self._send(404, b"", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.commit})
        data = repo.files[file]
        sha = hashlib.sha256(data).hexdigest()
        self._send(
            302,
            b"",
            {
                "Location": f"{self.server.hub.cdn}/cdn/{sha}",
                "X-Repo-Commit": repo.commit,
                "X-Linked-Etag": f'"{sha}"',
                "X-Linked-Size": str(len(data)),
                "ETag": f'"{hashlib.sha1(data).hexdigest()}"',
            },
        )

    def _blob(self, sha: str, head: bool) -> None:
        hub = self.server.hub
        data = hub.blobs().get(sha)
        if data is None:
            return self._send(404, b"no such blob")
        if sha in hub.corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        size = len(data)
        status, start, end = 200, 0, size - 1
        headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha}"'}
        if asked := re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", "")):
            start = int(asked[1])
            if start >= size:
                return self._send(416, b"", {"Content-Range": f"bytes */{size}"})
            end = min(int(asked[2]), size - 1) if asked[2] else size - 1
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        if not head and (status == 200 or not asked or not asked[2]):  # a download, not a header read
            time.sleep(hub.download_delay_s)
        cut = None
        if not head and hub.cut_after is not None and hub.cuts_left > 0:
            hub.cuts_left -= 1
            cut = hub.cut_after
        self._send(status, b"" if head else data[start : end + 1], headers, cut=cut, length=end + 1 - start)

    def _send(
        self,
        status: int,
        data: bytes,
        headers: dict[str, str] | None = None,
        cut: int | None = None,
        length: int | None = None,
    ) -> None:
        """Answer ``data``; with ``cut``, promise all of it, send that many bytes and hang up."""
        self.send_response(status)
        for key, value in {
            "Content-Length": str(len(data) if length is None else length),
            **(headers or {}),
        }.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data[:cut])
            if cut is not None:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
        except OSError:
            self.close_connection = True  # the client hung up first (a header read that had enough)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hub: FakeHub

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.open_sockets: set[socket.socket] = set()

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-answer is what several tests do on purpose

    def stop(self) -> None:
        """Stop listening and hang up on kept-alive connections: a stopped Hub answers nothing."""
        self.shutdown()
        self.server_close()
        for sock in list(self.open_sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def running_hub() -> Iterator[FakeHub]:
    server = _Server(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    # the CDN is another host name for the same server: huggingface_hub stops at a redirect
    # off the Hub and reads the file's metadata from the 302, as it does with the real CDN
    server.hub = FakeHub(base=f"http://127.0.0.1:{port}", cdn=f"http://localhost:{port}")
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.hub
    finally:
        server.stop()
        thread.join()
