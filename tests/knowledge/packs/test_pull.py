"""Pulling knowledge packs from a fake Kiwix on 127.0.0.1: one real HTTP server plays
library.kiwix.org (OPDS v2 catalogue), download.kiwix.org (.meta4, .sha256, .md5, the file)
and two mirrors, with Range support; it can drop a connection after N bytes, fail a mirror
with 503 or ignore Range. Its documents follow what libkiwix and mirrorbits serve."""

from __future__ import annotations

import hashlib
import random
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from eclair.knowledge.packs import pull
from eclair.knowledge.packs.pull import (
    PackDownloadError,
    PackRelease,
    download_release,
    pull_pack,
    resolve_release,
)

PAYLOAD = random.Random(7).randbytes(300_000)  # not a ZIM: this module never opens one
FILE = "wikipedia_en_all_nopic_2024-06.zim"
SHA256 = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()
CHUNK = 32 * 1024
# name, flavour, file, title, language: the catalogue's books (only FILE is on the server)
BOOKS = [
    ("wikipedia_en_all", "maxi", "wikipedia_en_all_maxi_2024-05.zim", "Wikipedia", "eng"),
    ("wikipedia_en_all", "nopic", FILE, "Wikipedia", "eng"),
    ("wikipedia_fr_all", "nopic", "wikipedia_fr_all_nopic_2024-06.zim", "Wikipédia", "fra"),
]


