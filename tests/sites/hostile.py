"""HostileServer: a loopback site where most pages are bad input, one failure per path.

Its home page, sitemap and RSS feed list every path, so a crawl discovers them all. `KINDS` maps each
path to the kind of problem it should be counted as (the names of newsarchive.fetch.errors where the
fetch fails; content problems are named after what is wrong); `GOOD_PATHS` are articles that must
survive the crawl. Only the standard library is used.

Besides bad pages it attacks the crawler itself (issue 11): links and redirects to a private host
(`intranet.news.hostile.test`, which tests/sites/names.py resolves to 127.0.0.2, and 127.0.0.2 itself,
where a PrivateServer logs anything that reaches it), a robots.txt bypass with percent-encoded dot
segments (this server, like nginx, decodes and removes them before routing), bad sitemap entries, a
sitemap index whose children are .xml.gz files (one too long for SITEMAP_MAX_URLS), and JSON-LD with a
lone surrogate escape or absurdly deep nesting. Absolute links are built from the Host header, so the
site works under any name that leads to it.

    with PrivateServer() as private, HostileServer(private_port=private.port) as server:
        ... crawl http://news.hostile.test:<port>/feed.xml with the fixture names resolver ...
        assert private.requests == []
"""
from __future__ import annotations

import gzip
import posixpath
import random
import struct
import threading
import zlib
from functools import cache
from html import escape
from urllib.parse import unquote

from newsarchive.demo.loopback import LoopbackServer, QuietHandler

KINDS: dict[str, str] = {
    "/broken-html/": "broken_html",
    "/wrong-charset/": "wrong_charset",
    "/missing-charset/": "missing_charset",
    "/truncated/": "truncated",
    "/gzip-bomb/": "decompression_bomb",
    "/loop/a/": "redirect_loop",
    "/always-503/": "http_5xx",
    "/slow/": "timeout",
    "/binary-as-html/": "not_html",
    "/huge/": "too_large",
}
GOOD_PATHS: tuple[str, ...] = ("/good/solar-kiosk-pilot/", "/good/library-robot-trial/", "/good/ferry-wifi-upgrade/",
                                "/good/lone-surrogate-in-jsonld/")
# Robots.txt disallows /private/; this link reaches it only if the crawler checks the path as written.
PRIVATE_ARTICLE = "/private/staff-salaries-for-next-year.html"
ROBOTS_BYPASS = "/x/%2e%2e/%2e%2e" + PRIVATE_ARTICLE
# A page whose JSON-LD nests deeper than any parser's recursion limit.
DEEP_JSONLD = "/deep-jsonld/"
# Ways to the private host (127.0.0.2), none of which may be contacted: (what it is, path on this site
# or absolute URL template with {private_port}).
PRIVATE_NAME = "intranet.news.hostile.test"
REFUSED_LINKS = {
    "name resolving to a private address": "http://" + PRIVATE_NAME + ":{private_port}/internal/by-name-link/",
    "private IP literal": "http://127.0.0.2:{private_port}/internal/by-ip-link/",
    "IPv4-mapped IPv6 literal": "http://[::ffff:127.0.0.2]:{private_port}/internal/mapped-link/",
    "redirect to a name resolving to a private address": "/redirect-to-intranet/",
    "redirect to a private IP literal": "/redirect-to-private-ip/",
}
REDIRECTS = {
    "/redirect-to-intranet/": "http://" + PRIVATE_NAME + ":{private_port}/internal/redirected-by-name/",
    "/redirect-to-private-ip/": "http://127.0.0.2:{private_port}/internal/redirected-by-ip/",
}
HUGE_SITEMAP_URLS = 3000  # non-article URLs in /sitemap-huge.xml.gz: more than the tests' SITEMAP_MAX_URLS
# Bad sitemap entries, each counted by kind in crawl.json (problems listing_<kind>).
BAD_SITEMAP_ENTRIES = {
    "bad_url": "<url><loc>http://[oops/</loc></url>",
    "bad_entry": "<url><loc>{base}/good/&#xD800;-bad-link/</loc></url>",
    "bad_date": "<url><loc>{base}/good/ferry-wifi-upgrade/</loc><lastmod>99999-01-01</lastmod></url>",
}

