"""A small threaded HTTP/1.1 server for 127.0.0.1, the base of the demo and test fixture sites.

Python's http.server keeps a listen backlog of 5, so under a crawler's concurrency SYNs are dropped
and each retransmit stalls a second or more; this server queues 1024 and keeps connections alive.
It only listens: nothing here opens an outgoing connection.
"""
from __future__ import annotations

import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable

logger = logging.getLogger(__name__)


class _ThreadingServer(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], app: "LoopbackServer"):
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def process_request_thread(self, request, client_address):
        # Remember live keep-alive connections, so closing the server also ends them.
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up early (a size limit, a timeout) is normal for a crawler: no traceback.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            logger.debug("client %s went away: %s", client_address, error)
        else:
            logger.exception("error while serving %s", client_address)

    def close_open_connections(self) -> None:
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive; logs to `logging` at debug level instead of stderr."""

    protocol_version = "HTTP/1.1"
    server_version = "newsarchive-fixture/1"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    # Headers and body leave in one write, and never wait for Nagle: otherwise each keep-alive
    # request stalls ~40 ms on the client's delayed ACK.
    wbufsize = 256 * 1024
    disable_nagle_algorithm = True
    server: _ThreadingServer

    @property
    def app(self) -> Any:
        """The LoopbackServer this handler serves for."""
        return self.server.app

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def send_body(self, status: int, body: bytes, headers: Iterable[tuple[str, str]] = (), *,
                  content_type: str = "text/html; charset=utf-8") -> None:
        """A complete response with Content-Length; HEAD gets the headers only."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class LoopbackServer:
    """Binds at construction (port 0: an ephemeral port), so `url` is known before serving.

    Use as a context manager (serves from a daemon thread) or call `serve_forever()` to block.
    """

    handler_class: type[BaseHTTPRequestHandler] = QuietHandler

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.httpd = _ThreadingServer((host, port), self.handler_class, self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self.httpd.server_address[0]

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        """The site's root URL with a trailing slash, e.g. http://127.0.0.1:8123/."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> "LoopbackServer":
        """Serve from a daemon thread; returns at once."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=f"{type(self).__name__}-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (Ctrl-C), then close."""
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def stop(self) -> None:
        """Stop serving and close the listening socket and every open connection."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.close()

    def close(self) -> None:
        self.httpd.close_open_connections()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