class Kiwix:
    """What the fake serves, how it misbehaves, and every request it saw."""

    def __init__(self) -> None:
        self.base = ""
        self.published_sha256 = SHA256
        self.sidecars = {"sha256", "md5", "meta4"}  # published next to /zim/wikipedia/FILE
        self.extra: dict[str, str] = {}  # path -> body of any other document
        self.cut_after: int | None = None  # drop the connection after this many body bytes...
        self.cuts_left = 0  # ...this many times
        self.failing: tuple[str, ...] = ()  # path prefixes that answer 503
        self.ignore_range = False
        self.requests: list[tuple[str, str, str | None]] = []  # method, path?query, Range

    def payload_requests(self) -> list[tuple[str, str | None]]:
        return [
            (path, rng) for method, path, rng in self.requests if method == "GET" and path.endswith(".zim")
        ]

    def feed(self, query: dict[str, list[str]]) -> str:
        name, q = query.get("name", [""])[0], query.get("q", [""])[0].lower()
        entries = [
            f"""  <entry>
    <id>urn:uuid:{hashlib.md5(file.encode()).hexdigest()}</id>
    <title>{title}</title>
    <updated>2024-06-20T00:00:00Z</updated>
    <summary>The free encyclopedia</summary>
    <language>{language}</language>
    <name>{book}</name>
    <flavour>{flavour}</flavour>
    <category>wikipedia</category>
    <tags>wikipedia;_category:wikipedia;_pictures:no</tags>
    <articleCount>6800000</articleCount>
    <mediaCount>40</mediaCount>
    <link type="text/html" href="/content/{file[:-4]}" />
    <author><name>Wikipedia</name></author>
    <publisher><name>openZIM</name></publisher>
    <dc:issued>2024-06-15T00:00:00Z</dc:issued>
    <link rel="http://opds-spec.org/acquisition/open-access" type="application/x-zim"
          href="{self.base}/zim/wikipedia/{file}.meta4" length="{len(PAYLOAD)}" />
  </entry>"""
            for book, flavour, file, title, language in BOOKS
            if (name and book == name) or (q and (q in f"{book}_{flavour}" or q in title.lower()))
        ]
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/"
      xmlns:opds="https://specs.opds.io/opds-1.2" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <id>urn:uuid:00000000-0000-0000-0000-000000000000</id>
  <link rel="self" href="/catalog/v2/entries" type="application/atom+xml;profile=opds-catalog;kind=acquisition"/>
  <title>Filtered Entries</title>
  <updated>2024-06-20T00:00:00Z</updated>
  <totalResults>{len(entries)}</totalResults>
  <startIndex>0</startIndex>
  <itemsPerPage>{len(entries)}</itemsPerPage>
{chr(10).join(entries)}
</feed>
"""

    def meta4(self) -> str:
        # mirrorbits order: document order is not priority order; <pieces> hashes have no type
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<metalink xmlns="urn:ietf:params:xml:ns:metalink">
  <generator>MirrorBits</generator>
  <origin dynamic="true">{self.base}/zim/wikipedia/{FILE}.meta4</origin>
  <published>2024-06-20T08:00:00Z</published>
  <file name="{FILE}">
    <size>{len(PAYLOAD)}</size>
    <hash type="md5">{MD5}</hash>
    <hash type="sha-1">{hashlib.sha1(PAYLOAD).hexdigest()}</hash>
    <hash type="sha-256">{self.published_sha256}</hash>
    <pieces length="262144" type="sha-1">
      <hash>{hashlib.sha1(PAYLOAD[:262144]).hexdigest()}</hash>
      <hash>{hashlib.sha1(PAYLOAD[262144:]).hexdigest()}</hash>
    </pieces>
    <url priority="2" location="fr">{self.base}/mirror2/{FILE}</url>
    <url priority="1" location="de">{self.base}/mirror1/{FILE}</url>
  </file>
</metalink>
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        kiwix = self.server.kiwix
        kiwix.requests.append((self.command, self.path, self.headers.get("Range")))
        url = urlsplit(self.path)
        path, zim = url.path, f"/zim/wikipedia/{FILE}"
        if path.startswith(kiwix.failing):
            return self.send(503, b"mirror down")
        if path == "/catalog/v2/entries":
            return self.send(200, kiwix.feed(parse_qs(url.query)).encode())
        if path in kiwix.extra:
            return self.send(200, kiwix.extra[path].encode())
        if path == f"{zim}.meta4" and "meta4" in kiwix.sidecars:
            return self.send(200, kiwix.meta4().encode())
        if path == f"{zim}.sha256" and "sha256" in kiwix.sidecars:
            return self.send(200, f"{kiwix.published_sha256}  {FILE}\n".encode())
        if path == f"{zim}.md5" and "md5" in kiwix.sidecars:
            return self.send(200, f"{MD5}  {FILE}\n".encode())
        if path == zim:  # the download server redirects to a mirror, as mirrorbits does
            return self.send(302, b"", {"Location": f"{kiwix.base}/mirror2/{FILE}"})
        if path in (f"/mirror1/{FILE}", f"/mirror2/{FILE}", f"/bare/{FILE}"):
            return self.send_payload()
        return self.send(404, b"not found")

    def send_payload(self) -> None:
        kiwix, size = self.server.kiwix, len(PAYLOAD)
        asked = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        status, start, headers = 200, 0, {"Accept-Ranges": "bytes"}
        if asked and not kiwix.ignore_range:
            status, start = 206, int(asked[1])
            if start >= size:
                return self.send(416, b"", {"Content-Range": f"bytes */{size}"})
            headers = {"Content-Range": f"bytes {start}-{size - 1}/{size}"}
        cut = kiwix.cut_after if kiwix.cuts_left > 0 else None
        kiwix.cuts_left -= cut is not None
        self.send(status, PAYLOAD[start:], headers, cut=cut)

    def send(
        self, status: int, data: bytes, headers: dict[str, str] | None = None, cut: int | None = None
    ) -> None:
        """Answer ``data``; with ``cut``, promise all of it, send that many bytes and hang up."""
        self.send_response(status)
        for key, value in {"Content-Length": str(len(data)), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data[:cut])
        if cut is not None:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    kiwix: Kiwix


@pytest.fixture
def kiwix() -> Iterator[Kiwix]:
    server = Server(("127.0.0.1", 0), Handler)
    server.kiwix = Kiwix()
    server.kiwix.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server.kiwix
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def client(kiwix: Kiwix) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as http:  # no follow_redirects: the module asks for it
        yield http


def pull_named(kiwix: Kiwix, client: httpx.Client, dest: Path, name: str = "wikipedia_en_all_nopic") -> Path:
    release = resolve_release(name, catalog_url=kiwix.base, client=client)
    return download_release(release, dest, client=client, chunk_size=CHUNK)


# -- resolution ---------------------------------------------------------------------------


def test_a_name_resolves_through_the_catalogue_and_its_metalink(kiwix: Kiwix, client: httpx.Client) -> None:
    release = resolve_release("wikipedia_en_all_nopic", catalog_url=kiwix.base + "/", client=client)

    assert release == PackRelease(
        name="wikipedia_en_all_nopic",
        filename=FILE,
        urls=(
            f"{kiwix.base}/mirror1/{FILE}",  # priority 1, listed second
            f"{kiwix.base}/mirror2/{FILE}",
            f"{kiwix.base}/zim/wikipedia/{FILE}",  # the download server's redirector, last
        ),
        size=len(PAYLOAD),
        sha256=SHA256,  # the file's, not a <pieces> hash
        md5=MD5,
        title="Wikipedia",
        language="eng",
    )
    # the catalogue names books without their flavour: name= as typed, then without it
    queries = [parse_qs(urlsplit(path).query) for _, path, _ in kiwix.requests if "/catalog/" in path]
    assert [q["name"] for q in queries] == [["wikipedia_en_all_nopic"], ["wikipedia_en_all"]]
    assert not kiwix.payload_requests()


def test_dated_names_and_unique_prefixes_resolve_too(kiwix: Kiwix, client: httpx.Client) -> None:
    for name in ("wikipedia_en_all_nopic_2024-06", "wikipedia_en_all_no"):
        release = resolve_release(name, catalog_url=kiwix.base, client=client)
        assert (release.filename, release.sha256) == (FILE, SHA256)
    # a unique prefix found with q= only; its metalink is not on this server
    with pytest.raises(
        PackDownloadError, match=r"wikipedia_fr_all_nopic_2024-06\.zim\.meta4: not found"
    ) as gone:
        resolve_release("wikipedia_fr", catalog_url=kiwix.base, client=client)
    assert gone.value.code == "pack_not_found"
    assert "q=wikipedia_fr" in kiwix.requests[-2][1]


def test_ambiguous_unknown_and_unpublished_names_are_refused(kiwix: Kiwix, client: httpx.Client) -> None:
    with pytest.raises(PackDownloadError, match="wikipedia_en_all_maxi, wikipedia_en_all_nopic; name one"):
        resolve_release("wikipedia_en_all", catalog_url=kiwix.base, client=client)
    with pytest.raises(PackDownloadError, match="no pack named klingon_all") as unknown:
        resolve_release("klingon_all", catalog_url=kiwix.base, client=client)
    assert unknown.value.code == "pack_not_found"
    with pytest.raises(
        PackDownloadError, match=r"no longer published; the newest is wikipedia_en_all_nopic_2024-06\.zim"
    ):
        resolve_release("wikipedia_en_all_nopic_2023-01", catalog_url=kiwix.base, client=client)
    with pytest.raises(PackDownloadError, match="neither a pack name nor"):
        resolve_release("../etc/passwd", catalog_url=kiwix.base, client=client)


def test_a_zim_url_takes_its_checksum_from_the_sha256_then_md5_sidecar(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    url = f"{kiwix.base}/zim/wikipedia/{FILE}"
    kiwix.sidecars = {"sha256", "md5"}
    release = resolve_release(url, catalog_url=kiwix.base, client=client)
    assert (release.urls, release.sha256, release.md5) == ((url,), SHA256, None)
    assert release.name == "wikipedia_en_all_nopic"

    kiwix.sidecars = {"md5"}  # md5 alone is still a published checksum, and is verified
    release = resolve_release(url, catalog_url=kiwix.base, client=client)
    assert (release.sha256, release.md5, release.checksum) == (None, MD5, ("md5", MD5))
    path = download_release(release, tmp_path, client=client, chunk_size=CHUNK)
    assert path.read_bytes() == PAYLOAD

    kiwix.sidecars = {"meta4"}  # no sidecar: the sibling metalink, mirrors after the URL given
    release = resolve_release(url, catalog_url=kiwix.base, client=client)
    assert release.sha256 == SHA256 and release.urls[0] == url and len(release.urls) == 3


def test_a_meta4_url_is_parsed_and_hostile_names_are_refused(kiwix: Kiwix, client: httpx.Client) -> None:
    release = resolve_release(f"{kiwix.base}/zim/wikipedia/{FILE}.meta4", catalog_url="unused", client=client)
    assert release.urls[:2] == (f"{kiwix.base}/mirror1/{FILE}", f"{kiwix.base}/mirror2/{FILE}")
    assert (release.size, release.sha256, release.md5) == (len(PAYLOAD), SHA256, MD5)

    kiwix.extra["/evil.zim.meta4"] = kiwix.meta4().replace(f'name="{FILE}"', 'name="../../.bashrc.zim"')
    with pytest.raises(PackDownloadError, match=r"not a plain \.zim file name"):
        resolve_release(f"{kiwix.base}/evil.zim.meta4", catalog_url="unused", client=client)
    kiwix.extra["/html.zim.meta4"] = "<html><body>Mirror maintenance</body></html>"
    with pytest.raises(PackDownloadError, match="not a Metalink 4 file"):
        resolve_release(f"{kiwix.base}/html.zim.meta4", catalog_url="unused", client=client)


# -- download -----------------------------------------------------------------------------


def test_pull_by_name_downloads_the_verified_file_with_a_progress_bar(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    path = pull_pack("wikipedia_en_all_nopic", tmp_path / "packs", catalog_url=kiwix.base, client=client)

    assert path == tmp_path / "packs" / FILE and path.read_bytes() == PAYLOAD
    assert sorted(p.name for p in path.parent.iterdir()) == [FILE]
    assert kiwix.payload_requests() == [(f"/mirror1/{FILE}", None)]


def test_an_interrupted_download_resumes_with_range(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    kiwix.cut_after, kiwix.cuts_left = 100_000, 1

    path = pull_named(kiwix, client, tmp_path)

    assert path.read_bytes() == PAYLOAD
    assert kiwix.payload_requests() == [(f"/mirror1/{FILE}", None), (f"/mirror1/{FILE}", "bytes=100000-")]


def test_a_part_left_by_a_failed_run_is_resumed_by_the_next(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    kiwix.sidecars = {"sha256"}  # one URL, no mirror to fall back on
    kiwix.cut_after, kiwix.cuts_left = 40_000, 99
    release = resolve_release(f"{kiwix.base}/zim/wikipedia/{FILE}", catalog_url="unused", client=client)
    with pytest.raises(PackDownloadError, match="run again to resume"):
        download_release(release, tmp_path, client=client, chunk_size=CHUNK)
    part = tmp_path / f"{FILE}.part"
    kept = part.stat().st_size
    assert 0 < kept < len(PAYLOAD) and not (tmp_path / FILE).exists()

    kiwix.cuts_left = 0
    seen: list[tuple[int, int | None]] = []
    path = download_release(
        release, tmp_path, client=client, chunk_size=CHUNK, progress=lambda *a: seen.append(a)
    )

    assert path.read_bytes() == PAYLOAD and not part.exists()
    # through the download server's redirect to a mirror, Range kept
    assert kiwix.payload_requests()[-2:] == [
        (f"/zim/wikipedia/{FILE}", f"bytes={kept}-"),
        (f"/mirror2/{FILE}", f"bytes={kept}-"),
    ]
    assert seen[0] == (kept, None) and seen[-1] == (len(PAYLOAD), len(PAYLOAD))  # size from Content-Length


def test_a_server_that_ignores_range_restarts_from_zero(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    (tmp_path / f"{FILE}.part").write_bytes(PAYLOAD[:100_000])
    kiwix.ignore_range = True

    assert pull_named(kiwix, client, tmp_path).read_bytes() == PAYLOAD
    assert kiwix.payload_requests() == [(f"/mirror1/{FILE}", "bytes=100000-")]


def test_a_complete_part_answered_416_is_verified_and_named(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    (tmp_path / f"{FILE}.part").write_bytes(PAYLOAD)

    assert pull_named(kiwix, client, tmp_path).read_bytes() == PAYLOAD
    assert kiwix.payload_requests() == [(f"/mirror1/{FILE}", f"bytes={len(PAYLOAD)}-")]


def test_a_failing_mirror_passes_to_the_next(kiwix: Kiwix, client: httpx.Client, tmp_path: Path) -> None:
    kiwix.failing = ("/mirror1/",)

    assert pull_named(kiwix, client, tmp_path).read_bytes() == PAYLOAD
    assert kiwix.payload_requests() == [(f"/mirror1/{FILE}", None), (f"/mirror2/{FILE}", None)]


def test_a_wrong_checksum_leaves_no_file_behind(kiwix: Kiwix, client: httpx.Client, tmp_path: Path) -> None:
    kiwix.published_sha256 = "ab" * 32
    kiwix.cut_after, kiwix.cuts_left = 100_000, 1  # and resumed halfway, for good measure

    with pytest.raises(PackDownloadError, match=f"expected sha256 {'ab' * 32}.*got sha256 {SHA256}") as bad:
        pull_pack(
            "wikipedia_en_all_nopic", tmp_path, catalog_url=kiwix.base, client=client, show_progress=False
        )

    assert bad.value.code == "checksum_mismatch"
    assert list(tmp_path.iterdir()) == []  # no *.zim, no *.part


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def test_not_enough_disk_is_refused_before_any_byte(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pull.shutil, "disk_usage", lambda path: Usage(64 * 10**9, 54 * 10**9, 10 * 10**9))
    mirror = f"{kiwix.base}/mirror1/{FILE}"
    release = PackRelease(
        "wikipedia_en_all_maxi", "wikipedia_en_all_maxi_2024-05.zim", (mirror,), 52 * 10**9, SHA256, None
    )

    with pytest.raises(PackDownloadError, match=r"needs 52\.0 GB more .* 10\.0 GB is free") as full:
        download_release(release, tmp_path, client=client)
    assert full.value.code == "insufficient_storage"

    monkeypatch.setattr(pull.shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 1_000_000, 1_000_000))
    with pytest.raises(PackDownloadError, match=r"needs 0\.3 MB more .* 1\.0 MB is free"):
        pull_pack(
            "wikipedia_en_all_nopic", tmp_path, catalog_url=kiwix.base, client=client, show_progress=False
        )
    assert kiwix.payload_requests() == [] and list(tmp_path.iterdir()) == []


def test_a_release_without_published_checksum_is_refused_unless_allowed(
    kiwix: Kiwix, client: httpx.Client, tmp_path: Path
) -> None:
    url = f"{kiwix.base}/bare/{FILE}"  # no .sha256, .md5 or .meta4 next to it

    with pytest.raises(PackDownloadError, match="no published checksum") as refused:
        pull_pack(url, tmp_path, catalog_url=kiwix.base, client=client, show_progress=False)
    assert refused.value.code == "unverified_pack"
    assert kiwix.payload_requests() == [] and list(tmp_path.iterdir()) == []

    path = pull_pack(
        url, tmp_path, catalog_url="unused", client=client, show_progress=False, allow_unverified=True
    )
    assert path.read_bytes() == PAYLOAD
