"""ChangingServer: edits between crawls, validators, and 304 answers to conditional requests."""
from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

import lxml.etree
import pytest

from tests.sites.changing import ChangingServer
from tests.sites.client import http_get

ARTICLE = "<html><body><h1>Tide gauge</h1><p>Version {n}.</p></body></html>"


@pytest.fixture
def server():
    with ChangingServer({"/news/tide/": ARTICLE.format(n=1), "/news/bridge/": "<p>bridge</p>"}) as running:
        yield running


def test_validators_and_conditional_requests(server):
    status, headers, body = http_get(server, "/news/tide/")
    assert status == 200 and body == ARTICLE.format(n=1).encode()
    etag, last_modified = headers["etag"], headers["last-modified"]
    assert etag.startswith('"') and etag.endswith('"')

    assert http_get(server, "/news/tide/", headers={"If-None-Match": etag})[0] == 304
    status, headers_304, body_304 = http_get(server, "/news/tide/", headers={"If-Modified-Since": last_modified})
    assert status == 304 and body_304 == b"" and headers_304["etag"] == etag
    assert http_get(server, "/news/tide/", headers={"If-None-Match": '"something-else"'})[0] == 200


def test_changed_article_is_sent_again_with_new_validators(server):
    _, old, _ = http_get(server, "/news/tide/")
    server.set_article("/news/tide/", ARTICLE.format(n=2))
    status, new, body = http_get(server, "/news/tide/", headers={"If-None-Match": old["etag"]})
    assert status == 200 and b"Version 2." in body
    assert new["etag"] != old["etag"]
    assert parsedate_to_datetime(new["last-modified"]) > parsedate_to_datetime(old["last-modified"])
    assert http_get(server, "/news/tide/", headers={"If-Modified-Since": old["last-modified"]})[0] == 200
    # the untouched article still answers 304
    _, bridge, _ = http_get(server, "/news/bridge/")
    assert http_get(server, "/news/bridge/", headers={"If-None-Match": bridge["etag"]})[0] == 304


def test_setting_the_same_text_changes_nothing(server):
    before = server.version("/news/tide/")
    assert server.set_article("/news/tide/", ARTICLE.format(n=1)) == before
    assert server.revision == 2


def test_hits_record_statuses(server):
    _, headers, _ = http_get(server, "/news/tide/")
    http_get(server, "/news/tide/", headers={"If-None-Match": headers["etag"]})
    server.remove_article("/news/tide/")
    http_get(server, "/news/tide/")
    assert server.statuses("/news/tide/") == [200, 304, 404]


def test_home_and_sitemap_list_articles(server):
    server.set_article("/news/new/", "<p>new</p>")
    sitemap = lxml.etree.fromstring(http_get(server, "/sitemap.xml")[2])
    locs = [loc.text for loc in sitemap.iter("{*}loc")]
    assert locs == [server.url.rstrip("/") + p for p in ("/news/bridge/", "/news/new/", "/news/tide/")]
    lastmods = [m.text for m in sitemap.iter("{*}lastmod")]
    new_date = format_datetime(server.version("/news/new/").last_modified, usegmt=True)
    assert parsedate_to_datetime(new_date).isoformat() in lastmods
    assert b'href="/news/new/"' in http_get(server, "/")[2]
