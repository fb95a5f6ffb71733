"""WARC/1.1 records for one exchange: response, request, revisit, metadata and warcinfo.

Built with warcio's RecordBuilder; the writer adds WARC-Warcinfo-ID and serializes them. Scrapy
objects come in, warcio records go out: no file handling here.
"""
from __future__ import annotations

import base64
import hashlib
from io import BytesIO

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from newsarchive.warc import http

WARC_VERSION = "WARC/1.1"
RESPONSE_CONTENT_TYPE = "application/http;msgtype=response"
REQUEST_CONTENT_TYPE = "application/http;msgtype=request"
IDENTICAL_PAYLOAD_DIGEST = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
TRUNCATED_REASONS = ("length", "time", "disconnect", "unspecified")

_builder = RecordBuilder(warc_version=WARC_VERSION)


def warc_date() -> str:
    """Now, as a WARC/1.1 date (UTC, microseconds)."""
    return _builder.curr_warc_date()


def _common_fields(response, date: str) -> dict:
    fields = {"WARC-Date": date}
    ip_address = getattr(response, "ip_address", None)
    if ip_address is not None:
        fields["WARC-IP-Address"] = str(ip_address)
    protocol = http.warc_protocol(getattr(response, "protocol", None))
    if protocol:
        fields["WARC-Protocol"] = protocol
    return fields


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body: 'sha1:' and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def response_record(response, *, date: str, truncated: str | None = None,
                    digest: str | None = None) -> ArcWarcRecord:
    """A `response` record holding Scrapy's `response` with its body exactly as received.

    `digest` is the body's payload digest when the caller computed it already.
    """
    body = response.body
    fields = _common_fields(response, date)
    if digest:
        fields["WARC-Payload-Digest"] = digest
    if truncated:
        if truncated not in TRUNCATED_REASONS:
            raise ValueError(f"WARC-Truncated must be one of {TRUNCATED_REASONS}, not {truncated!r}")
        fields["WARC-Truncated"] = truncated
    head = http.response_headers(response.status, response.headers, body, response.protocol)
    return _builder.create_warc_record(
        response.url, "response", payload=BytesIO(body), length=len(body),
        warc_content_type=RESPONSE_CONTENT_TYPE, warc_headers_dict=fields, http_headers=head,
    )


def request_record(request, response, *, date: str, concurrent_to: str | None = None,
                   keep_secrets: bool = False) -> ArcWarcRecord:
    """The `request` record for `response`, with the request line and headers Scrapy sent."""
    body = request.body or b""
    fields = {"WARC-Date": date}
    if concurrent_to:
        fields["WARC-Concurrent-To"] = concurrent_to
    protocol = getattr(response, "protocol", None)
    head = http.request_headers(request.method, response.url, request.headers, body, protocol, keep_secrets=keep_secrets)
    return _builder.create_warc_record(
        response.url, "request", payload=BytesIO(body), length=len(body),
        warc_content_type=REQUEST_CONTENT_TYPE, warc_headers_dict=fields, http_headers=head,
    )


def revisit_record(
    response, *, date: str, profile: str = IDENTICAL_PAYLOAD_DIGEST, payload_digest: str | None = None,
    refers_to_uri: str | None = None, refers_to_date: str | None = None, refers_to: str | None = None,
) -> ArcWarcRecord:
    """A `revisit` record: the response's HTTP head only, pointing at the capture that holds the body.

    identical-payload-digest needs the digest; server-not-modified (a 304) takes the Refers-To fields
    when the earlier capture is known.
    """
    if profile == IDENTICAL_PAYLOAD_DIGEST and not payload_digest:
        raise ValueError("an identical-payload-digest revisit needs the payload digest")
    fields = _common_fields(response, date)
    fields["WARC-Profile"] = profile
    for name, value in (("WARC-Refers-To", refers_to), ("WARC-Refers-To-Target-URI", refers_to_uri),
                        ("WARC-Refers-To-Date", refers_to_date), ("WARC-Payload-Digest", payload_digest)):
        if value:
            fields[name] = value
    head = http.response_headers(response.status, response.headers, response.body, response.protocol)
    # The body is not stored, so its length is not the stored length: keep the server's framing header.
    return _builder.create_warc_record(
        response.url, "revisit", warc_content_type=RESPONSE_CONTENT_TYPE, warc_headers_dict=fields,
        http_headers=head,
    )


def metadata_record(target_uri: str, payload: bytes, *, refers_to: str, content_type: str = "application/json",
                    date: str | None = None) -> ArcWarcRecord:
    """A `metadata` record about an earlier record (e.g. the article extracted from a response)."""
    fields = {"WARC-Date": date or warc_date(), "WARC-Refers-To": refers_to}
    return _builder.create_warc_record(
        target_uri, "metadata", payload=BytesIO(payload), length=len(payload),
        warc_content_type=content_type, warc_headers_dict=fields,
    )


def warcinfo_record(filename: str, fields: dict) -> ArcWarcRecord:
    """The `warcinfo` record that opens a file; empty field values are left out."""
    return _builder.create_warcinfo_record(filename, fields)


class RecordSerializer:
    """Uncompressed bytes of a record, digests included (the writer gzips each one as its own member)."""

    def __init__(self) -> None:
        self._writer = WARCWriter(BytesIO(), gzip=False, warc_version=WARC_VERSION)

    def to_bytes(self, record: ArcWarcRecord) -> bytes:
        self._writer.out = BytesIO()
        self._writer.write_record(record)
        return self._writer.out.getvalue()