BOMB_INFLATED_SIZE = 80 * 1024 * 1024  # past the 64 MiB DOWNLOAD_MAXSIZE default
DEFAULT_HUGE_BYTES = 24 * 1024 * 1024  # past the 16 MiB NEWSARCHIVE_MAXSIZE default
TRUNCATED_DECLARED = 20_000
TRUNCATED_SENT = 2_500

GOOD_ARTICLES = {
    "/good/solar-kiosk-pilot/": (
        "City tests solar-powered ticket kiosks at tram stops",
        ["Six tram stops on the harbour line now sell tickets from kiosks that run on their own solar panels.",
         "The transport office says the pilot will run through the winter to see how the batteries cope with "
         "short days and frost."],
    ),
    "/good/library-robot-trial/": (
        "Library robot sorts returned books overnight",
        ["A small sorting robot now empties the return chute at the central library and shelves books by "
         "section before staff arrive.",
         "Librarians say the machine still struggles with oversized atlases and children's board books."],
    ),
    "/good/ferry-wifi-upgrade/": (
        "Island ferries get faster onboard internet",
        ["Passengers on the two island ferries can now stream video for most of the crossing after an "
         "antenna upgrade.",
         "The operator plans to add power sockets to every seat row by the end of next year."],
    ),
}


GOOD_ARTICLES["/good/lone-surrogate-in-jsonld/"] = (
    "Harbour cranes get a second life as a lookout tower",
    ["Two retired harbour cranes will be joined into a public lookout tower on the old quay next spring.",
     "The design keeps the original cabins, and visitors will climb the jib by a new spiral stair."],
)
# A JSON-LD escape that decodes to a lone surrogate, which UTF-8 cannot encode: the record must still be written.
SURROGATE_JSONLD = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour cranes lookout", '
                    '"articleSection": "City \\udc00 desk", "keywords": ["cranes", "quay \\ud83d"], '
                    '"author": {"@type": "Person", "name": "Test Desk"}, "datePublished": "2026-11-02T08:00:00Z"}')
DEEP_JSONLD_TEXT = '{"@type": "NewsArticle", "about": ' + "[" * 20_000 + "]" * 20_000 + "}"


def _article_html(title: str, paragraphs: list[str], *, charset_meta: str = '<meta charset="utf-8">',
                  jsonld: str = "") -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\"><head>{charset_meta}<title>{escape(title)}</title>{script}</head>\n"
        f"<body><article><h1>{escape(title)}</h1>\n<p class=\"byline\">By Test Desk</p>\n{body}\n</article></body></html>\n"
    )


BROKEN_HTML = (
    b"<html><head><title>Broken <b>markup</title><body><div><p>An unclosed paragraph about a "
    b"harbour crane that lost power<div><p>Nested <i>without <b>ends\x00\x01 <<<>>> &&&; &#xFFFFFFF; "
    b"<table><tr><td>cell<p>para</table></span></span><script>var x = '</div>"
    b"<p>Text after a script that never closes, which still mentions the crane and its operator."
)

WRONG_CHARSET = _article_html(
    "Caf\u00e9 owners say \u201cno\u201d to the \u20ac2 cup fee",
    ["Owners of caf\u00e9s on the main square rejected the \u20ac2 deposit \u2014 \u201ctoo much paperwork,\u201d "
     "one said.", "The council\u2019s plan returns to committee next month."],
    charset_meta="",
).encode("cp1252")

MISSING_CHARSET = _article_html(
    "Na\u00efve bay\u00e9sian filter trips over \u201csmart\u201d quotes",
    ["A spam filter trained on plain ASCII mail misfiled messages with curly quotes \u2014 and accents like "
     "r\u00e9sum\u00e9.", "Its maintainers say the fix is a single line."],
    charset_meta="",
).encode("utf-8")


