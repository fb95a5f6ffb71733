"""The demo site, slowed down, with one article that stalls until the test lets it go.

Served on 127.0.0.1 like the demo server. A small delay per page keeps a crawl going long enough to
be interrupted in its middle; the stalled article pins a kill -9 or a Ctrl-C to "while that page is
being downloaded". `requests[path]` counts what the server was asked for.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from urllib.parse import urlsplit

from newsarchive.demo.server import DemoRequestHandler, DemoServer

STALL_LIMIT_S = 30  # a stalled request is let go after this long, whatever the test does


class StallingHandler(DemoRequestHandler):
    def do_GET(self) -> None:
        app: StallingDemoServer = self.app
        path = urlsplit(self.path).path
        with app.lock:
            app.requests[path] += 1
        if path == app.stall_path and not app.release.is_set():
            app.stalled.set()
            app.release.wait(STALL_LIMIT_S)
        elif app.delay:
            time.sleep(app.delay)
        super().do_GET()


class StallingDemoServer(DemoServer):
    handler_class = StallingHandler

    def __init__(self, *, delay: float = 0.02, stall: bool = True):
        super().__init__(host="127.0.0.1", port=0)
        self.delay = delay
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.stalled = threading.Event()
        self.release = threading.Event()
        plain = [a for a in self.site.articles
                 if not (a.flaky or a.redirect_from or a is self.site.chunked or a is self.site.cp1252)]
        # The newest ordinary article: first on the front page, so it is asked for early in a crawl.
        self.stall_path = max(plain, key=lambda a: a.published_datetime).path if stall else None

    def __exit__(self, *exc_info):
        self.release.set()
        return super().__exit__(*exc_info)
