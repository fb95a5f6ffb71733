"""A set of WARC files as one archive: the captures of a URL, and a capture read back as a response.

Captures come from the CDXJ index beside each file (a file without one, or with an unreadable one,
is indexed from its records), so opening an archive reads no record. URLs are matched by their
canonical form (query-argument order and fragments do not matter, scheme and host do).
"""
from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.timeutils import iso_date_to_timestamp, timestamp_to_iso_date

from newsarchive.warc import cdxj
from newsarchive.warc.pointer import Capture, WarcPointer
from newsarchive.warc.reader import ArchivedResponse, RecordNotFound, find_warc_files, read_record, read_response
from newsarchive.warc.writer import cdxj_path_for

logger = logging.getLogger(__name__)


def url_key(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def captures_in(warc: Path) -> list[Capture]:
    """The captures of one WARC: from the CDXJ beside it, or by indexing the WARC when it has none."""
    index = cdxj_path_for(warc)
    try:
        entries = cdxj.read_entries(index) if index.exists() else cdxj.index_warc(warc)
    except cdxj.CdxjSyntaxError as exc:
        logger.warning("%s is unreadable (%s); indexing %s instead", index, exc, warc.name)
        entries = cdxj.index_warc(warc)
    return [
        Capture(url=e.url, date=timestamp_to_iso_date(e.timestamp),
                pointer=WarcPointer(filename=e.filename, offset=e.offset, length=e.length, record_id="",
                                    payload_digest=e.payload_digest),
                revisit=e.mime == "warc/revisit")
        for e in entries
    ]


class WarcArchive:
    """Every capture of the WARC files under `paths`, by URL; reads a capture back as an HTTP response.

    A CDXJ line carries no record id, so captures found through it have `record_id` "" until read.
    """

    def __init__(self, paths: str | Path | list[str | Path]):
        self.files = find_warc_files(paths)
        self._paths = {path.name.removesuffix(".open"): path for path in self.files}
        self._by_url: dict[str, list[tuple[tuple, Capture]]] = defaultdict(list)
        for number, warc in enumerate(self.files):  # file names start with their creation time
            for capture in captures_in(warc):
                # Offsets order captures within a file (a retry's 200 after the 500, in the same second).
                self._by_url[url_key(capture.url)].append(((capture.date, number, capture.offset), capture))
        for captures in self._by_url.values():
            captures.sort(key=lambda ranked: ranked[0])

    def __len__(self) -> int:
        """How many URLs the archive holds."""
        return len(self._by_url)

    def path_of(self, pointer: WarcPointer) -> Path:
        path = self._paths.get(pointer.filename)
        if path is None:
            raise RecordNotFound(f"WARC file {pointer.filename} is not in the archive")
        return path

    def captures(self, url: str) -> list[Capture]:
        """Every capture of `url`, oldest first."""
        return [capture for _, capture in self._by_url.get(url_key(url), ())]

    def lookup(self, url: str) -> Capture | None:
        """The capture replay answers `url` with: the latest, but a revisit never hides a full response
        of the same URL (whose payload it repeats anyway)."""
        captures = self.captures(url)
        full = [c for c in captures if not c.revisit]
        return (full or captures)[-1] if captures else None

    def referred_to(self, uri: str | None, date: str | None, record_id: str | None = None,
                    payload_digest: str | None = None) -> Capture | None:
        """The full capture a revisit repeats: its WARC-Refers-To-Target-URI `uri` at its
        WARC-Refers-To-Date `date` (to the second, as the CDXJ has it), told apart by its WARC-Refers-To
        `record_id` and its payload digest; None when the archive does not hold it."""
        if not uri:
            return None
        second = iso_date_to_timestamp(date) if date else None
        for capture in self.captures(uri):
            if capture.revisit or (second is not None and iso_date_to_timestamp(capture.date) != second):
                continue
            if payload_digest and capture.pointer.payload_digest and capture.pointer.payload_digest != payload_digest:
                continue
            if not record_id or self.record_id(capture) == record_id:
                return capture
        return None

    def record_id(self, capture: Capture) -> str:
        """The WARC-Record-ID of a capture (a CDXJ line does not carry it: read from the record's head)."""
        if capture.record_id:
            return capture.record_id
        try:
            return read_record(self.path_of(capture.pointer), capture.offset).rec_headers.get_header("WARC-Record-ID")
        except RecordNotFound:
            return ""

    def read(self, capture: Capture) -> ArchivedResponse:
        """The capture as a response; a revisit gets the payload of the capture it refers to, and its
        status and headers too when it has no HTTP head of its own (server-not-modified)."""
        archived = read_response(self.path_of(capture.pointer), capture.offset, capture.pointer.length)
        if archived.revisit:
            original = self.referred_to(archived.refers_to_uri, archived.refers_to_date, archived.refers_to,
                                        archived.pointer.payload_digest)
            if original is None:
                raise RecordNotFound(f"revisit of {capture.url} refers to {archived.refers_to_uri} at "
                                     f"{archived.refers_to_date}, which the archive does not hold")
            source = read_response(self.path_of(original.pointer), original.offset)
            archived.body = source.body
            if not archived.status_line:
                archived.status, archived.status_line, archived.headers = source.status, source.status_line, source.headers
        return archived
