"""Reading the archive back, one file at a time: records by offset, HTTP responses, a file's warcinfo.

This module and `archive` are the only readers of WARC files in the project (writing is `writer`'s):
replay, resume, re-extraction, `show`, `validate` and the state's consistency check all come here.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newsarchive.warc.pointer import WarcPointer
from newsarchive.warc.records import payload_digest
from newsarchive.warc.writer import OPEN_SUFFIX

WARC_SUFFIXES = (".warc.gz", ".warc", ".warc.gz" + OPEN_SUFFIX, ".warc" + OPEN_SUFFIX)
HTTP_RECORD_TYPES = ("response", "revisit")


class RecordNotFound(LookupError):
    """No readable WARC record (of the kind asked for) at that place."""


def find_warc_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Every WARC file named, or found (recursively) under a named folder, sorted by path.

    Files still being written (`.open`) count: their records up to the last whole one are readable.
    Raises FileNotFoundError for a path that does not exist.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found: set[Path] = set()
    for entry in map(Path, paths):
        if entry.is_dir():
            found.update(p for p in entry.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES))
        elif entry.is_file():
            found.add(entry)
        else:
            raise FileNotFoundError(f"no such WARC file or folder: {entry}")
    return sorted(found)


def _existing(path: Path) -> Path:
    """A pointer names the final file; while it is still being written it carries `.open`."""
    if not path.exists() and path.with_name(path.name + OPEN_SUFFIX).exists():
        return path.with_name(path.name + OPEN_SUFFIX)
    return path


def read_record(path: Path | str, offset: int) -> ArcWarcRecord:
    """The WARC record starting at `offset` of `path` (gzipped or not), parsed by warcio.

    Its payload is read into memory: `record.raw_stream` gives the body exactly as archived (still
    Content-Encoded), `record.content_stream()` the decoded one, and both work after the file is closed.
    """
    path = _existing(Path(path))
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)), None)
            if record is None:
                raise RecordNotFound(f"no WARC record at offset {offset} of {path}")
            payload = record.raw_stream.read()
    except FileNotFoundError:
        raise RecordNotFound(f"WARC file not found: {path}") from None
    except (OSError, EOFError, ValueError, ArchiveLoadFailed) as exc:  # a wrong offset lands mid-record
        raise RecordNotFound(f"cannot read a WARC record at offset {offset} of {path}: {exc}") from None
    loaded = ArcWarcRecord(record.format, record.rec_type, record.rec_headers, BytesIO(payload),
                           record.http_headers, record.content_type, record.length)
    loaded.payload_length = len(payload)
    return loaded


@dataclass
class ArchivedResponse:
    """An archived HTTP response (or revisit): the message as stored, and the identity of its record."""

    url: str
    status: int
    status_line: str  # 'HTTP/1.1 200 OK', as stored
    headers: list[tuple[str, str]]
    body: bytes  # as stored: Content-Encoding still applied; empty for a revisit until resolved
    warc_date: str
    pointer: WarcPointer
    revisit: bool = False
    refers_to_uri: str | None = None  # a revisit's WARC-Refers-To-Target-URI
    refers_to_date: str | None = None  # its WARC-Refers-To-Date
    refers_to: str | None = None  # its WARC-Refers-To (the record id of the capture it repeats)
    # A server-not-modified revisit stores no HTTP head: status and headers are the capture's it
    # refers to, and stay unknown (status 0) until the archive resolves it.

    @property
    def record_id(self) -> str:
        return self.pointer.record_id

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def payload_digest(self) -> str:
        """The digest of the body as held now (a resolved revisit: the original's payload)."""
        return payload_digest(self.body)

    def decoded_body(self) -> bytes:
        """The body with every Content-Encoding undone."""
        return decode_content(self.body, self.header("Content-Encoding"))

    def text(self) -> tuple[str, str]:
        """(encoding, body as text): charset from Content-Type, BOM or <meta>, as browsers do."""
        return html_to_unicode(self.header("Content-Type"), self.decoded_body())


class ContentDecodingError(ValueError):
    """A Content-Encoding that cannot be undone."""


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
            raise ContentDecodingError(f"unknown Content-Encoding {coding!r}")
    return body


def _as_response(record: ArcWarcRecord, body: bytes, pointer: WarcPointer) -> ArchivedResponse:
    headers = record.rec_headers
    http = record.http_headers
    revisit = record.rec_type == "revisit"
    status = http.get_statuscode() if http is not None else None
    return ArchivedResponse(
        url=headers.get_header("WARC-Target-URI"),
        status=(int(status) if status and status.isdigit() else 200) if http is not None else 0,
        status_line=f"{http.protocol} {http.statusline}".strip() if http is not None else "",
        headers=list(http.headers) if http is not None else [],
        body=body,
        warc_date=headers.get_header("WARC-Date"),
        pointer=pointer,
        revisit=revisit,
        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI") if revisit else None,
        refers_to_date=headers.get_header("WARC-Refers-To-Date") if revisit else None,
        refers_to=headers.get_header("WARC-Refers-To") if revisit else None,
    )


def has_http_head(record: ArcWarcRecord) -> bool:
    """A response, or a revisit with or without its own HTTP head (a server-not-modified one has none)."""
    return record.rec_type == "revisit" or (record.rec_type in HTTP_RECORD_TYPES and record.http_headers is not None)


def _pointer(path: Path, record: ArcWarcRecord, offset: int, length: int | None) -> WarcPointer:
    return WarcPointer(filename=path.name.removesuffix(OPEN_SUFFIX), offset=offset, length=length,
                       record_id=record.rec_headers.get_header("WARC-Record-ID"),
                       payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"))


def read_response(path: Path | str, offset: int, length: int | None = None) -> ArchivedResponse:
    """The response or revisit record at `offset`, body exactly as stored (a revisit's is empty)."""
    path = Path(path)
    record = read_record(path, offset)
    if not has_http_head(record):
        raise RecordNotFound(f"the record at offset {offset} of {path} is a {record.rec_type!r} record, "
                             "not an HTTP response")
    return _as_response(record, record.raw_stream.read(), _pointer(path, record, offset, length))


def iter_responses(path: Path | str) -> Iterator[ArchivedResponse]:
    """Every HTTP response and revisit record of one file, in file order, bodies as stored."""
    path = Path(path)
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if not has_http_head(record):
                continue
            body = record.raw_stream.read()  # before asking the offset: warcio reads to the record's end for that
            offset, length = records.get_record_offset(), records.get_record_length()
            yield _as_response(record, body, _pointer(path, record, offset, length))


def first_response_url(path: Path | str) -> str | None:
    """The target URI of a file's first response record."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                return record.rec_headers.get_header("WARC-Target-URI")
    return None


def warcinfo_fields(path: Path | str) -> dict[str, str]:
    """The `key: value` fields of a file's leading warcinfo record ({} when it has none).

    Raises OSError or ValueError on a file whose head cannot be read.
    """
    with open(path, "rb") as fh:
        try:
            record = next(iter(ArchiveIterator(fh)), None)
        except ArchiveLoadFailed as exc:
            raise ValueError(str(exc)) from None
        if record is None or record.rec_type != "warcinfo":
            return {}
        text = record.content_stream().read().decode("utf-8", "replace")
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields
