"""Gzip member boundaries of a WARC file: each record is its own member, so members are records.

`gzip -t` and warcio alone do not say where a file stops being whole; this does, for repair and
validation alike.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

_READ_SIZE = 256 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class MemberScan:
    """Where each complete gzip member starts and ends, and where (if anywhere) the file goes bad."""

    size: int
    members: list[tuple[int, int]] = field(default_factory=list)  # (offset, compressed length)
    error_offset: int | None = None
    error: str | None = None

    @property
    def good_size(self) -> int:
        """Bytes up to the end of the last complete member."""
        if not self.members:
            return 0
        offset, length = self.members[-1]
        return offset + length


def scan_members(path: Path | str) -> MemberScan:
    """Walk every gzip member of `path`, checking its CRC and length, without keeping its contents."""
    path = Path(path)
    scan = MemberScan(size=path.stat().st_size)
    with open(path, "rb") as fh:
        offset = 0
        pending = b""
        while True:
            if len(pending) < len(_GZIP_MAGIC):
                pending += fh.read(_READ_SIZE)
                if not pending:
                    return scan  # clean end on a member boundary
            if not pending.startswith(_GZIP_MAGIC):
                scan.error_offset, scan.error = offset, "not a gzip member (bad magic bytes)"
                return scan
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            consumed = 0
            try:
                while True:
                    decompressor.decompress(pending)
                    if decompressor.eof:
                        used = len(pending) - len(decompressor.unused_data)
                        consumed += used
                        pending = decompressor.unused_data
                        break
                    consumed += len(pending)
                    pending = fh.read(_READ_SIZE)
                    if not pending:
                        scan.error_offset = offset
                        scan.error = f"truncated gzip member (ends after {consumed} bytes, no gzip trailer)"
                        return scan
            except zlib.error as exc:
                scan.error_offset, scan.error = offset, f"corrupt gzip member: {exc}"
                return scan
            scan.members.append((offset, consumed))
            offset += consumed
