"""Fuzzing the feed and sitemap readers: whatever bytes a site sends, no exception escapes, every entry
is an absolute http(s) URL with a plausible date or none, and the result is JSON-encodable.

`make test` runs a bounded number of examples; `make fuzz-discover` runs many more
(FUZZ_EXAMPLES=N sets the count).
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import asdict
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsel import Selector

from newsarchive.base.dates import plausible
from newsarchive.crawl.discover import feeds_from_html, parse_xml_listing, sitemaps_from_robots

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = "https://news.test/sitemap.xml"

HOSTILE_TEXT = [
    "http://[oops/", "https://news.test/a/", "/relative/path", "javascript:alert(1)", "file:///etc/passwd",
    "http://news.test:99999/", "http://", "https://news.test/\u2028x", "&#xD800;", "&#x1;", "&#0;", "&#xFFFE;",
    "&amp;&lt;", "<![CDATA[https://news.test/c/]]>", "https://news.test/" + "a" * 5000, "http://user:pw@news.test/",
    "https://xn--bcher-kva.example/", "https://news.test/%zz/", " https://news.test/space ", "\t", "",
]
HOSTILE_DATES = [
    "2024-05-01", "2024-05-01T10:00:00Z", "99999-01-01", "0000-01-01", "9999-12-31T23:59:59-12:00",
    "Wed, 01 May 2024 10:00:00 GMT", "Sun, 31 Dec 9999 23:59:59 -1200", "2024-02-30", "yesterday", "1e309", "",
    "&#xD800;", "2024-13-45T99:99:99+99:00",
]
ROOTS = {
    "urlset": ("url", ("loc", "lastmod")),
    "sitemapindex": ("sitemap", ("loc", "lastmod")),
    "rss": ("item", ("link", "pubDate", "title", "guid")),
    "feed": ("entry", ("published", "title")),
}


def text_piece():
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40).map(escape_for_xml))


def escape_for_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "replace").decode("utf-8")


@st.composite
def listings(draw) -> bytes:
    root = draw(st.sampled_from(sorted(ROOTS)))
    entry_name, fields = ROOTS[root]
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        parts = []
        for name in draw(st.lists(st.sampled_from(fields), max_size=5)):
            value = draw(st.sampled_from(HOSTILE_DATES)) if name in ("lastmod", "pubDate", "published") else draw(text_piece())
            parts.append(f"<{name}>{value}</{name}>")
        if root == "feed" and draw(st.booleans()):
            parts.append(f'<link rel="{draw(st.sampled_from(["alternate", "self", ""]))}" href="{draw(text_piece())}"/>')
        if draw(st.booleans()):
            parts.append("<news:news><news:publication_date>" + draw(st.sampled_from(HOSTILE_DATES))
                         + "</news:publication_date><news:title>" + draw(text_piece()) + "</news:title></news:news>")
        entries.append(f"<{entry_name}>{''.join(parts)}</{entry_name}>")
    wrapper = ("<channel>", "</channel>") if root == "rss" else ("", "")
    prolog = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="latin-1"?>',
                                   '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>']))
    namespace = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    document = f"{prolog}<{root}{namespace}>{wrapper[0]}{''.join(entries)}{wrapper[1]}</{root}>".encode("utf-8")
    cut = draw(st.one_of(st.none(), st.integers(0, len(document))))
    if cut is not None:
        document = document[:cut]
    if draw(st.booleans()):
        document = gzip.compress(document)
        if draw(st.booleans()):
            document = document[: draw(st.integers(0, len(document)))]
    return document


def check(found) -> None:
    assert found.kind in ("rss", "atom", "urlset", "sitemapindex", "unknown")
    for entry in found.entries:
        parts = urlsplit(entry.url)
        assert parts.scheme in ("http", "https") and parts.hostname
        assert entry.date is None or plausible(entry.date)
        assert entry.title is None or entry.title.isprintable()
    record = [asdict(e) for e in found.entries]
    json.dumps({"entries": record, "problems": found.problems, "examples": found.examples}, default=str,
               ensure_ascii=False).encode("utf-8")


@FUZZ
@given(listings())
def test_structured_hostile_listings(body):
    check(parse_xml_listing(body, BASE, max_entries=5, max_size=1_000_000))


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes(body):
    check(parse_xml_listing(body, BASE))
    check(parse_xml_listing(b"\x1f\x8b" + body, BASE, max_size=10_000))


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30)), max_size=6))
def test_robots_sitemap_lines(values):
    robots = "\n".join(f"Sitemap: {value}" for value in values)
    for url in sitemaps_from_robots(robots, "https://news.test/robots.txt"):
        assert urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname


@FUZZ
@given(st.lists(st.sampled_from(HOSTILE_TEXT), max_size=6))
def test_feed_links_in_html(hrefs):
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="{h}">' for h in hrefs)
    for url in feeds_from_html(Selector(text=f"<html><head>{links}</head></html>"), "https://news.test/"):
        assert urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname
