"""CDXJ index lines, in the format pywb and cdxj-indexer read.

    <SURT key> <14-digit timestamp> {"url": ..., "mime": ..., "status": ..., "digest": ..., "length": ...,
                                     "offset": ..., "filename": ...}

As pywb's indexer does, only response and revisit records are indexed, the digest drops its "sha1:"
prefix, numbers are strings, and a revisit's mime is "warc/revisit". pywb binary-searches its
indexes, so a finished file is sorted (bytewise, as `LC_ALL=C sort`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

INDEXED_TYPES = ("response", "revisit")


def urlkey(url: str) -> str:
    """The SURT key pywb looks a URL up by ('com,example)/path?a=1')."""
    return surt.surt(url)


@dataclass(frozen=True)
class CdxjEntry:
    urlkey: str
    timestamp: str
    url: str
    mime: str | None
    status: str | None
    digest: str | None
    length: int
    offset: int
    filename: str

    @property
    def payload_digest(self) -> str | None:
        """The digest as WARC headers write it ('sha1:...')."""
        if not self.digest:
            return None
        return self.digest if ":" in self.digest else f"sha1:{self.digest}"


def entry_for(record, *, offset: int, length: int, filename: str) -> CdxjEntry | None:
    """The index entry of a warcio record written at `offset` (None for records pywb does not index)."""
    if record.rec_type not in INDEXED_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    mime = status = None
    if record.rec_type == "revisit":
        mime = "warc/revisit"
    elif record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
        mime = content_type.split(";", 1)[0].strip() or "unk"
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or None
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest and digest.startswith("sha1:"):
        digest = digest[len("sha1:"):]
    return CdxjEntry(
        urlkey=urlkey(url), timestamp=iso_date_to_timestamp(record.rec_headers.get_header("WARC-Date")),
        url=url, mime=mime, status=status, digest=digest, length=length, offset=offset, filename=filename,
    )


def format_line(entry: CdxjEntry) -> str:
    """One CDXJ line, newline included. Empty fields are left out, as pywb's indexer does."""
    fields = {"url": entry.url, "mime": entry.mime, "status": entry.status, "digest": entry.digest,
              "length": str(entry.length), "offset": str(entry.offset), "filename": entry.filename}
    body = {key: value for key, value in fields.items() if value}
    return f"{entry.urlkey} {entry.timestamp} {json.dumps(body, ensure_ascii=False, separators=(', ', ': '))}\n"


class CdxjSyntaxError(ValueError):
    """A line that is not `<key> <timestamp> <json object>`."""


def parse_line(line: str) -> CdxjEntry:
    """The entry of one CDXJ line; raises CdxjSyntaxError on anything else."""
    try:
        key, timestamp, payload = line.rstrip("\r\n").split(" ", 2)
        data = json.loads(payload)
        return CdxjEntry(
            urlkey=key, timestamp=timestamp, url=data["url"], mime=data.get("mime"), status=data.get("status"),
            digest=data.get("digest"), length=int(data["length"]), offset=int(data["offset"]),
            filename=data["filename"],
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CdxjSyntaxError(f"not a CDXJ line ({exc}): {line.strip()[:120]!r}") from None


def read_entries(path: Path | str) -> list[CdxjEntry]:
    """Every entry of a CDXJ file (lines starting with '!' are metadata and skipped)."""
    with open(path, encoding="utf-8") as fh:
        return [parse_line(line) for line in fh if line.strip() and not line.startswith("!")]


def rewrite_sorted(path: Path | str) -> int:
    """Sort a CDXJ file in place (atomically); returns the lines kept.

    An unparseable line (a torn last line after a crash) is dropped.
    """
    path = Path(path)
    kept = []
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                continue  # torn by a crash mid-append
            try:
                parse_line(raw.decode("utf-8"))
            except (CdxjSyntaxError, UnicodeDecodeError):
                continue
            kept.append(raw)
    return _replace_sorted(path, kept)


def index_warc(path: Path | str, filename: str | None = None) -> list[CdxjEntry]:
    """Entries for every indexable record of a WARC file, read back from the file itself."""
    path = Path(path)
    filename = filename or path.name
    entries = []
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            # Asking for the offset reads past the payload, which the index does not need.
            offset, length = records.get_record_offset(), records.get_record_length()
            entry = entry_for(record, offset=offset, length=length, filename=filename)
            if entry is not None:
                entries.append(entry)
    return entries


def write_index(path: Path | str, entries: list[CdxjEntry]) -> int:
    """Write `entries` as a sorted CDXJ file (atomically); returns the number of lines."""
    return _replace_sorted(Path(path), [format_line(entry).encode("utf-8") for entry in entries])


def _replace_sorted(path: Path, lines: list[bytes]) -> int:
    """Write `lines` sorted bytewise to `path` through a synced temporary file, so a reader never
    sees half an index; returns how many."""
    lines.sort()
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.writelines(lines)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return len(lines)
