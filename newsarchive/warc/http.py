"""HTTP message blocks for WARC records: recorded off the wire, or rebuilt when no bytes were recorded.

Recorded (`recorded_response_head`, `recorded_request_head`): the status line and header block are
the bytes the wire-capture download handler saw (newsarchive.fetch.wire_capture), kept verbatim:
reason phrase, header-name case, order, repeated fields, `Connection`, `Keep-Alive`, line endings.
The body beside them is Scrapy's, which is the entity as sent (gzip stays gzip). One documented
substitution makes the stored message self-consistent when the body came chunked: the body is stored
de-chunked (its payload digest is then the entity's, as WARC 1.1 defines it, `warcio check` agrees,
and a chunked and an identity response with the same entity deduplicate), so the
`Transfer-Encoding` field is stored as `X-Archive-Orig-Transfer-Encoding` in its place, a
`Content-Length` beside it (which HTTP says to ignore) as `X-Archive-Orig-Content-Length`, and the
trailer fields of the chunked body are appended as `X-Archive-Trailer-<name>`. Chunk sizes and chunk
extensions are framing and are not kept. No length is ever made up: a close-delimited or de-chunked
body is framed by the WARC record's own length.

Rebuilt (`response_headers`, `request_headers`): the decoded form, for a response no bytes were
recorded for (HTTP/2, whose heads are binary HPACK frames, or a download handler that records
nothing): HTTP/1.1 text with the standard reason phrase and Scrapy's header order; `WARC-Protocol`
says what was really spoken. The same substitution for `Transfer-Encoding` applies.

Both request forms pass `request_field_filter` before anything is stored: credentials the crawl sent
(Authorization, Proxy-Authorization, Cookie) are stored as REDACTED, unless WARC_KEEP_SECRET_HEADERS;
in a recorded head, every field it leaves alone stays byte-exact.
"""
from __future__ import annotations

from http import HTTPStatus
from io import BytesIO
from typing import Callable
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser, StatusAndHeadersParserException

from newsarchive.base.secrets import SECRET_HEADERS
from newsarchive.warc.wire import split_lines

ORIG_PREFIX = "X-Archive-Orig-"
TRAILER_PREFIX = "X-Archive-Trailer-"
REDACTED = "[redacted]"  # the stored value of a credential header the crawl sent
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RESPONSE_PARSER = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=True)
_REQUEST_PARSER = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_VERBS, verify=True)

#: Called with each header field (name, value) of a request head; returns the value to store instead,
#: or None to keep the field as it is.
HeaderFilter = Callable[[str, str], "str | None"]


def request_field_filter(name: str, value: str) -> str | None:
    """What a request header field is stored as (None: as sent). The one place that decides it, for the
    recorded and the rebuilt request head alike: credentials the crawl sent (Authorization,
    Proxy-Authorization, Cookie: base/secrets.SECRET_HEADERS) stay named, their values stored as
    REDACTED; in a recorded head every other byte stays as sent."""
    return REDACTED if name.lower() in SECRET_HEADERS else None


class RecordedHead(StatusAndHeaders):
    """An HTTP head that warcio writes as the exact bytes it was parsed from (not re-serialized)."""

    def __init__(self, raw: bytes, parsed: StatusAndHeaders, *, is_http_request: bool = False):
        super().__init__(parsed.statusline, parsed.headers, protocol=parsed.protocol,
                         is_http_request=is_http_request)
        self.raw = raw
        self.headers_buff = raw

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.raw


def _parse(raw: bytes, parser: StatusAndHeadersParser, *, is_http_request: bool = False) -> RecordedHead | None:
    """`raw` as a RecordedHead, or None when warcio (and so every WARC reader) could not read it back."""
    try:
        parsed = parser.parse(BytesIO(raw))
    except (StatusAndHeadersParserException, ValueError, EOFError):
        return None
    if not parsed.protocol:
        return None
    return RecordedHead(raw, parsed, is_http_request=is_http_request)


def _field_name(line: bytes) -> bytes | None:
    """The field name of a header line, or None for a continuation line or a line without a colon."""
    if not line or line[:1] in (b" ", b"\t"):
        return None
    name, colon, _ = line.partition(b":")
    return name.strip() if colon else None


def _line_ending(lines: list[bytes]) -> bytes:
    return b"\r\n" if not lines or lines[0].endswith(b"\r\n") else b"\n"


