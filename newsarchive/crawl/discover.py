"""Discover stage, pure functions: article URLs and their date hints from feeds and sitemaps.

The spider fetches; these functions only read bytes, so they are testable without a crawl and
shared by every spider. Dates found here are hints: they let `--since` skip old articles before
fetching them, and never override a date the article page states itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsarchive.base.dates import parse_date

# Sitemaps and feeds are data, never markup with entities to expand: refuse network and entity
# expansion (billion-laughs), and recover from the small errors real feeds have.
_XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Entry:
    url: str
    date: datetime | None = None  # publication (news sitemap, feed) or last modification (lastmod)
    title: str | None = None
    news: bool = False  # listed in a Google News sitemap: an article by the site's own account


@dataclass(frozen=True)
class Discovered:
    kind: str  # "rss", "atom", "sitemapindex", "urlset", "unknown"
    entries: tuple[Entry, ...]  # articles (feeds, urlsets) or child sitemaps (sitemapindex)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _text(element, *path: str) -> str | None:
    for name in path:
        found = _children(element, name)
        if not found:
            return None
        element = found[0]
    text = (element.text or "").strip()
    return text or None


def parse_xml_listing(body: bytes, base_url: str) -> Discovered:
    """Read an RSS 2.0 / Atom feed or a sitemap (index, plain, Google News)."""
    try:
        root = etree.fromstring(body, parser=_XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return Discovered("unknown", ())
    kind = _local(root.tag).lower()
    entries: list[Entry] = []
    if kind == "rss" or kind == "rdf":
        for item in root.iter("{*}item"):
            link = _text(item, "link") or _guid_link(item)
            if link:
                when = _text(item, "pubDate") or _text(item, "date")
                entries.append(Entry(urljoin(base_url, link), parse_date(when), _text(item, "title")))
        return Discovered("rss", tuple(entries))
    if kind == "feed":
        for item in _children(root, "entry"):
            link = _atom_link(item)
            if link:
                when = _text(item, "published") or _text(item, "updated")
                entries.append(Entry(urljoin(base_url, link), parse_date(when), _text(item, "title")))
        return Discovered("atom", tuple(entries))
    if kind in ("sitemapindex", "urlset"):
        child_name = "sitemap" if kind == "sitemapindex" else "url"
        for item in _children(root, child_name):
            loc = _text(item, "loc")
            if not loc:
                continue
            news = _children(item, "news")
            when = _text(news[0], "publication_date") if news else None
            title = _text(news[0], "title") if news else None
            entries.append(Entry(urljoin(base_url, loc), parse_date(when or _text(item, "lastmod")), title, bool(news)))
        return Discovered(kind, tuple(entries))
    return Discovered("unknown", ())


def _guid_link(item) -> str | None:
    guid = _children(item, "guid")
    if guid and guid[0].get("isPermaLink", "true").lower() != "false":
        text = (guid[0].text or "").strip()
        return text if text.startswith(("http://", "https://")) else None
    return None


def _atom_link(entry) -> str | None:
    links = _children(entry, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return links[0].get("href") if links and links[0].get("href") else None


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    return [
        urljoin(base_url, line.split(":", 1)[1].strip())
        for line in robots_txt.splitlines()
        if line.lower().startswith("sitemap:") and line.split(":", 1)[1].strip()
    ]


# JSON Feed (application/feed+json) is left out: parse_xml_listing reads XML only.
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def feeds_from_html(selector, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    found = []
    for link in selector.xpath("//link[@rel='alternate'][@href]"):
        if (link.attrib.get("type") or "").lower() in FEED_TYPES:
            found.append(urljoin(base_url, link.attrib["href"]))
    return found


# Link targets that are feeds by their name: /feed, /rss, /atom.xml, /index.rss, /feeds/news.xml ...
_FEED_LINK = re.compile(r"(?:^|/)(?:feeds?|rss|atom)(?:/|\.xml|\.rss|\.atom|$)|\.(?:rss|atom)$|/rss[\w-]*\.xml$", re.I)


def feeds_from_links(selector, base_url: str) -> list[str]:
    """Feeds a page links to with a plain <a>: by a feed `type`, or a feed's name in the path."""
    found = []
    for link in selector.xpath("//a[@href]"):
        href = link.attrib["href"].strip()
        try:
            url = urljoin(base_url, href)
            path = urlsplit(url).path
        except ValueError:
            continue
        if (link.attrib.get("type") or "").lower() in FEED_TYPES or _FEED_LINK.search(path):
            found.append(url)
    return found


def looks_like_xml_listing(body: bytes, content_type: str = "") -> bool:
    head = body[:512].lstrip().lower()
    return (
        "xml" in content_type.lower()
        or head.startswith(b"<?xml")
        or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex"))
    )


def older_than(when: datetime | None, since: date | None) -> bool:
    """True only when the date is known and before `since`: an unknown date is never a reason to skip."""
    return bool(since and when and when.date() < since)
