"""Page requisites: what an article page needs to look right, which of it to archive, and the budgets.

Pure functions and small value types; `crawl/requisites_fetch.py` is the downloader middleware that
fetches what these decide (docs/architecture.md, "Page requisites").

- `page_requisites(selector, url)` lists what a page names, in the order a page needs it: stylesheets,
  then icons, then images (`src`, `srcset`, `<picture>` sources, lazy-loading `data-` attributes,
  posters, the `og:image`/`twitter:image`), preloaded fonts and images, and last the scripts.
- `css_requisites(css, url)` lists what a stylesheet names (`@import`, fonts, background images),
  resolved against the stylesheet's own URL.
- `Blocklist` holds the tracker and ad hosts never to contact (the bundled `blocklist.txt`, or an
  operator's file in plain, hosts-file or AdBlock `||host^` form).
- `refusal(...)` is the scope rule: the page's own site and the other hosts it names (its CDNs),
  never a blocked host, never a script unless scripts are on.
- `Budget` counts requisites and their bytes against a limit, per article and per crawl.

Every byte here comes from the network: nothing is quadratic in its input, and no input raises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from newsarchive.base.urls import site_of

# What a requisite is, as far as fetching and listing go.
STYLESHEET, FONT, IMAGE, ICON, MEDIA, SCRIPT = "stylesheet", "font", "image", "icon", "media", "script"
MAX_URL_LENGTH = 2048  # longer "URLs" in src attributes are inline junk or attacks, not resources
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")

# Reasons a requisite is not archived (the record's `requisites.skipped[].reason`); fetch failures
# add the failure kinds of newsarchive.fetch.errors (robots_forbidden, http_404, timeout, ...).
BLOCKED = "blocked"  # a tracker or ad host (Blocklist)
SCRIPTS_OFF = "script"  # REQUISITES_SCRIPTS is off
OTHER_HOST = "other_host"  # REQUISITES_OTHER_HOSTS is off and the host is not the page's site


@dataclass(frozen=True)
class Requisite:
    url: str
    kind: str


# ------------------------------------------------------------------------------------------ finding

def absolute_url(value: str | None, base: str) -> str | None:
    """`value` resolved against `base`, without its fragment; None unless it is an http(s) URL."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > MAX_URL_LENGTH or value.startswith(("data:", "blob:", "javascript:", "about:", "#")):
        return None
    try:
        url = urljoin(base, value).split("#", 1)[0]
        parts = urlsplit(url)
    except ValueError:  # a broken IPv6 literal, a bad port
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def srcset_urls(value: str | None) -> list[str]:
    """The URLs of a `srcset` attribute, by the HTML standard's parsing rules.

    URLs may contain commas (image CDNs write `w_480,c_fill`): a candidate's URL runs to the next
    whitespace, and only a trailing comma, or a comma after its descriptors, ends a candidate.
    """
    urls: list[str] = []
    text = value or ""
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not text[pos].isspace():
            pos += 1
        url = text[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0  # descriptors run to the next comma outside parentheses
            while pos < end:
                char = text[pos]
                pos += 1
                if char == "(":
                    depth += 1
                elif char == ")" and depth:
                    depth -= 1
                elif char == "," and not depth:
                    break
        if url:
            urls.append(url)
    return urls


def strip_css_comments(css: str) -> str:
    """CSS without its /* comments */, in one pass (an unclosed comment runs to the end, as in CSS)."""
    out, pos = [], 0
    while True:
        start = css.find("/*", pos)
        if start < 0:
            out.append(css[pos:])
            return "".join(out)
        out.append(css[pos:start])
        close = css.find("*/", start + 2)
        if close < 0:
            return "".join(out)
        pos = close + 2


CSS_URL = re.compile(r"""url\(\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'()]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'()]+))""", re.I)


def _css_kind(url: str, css: str, at: int) -> str:
    path = urlsplit(url).path.lower()
    if path.endswith(FONT_EXTENSIONS):
        return FONT
    if path.endswith(".css"):
        return STYLESHEET
    block_start = css.rfind("{", 0, at)
    if block_start >= 0 and css[max(0, block_start - 40):block_start].lower().rstrip().endswith("@font-face"):
        return FONT
    return IMAGE


def css_requisites(css: str, css_url: str) -> list[Requisite]:
    """What a stylesheet (or a <style> block, or a style attribute) names, resolved against `css_url`."""
    css = strip_css_comments(css or "")
    found: list[Requisite] = []
    for match in CSS_IMPORT.finditer(css):
        url = absolute_url(next(g for g in match.groups() if g is not None), css_url)
        if url:
            found.append(Requisite(url, STYLESHEET))
    for match in CSS_URL.finditer(css):
        url = absolute_url(next(g for g in match.groups() if g is not None), css_url)
        if url:
            found.append(Requisite(url, _css_kind(url, css, match.start())))
    return unique(found)


def _rel(element) -> set[str]:
    return set((element.attrib.get("rel") or "").lower().split())


def page_requisites(selector, page_url: str) -> list[Requisite]:
    """What an HTML page (a parsel Selector over it) names, in the order the page needs it, each URL once."""
    base = absolute_url(selector.xpath("//base/@href").get(), page_url) or page_url
    links = selector.xpath("//link[@href]")
    styles: list[Requisite] = []
    icons: list[Requisite] = []
    images: list[Requisite] = []
    preloads: list[Requisite] = []
    scripts: list[Requisite] = []

    def add(bucket: list[Requisite], value: str | None, kind: str) -> None:
        url = absolute_url(value, base)
        if url:
            bucket.append(Requisite(url, kind))

    for link in links:
        rel, href = _rel(link.root), link.root.attrib.get("href")
        as_ = (link.root.attrib.get("as") or "").lower()
        if "stylesheet" in rel or (rel & {"preload", "prefetch"} and as_ == "style"):
            add(styles, href, STYLESHEET)
        elif rel & {"icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon"}:
            add(icons, href, ICON)
        elif "preload" in rel and as_ in ("font", "image"):
            add(preloads, href, FONT if as_ == "font" else IMAGE)
        elif rel & {"modulepreload"} or ("preload" in rel and as_ == "script"):
            add(scripts, href, SCRIPT)
    for block in selector.xpath("//style/text()").getall():
        styles += css_requisites(block, base)
    for value in selector.xpath("//*[@style]/@style").getall():
        images += css_requisites(value, base)
    for element in selector.xpath("//img | //picture/source | //video[@poster] | //input[@type='image'] | //image"):
        attrs = element.root.attrib
        tag = element.root.tag if isinstance(element.root.tag, str) else ""
        if tag == "video":
            add(images, attrs.get("poster"), IMAGE)
            continue
        for name in ("src", "data-src", "data-lazy-src", "data-original", "href", "xlink:href"):
            if name in ("href", "xlink:href") and tag != "image":
                continue
            add(images, attrs.get(name), IMAGE)
        for name in ("srcset", "data-srcset", "data-lazy-srcset"):
            for url in srcset_urls(attrs.get(name)):
                add(images, url, IMAGE)
    for value in selector.xpath("//meta[@property='og:image' or @property='og:image:url' or @property='og:image:secure_url'"
                                " or @name='twitter:image' or @property='twitter:image']/@content").getall():
        add(images, value, IMAGE)
    for value in selector.xpath("//script/@src").getall():
        add(scripts, value, SCRIPT)
    if not icons:  # browsers ask for /favicon.ico when a page names no icon
        add(icons, "/favicon.ico", ICON)
    page = page_url.split("#", 1)[0]  # `src="?"` and the like name the page itself: archived already
    return [r for r in unique([*styles, *icons, *images, *preloads, *scripts]) if r.url != page]


def unique(requisites: Iterable[Requisite]) -> list[Requisite]:
    """Each URL once, first mention wins (its kind too)."""
    seen: set[str] = set()
    kept = []
    for requisite in requisites:
        if requisite.url not in seen:
            seen.add(requisite.url)
            kept.append(requisite)
    return kept


# ------------------------------------------------------------------------------------------ scope

class Blocklist:
    """Hosts never to contact for requisites: a listed host and all its subdomains."""

    def __init__(self, hosts: Iterable[str] = ()):
        self.hosts = frozenset(h.lower().strip(".") for h in hosts if h and h.strip("."))

    @classmethod
    def bundled(cls) -> Blocklist:
        """The list that ships with newsarchive (newsarchive/crawl/blocklist.txt)."""
        text = resources.files("newsarchive.crawl").joinpath("blocklist.txt").read_text("utf-8")
        return cls(parse_blocklist(text.splitlines()))

    @classmethod
    def from_file(cls, path: str) -> Blocklist:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return cls(parse_blocklist(fh))

    def __contains__(self, host: str) -> bool:
        host = (host or "").lower().rstrip(".")
        while host:
            if host in self.hosts:
                return True
            _, _, host = host.partition(".")
        return False

    def __len__(self) -> int:
        return len(self.hosts)


HOST_NAME = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$")  # a dotted name: "localhost" lines of hosts files are not hosts to block


def parse_blocklist(lines: Iterable[str]) -> Iterator[str]:
    """Host names from a block list: one host a line, a hosts file (`0.0.0.0 host`), or AdBlock
    `||host^` rules (only whole-host rules: a rule with a path or an exception is not a host)."""
    for raw in lines:
        line = raw.split("#", 1)[0].strip().lower()
        if not line or line.startswith(("!", "[", "@@")):
            continue
        if line.startswith("||"):
            host, _, options = line[2:].partition("^")
            if options and not options.startswith("$"):
                continue
        else:
            fields = line.split()
            if len(fields) == 1:
                host = fields[0]
            elif fields[0] in ("0.0.0.0", "127.0.0.1", "::1", "::"):  # a hosts file
                host = fields[1]
            else:
                continue
        if HOST_NAME.match(host):
            yield host


def on_site(host: str, site: str) -> bool:
    """Is `host` the page's site (`site_of` its URL) or one of its subdomains?"""
    host = (host or "").lower()
    return bool(site) and (site_of(f"//{host}") == site or host.endswith("." + site))


def refusal(requisite: Requisite, page_url: str, *, blocklist: Blocklist, scripts: bool, other_hosts: bool) -> str | None:
    """Why a requisite is out of scope (a reason for the record), or None when it may be fetched."""
    host = urlsplit(requisite.url).hostname or ""
    if host in blocklist:
        return BLOCKED
    if requisite.kind == SCRIPT and not scripts:
        return SCRIPTS_OFF
    if not other_hosts and not on_site(host, site_of(page_url)):
        return OTHER_HOST
    return None


# ------------------------------------------------------------------------------------------ budgets

@dataclass
class Budget:
    """A count and a byte limit (0: no limit) and what has been spent against them."""

    name: str  # "article" or "crawl", for the skip reason and the stats
    max_count: int
    max_bytes: int
    count: int = 0
    bytes: int = 0

    def exhausted(self) -> str | None:
        """The skip reason once a limit is reached ("budget_article_count", ...), else None."""
        if self.max_count and self.count >= self.max_count:
            return f"budget_{self.name}_count"
        if self.max_bytes and self.bytes >= self.max_bytes:
            return f"budget_{self.name}_bytes"
        return None

    def bytes_left(self) -> int | None:
        return max(0, self.max_bytes - self.bytes) if self.max_bytes else None
