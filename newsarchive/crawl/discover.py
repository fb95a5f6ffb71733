"""Discover stage, pure functions: article URLs and their date hints from feeds and sitemaps.

The spider fetches; these functions only read bytes, so they are testable without a crawl and
shared by every spider. Dates found here are hints: they let `--since` skip old articles before
fetching them, and never override a date the article page states itself.
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsarchive.base.dates import parse_date, plausible

GZIP_MAGIC = b"\x1f\x8b"
MAX_URL_LENGTH = 4096  # a longer <loc> or <link> is garbage, not an article address
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # control characters and spaces: a typo or an attack
# An absolute http(s) URL with a plain host name and an optional port: no parse needed to trust it.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::(\d{1,5}))?(?:[/?#]\S*)?", re.A)
EXAMPLES_PER_KIND = 3  # bad entries named in the log, per kind and listing
# Where each listing kind keeps its entries: RSS 2.0 <item> (RSS 1.0/RDF too), Atom <entry>,
# sitemap <url>, sitemap index <sitemap>.
ENTRY_ELEMENT = {"rss": "item", "rdf": "item", "feed": "entry", "urlset": "url", "sitemapindex": "sitemap"}
KIND_NAME = {"rss": "rss", "rdf": "rss", "feed": "atom", "urlset": "urlset", "sitemapindex": "sitemapindex"}


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
    # Bad entries by kind: bad_url (skipped), bad_entry (skipped), bad_date (date dropped, entry kept),
    # bad_title (title dropped, entry kept); with a few examples of each for the log.
    problems: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    capped: bool = False  # the listing holds more than max_entries: the first ones were kept, reading stopped
    error: str | None = None  # why reading stopped early (corrupt gzip, too large), the entries before kept


class _Collector:
    """Entries and problems of one listing as it is read."""

    def __init__(self, max_entries: int | None):
        self.entries: list[Entry] = []
        self.problems: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}
        self.max_entries = max_entries
        self.capped = False

    def full(self) -> bool:
        return self.max_entries is not None and len(self.entries) >= self.max_entries

    def problem(self, kind: str, example: str) -> None:
        self.problems[kind] = self.problems.get(kind, 0) + 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < EXAMPLES_PER_KIND:
            shown.append(example[:200])


class _BoundedGunzip(io.RawIOBase):
    """A gzip body inflated as it is read, refusing to grow past `max_size` (gzip bombs)."""

    def __init__(self, body: bytes, max_size: int | None):
        self._source = io.BytesIO(body)
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._max_size = max_size
        self._produced = 0
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self._source.read(64 * 1024)
            if not chunk:
                if not self._inflater.eof:
                    raise EOFError("the gzip stream ends before its end marker")
                return 0
            self._pending = self._inflater.decompress(chunk)
            if self._inflater.eof and self._inflater.unused_data[:2] == GZIP_MAGIC:  # a multi-member gzip
                rest = self._inflater.unused_data + self._source.read()
                self._source, self._inflater = io.BytesIO(rest), zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._produced += len(self._pending)
            if self._max_size and self._produced > self._max_size:
                raise ValueError(f"inflates past {self._max_size} bytes")
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def parse_xml_listing(body: bytes, base_url: str, *, max_entries: int | None = None,
                      max_size: int | None = None) -> Discovered:
    """Read an RSS 2.0 / RDF / Atom feed or a sitemap (index, plain, Google News), gzipped or not.

    Entry by entry, streaming: one bad entry costs only itself (counted in `problems`), memory stays
    flat however large the listing, and reading stops after `max_entries` entries (`capped`). Sitemaps and feeds are data, never markup with entities to expand:
    network access and entity expansion (billion-laughs) are refused, and the small errors real
    feeds have are recovered from.
    """
    root_kind, error = None, None
    try:
        root_kind = _root_kind(_reader(body, max_size))
    except (etree.XMLSyntaxError, ValueError, EOFError, OSError, zlib.error) as exc:
        error = f"{type(exc).__name__}: {exc}"
    if root_kind not in ENTRY_ELEMENT:
        return Discovered("unknown", (), error=error)
    collected = _Collector(max_entries)
    entries = etree.iterparse(_reader(body, max_size), events=("end",), tag="{*}" + ENTRY_ELEMENT[root_kind],
                              recover=True, resolve_entities=False, no_network=True, huge_tree=False,
                              remove_comments=True, remove_pis=True)
    try:
        for _, element in entries:
            if collected.full():
                collected.capped = True
                break
            _read_entry(root_kind, element, base_url, collected)
            _forget(element)
    except (etree.XMLSyntaxError, ValueError, EOFError, OSError, zlib.error) as exc:
        error = f"{type(exc).__name__}: {exc}"
    return Discovered(KIND_NAME[root_kind], tuple(collected.entries), collected.problems, collected.examples,
                      collected.capped, error)


def _reader(body: bytes, max_size: int | None):
    return io.BufferedReader(_BoundedGunzip(body, max_size)) if body[:2] == GZIP_MAGIC else io.BytesIO(body)


def _root_kind(source) -> str | None:
    """The local name of the root element, from the first bytes that hold it."""
    for _, element in etree.iterparse(source, events=("start",), recover=True, resolve_entities=False,
                                      no_network=True, huge_tree=False):
        return _local(element.tag).lower()
    return None


def _forget(element) -> None:
    """Drop an entry read already, and the siblings before it, so the tree never holds the listing."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _read_entry(root_kind: str, item, base_url: str, collected: _Collector) -> None:
    try:
        if root_kind in ("rss", "rdf"):
            raw_url = _text(item, "link") or _guid_link(item)
            raw_date = _text(item, "pubDate") or _text(item, "date")
            title, news = _title(item, ("title",), collected), False
        elif root_kind == "feed":
            raw_url = _atom_link(item)
            raw_date = _text(item, "published") or _text(item, "updated")
            title, news = _title(item, ("title",), collected), False
        else:  # sitemaps hold the most entries: their few children are indexed in one pass
            fields = _first_children(item)
            raw_url = _own_text(fields.get("loc"))
            found = fields.get("news")
            news = found is not None
            raw_date = (_text(found, "publication_date") if news else None) or _own_text(fields.get("lastmod"))
            title = _title(found, ("title",), collected) if news else None
    except UnicodeError as exc:  # text lxml cannot hand over (a &#xD800; in a link)
        collected.problem("bad_entry", f"unreadable text: {exc}")
        return
    if not raw_url:
        return  # an item without a link (an announcement): nothing to fetch, nothing wrong
    url = entry_url(raw_url, base_url)
    if url is None:
        collected.problem("bad_url", raw_url)
        return
    when = parse_date(raw_date) if raw_date else None
    if raw_date and not plausible(when):
        collected.problem("bad_date", f"{raw_date} ({url})")
        when = None
    collected.entries.append(Entry(url, when, title, news))


