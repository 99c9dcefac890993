"""Upload admission: clean names, per-user quotas whatever the collection, copies counted."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from eclair.errors import InvalidRequest, PermissionDenied, RateLimited
from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.sandbox import DocumentLimits
from eclair.knowledge.store import StoredUsage, Upload
from eclair.knowledge.uploads import UploadQuotas, clean_filename

DAY = 24 * 3600


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("invoice\u202efdp.txt", "invoicefdp.txt"),  # right-to-left override: shows as "invoicetxt.pdf"
        ("\u2067notes\u2069.md", "notes.md"),  # isolates
        ("a\u200eb\u200fc\u061cd.txt", "abcd.txt"),  # directional marks
        ("zero\u200bwidth\ufeff.txt", "zerowidth.txt"),
        ("line\nbreak\r\x00\x1b.txt", "linebreak.txt"),
        ("sep\u2028ara\u2029ted.txt", "separated.txt"),
        ("Cafe\u0301 résumé.pdf", "Café résumé.pdf"),  # NFC, letters kept
        ("עברית.txt", "עברית.txt"),  # right-to-left letters are fine; only controls go
    ],
)
def test_file_names_lose_their_control_and_bidi_characters(name: str, stored: str) -> None:
    assert clean_filename(name) == stored


def test_long_names_keep_their_extension_and_empty_ones_are_refused() -> None:
    long = clean_filename("x" * 5000 + ".pdf")
    assert len(long) == 255 and long.endswith("x.pdf")
    with pytest.raises(InvalidRequest):
        clean_filename("\u202e\u200b ")


def test_daily_quotas_say_when_to_retry() -> None:
    now = 1_000_000.0
    quotas = UploadQuotas(daily_files=2, daily_bytes=1000)
    kept = StoredUsage(0, 0)
    quotas.admit_upload(10, kept, [Upload(now - 100, 10)], now=now)
    with pytest.raises(RateLimited) as refused:
        quotas.admit_upload(10, kept, [Upload(now - 3000, 10), Upload(now - 100, 10)], now=now)
    assert refused.value.code == "upload_quota_exceeded" and refused.value.retry_after == DAY - 3000
    # bytes: room comes back when the oldest uploads that make it leave the window
    with pytest.raises(RateLimited) as refused:
        UploadQuotas(daily_bytes=1000).admit_upload(
            500, kept, [Upload(now - 5000, 400), Upload(now - 10, 400)], now=now
        )
    assert refused.value.retry_after == DAY - 5000
    with pytest.raises(RateLimited) as refused:
        UploadQuotas(daily_bytes=1000).admit_upload(2000, kept, [], now=now)
    assert refused.value.retry_after == DAY


def test_kept_limits_refuse_with_403() -> None:
    with pytest.raises(PermissionDenied) as refused:
        UploadQuotas(documents=3).check_kept(StoredUsage(3, 10))
    assert refused.value.status == 403 and refused.value.code == "storage_quota_exceeded"
    UploadQuotas(chars=100).check_kept(StoredUsage(1, 60), adding_chars=40)
    with pytest.raises(PermissionDenied):
        UploadQuotas(chars=100).check_kept(StoredUsage(1, 60), adding_chars=41)


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[KnowledgeBase]:
    base = KnowledgeBase(tmp_path / "data", dense=False, quotas=UploadQuotas(daily_files=3, documents=2))
    yield base
    await base.close()


async def test_changing_collection_does_not_escape_the_daily_quota(limited: KnowledgeBase) -> None:
    for number, collection in enumerate(("one", "two", "three")):
        await limited.add_file(
            f"Document {number}.".encode(), f"d{number}.txt", collection=collection, user_id="alice"
        )
        if number == 1:  # deleting gives no upload back
            for document in await limited.list_documents("alice"):
                await limited.delete_document(document.id, "alice")
    with pytest.raises(RateLimited) as refused:
        await limited.add_file(b"One more.", "more.txt", collection="four", user_id="alice")
    assert refused.value.code == "upload_quota_exceeded" and 1 <= refused.value.retry_after <= DAY
    await limited.add_file(b"Bob's own quota.", "bob.txt", user_id="bob")
    for number in range(5):  # shared documents (the operator's ingest) are never limited
        await limited.add_file(f"Shared {number}.".encode(), f"s{number}.txt")


async def test_refused_uploads_count_against_the_daily_quota(limited: KnowledgeBase) -> None:
    for _ in range(3):
        with pytest.raises(InvalidRequest):
            await limited.add_file(b"   ", "empty.txt", user_id="alice")
    with pytest.raises(RateLimited):
        await limited.add_file(b"Now a real one.", "real.txt", user_id="alice")


async def test_the_same_file_again_in_the_same_collection_is_free(limited: KnowledgeBase) -> None:
    first = await limited.add_file(b"The same bytes.", "same.txt", user_id="alice")
    for _ in range(5):
        assert (await limited.add_file(b"The same bytes.", "again.txt", user_id="alice")).id == first.id


async def test_the_same_file_in_another_collection_is_a_counted_copy(limited: KnowledgeBase) -> None:
    text = "The Ronec ferry leaves at nine. " * 60  # about 1,900 characters
    first = await limited.add_file(text.encode(), "ferry.txt", collection="harbour", user_id="alice")
    limited.limits = DocumentLimits(max_chars=1000)  # a second extraction would now be refused
    copy = await limited.add_file(text.encode(), "ferry.txt", collection="travel", user_id="alice")
    assert copy.id != first.id and copy.collection == "travel"
    assert (copy.chars, copy.chunks, copy.sha256) == (first.chars, first.chunks, first.sha256)
    assert await limited.get_text(copy.id, "alice") == await limited.get_text(first.id, "alice")
    assert {p.collection for p in await limited.search("Ronec ferry", user_id="alice", k=10)} == {
        "harbour",
        "travel",
    }
    # the copy counts: two documents kept is the limit, and a third collection is refused
    with pytest.raises(PermissionDenied) as refused:
        await limited.add_file(text.encode(), "ferry.txt", collection="elsewhere", user_id="alice")
    assert refused.value.code == "storage_quota_exceeded"


async def test_kept_characters_are_checked_when_stored(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, dense=False, quotas=UploadQuotas(chars=100))
    try:
        await base.add_file(b"x" * 60, "a.txt", user_id="alice")
        with pytest.raises(PermissionDenied, match="would hold 120"):
            await base.add_file(b"y" * 60, "b.txt", user_id="alice")
        assert [d.filename for d in await base.list_documents("alice")] == ["a.txt"]
    finally:
        await base.close()


async def test_stored_file_names_are_clean(limited: KnowledgeBase) -> None:
    document = await limited.add_file(b"Quarterly figures.", "report\u202efdp.txt", user_id="alice")
    assert document.filename == "reportfdp.txt"
    assert [d.filename for d in await limited.list_documents("alice")] == ["reportfdp.txt"]


def test_the_ledger_forgets_uploads_older_than_a_day(tmp_path: Path) -> None:
    base = KnowledgeBase(tmp_path, dense=False)
    seen: list[list[Upload]] = []
    now = time.time()
    base.index.record_upload("alice", 10, lambda kept, recent: seen.append(recent), now=now - DAY - 1)
    base.index.record_upload("alice", 20, lambda kept, recent: seen.append(recent), now=now - 60)
    base.index.record_upload("alice", 30, lambda kept, recent: seen.append(recent), now=now)
    assert seen[-1] == [Upload(now - 60, 20)]
    base.index.close()
