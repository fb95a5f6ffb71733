"""Reading the archive back: one record by its pointer, and captures of a URL by CDXJ lookup."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newsarchive.warc import cdxj
from newsarchive.warc.writer import CDXJ_SUFFIX, OPEN_SUFFIX


WARC_SUFFIXES = (".warc.gz", ".warc", ".warc.gz" + OPEN_SUFFIX, ".warc" + OPEN_SUFFIX)


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


class RecordNotFound(LookupError):
    """No readable WARC record at that place."""


def read_record(path: Path | str, offset: int) -> ArcWarcRecord:
    """The WARC record starting at `offset` of `path` (gzipped or not), parsed by warcio.

    Its payload is read into memory: `record.raw_stream` gives the body exactly as archived (still
    Content-Encoded), `record.content_stream()` the decoded one, and both work after the file is closed.
    A pointer to a file still being written (`.open`) is followed there.
    """
    path = Path(path)
    if not path.exists() and path.with_name(path.name + OPEN_SUFFIX).exists():
        path = path.with_name(path.name + OPEN_SUFFIX)
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


@dataclass(frozen=True)
class Capture:
    """One CDXJ entry, with the WARC file it points into resolved to a path."""

    entry: cdxj.CdxjEntry
    path: Path

    @property
    def offset(self) -> int:
        return self.entry.offset

    @property
    def length(self) -> int:
        return self.entry.length

    @property
    def filename(self) -> str:
        return self.entry.filename

    def read(self) -> ArcWarcRecord:
        return read_record(self.path, self.entry.offset)


class CdxjIndex:
    """Captures by URL from CDXJ files (or folders of them, searched recursively), oldest first."""

    def __init__(self, paths: Iterable[Path | str]):
        self._by_key: dict[str, list[Capture]] = defaultdict(list)
        for index_path in self._index_files(paths):
            for entry in cdxj.read_entries(index_path):
                self._by_key[entry.urlkey].append(Capture(entry, index_path.with_name(entry.filename)))
        for captures in self._by_key.values():
            captures.sort(key=lambda c: (c.entry.timestamp, c.entry.filename, c.entry.offset))

    @staticmethod
    def _index_files(paths: Iterable[Path | str]) -> list[Path]:
        files = []
        for path in map(Path, paths):
            files.extend(sorted(path.rglob("*" + CDXJ_SUFFIX)) if path.is_dir() else [path])
        return files

    def lookup(self, url: str) -> list[Capture]:
        """Every capture of `url` (matched by SURT key, as pywb does), oldest first."""
        return list(self._by_key.get(cdxj.urlkey(url), ()))

    def __len__(self) -> int:
        return sum(len(captures) for captures in self._by_key.values())
