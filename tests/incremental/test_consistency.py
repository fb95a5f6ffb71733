"""missing_captures: the check behind the crash tests finds every claim the WARC files do not back."""
from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from newsarchive.state.consistency import missing_captures
from newsarchive.state.store import SqliteCrawlState
from newsarchive.warc import records
from newsarchive.warc.pointer import Capture, WarcPointer
from newsarchive.warc.writer import RollingWarcWriter

URL = "http://127.0.0.1:9/news/a-short-story/"


def capture(record_id: str, filename: str, offset: int, date: str) -> Capture:
    return Capture(url=URL, date=date, pointer=WarcPointer(filename=filename, offset=offset, length=None,
                                                           record_id=record_id))


def test_claims_backed_by_a_whole_record_pass_and_others_are_reported(tmp_path):
    spider_dir = tmp_path / "news"
    response = HtmlResponse(URL, body=b"<p>A short story.</p>", headers={"Content-Type": "text/html"},
                            request=Request(URL))
    date = records.warc_date()
    with RollingWarcWriter(spider_dir / "20261129T030000Z" / "warc") as writer:
        pointer = writer.write_exchange(records.response_record(response, date=date),
                                        records.request_record(response.request, response, date=date))
    good = Capture(url=URL, date=date, pointer=pointer)
    with SqliteCrawlState(spider_dir / "state.sqlite") as store:
        store.add_payload("sha1:GOOD", good)
    assert missing_captures(spider_dir) == []

    with SqliteCrawlState(spider_dir / "state.sqlite") as store:
        store.add_payload("sha1:OFFSET", capture(good.record_id, good.filename, good.offset + 1, date))
        store.add_payload("sha1:OTHERID", capture("<urn:uuid:not-written>", good.filename, good.offset, date))
        store.add_payload("sha1:NOFILE", capture("<urn:uuid:x>", "NEWSARCHIVE-gone.warc.gz", 0, date))
    problems = missing_captures(spider_dir)
    assert len(problems) == 3
    assert any("no whole record at offset" in p for p in problems)
    assert any("another record" in p for p in problems)
    assert any("not found" in p for p in problems)
