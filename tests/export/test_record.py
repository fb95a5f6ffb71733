"""The typed article record, the one function that builds it, and the published schema stay in step."""
from __future__ import annotations

import typing

from newsarchive.export.record import CRAWL_FIELDS, ArticleRecord, PageFields, article_record
from newsarchive.export.schema import article_schema, record_errors
from newsarchive.extract import extract_article
from newsarchive.warc.pointer import POINTER_FIELDS, WarcPointer

PAGE = b"""<!doctype html><html lang="en"><head><title>A test story | Example News</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2026-11-01T08:00:00Z">
</head><body><article><h1>A test story</h1><p>By Jane Doe</p>
<p>First paragraph of a story written for this test, long enough to count as article text.</p>
<p>Second paragraph, so the body extractor has more than one block to keep.</p></article>
<footer>&copy; 2026 Example News</footer></body></html>"""
POINTER = WarcPointer(filename="NEWSARCHIVE-20261101080000000-00000-host-1.warc.gz", offset=0, length=1200,
                      record_id="<urn:uuid:12345678-1234-5678-1234-567812345678>",
                      payload_digest="sha1:" + "A" * 32)


def test_record_type_names_every_schema_property_and_nothing_else():
    schema = article_schema()
    assert set(typing.get_type_hints(ArticleRecord)) == set(schema["properties"])
    assert set(schema["required"]) <= set(typing.get_type_hints(ArticleRecord))


def test_page_fields_are_what_extraction_returns():
    page = extract_article(PAGE, "https://example.org/2026/11/01/a-test-story/")
    assert set(page) == PageFields.__required_keys__  # `problems` only when a field failed
    assert PageFields.__optional_keys__ == {"problems"}
    assert set(typing.get_type_hints(ArticleRecord)) - set(typing.get_type_hints(PageFields)) == set(CRAWL_FIELDS)


def test_article_record_builds_a_valid_record_with_every_field():
    page = extract_article(PAGE, "https://example.org/2026/11/01/a-test-story/")
    record = article_record(page, spider="news", crawl_id="20261101T080000Z",
                            fetched_at="2026-11-01T08:00:01.123456Z", warc=POINTER)
    assert set(record) == ArticleRecord.__required_keys__
    assert record_errors(record) == []
    assert record["warc"] == POINTER.to_dict() and list(record["warc"]) == list(POINTER_FIELDS)
    assert record["revision"] is None and record["extracted_at"].endswith("Z")


def test_schema_rejects_a_record_without_its_pointer_fields():
    page = extract_article(PAGE, "https://example.org/2026/11/01/a-test-story/")
    record = article_record(page, spider="news", crawl_id="20261101T080000Z", fetched_at=None, warc=POINTER)
    del record["warc"]["payload_digest"]
    assert any("payload_digest" in error for error in record_errors(record))


def test_pointer_round_trips_through_its_json_form():
    assert WarcPointer.from_dict(POINTER.to_dict()) == POINTER
    assert WarcPointer.from_dict({"filename": "x.warc.gz", "offset": "12", "record_id": "<id>"}) is None
    assert WarcPointer.from_dict(None) is None


def test_read_records_skips_what_a_crash_or_a_stranger_left(tmp_path):
    from newsarchive.export.record import read_records

    path = tmp_path / "articles.jsonl"
    path.write_bytes(b'{"url": "http://a.test/1"}\n[1, 2]\nnot json\n\xff\xfe{"url": "x"}\n{"url": "http://a.test/2"}\n{"url": "http://a.te')
    assert [r["url"] for r in read_records(path)] == ["http://a.test/1", "http://a.test/2"]
    assert list(read_records(tmp_path / "missing.jsonl")) == []
    assert list(read_records(tmp_path)) == []  # a folder where the file should be
