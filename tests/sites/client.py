"""One plain HTTP request to a fixture server, for tests that check what the server answers."""
from __future__ import annotations

import http.client


def http_get(server, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
             timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-cased names, body) of one request on a fresh connection."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()
