"""The hostile fixture site answers each path with exactly the bad input it promises."""
from __future__ import annotations

import gzip
import http.client
import json
import socket
import time
import zlib

import lxml.etree
import lxml.html
import pytest

from newsarchive import settings
from tests.sites.hostile import (
    BOMB_INFLATED_SIZE,
    DEEP_JSONLD,
    DEFAULT_HUGE_BYTES,
    GOOD_PATHS,
    HUGE_SITEMAP_URLS,
    KINDS,
    PRIVATE_ARTICLE,
    REDIRECTS,
    REFUSED_LINKS,
    ROBOTS_BYPASS,
    TRUNCATED_DECLARED,
    TRUNCATED_SENT,
    HostileServer,
    PrivateServer,
)
from tests.sites.rawhttp import raw_get
from tests.sites.client import http_get

HUGE = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def server():
    with HostileServer(slow_seconds=1.5, huge_bytes=HUGE, private_port=8765) as running:
        yield running


def expected_links(server) -> set[str]:
    refused = {link.format(private_port=server.private_port) for link in REFUSED_LINKS.values()}
    return set(KINDS) | set(GOOD_PATHS) | {ROBOTS_BYPASS, DEEP_JSONLD} | refused


def test_every_path_is_discoverable(server):
    _, _, home = http_get(server, "/")
    links = set(lxml.html.fromstring(home).xpath("//a/@href"))
    assert links == expected_links(server)
    absolute = {link if "://" in link else server.url.rstrip("/") + link for link in links}
    recovering = lxml.etree.XMLParser(recover=True)
    sitemap = lxml.etree.fromstring(http_get(server, "/sitemap.xml")[2], parser=recovering)
    locs = set()
    for loc in sitemap.iter("{*}loc"):
        try:
            locs.add(loc.text)
        except UnicodeDecodeError:  # the &#xD800; entry: the crawler must survive it too
            locs.add("undecodable")
    feed = lxml.etree.fromstring(http_get(server, "/feed.xml")[2])
    assert {link.text for link in feed.iter("link")} - {server.url.rstrip("/") + "/"} == absolute
    assert absolute < locs and {"http://[oops/", "undecodable"} < locs  # plus the bad entries
    assert http_get(server, "/robots.txt")[0] == 200


def test_absolute_links_follow_the_name_the_client_used(server):
    _, _, feed = http_get(server, "/feed.xml", headers={"Host": f"news.hostile.test:{server.port}"})
    assert f"http://news.hostile.test:{server.port}/good/solar-kiosk-pilot/".encode() in feed


def test_robots_txt_disallows_private_and_names_the_sitemap_index(server):
    _, _, robots = http_get(server, "/robots.txt")
    assert b"Disallow: /private/" in robots and b"/sitemap-index.xml" in robots


def test_percent_encoded_dot_segments_reach_the_disallowed_page_as_on_a_real_server(server):
    status, _, body = http_get(server, ROBOTS_BYPASS)
    assert status == 200 and b"Staff salaries" in body
    assert server.requests.get(PRIVATE_ARTICLE, 0) >= 1


def test_sitemap_index_children_are_gzip_files(server):
    recovering = lxml.etree.XMLParser(recover=True)
    index = lxml.etree.fromstring(http_get(server, "/sitemap-index.xml")[2], parser=recovering)
    children = [loc.text for loc in index.iter("{*}loc")]
    assert children and all(child.endswith(".xml.gz") for child in children)
    status, headers, body = http_get(server, "/sitemap-huge.xml.gz")
    assert status == 200 and "content-encoding" not in headers and body[:2] == b"\x1f\x8b"
    assert gzip.decompress(body).count(b"<loc>") == HUGE_SITEMAP_URLS


def test_redirects_to_the_private_host(server):
    for path in REDIRECTS:
        status, headers, _ = http_get(server, path)
        assert status == 302 and f":{server.private_port}/internal/" in headers["location"]


def test_jsonld_pages():
    from tests.sites.hostile import DEEP_JSONLD_TEXT, SURROGATE_JSONLD

    assert json.loads(SURROGATE_JSONLD)["articleSection"] == "City \udc00 desk"
    with pytest.raises(RecursionError):
        json.loads(DEEP_JSONLD_TEXT)


def test_private_server_logs_what_reaches_it():
    with PrivateServer() as private:
        assert private.host == "127.0.0.2"
        assert http_get(private, "/internal/x")[0] == 200
        assert private.requests == [("GET", "/internal/x", f"127.0.0.2:{private.port}")]


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
