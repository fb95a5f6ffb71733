"""ChangingServer: a loopback site whose articles a test edits between crawls.

Each article carries an ETag (a digest of its bytes) and a Last-Modified time that moves one day
forward with every edit, and conditional requests (If-None-Match, If-Modified-Since) get 304 when
nothing changed. `hits` records (path, status) of every request, so a test can see what was re-sent.

    with ChangingServer({"/news/a/": "<html>...</html>"}) as server:
        ... crawl ...
        server.set_article("/news/a/", "<html>...changed...</html>")
        ... crawl again: /news/a/ answers 200, the rest 304 ...
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape

from newsarchive.demo.loopback import LoopbackServer, QuietHandler

FIRST_MODIFIED = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Version:
    body: bytes
    etag: str
    last_modified: datetime
    revision: int


class ChangingHandler(QuietHandler):
    server_version = "newsarchive-changing/1"

    def do_GET(self) -> None:
        app: ChangingServer = self.app
        path = self.path.split("?", 1)[0]
        if path == "/":
            status, body, headers = 200, app.home_page(), []
        elif path == "/sitemap.xml":
            self.send_body(200, app.sitemap(), content_type="application/xml")
            app.record(path, 200)
            return
        elif (version := app.version(path)) is None:
            status, body, headers = 404, b"<p>Not found</p>", []
        else:
            headers = [("ETag", version.etag), ("Last-Modified", format_datetime(version.last_modified, usegmt=True))]
            status, body = (304, b"") if self._not_modified(version) else (200, version.body)
        app.record(path, status)
        if status == 304:  # a 304 has no body and no Content-Length of its own
            self.send_response(304)
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
        else:
            self.send_body(status, body, headers)

    do_HEAD = do_GET

    def _not_modified(self, version: Version) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return version.etag in (tag.strip() for tag in if_none_match.split(",")) or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return version.last_modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False


class ChangingServer(LoopbackServer):
    """Articles (path -> HTML) that change when the test says so."""

    handler_class = ChangingHandler

    def __init__(self, articles: dict[str, str] | None = None, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self._lock = threading.Lock()
        self._versions: dict[str, Version] = {}
        self.revision = 0
        self.hits: list[tuple[str, int]] = []
        for path, html in (articles or {}).items():
            self.set_article(path, html)

    def set_article(self, path: str, html: str | bytes) -> Version:
        """Add or change an article; an unchanged body keeps its ETag and date."""
        body = html.encode("utf-8") if isinstance(html, str) else html
        with self._lock:
            current = self._versions.get(path)
            if current is not None and current.body == body:
                return current
            self.revision += 1
            version = Version(
                body=body,
                etag='"%s"' % hashlib.sha1(body).hexdigest()[:20],
                last_modified=FIRST_MODIFIED + timedelta(days=self.revision),
                revision=self.revision,
            )
            self._versions[path] = version
            return version

    def remove_article(self, path: str) -> None:
        with self._lock:
            self._versions.pop(path, None)

    def version(self, path: str) -> Version | None:
        return self._versions.get(path)

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.hits.append((path, status))

    def statuses(self, path: str) -> list[int]:
        """Statuses served for `path`, in order."""
        return [status for hit_path, status in self.hits if hit_path == path]

    def home_page(self) -> bytes:
        links = "".join(f'<li><a href="{p}">{escape(p)}</a></li>' for p in sorted(self._versions))
        return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Changing</title></head><body><ul>{links}</ul></body></html>'.encode()

    def lastmod(self, path: str, version: Version) -> datetime:
        """The sitemap's <lastmod> of an article: its Last-Modified."""
        return version.last_modified

    def sitemap(self) -> bytes:
        base = self.url.rstrip("/")
        urls = "".join(
            f"<url><loc>{base}{p}</loc><lastmod>{self.lastmod(p, v).isoformat()}</lastmod></url>"
            for p, v in sorted(self._versions.items())
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>").encode()
