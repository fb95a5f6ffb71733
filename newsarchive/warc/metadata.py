"""Article metadata records written after the crawl: what re-extraction adds to an archive.

The crawl writes a `metadata` record per exported article into its own WARC files (warc/recorder.py).
A re-extraction (`newsarchive reextract`) writes a new one per article it produces, about the same
response, into a new WARC file (prefix REEXTRACT) in the crawl's own `warc/` folder: the archive then
carries every extraction of a capture, the latest being the one with the latest WARC-Date. WARC files
are never appended to once closed, so earlier records stay as they are.
"""
from __future__ import annotations

from pathlib import Path

from newsarchive.warc.records import article_metadata_record
from newsarchive.warc.writer import RollingWarcWriter

PREFIX = "REEXTRACT"


class ArticleMetadataWriter:
    """One new WARC file (with its CDXJ) per folder written to; `close()` finishes them all."""

    def __init__(self, warcinfo_fields: dict | None = None):
        self.warcinfo_fields = warcinfo_fields or {}
        self._writers: dict[Path, RollingWarcWriter] = {}
        self.records = 0

    def write(self, directory: Path, article: dict) -> bool:
        """Write `article` as a metadata record into a new file in `directory`; False when it names no record."""
        record = article_metadata_record(article)
        if record is None:
            return False
        writer = self._writers.get(directory)
        if writer is None:
            writer = self._writers[directory] = RollingWarcWriter(directory, prefix=PREFIX,
                                                                  warcinfo_fields=self.warcinfo_fields,
                                                                  fsync_interval=1.0)
        writer.write_record(record)
        self.records += 1
        return True

    @property
    def files(self) -> list[Path]:
        return [path for writer in self._writers.values() for path in writer.files]

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
