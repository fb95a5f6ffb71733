"""URL paths in RFC 3986 normal form before robots.txt rules and the fetch."""
from __future__ import annotations

import pytest
from protego import Protego
from scrapy import Request
from scrapy.utils.test import get_crawler

from newsarchive.base.urls import normalize_path, with_normalized_path
from newsarchive.fetch.path_normalize import PathNormalizeMiddleware


@pytest.mark.parametrize("path,normal", [
    ("/x/%2e%2e/%2e%2e/private/secret.html", "/private/secret.html"),
    ("/x/%2E%2E/private/", "/private/"),
    ("/x/../private/", "/private/"),
    ("/./private/./a", "/private/a"),
    ("/../../private/", "/private/"),  # never above the root
    ("/a/b/..", "/a/"),
    ("/a//../b", "/a/b"),
    ("/%7Euser/%41%2d%5f", "/~user/A-_"),  # unreserved characters decoded
    ("/a%2fb/%3f", "/a%2Fb/%3F"),  # reserved ones stay encoded, in upper case
    ("/plain/path/", "/plain/path/"),
    ("", ""),
])
def test_normal_form(path, normal):
    assert normalize_path(path) == normal
    assert normalize_path(normal) == normal  # idempotent


def test_robots_rules_hold_for_every_spelling_once_normalized():
    robots = Protego.parse("User-agent: *\nDisallow: /private/\n")
    tricky = "http://news.test/x/%2e%2e/%2e%2e/private/secret.html"
    assert robots.can_fetch(tricky, "newsarchive")  # the bypass: rules match the path as written
    assert not robots.can_fetch(with_normalized_path(tricky), "newsarchive")
    assert with_normalized_path("http://news.test:8080/a/../b?q=%2e%2e#x") == "http://news.test:8080/b?q=%2e%2e#x"


def test_middleware_replaces_the_request_by_its_normalized_twin():
    crawler = get_crawler()
    middleware = PathNormalizeMiddleware.from_crawler(crawler)
    request = Request("http://news.test/x/%2e%2e/private/a.html", meta={"k": 1}, priority=7)
    replaced = middleware.process_request(request)
    assert replaced.url == "http://news.test/private/a.html" and replaced.meta["k"] == 1 and replaced.priority == 7
    assert replaced.dont_filter  # the same fingerprint as the original, which the filter let through
    assert middleware.process_request(replaced) is None
    assert crawler.stats.get_value("newsarchive/fetch/paths_normalized") == 1