def rewrite_fields(head: bytes, rewrite: Callable[[bytes, bytes], bytes | None]) -> bytes:
    """`head` with each header field passed through `rewrite(name, line)`, which returns the replacement
    line (its continuation lines go with the field) or None to keep it byte for byte."""
    lines = split_lines(head)
    out = lines[:1]
    index = 1
    while index < len(lines):
        line = lines[index]
        following = index + 1
        while following < len(lines) and lines[following][:1] in (b" ", b"\t"):
            following += 1  # obs-fold continuation lines belong to this field
        name = _field_name(line)
        replacement = rewrite(name, b"".join(lines[index:following])) if name else None
        out.append(replacement if replacement is not None else b"".join(lines[index:following]))
        index = following
    return b"".join(out)


def stored_response_head(head: bytes, trailers: list[bytes] = ()) -> bytes:
    """A recorded response head as stored beside a de-chunked body (see the module docstring)."""
    lines = split_lines(head)
    names = {(_field_name(line) or b"").lower() for line in lines[1:]}
    chunked = b"transfer-encoding" in names

    def rename(name: bytes, field: bytes) -> bytes | None:
        if chunked and name.lower() in (b"transfer-encoding", b"content-length"):
            return ORIG_PREFIX.encode("ascii") + field
        return None

    stored = rewrite_fields(head, rename) if chunked else head
    if trailers:
        eol = _line_ending(lines[1:] or lines)
        blank = split_lines(stored)[-1]
        added = b"".join(TRAILER_PREFIX.encode("ascii") + line.strip() + eol for line in trailers if b":" in line)
        stored = stored[: len(stored) - len(blank)] + added + blank
    return stored


def recorded_response_head(head: bytes, trailers: list[bytes] = ()) -> RecordedHead | None:
    """The stored form of a recorded response head, or None when it cannot be read back as HTTP."""
    return _parse(stored_response_head(head, trailers), _RESPONSE_PARSER)


def filtered_head(head: bytes, header_filter: HeaderFilter | None) -> bytes:
    """`head` with `header_filter` applied to its fields; untouched fields stay byte-exact."""
    if header_filter is None:
        return head

    def apply(name: bytes, field: bytes) -> bytes | None:
        text_name = name.decode("latin-1")
        value = field.partition(b":")[2].strip().decode("latin-1")
        replaced = header_filter(text_name, value)
        if replaced is None:
            return None
        eol = b"\r\n" if field.endswith(b"\r\n") else b"\n"
        return field.partition(b":")[0] + b": " + replaced.encode("latin-1", "replace") + eol

    return rewrite_fields(head, apply)


def recorded_request_head(head: bytes, *, keep_secrets: bool = False) -> RecordedHead | None:
    """The stored form of a request head as written (credentials redacted unless `keep_secrets`:
    WARC_KEEP_SECRET_HEADERS), or None when it cannot be read back."""
    stored = head if keep_secrets else filtered_head(head, request_field_filter)
    return _parse(stored, _REQUEST_PARSER, is_http_request=True)


# ------------------------------------------------------------------------------------ rebuilt heads


def reason_phrase(status: int) -> str:
    """The standard reason phrase for a status code ('Moved Permanently'), or '' for unknown codes."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_version(protocol: str | None) -> str:
    """The HTTP version for a rebuilt status line.

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
    """The decoded form of a response head no bytes were recorded for (see the module docstring).

    `Transfer-Encoding` (and a `Content-Length` beside it) is kept under `X-Archive-Orig-`: the body
    is de-chunked. Nothing is added: no length is made up.
    """
    pairs = _header_pairs(headers)
    chunked = any(name.lower() == "transfer-encoding" for name, _ in pairs)
    stored = [(ORIG_PREFIX + name if chunked and name.lower() in ("transfer-encoding", "content-length") else name,
               value) for name, value in pairs]
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
    """The decoded form of a request head, in the order Twisted's client writes one: Content-Length
    for a body, Scrapy's headers, then `Host`. Credentials redacted unless `keep_secrets`
    (request_field_filter)."""
    pairs = [("Content-Length", str(len(body)))] if body else []
    pairs += [(name, value) for name, value in _header_pairs(headers) if name.lower() not in ("host", "content-length")]
    pairs.append(("Host", host_header(url)))
    if not keep_secrets:
        pairs = [(name, replaced if (replaced := request_field_filter(name, value)) is not None else value)
                 for name, value in pairs]
    return StatusAndHeaders(
        f"{method.upper()} {request_target(url)} {http_version(protocol)}", pairs,
        protocol="", is_http_request=True,
    )
