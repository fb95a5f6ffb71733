"""Parquet: real timestamp columns beside the page's own date forms, and the revision diff as a struct."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from newsarchive.research.exporters import record_from_parquet, write_parquet
from newsarchive.state.revisions import paragraph_diff


def record(url: str, published: str | None, fetched_at: str, revision: dict | None = None) -> dict:
    return {
        "url": url, "canonical_url": url, "site": "x.test", "canonical_site": "x.test", "spider": "news",
        "crawl_id": "20261101T000000Z", "fetched_at": fetched_at, "extracted_at": "2026-11-01T08:00:05Z",
        "title": "T", "description": None, "authors": ["Jane Doe"], "byline": "By Jane Doe", "published": published,
        "modified": None, "published_raw": published, "section": None, "tags": [], "language": "en",
        "language_declared": "en-GB", "language_confidence": 0.98,
        "text": "One.\n\nTwo.", "word_count": 2, "copyright": None, "images": [], "warc": None, "revision": revision,
        "text_digest": "sha1:" + "A" * 32, "page_type": "article", "provenance": {"title": "meta"},
    }


RECORDS = [
    record("https://x.test/a", "2026-10-31T23:30:00-05:00", "2026-11-01T08:00:01.123456Z"),
    record("https://x.test/b", "2026-10-30", "2026-11-01T08:00:02Z",
           {"number": 2, "previous_text_digest": "sha1:" + "B" * 32,
            "diff": paragraph_diff("One.\n\nOld two.\n\nGone.", "One.\n\nTwo.\n\nNew.\n\nMore.")}),
    record("https://x.test/c", None, "2026-11-01T08:00:03Z", {"number": 3, "previous_text_digest": None}),
]


def written() -> pa.Table:
    out = io.BytesIO()
    assert write_parquet(RECORDS, out) == 3
    return pq.read_table(io.BytesIO(out.getvalue()))


def test_times_are_timestamp_columns_in_utc():
    table = written()
    for name in ("fetched_at", "extracted_at", "published", "modified"):
        assert table.schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    published = table.column("published").to_pylist()
    assert published[0] == datetime(2026, 11, 1, 4, 30, tzinfo=timezone.utc)  # the offset applied
    assert published[1] == datetime(2026, 10, 30, tzinfo=timezone.utc) and published[2] is None
    # The page's own forms stay beside them: its offset, a date-only day.
    assert table.column("published_iso").to_pylist() == ["2026-10-31T23:30:00-05:00", "2026-10-30", None]
    assert table.column("fetched_at").to_pylist()[0].microsecond == 123456


def test_the_revision_diff_is_a_typed_struct():
    table = written()
    diff_type = table.schema.field("revision").type.field("diff").type
    assert pa.types.is_struct(diff_type) and pa.types.is_list(diff_type.field("changed").type)
    diff = table.column("revision").to_pylist()[1]["diff"]
    assert diff["counts"] == {"added": 1, "removed": 0, "changed": 2, "unchanged": 1}
    assert diff["changed"][0] == {"index": 1, "before": "Old two.", "after": "Two."}


def test_records_come_back_exactly():
    read_back = [record_from_parquet(row) for row in written().to_pylist()]
    assert all(row.pop("story_id") is None for row in read_back)  # the index's, not the record's
    assert read_back == RECORDS
