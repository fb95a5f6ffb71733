"""Wire-exact capture through a real crawl: a raw-socket server sends chosen bytes, and the WARC records
hold the status line and header block exactly as received and the request exactly as sent."""
from __future__ import annotations

import io
import zlib

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_datetime

from newsarchive.warc import records
from newsarchive.warc.members import scan_members
from newsarchive.warc.validate import validate_paths
from tests.warc.conftest import gzip_test, run_crawl, warcio_check
from tests.warc.rawserver import RESPONSES, SLOW_BODY_DELAY, SLOW_HEAD_DELAY, RawServer, page, self_signed_context

PATHS = list(RESPONSES)


@pytest.fixture(scope="module")
def raw_server():
    with RawServer() as server:
        yield server


@pytest.fixture(scope="module")
def crawl(raw_server, tmp_path_factory):
    # One request at a time, so the keep-alive connection carries several exchanges.
    return run_crawl([raw_server.url + path for path in PATHS], tmp_path_factory.mktemp("wire"), concurrency=1)


def blocks(crawl) -> list[tuple]:
    """(WARC headers, block bytes exactly as stored) of every record, read member by member."""
    found = []
    for path in sorted(crawl.warc_dir.glob("*.warc.gz")):
        data = path.read_bytes()
        for offset, length in scan_members(path).members:
            raw = zlib.decompress(data[offset:offset + length], zlib.MAX_WBITS | 16)
            record = next(ArchiveIterator(io.BytesIO(raw)))
            warc_head_end = raw.index(b"\r\n\r\n") + 4
            size = int(record.rec_headers.get_header("Content-Length"))
            found.append((record.rec_headers, raw[warc_head_end:warc_head_end + size]))
    return found


def record_of(crawl, rec_type: str, url: str) -> tuple:
    return next((headers, block) for headers, block in blocks(crawl)
                if headers.get_header("WARC-Type") == rec_type and headers.get_header("WARC-Target-URI") == url)


@pytest.mark.parametrize("path", PATHS)
def test_status_line_and_header_block_are_the_bytes_received(raw_server, crawl, path):
    _, _, stored_head = RESPONSES[path]
    headers, block = record_of(crawl, "response", raw_server.url + path)
    assert block == stored_head + page(path)  # head as received (chunked: the documented substitution), then the entity
    assert headers.get_header("WARC-Payload-Digest") == records.payload_digest(page(path))


def test_odd_heads_keep_reason_case_order_repeats_and_connection_fields(raw_server, crawl):
    _, block = record_of(crawl, "response", raw_server.url + "/odd")
    assert block.startswith(b"HTTP/1.1 200 Fine Thanks\r\n")
    assert b"\r\nETag: \"a1\"\r\nWWW-Authenticate:" in block and b"X-Repeat: one\r\nx-REPEAT: two\r\n" in block
    assert b"Connection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n" in block
    assert block.index(b"Content-Length:") > block.index(b"Keep-Alive:")  # not moved to the front
    _, block = record_of(crawl, "response", raw_server.url + "/whatever")
    assert block.startswith(b"HTTP/1.1 299 Whatever\r\ncontent-type: text/html\r\n")


def test_chunked_body_is_stored_dechunked_under_the_documented_convention(raw_server, crawl):
    headers, block = record_of(crawl, "response", raw_server.url + "/chunked")
    assert b"\r\nX-Archive-Orig-Transfer-Encoding: chunked\r\n" in block and b"\r\nTransfer-Encoding" not in block
    assert b"X-Archive-Trailer-X-Checksum: sha1-of-nothing-in-particular\r\n\r\n" in block
    assert block.endswith(b"\r\n\r\n" + page("/chunked")) and b";name=value" not in block  # framing is not kept
    assert b"Content-Length" not in block  # no length made up: the record's length frames the body
    assert headers.get_header("WARC-Payload-Digest") == records.payload_digest(page("/chunked"))  # the entity's


def test_close_delimited_http_1_0_body_gets_no_made_up_length(raw_server, crawl):
    _, block = record_of(crawl, "response", raw_server.url + "/http10")
    assert block.startswith(b"HTTP/1.0 200 OK\r\n") and b"Content-Length" not in block
    assert block.endswith(page("/http10"))


def test_request_records_are_the_bytes_sent_with_the_peer_address(raw_server, crawl):
    for path in PATHS:
        [received] = raw_server.requests_for(path)
        headers, block = record_of(crawl, "request", raw_server.url + path)
        assert block == received.raw, path
        assert block.rstrip(b"\r\n").endswith(b"Host: " + raw_server.url.removeprefix("http://").encode())
        assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
        response_headers, _ = record_of(crawl, "response", raw_server.url + path)
        assert response_headers.get_header("WARC-IP-Address") == "127.0.0.1"


def test_exchanges_on_one_keep_alive_connection_each_get_their_own_bytes(raw_server, crawl):
    connections = [raw_server.requests_for(path)[0].connection for path in PATHS]
    shared = max(connections.count(number) for number in set(connections))
    assert shared >= 3, connections  # several exchanges went over one connection, each recorded apart


def test_warc_date_is_when_the_request_was_sent(raw_server, crawl):
    [received] = raw_server.requests_for("/slow")
    response_headers, _ = record_of(crawl, "response", raw_server.url + "/slow")
    request_headers, _ = record_of(crawl, "request", raw_server.url + "/slow")
    date = response_headers.get_header("WARC-Date")
    assert request_headers.get_header("WARC-Date") == date
    sent = iso_date_to_datetime(date).timestamp()
    assert received.at - 0.5 <= sent <= received.at + 0.005  # sent just before the server had it all
    assert received.answered_at - sent >= SLOW_HEAD_DELAY + SLOW_BODY_DELAY - 0.05  # not when it finished


def test_warcinfo_comes_first_in_time_and_the_gates_pass(crawl):
    found = blocks(crawl)
    assert found[0][0].get_header("WARC-Type") == "warcinfo"
    first = iso_date_to_datetime(found[0][0].get_header("WARC-Date"))
    assert all(iso_date_to_datetime(headers.get_header("WARC-Date")) >= first for headers, _ in found[1:])
    assert validate_paths([crawl.warc_dir]) == []
    for path in crawl.warc_dir.glob("*.warc.gz"):
        assert warcio_check(path).returncode == 0 and gzip_test(path).returncode == 0
    stats = crawl.summary["stats"]
    assert stats["warc/heads/recorded"] == len(PATHS) and "warc/heads/rebuilt" not in stats


def test_https_exchanges_are_recorded_inside_the_tls_session(tmp_path):
    with RawServer(self_signed_context(tmp_path)) as server:
        crawl = run_crawl([server.url + path for path in ("/odd", "/chunked")], tmp_path / "archive", concurrency=1)
        for path in ("/odd", "/chunked"):
            [received] = server.requests_for(path)
            _, block = record_of(crawl, "response", server.url + path)
            assert block == RESPONSES[path][2] + page(path)
            headers, block = record_of(crawl, "request", server.url + path)
            assert block == received.raw and headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert validate_paths([crawl.warc_dir]) == []
