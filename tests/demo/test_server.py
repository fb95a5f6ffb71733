"""DemoServer over real loopback HTTP: statuses, headers, feeds, encodings and transfer codings."""
from __future__ import annotations

import gzip
from email.utils import parsedate_to_datetime
import http.client
import socket
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from lxml import etree

from newsarchive.demo.server import DemoServer
from newsarchive.demo.site import DemoSite
from tests.sites.rawhttp import raw_get

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return DemoSite()


@pytest.fixture
def server(site):
    """A fresh server per test: the flaky article's first-request 500 is counted per instance."""
    with DemoServer(host="127.0.0.1", port=0, site=site) as running:
        yield running


def connection(server: DemoServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(server.host, server.port, timeout=10)


def fetch(server: DemoServer, path: str, headers: dict[str, str] | None = None):
    with urllib.request.urlopen(urllib.request.Request(server.url.rstrip("/") + path, headers=headers or {}), timeout=10) as r:
        return r.status, r.headers, r.read()


def test_url_is_loopback_with_ephemeral_port(server):
    parts = urlsplit(server.url)
    assert parts.hostname == "127.0.0.1" and parts.port > 0 and server.url.endswith("/")


def test_every_page_answers_as_designed_on_one_keepalive_connection(server, site):
    conn = connection(server)
    sockets_seen = set()
    for path, status in site.expected_status().items():
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        sockets_seen.add(id(conn.sock))
        assert response.status == status, path
        assert response.getheader("Content-Type"), path
        if status == 301:
            assert response.getheader("Location") == site.redirected.url(server.url)
        if status == 200 and path.endswith("/"):
            assert b"</html>" in body, path
    conn.close()
    assert len(sockets_seen) == 1, "HTTP/1.1 keep-alive should serve every request on one connection"


def test_article_headers(server, site):
    article = next(a for a in site.articles if not a.gzip and not a.chunked and not a.flaky and not a.is_cp1252)
    status, headers, body = fetch(server, article.path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Last-Modified"].endswith(" GMT")
    assert article.title.encode() in body


def test_gzip_is_real_gzip_and_only_when_accepted(server, site):
    article = next(a for a in site.articles if a.gzip and not a.flaky)
    conn = connection(server)
    conn.request("GET", article.path, headers={"Accept-Encoding": "gzip, deflate"})
    response = conn.getresponse()
    compressed = response.read()
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert int(response.getheader("Content-Length")) == len(compressed)
    assert compressed[:2] == b"\x1f\x8b"
    plain = gzip.decompress(compressed)
    conn.request("GET", article.path)
    response = conn.getresponse()
    assert response.getheader("Content-Encoding") is None
    assert response.read() == plain
    not_gzip = next(a for a in site.articles if not a.gzip and not a.chunked)
    conn.request("GET", not_gzip.path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    assert response.getheader("Content-Encoding") is None
    conn.close()


def test_chunked_response_has_no_content_length(server, site):
    article = site.chunked
    raw = raw_get(article.url(server.url))
    assert raw.status == 200
    assert raw.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in raw.headers
    # undo the chunk framing by hand to check it is well formed
    data, body = raw.body, b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line, 16)
        body, data = body + data[:size], data[size + 2:]
        if size == 0:
            break
    assert data == b""
    assert body == site.resolve(article.path, server.url).body
    assert body.count(b"</html>") == 1


def test_flaky_article_fails_once_then_recovers(server, site):
    statuses = []
    for _ in range(3):
        conn = connection(server)
        conn.request("GET", site.flaky.path)
        statuses.append(conn.getresponse().status)
        conn.close()
    assert statuses == [500, 200, 200]
    with DemoServer(site=site) as other:  # a new instance counts afresh
        with pytest.raises(urllib.error.HTTPError) as error:
            fetch(other, site.flaky.path)
        assert error.value.code == 500


def test_redirect_and_dead_link(server, site):
    conn = connection(server)
    conn.request("GET", site.redirected.redirect_from)
    response = conn.getresponse()
    response.read()
    assert response.status == 301
    assert response.getheader("Location") == site.redirected.url(server.url)
    conn.request("GET", site.dead_path)
    response = conn.getresponse()
    assert response.status == 404 and b"not find" in response.read()
    conn.close()
    status, _, body = fetch(server, site.redirected.redirect_from)  # urllib follows the 301
    assert status == 200 and site.redirected.title.encode() in body


def test_cp1252_page_over_http(server, site):
    article = site.cp1252
    status, headers, body = fetch(server, article.path)
    assert status == 200
    assert headers["Content-Type"] == "text/html"  # the charset is only in the <meta> tag
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' in body
    assert article.title in body.decode("cp1252")
    assert "€" in body.decode("cp1252") and "—" in body.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "€" not in body.decode("latin-1")


def test_robots_txt(server, site):
    status, headers, body = fetch(server, "/robots.txt")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "Disallow: /private/\n" in text
    assert f"Sitemap: {server.url}sitemap.xml" in text
    # the disallowed page exists and is linked from every page, so obeying robots.txt is observable
    assert fetch(server, site.private_path)[0] == 200
    home = fetch(server, "/")[2]
    assert b'href="/private/"' in home


def test_rss_feed_lists_every_article(server, site):
    root = etree.fromstring(fetch(server, "/feed.xml")[2])
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert {i.findtext("link") for i in items} == {a.url(server.url) for a in site.articles}
    by_link = {i.findtext("link"): i for i in items}
    for article in site.articles:
        pub_date = by_link[article.url(server.url)].findtext("pubDate")
        assert parsedate_to_datetime(pub_date) == article.published_datetime


def test_atom_feed_lists_every_article(server, site):
    root = etree.fromstring(fetch(server, "/atom.xml")[2])
    entries = root.findall("atom:entry", NS)
    links = {e.find("atom:link", NS).get("href") for e in entries}
    assert links == {a.url(server.url) for a in site.articles}
    assert all(e.findtext("atom:updated", namespaces=NS) for e in entries)


def test_sitemap_index_plain_and_news_sitemaps(server, site):
    index = etree.fromstring(fetch(server, "/sitemap.xml")[2])
    assert etree.QName(index).localname == "sitemapindex"
    children = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert len(children) == 2
    article_urls = {a.url(server.url) for a in site.articles}
    plain, news = (etree.fromstring(fetch(server, urlsplit(url).path)[2]) for url in children)
    assert article_urls <= set(plain.xpath("//sm:url/sm:loc/text()", namespaces=NS))
    assert set(news.xpath("//sm:url/sm:loc/text()", namespaces=NS)) == article_urls
    for url in news.xpath("//sm:url", namespaces=NS):
        article = site.article(urlsplit(url.findtext("sm:loc", namespaces=NS)).path)
        assert url.findtext(".//news:publication_date", namespaces=NS) == article.published
        assert url.findtext(".//news:title", namespaces=NS) == article.title


def test_head_requests_get_headers_only(server, site):
    conn = connection(server)
    conn.request("HEAD", site.articles[1].path)
    response = conn.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 1000
    assert response.read() == b""
    conn.request("GET", "/robots.txt")  # the connection is still usable after a HEAD
    assert conn.getresponse().read().startswith(b"#")
    conn.close()


def test_two_hundred_parallel_requests_all_succeed(server, site):
    paths = [a.path for a in site.articles if not a.flaky] + site.listing_paths()
    targets = [paths[i % len(paths)] for i in range(200)]
    expected = {p: site.resolve(p, server.url).body for p in set(targets)}

    def get(path: str) -> tuple[str, int, bytes]:
        status, _, body = fetch(server, path)
        return path, status, body

    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(get, targets))
    assert len(results) == 200
    assert all(status == 200 and body == expected[path] for path, status, body in results)


def test_stop_closes_the_port_and_keepalive_connections(site):
    server = DemoServer(site=site).start()
    conn = connection(server)
    conn.request("GET", "/")
    conn.getresponse().read()
    server.stop()
    with pytest.raises(OSError):
        socket.create_connection((server.host, server.port), timeout=2).close()
    with pytest.raises((http.client.HTTPException, OSError)):
        conn.request("GET", "/")
        conn.getresponse().read()


def test_serve_forever_blocks_until_shut_down(site):
    server = DemoServer(site=site)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        assert fetch(server, "/")[0] == 200
    finally:
        server.httpd.shutdown()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_articles_answer_conditional_requests_with_304(server, site):
    article = next(a for a in site.articles if not a.chunked and not a.flaky)
    url = server.url.rstrip("/") + article.path
    first = raw_get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status == 200 and etag.startswith('"') and etag.endswith('"')
    for validators in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'},
                       {"If-Modified-Since": last_modified}, {"If-None-Match": "*"}):
        answer = raw_get(url, headers=validators)
        assert answer.status == 304, validators
        assert answer.body == b"" and "content-length" not in answer.headers
        assert answer.headers["etag"] == etag and answer.headers["last-modified"] == last_modified
    # A different tag wins over a date that would match (If-None-Match first), and an older date gets the page.
    assert raw_get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}).status == 200
    assert raw_get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
    assert raw_get(url, headers={"If-Modified-Since": "not a date"}).status == 200


def test_gzip_representation_has_its_own_etag(server, site):
    article = next(a for a in site.articles if a.gzip and not a.chunked and not a.flaky)
    url = server.url.rstrip("/") + article.path
    plain = raw_get(url)
    zipped = raw_get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["etag"].endswith('-gzip"')
    assert plain.headers["etag"] != zipped.headers["etag"]
    assert raw_get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}).status == 304
    assert raw_get(url, headers={"If-None-Match": zipped.headers["etag"]}).status == 200  # the other representation


def test_streamed_article_carries_no_validators(server, site):
    article = next(a for a in site.articles if a.chunked)
    answer = raw_get(server.url.rstrip("/") + article.path, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert answer.status == 200 and "etag" not in answer.headers and "last-modified" not in answer.headers
