"""HTTP message blocks for WARC records, rebuilt from Scrapy objects.

Scrapy hands over a parsed exchange, not the bytes on the wire (FACTS.md): the reason phrase, the
transfer coding, the `Host` header and the request line are gone. This module puts back what a
replay tool needs, and marks what it changed with `X-Archive-Orig-*` headers, as warcprox and
Browsertrix do, so a stored message is always self-consistent: its framing matches its body.
"""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders

from newsarchive.base.secrets import SECRET_HEADERS

ORIG_PREFIX = "X-Archive-Orig-"
REDACTED = "[redacted]"  # the stored value of a credential header the crawl sent
_DEFAULT_PORTS = {"http": 80, "https": 443}


def reason_phrase(status: int) -> str:
    """The standard reason phrase for a status code ('Moved Permanently'), or '' for unknown codes."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_version(protocol: str | None) -> str:
    """The HTTP version for a stored status line.

    HTTP/2 has no textual status line; replay tools read HTTP/1.1 framing, so h2 exchanges are stored
    as HTTP/1.1 messages and `WARC-Protocol: h2` says what was really spoken.
    """
    return "HTTP/1.0" if (protocol or "").upper() == "HTTP/1.0" else "HTTP/1.1"


def warc_protocol(protocol: str | None) -> str | None:
    """The WARC-Protocol value (ALPN style: 'h2', 'http/1.1') for Scrapy's `response.protocol`."""
    if not protocol:
        return None
    protocol = protocol.strip().lower()
    return "h2" if protocol in ("h2", "http/2", "http/2.0") else protocol


def _header_pairs(headers) -> list[tuple[str, str]]:
    """Scrapy Headers as (name, value) text pairs, one per value, in Scrapy's order."""
    pairs = []
    for name in headers.keys():
        text_name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in headers.getlist(name):
            pairs.append((text_name, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return pairs


def response_headers(status: int, headers, body: bytes, protocol: str | None = None) -> StatusAndHeaders:
    """The stored HTTP response head for a de-chunked `body` of exactly len(body) bytes.

    - `Transfer-Encoding` is kept only as `X-Archive-Orig-Transfer-Encoding`: the body is stored de-chunked;
    - `Content-Length` always equals len(body); a different original value survives as
      `X-Archive-Orig-Content-Length` (a cut body, or a server that lied);
    - `Content-Encoding` is untouched: the body keeps its gzip/br bytes.
    """
    stored: list[tuple[str, str]] = []
    length_written = False
    for name, value in _header_pairs(headers):
        lower = name.lower()
        if lower == "transfer-encoding":
            stored.append((ORIG_PREFIX + name, value))
        elif lower == "content-length":
            if value.strip() == str(len(body)) and not length_written:
                stored.append((name, value.strip()))
                length_written = True
            else:
                stored.append((ORIG_PREFIX + name, value))
        else:
            stored.append((name, value))
    if not length_written:
        stored.append(("Content-Length", str(len(body))))
    statusline = f"{status} {reason_phrase(status)}".rstrip()
    return StatusAndHeaders(statusline, stored, protocol=http_version(protocol))


def request_target(url: str) -> str:
    """The request-target of an origin-form request line: path and query, never the fragment."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def host_header(url: str) -> str:
    """The Host header a client sends for `url`: host, plus the port when it is not the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host


def request_headers(method: str, url: str, headers, body: bytes, protocol: str | None = None, *,
                    keep_secrets: bool = False) -> StatusAndHeaders:
    """The stored HTTP request head: request line with path and query, `Host` first, Content-Length for a body.

    Credentials sent (Authorization, Proxy-Authorization, Cookie: base/secrets.SECRET_HEADERS) stay
    named but their values are stored as REDACTED, unless `keep_secrets` (WARC_KEEP_SECRET_HEADERS).
    """
    pairs = [(name, value if keep_secrets or name.lower() not in SECRET_HEADERS else REDACTED)
             for name, value in _header_pairs(headers) if name.lower() not in ("host", "content-length")]
    pairs.insert(0, ("Host", host_header(url)))
    if body:
        pairs.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(
        f"{method.upper()} {request_target(url)} {http_version(protocol)}", pairs,
        protocol="", is_http_request=True,
    )
