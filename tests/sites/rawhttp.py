"""A raw HTTP/1.1 GET over a socket, for tests that must see the bytes as sent (chunk framing, short bodies)."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes  # exactly as received: still chunk-framed or compressed


def raw_get(url: str, *, headers: dict[str, str] | None = None, timeout: float = 10.0, limit: int = 64 << 20) -> RawResponse:
    """Send one GET with `Connection: close` and read until the server closes (or `limit` bytes)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = bytearray()
        while len(data) < limit:
            piece = sock.recv(65536)
            if not piece:
                break
            data += piece
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return RawResponse(int(status_line.split()[1]), found, body)
