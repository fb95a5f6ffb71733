"""Replay mode: the REPLAY_WARC downloader middleware answers requests from a real WARC written by the project's writer."""
from __future__ import annotations

import gzip

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsarchive.fetch.replay import ReplayMiddleware, ReplayMiss, ReplayMode, WarcArchive
from newsarchive.warc import records
from newsarchive.warc.writer import RollingWarcWriter, cdxj_path_for

SITE = "https://news.example.org"
PAGE = b"<html><head><title>Harbour ferry gets a quieter engine</title></head><body><p>The ferry now runs on batteries.</p></body></html>"
GZIPPED = gzip.compress(PAGE, mtime=0)


def archive_exchange(writer, url, *, status=200, headers=None, body=b"", revisit_of=None):
    request = Request(url, headers={"Accept-Encoding": "gzip"})
    response = HtmlResponse(url=url, status=status, headers=headers or {}, body=body, request=request,
                            protocol="HTTP/1.1")
    date = records.warc_date()
    if revisit_of:
        record = records.revisit_record(response, date=date, payload_digest=records.payload_digest(body),
                                        refers_to_uri=revisit_of["url"], refers_to_date=revisit_of["date"],
                                        refers_to=revisit_of["record_id"])
    else:
        record = records.response_record(response, date=date)
    pointer = writer.write_exchange(record, records.request_record(request, response, date=date))
    return {**pointer.to_dict(), "date": date, "url": url}


@pytest.fixture
def warc_dir(tmp_path):
    """A WARC with a gzip-encoded article, a redirect to it, and a revisit of the same payload at another URL."""
    folder = tmp_path / "warcs"
    with RollingWarcWriter(folder, prefix="TEST", fsync=False, warcinfo_fields={"spider": "test"}) as writer:
        article = archive_exchange(writer, f"{SITE}/2026/ferry/", body=GZIPPED,
                                   headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        redirect = archive_exchange(writer, f"{SITE}/old/ferry.html", status=301,
                                    headers={"Location": f"{SITE}/2026/ferry/"})
        revisit = archive_exchange(writer, f"{SITE}/2026/ferry/?ref=rss", body=GZIPPED,
                                   headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                                   revisit_of=article)
    return folder, {"article": article, "redirect": redirect, "revisit": revisit}


def middleware(source):
    crawler = get_crawler(settings_dict={"REPLAY_WARC": str(source)})
    return ReplayMiddleware.from_crawler(crawler), crawler


def test_archived_response_comes_back_as_the_live_path_saw_it(warc_dir):
    folder, captured = warc_dir
    replay, crawler = middleware(folder)
    request = Request(f"{SITE}/2026/ferry/")
    response = replay.process_request(request)
    assert response.status == 200 and "replayed" in response.flags
    assert response.headers[b"Content-Encoding"] == b"gzip" and response.body == GZIPPED
    decoded = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, response)
    # As on the live path: gzip bytes come as a plain Response, and decompression makes it an HtmlResponse.
    assert isinstance(decoded, HtmlResponse) and decoded.body == PAGE
    assert "ferry now runs on batteries" in decoded.text
    # The record built from it will point at the original capture, with the original date.
    pointer = {k: captured["article"][k] for k in ("filename", "offset", "length", "record_id", "payload_digest")}
    assert request.meta["warc"].to_dict() == pointer
    assert request.meta["warc_date"] == captured["article"]["date"]
    assert "warc_revisit" not in request.meta
    assert crawler.stats.get_value("newsarchive/replay/responses") == 1


def test_redirects_replay_as_redirects(warc_dir):
    folder, _ = warc_dir
    replay, _ = middleware(folder)
    response = replay.process_request(Request(f"{SITE}/old/ferry.html"))
    assert response.status == 301 and response.headers[b"Location"] == f"{SITE}/2026/ferry/".encode()


def test_revisit_gets_the_payload_it_refers_to_and_is_marked(warc_dir):
    folder, _ = warc_dir
    replay, _ = middleware(folder)
    request = Request(f"{SITE}/2026/ferry/?ref=rss")
    response = replay.process_request(request)
    assert response.body == GZIPPED
    assert request.meta["warc_revisit"] is True


def test_a_miss_fails_clearly_and_is_counted(warc_dir):
    folder, _ = warc_dir
    replay, crawler = middleware(folder)
    with pytest.raises(ReplayMiss) as caught:
        replay.process_request(Request(f"{SITE}/never/archived/"))
    assert isinstance(caught.value, IgnoreRequest)
    assert f"{SITE}/never/archived/" in str(caught.value) and str(folder) in str(caught.value)
    assert crawler.stats.get_value("newsarchive/replay/miss") == 1


def test_robots_txt_not_in_the_archive_allows_everything(warc_dir):
    replay, crawler = middleware(warc_dir[0])
    response = replay.process_request(Request(f"{SITE}/robots.txt"))
    assert isinstance(response, Response) and response.status == 200 and response.body == b""
    assert {"replayed", "robots_default"} <= set(response.flags)
    assert crawler.stats.get_value("newsarchive/replay/robots_default") == 1


def test_lookup_ignores_fragments_and_query_order_and_works_without_cdxj(warc_dir):
    folder, _ = warc_dir
    for warc in folder.glob("*.warc.gz"):
        cdxj_path_for(warc).unlink()  # a WARC without its index is indexed by reading it
    archive = WarcArchive(folder)
    assert archive.lookup(f"{SITE}/2026/ferry/#comments") is not None
    assert archive.lookup(f"{SITE}/2026/ferry/?ref=rss").revisit
    assert archive.lookup(f"{SITE}/2026/ferry/?ref=atom") is None


def test_replay_is_off_without_the_setting_and_refuses_a_missing_path(tmp_path):
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(get_crawler())
    with pytest.raises(ValueError, match="no such WARC"):
        middleware(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no WARC files"):
        middleware(tmp_path / "empty")


def test_replay_mode_addon_turns_warc_recording_off():
    settings = Settings({"WARC_ENABLED": True}, priority="project")
    ReplayMode().update_settings(settings)
    assert settings.getbool("WARC_ENABLED") is True  # no replay: recording stays on
    settings.set("REPLAY_WARC", "somewhere/", priority="cmdline")
    settings.set("INCREMENTAL_ENABLED", True, priority="project")
    ReplayMode().update_settings(settings)
    assert settings.getbool("WARC_ENABLED") is False and settings.getbool("INCREMENTAL_ENABLED") is False
    assert settings.getbool("CONDITIONAL_REQUESTS_ENABLED") is False


def test_the_latest_capture_of_a_url_wins_even_within_one_second(tmp_path):
    """A 500 and the retry's 200 share a timestamp (and the CDXJ is sorted by status): the later record wins."""
    url = f"{SITE}/2026/flaky/"
    with RollingWarcWriter(tmp_path, prefix="TEST", fsync=False, warcinfo_fields={"spider": "test"}) as writer:
        archive_exchange(writer, url, status=500, body=b"<p>try again</p>")
        archive_exchange(writer, url, body=PAGE, headers={"Content-Type": "text/html"})
    entries = [line for index in tmp_path.glob("*.cdxj") for line in index.read_text().splitlines()]
    assert ['"status": "200"' in line for line in entries] == [True, False]  # the sorted index lists the 200 first
    replay, _ = middleware(tmp_path)
    response = replay.process_request(Request(url))
    assert response.status == 200 and response.body == PAGE
