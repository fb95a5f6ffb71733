"""Heads at the byte level: what a recorded head is stored as, the request header filter, and how a wire
exchange finds the end of a response head however the bytes arrive."""
from __future__ import annotations

from newsarchive.warc import http
from newsarchive.warc.wire import MAX_HEAD_SIZE, WireExchange

CHUNKED = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
           b"Content-Length: 99\r\nX-Other: kept\r\n\r\n")


def test_a_chunked_head_renames_its_framing_fields_in_place_and_appends_trailers():
    stored = http.stored_response_head(CHUNKED, [b"X-Checksum: abc", b"Server-Timing: db;dur=5"])
    assert stored == (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Archive-Orig-Transfer-Encoding: chunked\r\n"
                      b"X-Archive-Orig-Content-Length: 99\r\nX-Other: kept\r\n"
                      b"X-Archive-Trailer-X-Checksum: abc\r\nX-Archive-Trailer-Server-Timing: db;dur=5\r\n\r\n")
    parsed = http.recorded_response_head(CHUNKED)
    assert parsed.get_header("Transfer-Encoding") is None and parsed.headers_buff.startswith(b"HTTP/1.1 200 OK\r\n")


def test_an_identity_head_is_stored_byte_for_byte_even_with_bare_lf_and_folding():
    head = b"HTTP/1.0 299 Whatever\nx-a: 1\n  folded\nContent-Length: 3\nno colon here\n\n"
    assert http.stored_response_head(head) == head
    parsed = http.recorded_response_head(head)
    assert parsed.get_statuscode() == "299" and parsed.headers_buff == head
    assert parsed.get_header("x-a") == "1  folded"  # warcio joins a folded field as it came


def test_the_request_filter_masks_a_field_and_leaves_every_other_byte_alone():
    head = (b"GET /x HTTP/1.1\r\nAuthorization: Basic c2VjcmV0\r\nX-Spaced:   odd  \r\n"
            b"Cookie: a=1;\r\n b=2\r\nHost: 127.0.0.1:8\r\n\r\n")

    def mask(name, value):
        return "<redacted>" if name.lower() in ("authorization", "cookie") else None

    stored = http.filtered_head(head, mask)
    assert stored == (b"GET /x HTTP/1.1\r\nAuthorization: <redacted>\r\nX-Spaced:   odd  \r\n"
                      b"Cookie: <redacted>\r\nHost: 127.0.0.1:8\r\n\r\n")
    # The recorded request head goes through the project's one filter: credentials redacted, the rest as sent.
    assert http.recorded_request_head(head).headers_buff == stored.replace(b"<redacted>", http.REDACTED.encode())
    assert http.recorded_request_head(head, keep_secrets=True).headers_buff == head  # WARC_KEEP_SECRET_HEADERS


def test_a_head_split_anywhere_across_reads_is_found_and_interim_heads_are_skipped():
    wire = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: b\r\n\r\nbody bytes"
    for cut in range(1, len(wire)):
        exchange = WireExchange(sent_at=0.0)
        exchange.received(wire[:cut])
        exchange.received(wire[cut:])
        assert exchange.response_head == b"HTTP/1.1 200 OK\r\nA: b\r\n\r\n", cut
        assert exchange.interim_heads == [b"HTTP/1.1 100 Continue\r\n\r\n"]


def test_an_endless_head_is_given_up_on():
    exchange = WireExchange(sent_at=0.0)
    exchange.received(b"HTTP/1.1 200 OK\r\n")
    exchange.received(b"X: " + b"y" * MAX_HEAD_SIZE)
    assert exchange.overflow and not exchange.complete
