"""User-Agent, durable JSONL export and failure naming, without a crawl."""
import json
import os

import pytest

from newsarchive.export.storage import DurableFile, repair_torn_tail
from newsarchive.base.agent import contact_user_agent
from newsarchive.crawl.report import coverage_failures, field_present


def test_user_agent_names_version_and_contact():
    from newsarchive import __version__

    assert contact_user_agent("mailto:ops@archive.example") == f"newsarchive/{__version__} (+mailto:ops@archive.example)"
    assert contact_user_agent(None) == f"newsarchive/{__version__}"


def test_torn_tail_is_cut_and_whole_lines_kept(tmp_path):
    path = tmp_path / "articles.jsonl"
    whole = json.dumps({"url": "https://a.test/1"}) + "\n" + json.dumps({"url": "https://a.test/2"}) + "\n"
    path.write_bytes(whole.encode() + b'{"url": "https://a.te')
    assert repair_torn_tail(path) == len(b'{"url": "https://a.te')
    assert path.read_bytes() == whole.encode()
    assert repair_torn_tail(path) == 0
    path.write_bytes(b'{"no newline at all"')
    repair_torn_tail(path)
    assert path.read_bytes() == b""


def test_durable_file_writes_reach_the_file_before_close(tmp_path):
    path = tmp_path / "out.jsonl"
    with open(path, "ab") as raw:
        durable = DurableFile(raw, fsync_interval=0.0)
        durable.write(b'{"a": 1}\n')
        # another reader sees the record while the writer still holds the file open
        assert path.read_bytes() == b'{"a": 1}\n'
        assert os.path.getsize(path) == 9


def test_coverage_floor():
    record = {"title": "T", "authors": [], "published": "2024-01-01", "copyright": None, "word_count": 200}
    assert field_present(record, "body", 150) and not field_present(record, "authors", 150)
    assert coverage_failures({"authors": 0.5, "published": 1.0}, {"authors": 0.8, "published": 0.9}, 10) == [
        "authors: 0.50 < 0.80"]
    assert coverage_failures({}, {"authors": 0.8}, 0) == ["authors: 0.00 < 0.80 (no articles)"]


def test_page_checks_name_bad_input():
    from newsarchive.fetch.page_checks import charset_problem, looks_binary, markup_problem

    cp1252 = "<html><body><p>“quoted” — €2</p></body></html>".encode("cp1252")
    assert charset_problem(cp1252, "utf-8") == "wrong_charset"
    assert charset_problem(cp1252, None) == "missing_charset"
    assert charset_problem(cp1252, "windows-1252") is None
    assert charset_problem('<meta charset="utf-8"><p>é</p>'.encode(), None) is None
    assert charset_problem(b"<p>plain ascii</p>", None) is None
    assert charset_problem("<p>é</p>".encode("utf-8"), "iso-8859-1") == "wrong_charset"
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert not looks_binary(b"<html><p>a stray \x00 byte</p></html>")
    assert markup_problem(b"<html><p>a stray \x00 byte</p></html>") == "broken_html"
    assert markup_problem(b"<html><body><div><p>never closed") == "broken_html"
    assert markup_problem(b"<!doctype html><html><body><p>fine</p></body></html>\n") is None


def test_archived_nothing_tells_failure_from_nothing_new():
    from newsarchive.crawl.report import archived_nothing

    counts = {"articles": 0, "new": 0, "changed": 0, "unchanged": 0, "skipped_older_than_since": 0,
              "skipped_not_due": 0, "failed": 3}
    assert archived_nothing({"counts": counts})
    assert not archived_nothing({"counts": {**counts, "unchanged": 5}})  # a re-crawl that found nothing new
    assert not archived_nothing({"counts": {**counts, "skipped_not_due": 4}})
    assert not archived_nothing({"counts": {**counts, "failed": 0}})  # an empty site is no failure
    assert not archived_nothing({"counts": {**counts, "articles": 1}})
