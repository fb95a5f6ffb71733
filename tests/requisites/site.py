"""Loopback sites for the requisite tests: a page naming 500 images, trackers, a script and a robots-forbidden
image; and a "tracker" server that must never hear from the crawler.

Every request is logged in `hits` (path), so a test can prove what was and was not contacted.
"""
from __future__ import annotations

import threading

from newsarchive.demo.loopback import LoopbackServer, QuietHandler
from newsarchive.demo.render import placeholder_png

ARTICLE_PATH = "/tech/2026/01/02/a-gallery-of-five-hundred-images/"
IMAGES = 500
ROBOTS = b"User-agent: *\nDisallow: /private-img/\n"
CSS = b"body{background:url(img/bg.png)} @font-face{font-family:X;src:url(/fonts/x.woff2)}"
REAL_TRACKERS = ("https://www.google-analytics.com/collect?v=1&tid=UA-1", "https://securepubads.g.doubleclick.net/pcs/view")
PARAGRAPH = ("The gallery opens with a wide view of the harbour at dawn, where the boats leave one by one "
             "and the light climbs the cranes before it reaches the water. ")


class LoggingHandler(QuietHandler):
    def do_GET(self) -> None:
        app: LoggingServer = self.app
        path = self.path.split("?", 1)[0]
        with app.lock:
            app.hits.append(path)
        status, content_type, body = app.answer(path)
        self.send_body(status, body, content_type=content_type)


class LoggingServer(LoopbackServer):
    handler_class = LoggingHandler

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.hits: list[str] = []
        self.lock = threading.Lock()

    def answer(self, path: str) -> tuple[int, str, bytes]:
        return 200, "image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


class GallerySite(LoggingServer):
    """A front page linking one article; the article names IMAGES images of `image_bytes` bytes each."""

    def __init__(self, tracker_url: str, image_bytes: int = 0):
        super().__init__()
        self.tracker_url = tracker_url
        self.image = placeholder_png(8, 8) + b"\x00" * max(0, image_bytes - len(placeholder_png(8, 8)))

    def article_page(self) -> bytes:
        images = "\n".join(f'<img src="/img/{n}.png" alt="picture {n}">' for n in range(IMAGES))
        trackers = "\n".join(f'<img src="{url}" width="1" height="1" alt="">' for url in REAL_TRACKERS)
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A gallery of five hundred images</title>
<link rel="stylesheet" href="/site.css"><script src="https://www.googletagmanager.com/gtm.js?id=GTM-1"></script>
<script src="/app.js"></script></head><body><article><h1>A gallery of five hundred images</h1><p>By Ada Lovelace</p>
<p>{PARAGRAPH * 4}</p><p>{PARAGRAPH * 3}</p>
<img src="/private-img/secret.png" alt="">{trackers}
<img src="{self.tracker_url}pixel.gif" alt="">
{images}
</article></body></html>""".encode()

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path == "/":
            return 200, "text/html; charset=utf-8", f'<html><body><a href="{ARTICLE_PATH}">Gallery</a></body></html>'.encode()
        if path == ARTICLE_PATH:
            return 200, "text/html; charset=utf-8", self.article_page()
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS
        if path == "/site.css":
            return 200, "text/css", CSS
        if path.startswith(("/img/", "/private-img/")):
            return 200, "image/png", self.image
        if path == "/fonts/x.woff2":
            return 200, "font/woff2", b"wOF2" + b"\x00" * 60
        if path == "/app.js":
            return 200, "text/javascript", b"console.log('hello')"
        return 404, "text/html", b"<p>not here</p>"
