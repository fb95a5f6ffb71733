"""The archived HTTP response behind an article record, read from its WARC file by offset.

The WARC keeps the body exactly as the server sent it (DESIGN §6), so reading it back means
undoing the Content-Encoding and applying the charset, in that order.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from w3lib.encoding import html_to_unicode

from newsarchive.warc.records import payload_digest


class WarcReadError(RuntimeError):
    """The pointer does not lead to a readable response record."""


@dataclass
class ArchivedResponse:
    target_uri: str
    warc_date: str
    record_id: str
    status_line: str
    headers: list[tuple[str, str]]
    payload: bytes  # the HTTP body as archived: Content-Encoding still applied

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def payload_digest(self) -> str:
        return payload_digest(self.payload)

    def decoded_body(self) -> bytes:
        """The body with every Content-Encoding undone."""
        return decode_content(self.payload, self.header("Content-Encoding"))

    def text(self) -> tuple[str, str]:
        """(encoding, body as text): charset from Content-Type, BOM or <meta>, as browsers do."""
        encoding, text = html_to_unicode(self.header("Content-Type"), self.decoded_body())
        return encoding, text


def decode_content(body: bytes, content_encoding: str | None) -> bytes:
    """Undo a Content-Encoding header's codings (last applied first): gzip, deflate, br, zstd, identity."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # servers often send raw deflate without the zlib wrapper
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif coding == "br":
            import brotli

            body = brotli.decompress(body)
        elif coding == "zstd":
            try:
                from compression import zstd  # Python 3.14
            except ImportError:
                from backports import zstd
            body = zstd.decompress(body)
        elif coding != "identity":
            raise WarcReadError(f"unknown Content-Encoding {coding!r}")
    return body


def read_response(path: Path, offset: int) -> ArchivedResponse:
    """The response record starting at `offset` of a WARC file (newsarchive.warc.reader does the reading)."""
    from newsarchive.warc.reader import RecordNotFound, read_record

    try:
        record = read_record(path, offset)
    except RecordNotFound as exc:
        raise WarcReadError(str(exc)) from None
    if record.rec_type != "response" or record.http_headers is None:
        raise WarcReadError(f"the record at offset {offset} of {path} is a {record.rec_type!r} record, "
                            "not an HTTP response")
    return ArchivedResponse(
        target_uri=record.rec_headers.get_header("WARC-Target-URI"),
        warc_date=record.rec_headers.get_header("WARC-Date"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        status_line=f"{record.http_headers.protocol} {record.http_headers.statusline}",
        headers=list(record.http_headers.headers),
        payload=record.raw_stream.read(),  # as archived: Content-Encoding still applied
    )
