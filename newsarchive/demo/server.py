"""DemoServer: serves a DemoSite on 127.0.0.1 over HTTP/1.1, with the transfer cases a crawler must meet.

    with DemoServer() as server:         # server.url == "http://127.0.0.1:PORT/"
        ...
    DemoServer(port=8000).serve_forever()

Per URL, as DemoSite describes it: gzip (Content-Encoding: gzip when the client accepts it),
chunked transfer coding without Content-Length, a 301, a 404, and a 500 on the first request to
the flaky article (counted per server instance). Pages are rendered once and kept in memory.

Conditional requests, as real sites answer them: an article page carries `Last-Modified` and an
`ETag` (one per representation: the gzip variant's tag ends in "-gzip", as Apache's do), and a
request whose `If-None-Match` matches (weak comparison, RFC 9110 13.1.2) or, without one, whose
`If-Modified-Since` is not before `Last-Modified` gets `304 Not Modified` with the validators and
no body. The chunked article is streamed, as dynamic pages are, and carries no validators: asking
for it again gets the whole page again (an identical payload).
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from newsarchive.demo.loopback import LoopbackServer, QuietHandler
from newsarchive.demo.site import DemoSite, Resource

CHUNK_SIZE = 4096
FLAKY_BODY = b"<!DOCTYPE html><title>Server error</title><p>Something went wrong. Please try again.</p>"


class DemoRequestHandler(QuietHandler):
    server_version = "newsarchive-demo/1"
    app: "DemoServer"

    def do_GET(self) -> None:
        app: DemoServer = self.app
        path = urlsplit(self.path).path
        resource = app.resource(self.path)
        if resource.flaky and app.first_request(path):
            self.send_body(500, FLAKY_BODY, [("Retry-After", "1")])
            return
        headers = [("Cache-Control", "max-age=60")]
        if resource.location:
            headers.append(("Location", resource.location))
        body = resource.body
        encoding = None
        if resource.compressible:
            headers.append(("Vary", "Accept-Encoding"))
            if "gzip" in self.headers.get("Accept-Encoding", "").lower():
                body = app.gzipped(self.path, resource)
                encoding = "gzip"
        validators = []
        if resource.last_modified and not resource.chunked:
            validators = [("ETag", entity_tag(resource.body, encoding)),
                          ("Last-Modified", format_datetime(resource.last_modified, usegmt=True))]
        if validators and resource.status == 200 and not_modified(self.headers, *validators):
            self.send_not_modified(headers + validators)
            return
        headers += validators
        if encoding:
            headers.append(("Content-Encoding", encoding))
        if resource.chunked:
            self._send_chunked(resource, headers)
        else:
            self.send_body(resource.status, body, headers, content_type=resource.content_type)

    def send_not_modified(self, headers: list[tuple[str, str]]) -> None:
        """304: the validators and caching headers of the page, no body and no Content-Length."""
        self.send_response(304)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    do_HEAD = do_GET

    def _send_chunked(self, resource: Resource, headers: list[tuple[str, str]]) -> None:
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        for name, value in headers:
            self.send_header(name, value)
        if self.request_version == "HTTP/1.0":  # no chunked coding in 1.0: the close ends the body
            self.close_connection = True
            self.send_header("Connection", "close")
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        body = resource.body
        if self.request_version == "HTTP/1.0":
            self.wfile.write(body)
            return
        for start in range(0, len(body), CHUNK_SIZE):
            piece = body[start:start + CHUNK_SIZE]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")


def entity_tag(body: bytes, content_coding: str | None) -> str:
    """A strong ETag for one representation of a page: its identity body's digest, "-gzip" for the gzip one."""
    tag = hashlib.sha1(body).hexdigest()[:16]
    return f'"{tag}-{content_coding}"' if content_coding else f'"{tag}"'


def not_modified(request_headers, etag: tuple[str, str], last_modified: tuple[str, str]) -> bool:
    """Whether a GET with these headers gets 304 (RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        wanted = etag[1].removeprefix("W/")
        return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as RFC 9110 says
    if since.tzinfo is None:  # "-0000": UTC, with the sender's doubt about it
        since = since.replace(tzinfo=timezone.utc)
    return parsedate_to_datetime(last_modified[1]) <= since


class DemoServer(LoopbackServer):
    """The demo site on a loopback port. `site` defaults to DemoSite() (36 articles, small pages)."""

    handler_class = DemoRequestHandler

    def __init__(self, host: str = "127.0.0.1", port: int = 0, site: DemoSite | None = None):
        super().__init__(host, port)
        self.site = site or DemoSite()
        self._resources: dict[str, Resource] = {}
        self._gzipped: dict[str, bytes] = {}
        self._seen: set[str] = set()
        self._seen_lock = threading.Lock()

    def resource(self, target: str) -> Resource:
        """What `target` serves; rendered on first use, then kept (the site is a few MB at most)."""
        resource = self._resources.get(target)
        if resource is None:
            resource = self.site.resolve(target, self.url)
            if resource.status != 404:  # do not let random URLs grow the cache
                self._resources[target] = resource
        return resource

    def gzipped(self, target: str, resource: Resource) -> bytes:
        body = self._gzipped.get(target)
        if body is None:
            body = gzip.compress(resource.body, compresslevel=6, mtime=0)
            self._gzipped[target] = body
        return body

    def first_request(self, path: str) -> bool:
        """True the first time `path` is asked for on this server instance."""
        with self._seen_lock:
            if path in self._seen:
                return False
            self._seen.add(path)
            return True

    def prerender(self) -> None:
        """Render every page now, so a benchmark does not time the first rendering."""
        for path in (*self.site.listing_paths(), *(a.path for a in self.site.articles)):
            self.resource(path)
