"""The hostile fixture site answers each path with exactly the bad input it promises."""
from __future__ import annotations

import http.client
import socket
import time
import zlib

import lxml.etree
import lxml.html
import pytest

from newsarchive import settings
from tests.sites.hostile import (
    BOMB_INFLATED_SIZE,
    DEFAULT_HUGE_BYTES,
    GOOD_PATHS,
    KINDS,
    TRUNCATED_DECLARED,
    TRUNCATED_SENT,
    HostileServer,
)
from tests.sites.rawhttp import raw_get
from tests.sites.client import http_get

HUGE = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def server():
    with HostileServer(slow_seconds=1.5, huge_bytes=HUGE) as running:
        yield running


def test_every_path_is_discoverable(server):
    _, _, home = http_get(server, "/")
    links = set(lxml.html.fromstring(home).xpath("//a/@href"))
    assert links == set(KINDS) | set(GOOD_PATHS)
    sitemap = lxml.etree.fromstring(http_get(server, "/sitemap.xml")[2])
    locs = {loc.text for loc in sitemap.iter("{*}loc")}
    feed = lxml.etree.fromstring(http_get(server, "/feed.xml")[2])
    assert locs == {link.text for link in feed.iter("link")} - {server.url.rstrip("/") + "/"}
    assert locs == {server.url.rstrip("/") + p for p in [*KINDS, *GOOD_PATHS]}
    assert http_get(server, "/robots.txt")[0] == 200


def test_kinds_use_the_crawl_error_names():
    assert set(KINDS.values()) >= {"redirect_loop", "http_5xx", "timeout", "too_large", "decompression_bomb"}
    assert len(KINDS) == len(set(KINDS.values()))


def test_good_articles(server):
    for path in GOOD_PATHS:
        status, headers, body = http_get(server, path)
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        tree = lxml.html.fromstring(body.decode("utf-8"))
        assert tree.findtext(".//h1") and len(tree.findall(".//p")) >= 3


def test_broken_html_is_not_well_formed_but_has_text(server):
    status, _, body = http_get(server, "/broken-html/")
    assert status == 200
    with pytest.raises(lxml.etree.XMLSyntaxError):
        lxml.etree.fromstring(body)
    assert b"</html>" not in body and b"\x00" in body
    assert "crane" in lxml.html.fromstring(body).text_content()


def test_wrong_and_missing_charset(server):
    status, headers, body = http_get(server, "/wrong-charset/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "€2" in body.decode("cp1252") and b"charset" not in body

    status, headers, body = http_get(server, "/missing-charset/")
    assert status == 200 and headers["content-type"] == "text/html"
    assert b"charset" not in body.lower()
    assert "résumé" in body.decode("utf-8")


def test_truncated_body_is_shorter_than_declared(server):
    raw = raw_get(server.url + "truncated/")
    assert raw.status == 200
    assert int(raw.headers["content-length"]) == TRUNCATED_DECLARED
    assert len(raw.body) == TRUNCATED_SENT < TRUNCATED_DECLARED
    with pytest.raises(http.client.IncompleteRead):
        http_get(server, "/truncated/")


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(server):
    status, headers, body = http_get(server, "/gzip-bomb/")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) < 200_000
    inflater, inflated, pending = zlib.decompressobj(31), 0, body
    while pending:  # count the output without holding 80 MB
        inflated += len(inflater.decompress(pending, 8 << 20))
        pending = inflater.unconsumed_tail
    assert inflated == BOMB_INFLATED_SIZE > settings.DOWNLOAD_MAXSIZE


def test_redirect_loop(server):
    seen = []
    path = "/loop/a/"
    for _ in range(4):
        status, headers, _ = http_get(server, path)
        assert status == 302
        path = headers["location"].replace(server.url.rstrip("/"), "")
        seen.append(path)
    assert seen == ["/loop/b/?hop=1", "/loop/a/?hop=2", "/loop/b/?hop=3", "/loop/a/?hop=4"]


def test_persistent_5xx(server):
    assert [http_get(server, "/always-503/")[0] for _ in range(3)] == [503, 503, 503]


def test_slow_response_passes_a_short_timeout(server):
    with pytest.raises((socket.timeout, TimeoutError)):  # no answer within the client's timeout
        http_get(server, "/slow/", timeout=0.3)
    status, _, body = http_get(server, "/slow/", timeout=5)
    assert status == 200 and b"long time" in body


def test_binary_served_as_html(server):
    status, headers, body = http_get(server, "/binary-as-html/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body.startswith(b"\x89PNG\r\n\x1a\n") and len(body) > 10_000
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_huge_body(server):
    status, headers, body = http_get(server, "/huge/")
    assert status == 200 and int(headers["content-length"]) == HUGE == len(body)
    assert DEFAULT_HUGE_BYTES > settings.NEWSARCHIVE_MAXSIZE
    head = http_get(server, "/huge/", method="HEAD")
    assert head[2] == b"" and int(head[1]["content-length"]) == HUGE


def test_requests_are_counted(server):
    before = server.requests.get("/always-503/", 0)
    http_get(server, "/always-503/")
    assert server.requests["/always-503/"] == before + 1


def test_closing_wakes_slow_handlers():
    server = HostileServer(slow_seconds=30).start()
    # The client waits longer than the handler sleeps: a handler that was not woken would answer in
    # the end (or stop() would block until it had), and getresponse() would then succeed.
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    conn.request("GET", "/slow/")
    while server.requests.get("/slow/", 0) < 1:  # the handler has the request
        time.sleep(0.01)
    server.stop()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        conn.getresponse()
    conn.close()
