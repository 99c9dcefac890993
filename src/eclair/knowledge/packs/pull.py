"""Knowledge packs, the download half: find a Kiwix ZIM release by name or URL and fetch it whole.

Contract:
- :func:`resolve_release` turns what the operator typed into a :class:`PackRelease` (file name,
  mirrors best first, size, published checksums) and downloads no pack byte.
  - ``….zim`` URL: that file, checksum from the sibling ``URL.sha256`` (``HEX  filename``, as
    download.kiwix.org publishes), else ``URL.md5``, else ``URL.meta4``.
  - ``….meta4`` URL: a Metalink 4 file (RFC 5854): name, size, the ``sha-256``/``md5`` hashes
    of the whole file (not ``<pieces>``), ``<url>`` mirrors by ``priority`` (1 first).
  - A name: a release file name without ``.zim`` and ``_YYYY-MM`` (``wikipedia_en_all_nopic``),
    dated, or a prefix of exactly one. The OPDS v2 catalogue names books without their flavour
    (``<name>wikipedia_en_all</name><flavour>nopic</flavour>``), so entries are matched on
    their acquisition link's file name, querying ``name=`` as typed, then without its last
    ``_part``, then ``q=``. It lists only the newest release; an older date is looked for next
    to it on the download server.
- :func:`download_release` writes ``FILENAME.part`` and resumes it with ``Range`` (a later call,
  the next mirror; the transfer itself is :class:`eclair.transfer.Transfer`). A mirror that refuses (4xx, 5xx) or drops the connection is retried while it
  makes progress, then left for the next. Free disk space is checked before the first byte.
  ``FILENAME`` appears (atomic rename) only once size and checksum (sha256, else md5) match the
  published ones; a mismatch deletes the part: no ``*.zim`` is ever left unverified, and an
  existing one is never overwritten. A release without a published checksum is refused unless
  ``allow_unverified``.
- :func:`pull_pack` is both, with a progress bar on stderr.

It does not open, index or register ZIM files (:mod:`~eclair.knowledge.packs.registry` does),
and writes nowhere but ``dest_dir``: a file name from remote metadata must be a plain ``*.zim``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import httpx
from rich.console import Console

from eclair.errors import EclairError
from eclair.transfer import ProgressCallback, Transfer, progress_bar

DEFAULT_KIWIX_CATALOG = "https://library.kiwix.org"

_ATOM, _META4 = "{http://www.w3.org/2005/Atom}", "{urn:ietf:params:xml:ns:metalink}"
_ACQUISITION = "http://opds-spec.org/acquisition/open-access"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")
_DATED = re.compile(r"(?P<stem>.+)_(?P<date>\d{4}-\d{2})")
_HEX = {"sha256": re.compile(r"[0-9a-fA-F]{64}"), "md5": re.compile(r"[0-9a-fA-F]{32}")}
_METADATA_LIMIT = 4_000_000  # feeds, metalinks and sidecars are small: refuse a runaway answer
_CATALOG_COUNT = 50  # a book has a few flavours; one page holds them all


class PackDownloadError(EclairError):
    """A knowledge pack could not be found, fetched or verified. Seen by the operator running
    ``eclair knowledge pull``; ``code`` says which: ``pack_not_found``, ``unverified_pack``,
    ``insufficient_storage``, ``checksum_mismatch`` or ``pack_download_failed``."""

    status = 502
    type = "server_error"
    code = "pack_download_failed"


@dataclass(frozen=True)
class PackRelease:
    """One published ZIM file: where to fetch it and what it must hash to. ``name`` is the file
    name without date and extension; ``urls`` are mirrors, best first; ``size``, ``sha256`` and
    ``md5`` are None when the publisher gave none."""

    name: str
    filename: str
    urls: tuple[str, ...]
    size: int | None
    sha256: str | None
    md5: str | None
    title: str = ""
    language: str = ""

    @property
    def checksum(self) -> tuple[str, str] | None:
        """``(algorithm, hex)`` to verify with: sha256 when published, else md5, else None."""
        if self.sha256:
            return "sha256", self.sha256.lower()
        return ("md5", self.md5.lower()) if self.md5 else None


# -- resolution ---------------------------------------------------------------------------


def resolve_release(name_or_url: str, *, catalog_url: str, client: httpx.Client) -> PackRelease:
    """The release ``name_or_url`` designates (see the module docstring)."""
    text = name_or_url.strip()
    if text.startswith(("http://", "https://")):
        path = urlsplit(text).path
        if path.endswith(".meta4"):
            return _from_meta4_url(text, client)
        if path.endswith(".zim"):
            return _from_zim_url(text, client)
        raise PackDownloadError(f"{text}: a pack URL ends in .zim or .zim.meta4", code="pack_not_found")
    if not _NAME.fullmatch(text):
        raise PackDownloadError(f"{text!r} is neither a pack name nor an http(s) URL", code="pack_not_found")
    return _from_catalog(text.removesuffix(".zim"), catalog_url.rstrip("/"), client)


def _from_zim_url(url: str, client: httpx.Client) -> PackRelease:
    filename = _safe_filename(unquote(PurePosixPath(urlsplit(url).path).name))
    for algo in ("sha256", "md5"):
        if digest := _parse_sidecar(_get_text(f"{url}.{algo}", client), algo, filename, url):
            sha256, md5 = (digest, None) if algo == "sha256" else (None, digest)
            # the size is learnt from Content-Length, before the first byte is written
            return PackRelease(_book(filename), filename, (url,), None, sha256, md5)
    if (metalink := _get_text(f"{url}.meta4", client)) is not None:
        release = _parse_meta4(metalink, f"{url}.meta4")
        if release.filename == filename:
            return replace(release, urls=tuple(dict.fromkeys((url, *release.urls))))
    return PackRelease(_book(filename), filename, (url,), None, None, None)


def _from_meta4_url(url: str, client: httpx.Client) -> PackRelease:
    if (text := _get_text(url, client)) is None:
        raise PackDownloadError(f"{url}: not found", code="pack_not_found")
    release = _parse_meta4(text, url)
    # download.kiwix.org serves the file itself next to its metalink (redirecting to a mirror)
    return replace(release, urls=tuple(dict.fromkeys((*release.urls, url.removesuffix(".meta4")))))


@dataclass(frozen=True)
class _Entry:
    book: str  # its file name without date and extension: wikipedia_en_all_nopic
    href: str  # its .meta4
    length: int | None
    title: str
    language: str


def _from_catalog(name: str, catalog: str, client: httpx.Client) -> PackRelease:
    dated = _DATED.fullmatch(name)
    entry = _find_entry(dated["stem"] if dated else name, catalog, client)
    meta4 = entry.href
    if dated and PurePosixPath(urlsplit(meta4).path).name != f"{name}.zim.meta4":
        meta4 = urljoin(meta4, f"{name}.zim.meta4")  # an older release, next to the newest
    try:
        release = _from_meta4_url(meta4, client)
    except PackDownloadError as exc:
        if exc.code != "pack_not_found" or meta4 == entry.href:
            raise
        newest = PurePosixPath(urlsplit(entry.href).path).name.removesuffix(".meta4")
        raise PackDownloadError(
            f"{name} is no longer published; the newest is {newest}", code="pack_not_found"
        ) from None
    size = release.size if release.size is not None or meta4 != entry.href else entry.length
    return replace(release, name=entry.book, size=size, title=entry.title, language=entry.language)


def _find_entry(stem: str, catalog: str, client: httpx.Client) -> _Entry:
    queries = [{"name": stem}]
    if "_" in stem:  # wikipedia_en_all_nopic is the book wikipedia_en_all, flavour nopic
        queries.append({"name": stem.rsplit("_", 1)[0]})
    seen: dict[str, _Entry] = {}
    for query in [*queries, {"q": stem}]:
        url = f"{catalog}/catalog/v2/entries"
        text = _get_text(url, client, params={**query, "count": str(_CATALOG_COUNT)})
        if text is None:
            raise PackDownloadError(f"{url}: no Kiwix OPDS v2 catalogue there")
        for entry in _parse_feed(text, url):
            seen.setdefault(entry.book, entry)
        if stem in seen:
            return seen[stem]
    candidates = sorted(book for book in seen if book.startswith(stem))
    if len(candidates) == 1:
        return seen[candidates[0]]
    if candidates:
        shown = ", ".join(candidates[:12])
        raise PackDownloadError(f"{stem} matches several packs: {shown}; name one", code="pack_not_found")
    raise PackDownloadError(f"no pack named {stem} in the catalogue {catalog}", code="pack_not_found")


def _parse_feed(text: str, url: str) -> list[_Entry]:
    entries = []
    for node in _xml(text, url, f"{_ATOM}feed", "an OPDS feed").iter(f"{_ATOM}entry"):
        for link in node.findall(f"{_ATOM}link"):
            href, length = urljoin(url, link.get("href", "")), link.get("length", "")
            if link.get("rel") == _ACQUISITION and href.endswith(".zim.meta4"):
                book = _book(PurePosixPath(urlsplit(href).path).name.removesuffix(".meta4"))
                title = (node.findtext(f"{_ATOM}title") or "").strip()
                language = (node.findtext(f"{_ATOM}language") or "").strip()
                entries.append(_Entry(book, href, int(length) if length.isdigit() else None, title, language))
    return entries


def _parse_meta4(text: str, url: str) -> PackRelease:
    node = _xml(text, url, f"{_META4}metalink", "a Metalink 4 file").find(f"{_META4}file")
    if node is None:
        raise PackDownloadError(f"{url}: the Metalink file lists no file")
    filename = _safe_filename(node.get("name", ""))
    size = (node.findtext(f"{_META4}size") or "").strip()
    # direct children only: the <hash>es inside <pieces> are per piece, without a type
    hashes = {h.get("type", "").lower(): (h.text or "").strip() for h in node.findall(f"{_META4}hash")}
    ranked = []
    for index, link in enumerate(node.findall(f"{_META4}url")):
        href, priority = urljoin(url, (link.text or "").strip()), link.get("priority", "")
        if href.startswith(("http://", "https://")):
            ranked.append((int(priority) if priority.isdigit() else 1_000_000, index, href))
    return PackRelease(
        name=_book(filename),
        filename=filename,
        urls=tuple(dict.fromkeys(href for *_, href in sorted(ranked))),
        size=int(size) if size.isdigit() else None,
        sha256=_hex(hashes.get("sha-256"), "sha256", url),
        md5=_hex(hashes.get("md5"), "md5", url),
    )


def _parse_sidecar(text: str | None, algo: str, filename: str, url: str) -> str | None:
    """The digest of a ``HEX  filename`` file, or None when ``text`` is not one (absent, HTML)."""
    fields = (text or "").split()
    if not fields or not _HEX[algo].fullmatch(fields[0]):
        return None
    if len(fields) > 1 and PurePosixPath(fields[1].lstrip("*")).name != filename:
        raise PackDownloadError(f"{url}.{algo} is the checksum of {fields[1]}, not of {filename}")
    return fields[0].lower()


# -- download -----------------------------------------------------------------------------


def download_release(
    release: PackRelease,
    dest_dir: Path,
    *,
    client: httpx.Client,
    progress: ProgressCallback | None = None,
    chunk_size: int = 1 << 20,
    allow_unverified: bool = False,
) -> Path:
    """Download, verify and atomically name ``dest_dir/release.filename`` (module docstring).
    ``progress(done, total)`` follows the bytes on disk (total None while unknown);
    ``chunk_size`` is the write buffer."""
    # 1. Refuse what cannot be verified or does not fit, before any byte.
    checksum = release.checksum
    if checksum is None and not allow_unverified:
        raise PackDownloadError(
            f"{release.filename} has no published checksum (no .sha256, .md5 or .meta4); "
            "allow unverified downloads to take it anyway",
            code="unverified_pack",
        )
    filename = _safe_filename(release.filename)
    dest_dir.mkdir(parents=True, exist_ok=True)
    final, part = dest_dir / filename, dest_dir / f"{filename}.part"
    if final.exists():
        raise PackDownloadError(f"{final} already exists; remove it to download it again")
    transfer = Transfer(
        part,
        checksum[0] if checksum else "sha256",
        release.size,
        client,
        progress,
        buffer=chunk_size,
        space_check=lambda announced: _check_space(dest_dir, announced),
    )
    if release.size is not None:
        _check_space(dest_dir, release.size - transfer.size)
    if progress:
        progress(transfer.size, release.size)
    # 2. The mirrors in order, until one delivers the rest.
    failures: list[str] = []
    try:
        for url in release.urls:
            if (failure := transfer.from_url(url)) is None:
                break
            failures.append(f"{url}: {failure}")
        else:
            kept = (
                f"; {_human(transfer.size)} kept in {part.name}, run again to resume" if transfer.size else ""
            )
            raise PackDownloadError(f"{filename}: every mirror failed ({'; '.join(failures)}){kept}")
    except OSError as exc:
        raise PackDownloadError(f"could not write {part}: {exc.strerror or exc}") from exc
    # 3. Verify, then name; a mismatch leaves nothing behind.
    got = transfer.hasher.hexdigest()
    if (release.size is not None and transfer.size != release.size) or (checksum and got != checksum[1]):
        part.unlink(missing_ok=True)
        expected = f"{checksum[0]} {checksum[1]}" if checksum else "no checksum"
        raise PackDownloadError(
            f"{filename} is corrupt and was deleted: expected {expected} ({release.size} bytes), "
            f"got {transfer.algo} {got} ({transfer.size} bytes)",
            code="checksum_mismatch",
        )
    os.replace(part, final)
    return final


# -- the command --------------------------------------------------------------------------


def pull_pack(
    name_or_url: str,
    packs_dir: Path,
    *,
    catalog_url: str = DEFAULT_KIWIX_CATALOG,
    client: httpx.Client | None = None,
    show_progress: bool = True,
    allow_unverified: bool = False,
) -> Path:
    """Resolve ``name_or_url`` and download it into ``packs_dir``, with a progress bar on stderr
    when ``show_progress`` (speed, size, time left); returns the verified file."""
    timeout = httpx.Timeout(30.0, connect=15.0)
    http = client or httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": "eclair"})
    try:
        release = resolve_release(name_or_url, catalog_url=catalog_url, client=http)
        if not show_progress:
            return download_release(release, packs_dir, client=http, allow_unverified=allow_unverified)
        console = Console(stderr=True)
        size = _human(release.size) if release.size is not None else "size unknown"
        console.print(f"{release.title or release.name}: {release.filename} ({size})")
        with progress_bar(console, release.filename, release.size) as show:
            return download_release(
                release, packs_dir, client=http, progress=show, allow_unverified=allow_unverified
            )
    finally:
        if client is None:
            http.close()


# -- small helpers ------------------------------------------------------------------------


def _get_text(url: str, client: httpx.Client, params: dict[str, str] | None = None) -> str | None:
    """A small metadata document, or None when the server says it has none (4xx)."""
    try:
        with client.stream("GET", url, params=params, follow_redirects=True) as response:
            if 400 <= response.status_code < 500:
                return None
            if response.status_code != 200:
                raise PackDownloadError(f"{url}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > _METADATA_LIMIT:
                    raise PackDownloadError(f"{url}: more than {_human(_METADATA_LIMIT)} of metadata")
            return body.decode("utf-8", errors="replace")
    except httpx.HTTPError as exc:
        raise PackDownloadError(f"{url}: {exc}") from exc


def _xml(text: str, url: str, tag: str, what: str) -> ElementTree.Element:
    try:  # Python 3.11's expat (>= 2.4.1) refuses entity-expansion bombs itself
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise PackDownloadError(f"{url}: not {what} ({exc})") from None
    if root.tag != tag:
        raise PackDownloadError(f"{url}: not {what} (its root is {root.tag})")
    return root


def _check_space(folder: Path, remaining: int) -> None:
    margin = max(64_000_000, remaining // 100)  # never fill a disk to its last byte
    free = shutil.disk_usage(folder).free
    if remaining + margin > free:
        raise PackDownloadError(
            f"not enough disk space in {folder}: the download needs {_human(remaining)} more "
            f"(and {_human(margin)} to spare), {_human(free)} is free",
            code="insufficient_storage",
        )


def _safe_filename(name: str) -> str:
    if not (_NAME.fullmatch(name) and name.endswith(".zim")):
        raise PackDownloadError(f"refusing the file name {name!r}: not a plain .zim file name")
    return name


def _book(filename: str) -> str:
    stem = filename.removesuffix(".zim")
    return dated["stem"] if (dated := _DATED.fullmatch(stem)) else stem


def _hex(value: str | None, algo: str, url: str) -> str | None:
    if value and not _HEX[algo].fullmatch(value):
        raise PackDownloadError(f"{url}: malformed {algo} checksum {value!r}")
    return value.lower() if value else None


def _human(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"
