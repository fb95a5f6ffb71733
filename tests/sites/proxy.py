"""ForwardProxy: a plain HTTP forward proxy on 127.0.0.1 that demands credentials and logs every request.

A client sends it absolute-form requests (`GET http://127.0.0.1:8123/path HTTP/1.1`) with
`Proxy-Authorization: Basic ...`; it answers 407 without the right credentials, and forwards the
rest to the target, which must be on 127.0.0.1 (`FIXTURE_NAMES` of tests/sites/names.py are mapped
to their addresses, the way a proxy's own resolver would). `requests` holds (target URL, headers) of
every request it received, so a test can see what reached the proxy, and with which headers.
"""
from __future__ import annotations

import base64
import http.client
import threading
from urllib.parse import urlsplit

from newsarchive.demo.loopback import LoopbackServer, QuietHandler
from tests.sites.names import FIXTURE_NAMES

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade"}


class ForwardProxyHandler(QuietHandler):
    server_version = "newsarchive-proxy/1"

    def do_GET(self) -> None:
        app: ForwardProxy = self.app
        app.record(self.path, dict(self.headers.items()))
        if self.headers.get("Proxy-Authorization") != app.expected_authorization:
            self.send_body(407, b"proxy credentials required", [("Proxy-Authenticate", 'Basic realm="fixture"')])
            return
        target = urlsplit(self.path)
        address = FIXTURE_NAMES.get(target.hostname or "", target.hostname)
        if target.scheme != "http" or address != "127.0.0.1":
            self.send_body(502, b"this proxy only reaches 127.0.0.1")
            return
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(address, target.port or 80, timeout=30)
        try:
            upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""),
                             headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
            kept = [(name, value) for name, value in answer.getheaders()
                    if name.lower() not in HOP_BY_HOP | {"content-length", "content-type"}]
            self.send_body(answer.status, body, kept, content_type=answer.getheader("Content-Type") or "text/html")
        finally:
            upstream.close()

    do_HEAD = do_GET


class ForwardProxy(LoopbackServer):
    handler_class = ForwardProxyHandler

    def __init__(self, user: str, password: str, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.user, self.password = user, password
        self.expected_authorization = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()

    @property
    def proxy_url(self) -> str:
        """The proxy as http_proxy names it, credentials included."""
        return f"http://{self.user}:{self.password}@{self.host}:{self.port}"

    def record(self, target: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((target, headers))
