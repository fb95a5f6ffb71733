"""RollingWarcWriter: WARC/1.1 files of one gzip member per record, rolled over at a size limit.

Names are `<prefix>-<yyyyMMddHHmmssSSS>-<serial:05>-<host>-<pid>.warc.gz`, unique across processes
and hosts. A file carries `.open` while written and is renamed on close; every file starts with a
`warcinfo` record whose id every later record names in WARC-Warcinfo-ID. A CDXJ index
(`<name without .warc.gz>.cdxj`) grows beside it, in write order, and is sorted on close.

Durability: an exchange (response + request, and any record about them) is compressed first and
written with one write() call, so a kill -9 leaves whole records behind; it is then fsync'd (every
exchange by default, or at most every `fsync_interval` seconds, and by `sync()`) against a machine
crash. After each fsync `on_durable(filename, size)` says how much of the file is on disk, so
whoever records a capture elsewhere (the incremental state) can wait for it. A failed write (disk
full) is cut back off the file, so the records before it stay valid.

Time: a file's warcinfo record is dated no later than any record in it. Records are dated when
their request was sent, which can be before the file was opened (a slow page in flight across a
rollover), so the warcinfo takes the earliest of now, the records it opens the file with, and
`date_floor()` (the earliest send time of an exchange still in flight).
"""
from __future__ import annotations

import logging
import os
import re
import socket
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from newsarchive import __version__
from newsarchive.warc import cdxj
from newsarchive.warc.pointer import WarcPointer
from newsarchive.warc.records import RecordSerializer, warc_date, warcinfo_record

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
WARC_SUFFIX = ".warc.gz"
CDXJ_SUFFIX = ".cdxj"
DEFAULT_MAX_SIZE = 1_000_000_000
WARC_1_1_SPEC = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


class WarcWriteError(OSError):
    """A record could not be written; the file was cut back to its last whole record."""


