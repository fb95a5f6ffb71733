"""WARC/1.1 records for one exchange: response, request, revisit, metadata and warcinfo.

Built with warcio's RecordBuilder; the writer adds WARC-Warcinfo-ID and serializes them. Heads come
from `warc/http.py` (recorded off the wire, or rebuilt), bodies from Scrapy: no file handling here.
The record forms are the ones docs/architecture.md ("WARC conventions") describes.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone
from io import BytesIO

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newsarchive.warc import http

WARC_VERSION = "WARC/1.1"
RESPONSE_CONTENT_TYPE = "application/http;msgtype=response"
REQUEST_CONTENT_TYPE = "application/http;msgtype=request"
JSON_CONTENT_TYPE = "application/json"
IDENTICAL_PAYLOAD_DIGEST = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
TRUNCATED_REASONS = ("length", "time", "disconnect", "unspecified")

_builder = RecordBuilder(warc_version=WARC_VERSION)


def warc_date() -> str:
    """Now, as a WARC/1.1 date (UTC, microseconds)."""
    return _builder.curr_warc_date()


def warc_date_at(timestamp: float) -> str:
    """A time.time() value as a WARC/1.1 date (UTC, microseconds)."""
    moment = datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body: 'sha1:' and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _exchange_fields(date: str, ip_address, protocol: str | None) -> dict:
    fields = {"WARC-Date": date}
    if ip_address is not None:
        fields["WARC-IP-Address"] = str(ip_address)
    protocol = http.warc_protocol(protocol)
    if protocol:
        fields["WARC-Protocol"] = protocol
    return fields


def _check_truncated(truncated: str | None) -> None:
    if truncated and truncated not in TRUNCATED_REASONS:
        raise ValueError(f"WARC-Truncated must be one of {TRUNCATED_REASONS}, not {truncated!r}")


def response_record(response, *, date: str, head: StatusAndHeaders | None = None, ip_address=None,
                    truncated: str | None = None, digest: str | None = None) -> ArcWarcRecord:
    """A `response` record: `head` (the recorded head, else the decoded form of Scrapy's) and the body
    exactly as received. `digest` is the body's payload digest when the caller computed it already."""
    body = response.body
    fields = _exchange_fields(date, ip_address if ip_address is not None else getattr(response, "ip_address", None),
                              getattr(response, "protocol", None))
    if digest:
        fields["WARC-Payload-Digest"] = digest
    _check_truncated(truncated)
    if truncated:
        fields["WARC-Truncated"] = truncated
    if head is None:
        head = http.response_headers(response.status, response.headers, body, response.protocol)
    return _builder.create_warc_record(
        response.url, "response", payload=BytesIO(body), length=len(body),
        warc_content_type=RESPONSE_CONTENT_TYPE, warc_headers_dict=fields, http_headers=head,
    )


def request_record(request, response, *, date: str, head: StatusAndHeaders | None = None, body: bytes | None = None,
                   ip_address=None, concurrent_to: str | None = None, keep_secrets: bool = False) -> ArcWarcRecord:
    """The `request` record for `response`: `head` and `body` as written to the connection (from
    http.recorded_request_head), else the decoded form of Scrapy's request, credentials redacted unless
    `keep_secrets`."""
    body = (request.body or b"") if body is None else body
    fields = {"WARC-Date": date}
    ip_address = ip_address if ip_address is not None else getattr(response, "ip_address", None)
    if ip_address is not None:
        fields["WARC-IP-Address"] = str(ip_address)
    if concurrent_to:
        fields["WARC-Concurrent-To"] = concurrent_to
    if head is None:
        head = http.request_headers(request.method, response.url, request.headers, body,
                                    getattr(response, "protocol", None), keep_secrets=keep_secrets)
    return _builder.create_warc_record(
        response.url, "request", payload=BytesIO(body), length=len(body),
        warc_content_type=REQUEST_CONTENT_TYPE, warc_headers_dict=fields, http_headers=head,
    )


def revisit_record(
    response, *, date: str, head: StatusAndHeaders | None = None, ip_address=None,
    profile: str = IDENTICAL_PAYLOAD_DIGEST, payload_digest: str | None = None,
    refers_to_uri: str | None = None, refers_to_date: str | None = None, refers_to: str | None = None,
) -> ArcWarcRecord:
    """A `revisit` record pointing at the capture that holds the body.

    identical-payload-digest: the new response's own head (`head`, else its decoded form) and no body,
    so `WARC-Truncated: length`; it needs the digest. server-not-modified: no block at all, so replay
    tools take status, headers and body from the capture referred to (the 304's own head goes in a
    metadata record, see `not_modified_record`).
    """
    fields = _exchange_fields(date, ip_address if ip_address is not None else getattr(response, "ip_address", None),
                              getattr(response, "protocol", None))
    fields["WARC-Profile"] = profile
    for name, value in (("WARC-Refers-To", refers_to), ("WARC-Refers-To-Target-URI", refers_to_uri),
                        ("WARC-Refers-To-Date", refers_to_date), ("WARC-Payload-Digest", payload_digest)):
        if value:
            fields[name] = value
    if profile == SERVER_NOT_MODIFIED:
        return _builder.create_warc_record(response.url, "revisit", warc_content_type=RESPONSE_CONTENT_TYPE,
                                           warc_headers_dict=fields)
    if not payload_digest:
        raise ValueError("an identical-payload-digest revisit needs the payload digest")
    if head is None:
        head = http.response_headers(response.status, response.headers, response.body, response.protocol)
    fields["WARC-Truncated"] = "length"  # the head only: the payload is in the capture referred to
    return _builder.create_warc_record(
        response.url, "revisit", warc_content_type=RESPONSE_CONTENT_TYPE, warc_headers_dict=fields,
        http_headers=head,
    )


def metadata_record(payload: bytes, *, refers_to: str, content_type: str = JSON_CONTENT_TYPE,
                    date: str | None = None, target_uri: str | None = None) -> ArcWarcRecord:
    """A `metadata` record about the record `refers_to` (e.g. the article extracted from a response).

    No WARC-Target-URI by default: the record referred to names the URL, and replay tools that index
    records by URL (pywb indexes metadata records too) must never serve this in place of the page.
    """
    fields = {"WARC-Date": date or warc_date(), "WARC-Refers-To": refers_to}
    return _builder.create_warc_record(
        target_uri or "", "metadata", payload=BytesIO(payload), length=len(payload),
        warc_content_type=content_type, warc_headers_dict=fields,
    )


def article_metadata_record(article: dict, *, date: str | None = None) -> ArcWarcRecord | None:
    """The metadata record of an extracted article: its JSON record, about the response its `warc` pointer
    names; None when it names none."""
    pointer = article.get("warc") if isinstance(article, dict) else None
    record_id = pointer.get("record_id") if isinstance(pointer, dict) else getattr(pointer, "record_id", None)
    if not record_id:
        return None
    payload = json.dumps(article, ensure_ascii=False, default=_json_default).encode("utf-8")
    return metadata_record(payload, refers_to=record_id, date=date)


def _json_default(value):
    return value.to_dict() if hasattr(value, "to_dict") else str(value)


def not_modified_record(head: bytes, *, refers_to: str, date: str) -> ArcWarcRecord:
    """The 304's own status line and header block, exactly as received, about its server-not-modified revisit."""
    return metadata_record(head, refers_to=refers_to, content_type=RESPONSE_CONTENT_TYPE, date=date)


def warcinfo_record(filename: str, fields: dict, *, date: str | None = None) -> ArcWarcRecord:
    """The `warcinfo` record that opens a file; empty field values are left out."""
    record = _builder.create_warcinfo_record(filename, fields)
    if date:
        record.rec_headers.replace_header("WARC-Date", date)
    return record


class RecordSerializer:
    """Uncompressed bytes of a record, digests included (the writer gzips each one as its own member)."""

    def __init__(self) -> None:
        self._writer = WARCWriter(BytesIO(), gzip=False, warc_version=WARC_VERSION)

    def to_bytes(self, record: ArcWarcRecord) -> bytes:
        self._writer.out = BytesIO()
        self._writer.write_record(record)
        return self._writer.out.getvalue()
