"""What a user may upload: clean file names, and per-user quotas on uploads and kept text.

Contract:
- :func:`clean_filename` is the name a document is stored and listed under: NFC, without
  control and format characters (Unicode categories Cc, Cf, Cs, Zl, Zp: NUL, line breaks, the
  bidi overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and
  U+061C, zero-width characters), at most 255 characters with its extension kept. A
  right-to-left override would let ``report\\u202etxt.exe`` show as ``reportexe.txt`` in every
  listing. A name with nothing left is refused (400).
- :class:`UploadQuotas` are per user, whatever the collection; 0 means no limit; shared
  documents (``user_id`` None: ``eclair ingest``, the operator) are never limited.
  - Daily: uploads and bytes in a rolling 24 hours, read from the knowledge index's upload
    ledger (:meth:`~eclair.knowledge.store.KnowledgeIndex.record_upload`). An upload is
    counted when it is admitted, before its extraction, so uploads refused later (too
    large, too complex, unreadable) count too: their extraction cost the server all the
    same. Deleting documents gives nothing back. Spent: 429 ``upload_quota_exceeded`` with
    ``Retry-After`` set to when enough of the window has passed.
  - Kept: documents and characters of extracted text the user keeps. Checked when the upload
    is admitted (a user already at a limit costs no extraction) and again in the
    transaction that stores the document. Reached: 403 ``storage_quota_exceeded`` (waiting
    does not help; deleting documents does).
- Re-uploading bytes that the user already keeps in the same collection answers the existing
  document and counts nothing (no work, nothing stored). The same bytes in another collection
  are a new document (copied, not extracted again) and count like any upload: moving from
  collection to collection is no way around a quota.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from eclair.errors import InvalidRequest, PermissionDenied, RateLimited
from eclair.knowledge.store import UPLOAD_WINDOW_S, StoredUsage, Upload

MAX_FILENAME_CHARS = 255
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def clean_filename(name: str) -> str:
    """The name to store (see module docstring)."""
    kept = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c) not in _HIDDEN)
    kept = kept.strip()
    if not kept:
        raise InvalidRequest("the file name is empty once control characters are removed", param="file")
    if len(kept) > MAX_FILENAME_CHARS:
        suffix = PurePath(kept).suffix[:16]
        kept = kept[: MAX_FILENAME_CHARS - len(suffix)].rstrip() + suffix
    return kept


@dataclass(frozen=True, slots=True)
class UploadQuotas:
    """Per-user limits (0: none); see the module docstring."""

    daily_files: int = 0
    daily_bytes: int = 0
    documents: int = 0
    chars: int = 0

    @property
    def enabled(self) -> bool:
        return any((self.daily_files, self.daily_bytes, self.documents, self.chars))

    def admit_upload(
        self, size: int, kept: StoredUsage, recent: list[Upload], now: float | None = None
    ) -> None:
        """Raise unless one more upload of ``size`` bytes is allowed, given what the user keeps
        and their uploads of the last 24 hours (oldest first)."""
        self.check_kept(kept)
        now = time.time() if now is None else now
        if self.daily_files and len(recent) + 1 > self.daily_files:
            # the upload that leaves the window first makes room for one more
            wait = recent[len(recent) - self.daily_files].at + UPLOAD_WINDOW_S - now
            raise self._daily(f"{self.daily_files} uploads per 24 hours", wait)
        if self.daily_bytes:
            used = sum(u.bytes for u in recent)
            if used + size > self.daily_bytes:
                wait = float(UPLOAD_WINDOW_S)  # a file larger than the whole quota never fits
                excess = used + size - self.daily_bytes
                for upload in recent:  # oldest first: room comes back as they leave the window
                    excess -= upload.bytes
                    if excess <= 0:
                        wait = upload.at + UPLOAD_WINDOW_S - now
                        break
                raise self._daily(f"{self.daily_bytes:,} bytes per 24 hours", wait)

    def check_kept(self, kept: StoredUsage, adding_chars: int = 0) -> None:
        """Raise if the user keeps as much as allowed (or would, with ``adding_chars`` more)."""
        if self.documents and kept.documents + 1 > self.documents:
            raise self._storage(f"you keep {kept.documents} documents, the most allowed")
        if self.chars and kept.chars + max(adding_chars, 1) > self.chars:
            raise self._storage(
                f"your documents {'would ' if adding_chars else ''}hold {kept.chars + adding_chars:,}"
                f" characters of text; the limit is {self.chars:,}"
            )

    @staticmethod
    def _daily(limit: str, wait: float) -> RateLimited:
        return RateLimited(
            f"upload quota exceeded: {limit}; retry later",
            retry_after=max(1.0, wait),
            param="file",
            code="upload_quota_exceeded",
        )

    @staticmethod
    def _storage(detail: str) -> PermissionDenied:
        return PermissionDenied(
            f"storage quota exceeded: {detail}; delete some documents first",
            param="file",
            code="storage_quota_exceeded",
        )
