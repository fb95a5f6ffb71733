"""One HTTP exchange as it went over the connection: what the wire-capture download handler
(newsarchive.fetch.wire_capture) hands the recorder (docs/architecture.md, "WARC conventions").

Only the bytes Scrapy's parsing throws away are kept: the request exactly as written (request line,
header block, body), the status line and header block of the response exactly as received, and the
trailer lines of a chunked body. The response body itself comes from Scrapy (`response.body`),
which is the de-chunked entity, byte for byte what the server sent otherwise.

Heads are split here at the byte level and never re-serialized: a head that is stored is stored as
these bytes (`warc/http.py` makes the one documented substitution for chunked bodies).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# A response head this long without its blank line is not an HTTP head worth keeping verbatim.
MAX_HEAD_SIZE = 1 << 20


def head_end(data: bytes | bytearray, start: int = 0) -> int | None:
    """Where the head in `data` ends: the offset just past its blank line, or None if it has not ended.

    Lines end in LF with an optional CR before it, as Twisted's parser reads them, so a head ends at
    the first "\\n\\n" or "\\n\\r\\n".
    """
    ends = [found + len(mark) for mark in (b"\n\n", b"\n\r\n") if (found := data.find(mark, start)) != -1]
    return min(ends) if ends else None


def split_lines(head: bytes) -> list[bytes]:
    """The lines of a head, each with its own line ending (the last one is the blank line)."""
    return head.splitlines(keepends=True)


def status_code(head: bytes) -> int | None:
    """The status code of a response head ('HTTP/1.1 200 OK' -> 200), or None when there is none."""
    first = head.split(b"\n", 1)[0].strip()
    parts = first.split(None, 2)
    if len(parts) < 2 or not parts[0].upper().startswith(b"HTTP/") or not parts[1].isdigit():
        return None
    return int(parts[1])


@dataclass
class WireExchange:
    """The raw bytes of one request/response exchange on one connection."""

    sent_at: float  # time.time() when the request was handed to the connection: its WARC-Date
    peer: str | None = None  # the IP address at the other end
    request: bytearray = field(default_factory=bytearray)  # every byte written: head, then body
    response_head: bytes | None = None  # status line + header block of the final response, blank line included
    interim_heads: list[bytes] = field(default_factory=list)  # 1xx heads received before it
    trailers: list[bytes] = field(default_factory=list)  # trailer lines of a chunked body, no line endings
    overflow: bool = False  # the head outgrew MAX_HEAD_SIZE: nothing verbatim to store
    _pending: bytearray = field(default_factory=bytearray, repr=False)

    @property
    def complete(self) -> bool:
        """True once the final response's head has arrived whole."""
        return self.response_head is not None

    def received(self, data: bytes) -> None:
        """Bytes from the server; they are kept only until the final response's head is complete."""
        if self.response_head is not None or self.overflow:
            return
        self._pending += data
        while True:
            end = head_end(self._pending)
            if end is None:
                if len(self._pending) > MAX_HEAD_SIZE:
                    self.overflow = True
                    self._pending = bytearray()
                return
            head = bytes(self._pending[:end])
            del self._pending[:end]
            code = status_code(head)
            if code is not None and 100 <= code < 200 and code != 101:
                self.interim_heads.append(head)  # Twisted skips these and parses the next head too
                continue
            self.response_head = head
            self._pending = bytearray()
            return

    def request_head_and_body(self) -> tuple[bytes, bytes]:
        """The request as written, split after its blank line."""
        data = bytes(self.request)
        end = head_end(data)
        if end is None:
            return data, b""
        return data[:end], data[end:]