def cdxj_path_for(warc_path: Path | str) -> Path:
    """`X.warc.gz` or `X.warc.gz.open` -> `X.cdxj`."""
    warc_path = Path(warc_path)
    name = warc_path.name.removesuffix(OPEN_SUFFIX)
    for suffix in (WARC_SUFFIX, ".warc"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return warc_path.with_name(name + CDXJ_SUFFIX)


def safe_hostname(hostname: str | None = None) -> str:
    """The host part of a file name: letters, digits, dots and hyphens only."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", hostname or socket.gethostname()) or "localhost"


def gzip_member(data: bytes, level: int) -> bytes:
    """`data` as one complete gzip member."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


def payload_digest_of(record: ArcWarcRecord) -> str | None:
    return record.rec_headers.get_header("WARC-Payload-Digest")


def _replace_warc_header(raw: bytes, old: str, new: str) -> bytes:
    """`raw` with a WARC header value swapped; digests cover the block only, so they stay valid."""
    head, sep, block = raw.partition(b"\r\n\r\n")
    return head.replace(old.encode("ascii"), new.encode("ascii")) + sep + block


class RollingWarcWriter:
    """Appends records to rolling WARC files in `directory`; returns a pointer to each record written."""

    def __init__(self, directory: Path | str, *, prefix: str = "NEWSARCHIVE", max_size: int = DEFAULT_MAX_SIZE,
                 gzip_level: int = 6, warcinfo_fields: dict | None = None, fsync: bool = True,
                 fsync_interval: float = 0.0, hostname: str | None = None,
                 date_floor: Callable[[], str | None] | None = None,
                 on_durable: Callable[[str, int], None] | None = None):
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = int(max_size)
        self.gzip_level = int(gzip_level)
        self.fsync = fsync
        self.fsync_interval = float(fsync_interval)
        self._last_sync = 0.0
        self.date_floor = date_floor
        self.on_durable = on_durable
        self._synced_size = 0
        self.hostname = hostname or socket.gethostname()
        self.warcinfo_fields = {
            "software": f"newsarchive/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": WARC_1_1_SPEC,
            "hostname": self.hostname,
            **(warcinfo_fields or {}),
        }
        self.files: list[Path] = []  # finished files, final names
        self.records_written = 0
        self.bytes_written = 0
        self._serial = 0
        self._serializer = RecordSerializer()
        self._fd: int | None = None
        self._cdxj_fh = None
        self._open_path: Path | None = None
        self._final_name = ""
        self._size = 0
        self._records_in_file = 0
        self._warcinfo_id = ""
        self._index_stale = False

    # ---------------------------------------------------------------- public

    @property
    def current_path(self) -> Path | None:
        """The file being written (with its .open suffix), or None between files."""
        return self._open_path

    def write_exchange(self, record: ArcWarcRecord, request: ArcWarcRecord | None = None,
                       related: tuple[ArcWarcRecord, ...] = ()) -> WarcPointer:
        """Write a response (or revisit) record, its request and `related` records about them (metadata),
        in the same file with one write; returns the record's pointer.

        The request gets WARC-Concurrent-To (the record's id) and the record's WARC-Date.
        """
        if request is not None:
            request.rec_headers.replace_header("WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID"))
            request.rec_headers.replace_header("WARC-Date", record.rec_headers.get_header("WARC-Date"))
        return self._write([record, *([request] if request is not None else []), *related])

    def write_record(self, record: ArcWarcRecord) -> WarcPointer:
        """Write one record on its own (metadata, or a capture without a request); returns its pointer."""
        return self._write([record])

    def is_durable(self, pointer: WarcPointer) -> bool:
        """Whether the record `pointer` names is on disk: it is in a file this writer is not writing
        (closed files were fsync'd), or within the part of the current file fsync'd so far."""
        if self._fd is None or pointer.filename != self._final_name:
            return True
        return pointer.offset + (pointer.length or 0) <= self._synced_size

    def sync(self) -> None:
        """fsync now if anything written is not on disk yet (a timer calls this between writes)."""
        if self._fd is not None and self.fsync and self._synced_size < self._size:
            os.fsync(self._fd)
            self._last_sync = time.monotonic()
            self._durable(self._size)

    def close(self) -> None:
        """Finish the current file: sync, rename away `.open`, sort its CDXJ."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._durable(self._size)
        if self._cdxj_fh is not None:
            self._cdxj_fh.close()
            self._cdxj_fh = None
        final = self._open_path.with_name(self._final_name)
        os.replace(self._open_path, final)
        if self._index_stale:
            cdxj.write_index(cdxj_path_for(final), cdxj.index_warc(final))
        else:
            cdxj.rewrite_sorted(cdxj_path_for(final))
        self.files.append(final)
        logger.info("closed WARC %s (%d records, %d bytes)", final, self._records_in_file + 1, self._size)
        self._open_path = None

    def __enter__(self) -> RollingWarcWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ---------------------------------------------------------------- internals

    def _write(self, records: list[ArcWarcRecord]) -> WarcPointer:
        if self._fd is None:
            self._open_next(not_after=self._earliest_date(records))
        for record in records:
            record.rec_headers.replace_header("WARC-Warcinfo-ID", self._warcinfo_id)
        # Serialized once: a record's payload stream can be read only once.
        raws = [self._serializer.to_bytes(record) for record in records]
        members = [gzip_member(raw, self.gzip_level) for raw in raws]
        total = sum(len(m) for m in members)
        if self._records_in_file and self._size + total > self.max_size:
            old_id = self._warcinfo_id
            self.close()  # roll over before the exchange, never in its middle
            self._open_next(not_after=self._earliest_date(records))
            raws = [_replace_warc_header(raw, old_id, self._warcinfo_id) for raw in raws]
            members = [gzip_member(raw, self.gzip_level) for raw in raws]
            total = sum(len(m) for m in members)
            for record in records:
                record.rec_headers.replace_header("WARC-Warcinfo-ID", self._warcinfo_id)
        start = self._size
        self._append(b"".join(members))
        self._records_in_file += len(records)
        self.records_written += len(records)
        self.bytes_written += total
        offset = start
        lines = []
        for record, member in zip(records, members):
            entry = cdxj.entry_for(record, offset=offset, length=len(member), filename=self._final_name)
            if entry is not None:
                lines.append(cdxj.format_line(entry))
            offset += len(member)
        self._append_index(lines)
        first = records[0]
        return WarcPointer(filename=self._final_name, offset=start, length=len(members[0]),
                           record_id=first.rec_headers.get_header("WARC-Record-ID"),
                           payload_digest=payload_digest_of(first))

    def _append(self, data: bytes) -> None:
        """Write `data` whole at the end of the file, or cut the file back to where it was and raise."""
        start = self._size
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            self._sync(self._fd, start + len(data))
        except OSError as exc:
            try:
                os.ftruncate(self._fd, start)
                os.lseek(self._fd, start, os.SEEK_SET)
            except OSError:
                logger.exception("could not cut %s back to %d bytes after a failed write", self._open_path, start)
            raise WarcWriteError(exc.errno, f"writing {len(data)} bytes to {self._open_path}: {exc.strerror}") from exc
        self._size = start + len(data)

    def _sync(self, fd: int, size: int) -> None:
        """fsync after every exchange, or at most every `fsync_interval` seconds (group commit).

        A kill -9 loses nothing either way (written bytes are in the page cache); fsync guards against
        a machine crash, and costs about 7 ms a call on the development machines. Without fsync at all
        (`fsync=False`, tests), a write counts as durable once written.
        """
        if not self.fsync:
            self._durable(size)
            return
        now = time.monotonic()
        if self.fsync_interval <= 0 or now - self._last_sync >= self.fsync_interval:
            os.fsync(fd)
            self._last_sync = now
            self._durable(size)

    def _durable(self, size: int) -> None:
        self._synced_size = size
        if self.on_durable is not None and self._final_name:
            self.on_durable(self._final_name, size)

    def _earliest_date(self, records: list[ArcWarcRecord]) -> str | None:
        """The earliest WARC-Date a record of a file opened now may carry (see the module docstring)."""
        dates = [d for d in (r.rec_headers.get_header("WARC-Date") for r in records) if d]
        floor = self.date_floor() if self.date_floor is not None else None
        if floor:
            dates.append(floor)
        return min(dates, key=iso_date_to_datetime) if dates else None

    def _append_index(self, lines: list[str]) -> None:
        """Append index lines; a failure here costs no record: the index is rebuilt from the WARC on close."""
        if not lines:
            return
        try:
            # Not fsync'd: after a crash, repair rebuilds the index from the WARC; on close it is
            # rewritten sorted and synced.
            self._cdxj_fh.write("".join(lines).encode("utf-8"))
        except OSError as exc:
            self._index_stale = True
            logger.error("could not append to the CDXJ index of %s (%s); it will be rebuilt on close",
                         self._open_path, exc)

    def _discard_current(self) -> None:
        """Drop a file that could not even take its warcinfo record."""
        os.close(self._fd)
        self._cdxj_fh.close()
        for path in (self._open_path, cdxj_path_for(self._open_path)):
            path.unlink(missing_ok=True)
        self._fd = self._cdxj_fh = self._open_path = None

    def _open_next(self, not_after: str | None = None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(timezone.utc)
            timestamp17 = stamp.strftime("%Y%m%d%H%M%S") + f"{stamp.microsecond // 1000:03d}"
            name = f"{self.prefix}-{timestamp17}-{self._serial:05d}-{safe_hostname(self.hostname)}-{os.getpid()}"
            self._serial += 1
            path = self.directory / (name + WARC_SUFFIX + OPEN_SUFFIX)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                continue
        self._fd, self._open_path, self._final_name = fd, path, name + WARC_SUFFIX
        self._size = 0
        self._synced_size = 0
        self._records_in_file = 0
        self._index_stale = False
        self._cdxj_fh = open(cdxj_path_for(path), "ab", buffering=0)
        now = warc_date()
        info = warcinfo_record(self._final_name, self.warcinfo_fields,
                               date=min(now, not_after, key=iso_date_to_datetime) if not_after else now)
        self._warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        data = gzip_member(self._serializer.to_bytes(info), self.gzip_level)
        try:
            self._append(data)
        except WarcWriteError:
            self._discard_current()
            raise
        self.records_written += 1
        self.bytes_written += len(data)
        logger.info("opened WARC %s", path)
