"""End to end: crawl the demo site on 127.0.0.1 and check both outputs against the site's known answers."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.export.schema import record_errors
from newsarchive.warc.records import payload_digest
from tests.conftest import read_jsonl, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site():
    from newsarchive.demo.site import DemoSite

    return DemoSite()


@pytest.fixture(scope="module")
def records(demo_crawl):
    return read_jsonl(demo_crawl / "articles.jsonl")


@pytest.fixture(scope="module")
def by_path(records):
    from urllib.parse import urlsplit

    return {urlsplit(r["url"]).path: r for r in records}


@pytest.fixture(scope="module")
def warc_files(demo_crawl):
    files = sorted((demo_crawl / "warc").glob("*.warc.gz"))
    assert files, "the crawl wrote no WARC file"
    return files


@pytest.fixture(scope="module")
def captures(warc_files):
    """(WARC-Type, target URI, HTTP status or None, headers) of every record, in file order."""
    found = []
    for path in warc_files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                status = record.http_headers.get_statuscode() if record.http_headers and record.rec_type in (
                    "response", "revisit") else None
                found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), status,
                              record.http_headers))
    return found


def test_every_article_is_exported_once(site, records, by_path):
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls))
    assert set(by_path) == {a.path for a in site.articles}


def test_every_record_matches_the_published_schema(records):
    for record in records:
        assert record_errors(record) == [], record["url"]


def test_every_warc_pointer_leads_to_the_archived_response(demo_crawl, records):
    for record in records:
        pointer = record["warc"]
        with open(demo_crawl / "warc" / pointer["filename"], "rb") as fh:
            fh.seek(pointer["offset"])
            member = fh.read(pointer["length"])
        warc_record = next(ArchiveIterator(__import__("io").BytesIO(member)))
        assert warc_record.rec_type == "response"
        assert warc_record.rec_headers.get_header("WARC-Target-URI") == record["url"]
        assert warc_record.rec_headers.get_header("WARC-Payload-Digest") == pointer["payload_digest"]
        assert warc_record.rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]


def test_warcs_pass_the_validation_gate_warcio_check_and_gzip_t(warc_files, demo_crawl):
    proc = run_cli("validate", str(demo_crawl))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    warcio = Path(sys.executable).with_name("warcio")
    for path in warc_files:
        assert subprocess.run([str(warcio), "check", str(path)], capture_output=True).returncode == 0
        assert subprocess.run(["gzip", "-t", str(path)], capture_output=True).returncode == 0


def test_gzip_article_payload_is_the_bytes_the_server_sent(demo_server, site, demo_crawl, by_path):
    article = next(a for a in site.articles if a.gzip and not a.chunked)
    request = urllib.request.Request(article.url(demo_server.url), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        sent = response.read()
    pointer = by_path[article.path]["warc"]
    with open(demo_crawl / "warc" / pointer["filename"], "rb") as fh:
        fh.seek(pointer["offset"])
        warc_record = next(ArchiveIterator(fh))
        assert warc_record.http_headers.get_header("Content-Encoding") == "gzip"
        stored = warc_record.raw_stream.read()
    assert stored == sent and stored[:2] == b"\x1f\x8b"


def test_seed_like_article(site, by_path):
    article = site.seed_like
    record = by_path[article.path]
    assert record["title"] == article.title
    for heading in article.headings:
        assert f"\n\n{heading}\n\n" in record["text"]
    assert record["copyright"]["text"] == "© 2021 All rights reserved. Do not reproduce without permission."
    assert "reserved" not in record["text"] and "ⓒ" not in record["text"]


def test_cp1252_article_decoded_by_its_meta_charset(site, by_path):
    article = site.cp1252
    record = by_path[article.path]
    assert record["title"] == article.title
    assert article.lead[0][:60] in record["text"]
    assert "\ufffd" not in record["text"] and "â€" not in record["text"]


def test_redirects_errors_and_retries_are_all_archived(site, captures):
    statuses = {}
    for rec_type, uri, status, _ in captures:
        if rec_type == "response":
            statuses.setdefault(uri.split("/", 3)[-1], []).append(status)
    flaky = site.flaky.path.lstrip("/")
    assert statuses[flaky] == ["500", "200"]  # the failed try and the retry, in order
    assert "301" in statuses[site.redirected.redirect_from.lstrip("/")]
    assert statuses[site.dead_path.lstrip("/")] == ["404"]


def test_chunked_response_stored_de_chunked_under_the_documented_convention(site, warc_files):
    # The body is stored de-chunked (docs/architecture.md, "WARC conventions"): the recorded head keeps
    # Transfer-Encoding in place as X-Archive-Orig-Transfer-Encoding, no Content-Length is made up, and
    # the payload digest is the entity's.
    found = 0
    for path in warc_files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "response" and uri.endswith(site.chunked.path):
                    found += 1
                    assert record.http_headers.get_header("Transfer-Encoding") is None
                    assert record.http_headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
                    assert record.http_headers.get_header("Content-Length") is None
                    body = record.raw_stream.read()
                    assert site.chunked.title.encode(site.chunked.encoding) in body
                    assert record.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(body)
    assert found == 1


def test_robots_disallowed_path_never_fetched(site, captures, demo_crawl):
    assert not [uri for _, uri, _, _ in captures if uri and site.private_path in uri]
    report = json.loads((demo_crawl / "crawl.json").read_text())
    assert report["counts"]["robots_forbidden"] >= 1


def test_crawl_report_counts(site, demo_crawl, records):
    report = json.loads((demo_crawl / "crawl.json").read_text())
    assert report["finish_reason"] == "finished"
    assert report["counts"]["articles"] == len(records) == len(site.articles)
    assert report["counts"]["responses_by_status"]["500"] == 1
    assert report["counts"]["responses_by_status"]["404"] >= 1
    assert report["errors"].get("http_404", 0) >= 1
    assert report["counts"]["warc_bytes"] == sum(p["bytes"] for p in report["paths"]["warc"]) > 0
    assert report["coverage"]["title"] == 1.0
    assert report["settings"]["ROBOTSTXT_OBEY"] is True


def test_records_carry_normalized_fields(site, by_path):
    for article in site.articles:
        record = by_path[article.path]
        assert record["spider"] == "demo" and record["crawl_id"] == "20261129T000000Z"
        assert record["authors"] == list(article.authors), article.path
        assert record["published"][:10] == article.published[:10], article.path
        assert record["copyright"] is not None and record["copyright"]["text"].startswith("©"), article.path
