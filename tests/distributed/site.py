"""The multi-host fixture: demo sites on several loopback ports, each logging what it was asked and when.

Each DemoServer stands for one host. Its log (start time, end time, path) lets a test check politeness
from the server's side: how many requests were being served at once, and how close their starts were.
An article page can take `article_delay` seconds to serve (so concurrency limits bind), one path can
stall until the test releases it (a kill -9 mid-download), and a page can be changed between crawls.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from urllib.parse import urlsplit

from newsarchive.demo.server import DemoRequestHandler, DemoServer
from newsarchive.demo.site import DemoSite

STALL_LIMIT_S = 30


class LoggingHandler(DemoRequestHandler):
    def do_GET(self) -> None:
        app: HostServer = self.app
        path = urlsplit(self.path).path
        start = time.monotonic()
        with app.lock:
            app.active += 1
            app.max_active = max(app.max_active, app.active)
        try:
            if path == app.stall_path and not app.release.is_set():
                app.stalled.set()
                app.release.wait(STALL_LIMIT_S)
            elif app.article_delay and path in app.article_paths:
                time.sleep(app.article_delay)
        finally:
            with app.lock:
                app.active -= 1
                # Logged before the answer leaves: the client cannot start its next request any earlier.
                app.log.append((start, time.monotonic(), path))
        super().do_GET()


class HostServer(DemoServer):
    handler_class = LoggingHandler

    def __init__(self, *, n_articles: int = 12, article_delay: float = 0.0):
        super().__init__(host="127.0.0.1", port=0, site=DemoSite(n_articles=n_articles))
        self.article_delay = article_delay
        self.article_paths = {a.path for a in self.site.articles}
        self.lock = threading.Lock()
        self.log: list[tuple[float, float, str]] = []
        self.active = self.max_active = 0
        self.stall_path: str | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()

    def plain_articles(self):
        site = self.site
        return [a for a in site.articles
                if not (a.flaky or a.redirect_from or a is site.chunked or a is site.cp1252)]

    def change_article(self, path: str, sentence: str) -> None:
        """Serve `path` with one more sentence in its first paragraph from now on."""
        resource = self.resource(path)
        body = resource.body.replace(b"</p>", f" {sentence}</p>".encode(), 1)
        assert body != resource.body
        self._resources[path] = dataclasses.replace(resource, body=body)
        self._gzipped.pop(path, None)

    def __exit__(self, *exc_info):
        self.release.set()
        return super().__exit__(*exc_info)


def starts_and_overlap(log: list[tuple[float, float, str]]) -> tuple[list[float], int]:
    """The request start times, sorted, and the most requests the server was serving at once."""
    events = sorted([(s, 1) for s, _, _ in log] + [(e, -1) for _, e, _ in log], key=lambda x: (x[0], x[1]))
    active = most = 0
    for _, step in events:
        active += step
        most = max(most, active)
    return sorted(s for s, _, _ in log), most