def entry_url(raw: str, base_url: str) -> str | None:
    """An entry's absolute http(s) URL, or None when it cannot be one (http://[oops/, javascript:, spaces)."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_URL_LENGTH or _NOT_IN_URL.search(raw):
        return None
    plain = _PLAIN_URL.fullmatch(raw)
    if plain and int(plain.group(1) or 0) <= 65535:  # the common case, without a full parse
        return raw
    try:
        url = raw if raw.startswith(("http://", "https://")) else urljoin(base_url, raw)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def _title(element, path: tuple[str, ...], collected: _Collector) -> str | None:
    try:
        text = _text(element, *path)
    except UnicodeError:
        collected.problem("bad_title", "undecodable title")
        return None
    if text is None:
        return None
    cleaned = "".join(ch for ch in text if ch.isprintable() or ch in " \t\n")
    return " ".join(cleaned.split()) or None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first_children(element) -> dict[str, object]:
    """{local name: first child of that name}."""
    found: dict[str, object] = {}
    for child in element:
        found.setdefault(_local(child.tag), child)
    return found


def _own_text(element) -> str | None:
    text = (element.text or "").strip() if element is not None else ""
    return text or None


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
    """The `Sitemap:` URLs of a robots.txt; a line whose URL cannot be one is skipped."""
    found = []
    for line in robots_txt.splitlines():
        if line.lower().startswith("sitemap:") and (url := entry_url(line.split(":", 1)[1], base_url)):
            found.append(url)
    return found


# JSON Feed (application/feed+json) is left out: parse_xml_listing reads XML only.
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def feeds_from_html(selector, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    found = []
    for link in selector.xpath("//link[@rel='alternate'][@href]"):
        if (link.attrib.get("type") or "").lower() in FEED_TYPES and (url := entry_url(link.attrib["href"], base_url)):
            found.append(url)
    return found


def looks_like_xml_listing(body: bytes, content_type: str = "") -> bool:
    """A feed or a sitemap by its bytes or type; a gzip body is taken for a compressed sitemap."""
    head = body[:512].lstrip().lower()
    return (
        body[:2] == GZIP_MAGIC
        or "xml" in content_type.lower()
        or head.startswith(b"<?xml")
        or head.startswith((b"<rss", b"<feed", b"<urlset", b"<sitemapindex"))
    )


def older_than(when: datetime | None, since: date | None) -> bool:
    """True only when the date is known and before `since`: an unknown date is never a reason to skip."""
    return bool(since and when and when.date() < since)
