"""Where an archived record lives, and one archived capture of a URL.

`WarcPointer` is what every part of the project passes around to name a record: an article record's
`warc` field (its dict form), the state store, replay, resume, re-extraction, revisions and `show`.
`Capture` adds what a capture is: its URL and WARC-Date, and whether it is a revisit.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

POINTER_FIELDS = ("filename", "offset", "length", "record_id", "payload_digest")


@dataclass(frozen=True)
class WarcPointer:
    """Seek to `offset` in `warc/<filename>` and read `length` bytes: one gzip member, one record."""

    filename: str
    offset: int
    length: int | None
    record_id: str
    payload_digest: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form article records carry (`warc`), fields in POINTER_FIELDS order."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> WarcPointer | None:
        """A pointer from its JSON form; None when `data` is not one (records come from many tools)."""
        if isinstance(data, WarcPointer):
            return data
        if not isinstance(data, dict):
            return None
        filename, offset, record_id = data.get("filename"), data.get("offset"), data.get("record_id")
        if not isinstance(filename, str) or not isinstance(offset, int) or not isinstance(record_id, str):
            return None
        length = data.get("length")
        digest = data.get("payload_digest")
        return cls(filename=filename, offset=offset, length=length if isinstance(length, int) else None,
                   record_id=record_id, payload_digest=digest if isinstance(digest, str) else None)


@dataclass(frozen=True)
class Capture:
    """One archived response (or revisit) of a URL: what a revisit refers to, what replay reads back."""

    url: str
    date: str  # the record's WARC-Date (from a CDXJ line: to the second)
    pointer: WarcPointer
    revisit: bool = False

    @property
    def record_id(self) -> str:
        return self.pointer.record_id

    @property
    def filename(self) -> str:
        return self.pointer.filename

    @property
    def offset(self) -> int:
        return self.pointer.offset