@cache
def gzip_bomb() -> bytes:
    """A gzip member of about 80 KB that inflates to BOMB_INFLATED_SIZE zero bytes; built once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(BOMB_INFLATED_SIZE // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def noise_png(size: int = 64) -> bytes:
    """A valid PNG of seeded random pixels: binary content that no charset decodes as text."""
    rng = random.Random(1234)
    rows = b"".join(b"\x00" + rng.randbytes(size * 3) for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class HostileHandler(QuietHandler):
    server_version = "newsarchive-hostile/1"

    def do_GET(self) -> None:
        app: HostileServer = self.app
        # Like nginx: percent-decoded and dot segments removed before routing (so %2e%2e climbs).
        raw = unquote(self.path.split("?", 1)[0])
        path = posixpath.normpath(raw).replace("//", "/")
        if raw.endswith("/") and not path.endswith("/"):
            path += "/"
        app.count(path)
        route = {
            "/": self._home,
            "/robots.txt": self._robots,
            "/sitemap.xml": self._sitemap,
            "/sitemap-index.xml": self._sitemap_index,
            "/sitemap-more.xml.gz": lambda: self._gzip_sitemap(self._urlset([*GOOD_PATHS])),
            "/sitemap-huge.xml.gz": lambda: self._gzip_sitemap(self._urlset(
                [f"/archive/item{n}.html" for n in range(HUGE_SITEMAP_URLS)])),
            PRIVATE_ARTICLE: lambda: self.send_body(200, _article_html(
                "Staff salaries for next year", ["This page is disallowed by robots.txt and must never be fetched."]
            ).encode("utf-8")),
            DEEP_JSONLD: lambda: self.send_body(200, _article_html(
                "Deeply nested metadata does not stop the story", [GOOD_ARTICLES["/good/ferry-wifi-upgrade/"][1][0]] * 3,
                jsonld=DEEP_JSONLD_TEXT).encode("utf-8")),
            "/redirect-to-intranet/": lambda: self._redirect(REDIRECTS["/redirect-to-intranet/"]),
            "/redirect-to-private-ip/": lambda: self._redirect(REDIRECTS["/redirect-to-private-ip/"]),
            "/feed.xml": self._feed,
            "/broken-html/": lambda: self.send_body(200, BROKEN_HTML),
            "/wrong-charset/": lambda: self.send_body(200, WRONG_CHARSET),
            "/missing-charset/": lambda: self.send_body(200, MISSING_CHARSET, content_type="text/html"),
            "/truncated/": self._truncated,
            "/gzip-bomb/": self._gzip_bomb,
            "/loop/a/": lambda: self._loop("/loop/b/"),
            "/loop/b/": lambda: self._loop("/loop/a/"),
            "/always-503/": lambda: self.send_body(503, b"<p>Service unavailable</p>", [("Retry-After", "1")]),
            "/slow/": self._slow,
            "/binary-as-html/": lambda: self.send_body(200, noise_png()),
            "/huge/": self._huge,
        }.get(path)
        if route is None and path in GOOD_ARTICLES:
            title, paragraphs = GOOD_ARTICLES[path]
            jsonld = SURROGATE_JSONLD if path == "/good/lone-surrogate-in-jsonld/" else ""
            self.send_body(200, _article_html(title, paragraphs, jsonld=jsonld).encode("utf-8"))
        elif route is None:
            self.send_body(404, b"<p>Not found</p>")
        else:
            route()

    do_HEAD = do_GET

    def _links(self) -> list[str]:
        return [*KINDS, *GOOD_PATHS, ROBOTS_BYPASS, DEEP_JSONLD, *self._refused_links()]

    def _refused_links(self) -> list[str]:
        return [link.format(private_port=self.app.private_port) for link in REFUSED_LINKS.values()]

    def _base(self) -> str:
        """This site's root as the client named it (the Host header), without the trailing slash."""
        return "http://" + (self.headers.get("Host") or f"{self.app.host}:{self.app.port}")

    def _absolute(self, link: str) -> str:
        return link if "://" in link else self._base() + link

    def _robots(self) -> None:
        robots = "User-agent: *\nDisallow: /private/\n"
        if self.app.sitemaps_in_robots:
            robots += f"Sitemap: {self._base()}/sitemap.xml\nSitemap: {self._base()}/sitemap-index.xml\n"
        self.send_body(200, robots.encode("ascii"), content_type="text/plain")

    def _redirect(self, target: str) -> None:
        self.send_body(302, b"", [("Location", target.format(private_port=self.app.private_port))])

    def _urlset(self, paths: list[str], extra: str = "") -> bytes:
        urls = "".join(f"<url><loc>{escape(self._absolute(p))}</loc></url>" for p in paths)
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}{extra}</urlset>").encode("utf-8")

    def _sitemap_index(self) -> None:
        children = "".join(f"<sitemap><loc>{self._base()}{p}</loc></sitemap>"
                           for p in ("/sitemap-more.xml.gz", "/sitemap-huge.xml.gz"))
        body = (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{children}</sitemapindex>")
        self.send_body(200, body.encode("utf-8"), content_type="application/xml")

    def _gzip_sitemap(self, body: bytes) -> None:
        """A .xml.gz file as most servers send one: gzip bytes as the body, no Content-Encoding."""
        self.send_body(200, gzip.compress(body, mtime=0), content_type="application/x-gzip")

    def _home(self) -> None:
        items = "\n".join(f'<li><a href="{escape(p)}">{escape(p)}</a></li>' for p in self._links())
        page = f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Hostile fixture</title></head><body><ul>{items}</ul></body></html>"
        self.send_body(200, page.encode("utf-8"))

    def _sitemap(self) -> None:
        bad = "".join(entry.format(base=self._base()) for entry in BAD_SITEMAP_ENTRIES.values())
        self.send_body(200, self._urlset(self._links(), bad), content_type="application/xml")

    def _feed(self) -> None:
        base = self._base()
        items = "".join(f"<item><title>{escape(p)}</title><link>{escape(self._absolute(p))}</link></item>"
                        for p in self._links())
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title>'
                f"<link>{base}/</link><description>bad input</description>{items}</channel></rss>")
        self.send_body(200, body.encode("utf-8"), content_type="application/rss+xml")

    def _loop(self, other: str) -> None:
        """Bounce between /loop/a/ and /loop/b/ forever. A hop counter in the query keeps every URL new,
        so a crawler's duplicate filter cannot end the loop: only its redirect limit can."""
        query = self.path.partition("?")[2]
        hop = int(query[4:]) if query.startswith("hop=") and query[4:].isdigit() else 0
        self.send_body(302, b"", [("Location", f"{self._base()}{other}?hop={hop + 1}")])

    def _truncated(self) -> None:
        """Promise TRUNCATED_DECLARED bytes, send fewer, then close."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(TRUNCATED_DECLARED))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write((b"<html><body><p>" + b"A body that stops early. " * 200)[:TRUNCATED_SENT])

    def _gzip_bomb(self) -> None:
        self.send_body(200, gzip_bomb(), [("Content-Encoding", "gzip")])

    def _slow(self) -> None:
        """Wait `slow_seconds` before answering (or until the server closes)."""
        if self.app.closing.wait(self.app.slow_seconds):
            self.close_connection = True
            return
        self.send_body(200, _article_html("Finally", ["This page took a long time."]).encode("utf-8"))

    def _huge(self) -> None:
        """`huge_bytes` of HTML with a Content-Length, streamed from one repeated block."""
        size = self.app.huge_bytes
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        block = b"<p>" + b"An endless page about very long documents. " * 1500 + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                piece = block[: size - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except OSError:  # the client gave up at its size limit, as it should
            self.close_connection = True


class HostileServer(LoopbackServer):
    """Bad input on 127.0.0.1; `requests[path]` counts how often each path was asked for."""

    handler_class = HostileHandler

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, slow_seconds: float = 5.0,
                 huge_bytes: int = DEFAULT_HUGE_BYTES, private_port: int = 9, sitemaps_in_robots: bool = True):
        super().__init__(host, port)
        self.private_port = private_port  # where the PrivateServer listens on 127.0.0.2
        self.sitemaps_in_robots = sitemaps_in_robots  # False: a crawl finds only what its seed links to
        self.slow_seconds = slow_seconds
        self.huge_bytes = huge_bytes
        self.closing = threading.Event()
        self.requests: dict[str, int] = {}
        self._lock = threading.Lock()

    def count(self, path: str) -> None:
        with self._lock:
            self.requests[path] = self.requests.get(path, 0) + 1

    def close(self) -> None:
        self.closing.set()  # wake sleeping /slow/ handlers so shutdown is quick
        super().close()


class PrivateHandler(QuietHandler):
    server_version = "newsarchive-private/1"

    def do_GET(self) -> None:
        self.app.record(self.command, self.path, self.headers.get("Host"))
        self.send_body(200, b"<p>internal: payroll, admin keys, metadata credentials</p>")

    do_HEAD = do_POST = do_GET


class PrivateServer(LoopbackServer):
    """The tests' stand-in for a host inside the network, on 127.0.0.2: `requests` logs whatever reaches it."""

    handler_class = PrivateHandler

    def __init__(self, host: str = "127.0.0.2", port: int = 0):
        super().__init__(host, port)
        self.requests: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()

    def record(self, method: str, path: str, host: str | None) -> None:
        with self._lock:
            self.requests.append((method, path, host))
