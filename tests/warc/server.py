"""A loopback HTTP server with the pages the WARC tests need: plain, gzip, chunked, 301, 404, too big, slow.

Written for these tests (no third-party text). `sent[path]` keeps each body exactly as it goes on the
wire, after Content-Encoding and before chunk framing: what a WARC payload must equal.
"""
from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEADLINES = {
    "/plain.html": "Loopback robots learn to file their own bug reports",
    "/gzip.html": "Compressed pages arrive intact in the archive",
    "/chunked.html": "Chunked transfer coding meets the careful archivist",
    "/copy.html": "Loopback robots learn to file their own bug reports",
    "/landing.html": "Redirected readers land on a page of their own",
}
BIG_SIZE = 300_000  # tests set NEWSARCHIVE_MAXSIZE well below this


def page(headline: str, paragraphs: int = 3) -> bytes:
    body = "".join(
        f"<p>Paragraph {n} of a fixture story about {headline.lower()}, written for the WARC tests.</p>"
        for n in range(1, paragraphs + 1)
    )
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{headline}</title></head>"
            f"<body><article><h1>{headline}</h1>{body}</article></body></html>").encode("utf-8")


def slow_page(number: int) -> bytes:
    return page(f"Slow page number {number}", paragraphs=2)


class FixtureServer:
    """ThreadingHTTPServer on 127.0.0.1 (ephemeral port); use as a context manager."""

    def __init__(self, slow_delay: float = 0.3):
        self.slow_delay = slow_delay
        plain = page(HEADLINES["/plain.html"])
        self.sent: dict[str, bytes] = {
            "/plain.html": plain,
            "/copy.html": plain,  # same payload under another URL: a revisit
            "/gzip.html": gzip.compress(page(HEADLINES["/gzip.html"], paragraphs=40), mtime=0),
            "/chunked.html": page(HEADLINES["/chunked.html"], paragraphs=12),
            "/missing": b"<html><body><h1>Not here</h1></body></html>",
            "/moved": b"",
            "/landing.html": page(HEADLINES["/landing.html"]),
            "/big.bin": bytes(range(256)) * (BIG_SIZE // 256),
            "/dataloss.html": page("A server that hangs up halfway", paragraphs=30)[:1500],
        }
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 128
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    # ---------------------------------------------------------------- responses

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        if path == "/moved":
            self._send(h, 301, b"", [("Location", "/landing.html")])
        elif path == "/missing":
            self._send(h, 404, self.sent[path], [("Content-Type", "text/html")])
        elif path == "/gzip.html":
            self._send(h, 200, self.sent[path], [("Content-Type", "text/html; charset=utf-8"),
                                                 ("Content-Encoding", "gzip")])
        elif path == "/chunked.html":
            self._send_chunked(h, self.sent[path])
        elif path == "/dataloss.html":  # promises more than it sends, then hangs up
            body = self.sent[path]
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(body) * 2))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            h.close_connection = True
        elif path == "/big.bin":
            self._send(h, 200, self.sent[path], [("Content-Type", "application/octet-stream")])
        elif path.startswith("/slow/"):
            time.sleep(self.slow_delay)
            self._send(h, 200, slow_page(int(path.rsplit("/", 1)[1])), [("Content-Type", "text/html")])
        elif path in self.sent:
            self._send(h, 200, self.sent[path], [("Content-Type", "text/html; charset=utf-8")])
        else:
            self._send(h, 404, b"no such fixture", [("Content-Type", "text/plain")])

    @staticmethod
    def _send(h, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        h.send_response(status)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def _send_chunked(h, body: bytes) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for start in range(0, len(body), 200):
            piece = body[start:start + 200]
            h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")
