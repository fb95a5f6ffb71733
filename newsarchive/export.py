"""Export stage: a FEEDS storage that makes every JSON line durable as soon as it is written.

Scrapy's file storage leaves records in Python's write buffer until the feed closes, so a crash
(kill -9, power loss) loses them, and can leave half a line at the end. This storage flushes and
fsyncs after every write, one write per record with the jsonlines exporter, and on opening an
existing file (a resumed crawl) cuts a torn last line, so articles.jsonl always holds whole
records. FEED_FSYNC = False keeps the flush and skips the fsync, for bulk runs that trust the OS.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)


def repair_torn_tail(path: Path) -> int:
    """Truncate a JSON Lines file after its last newline; return how many bytes were cut."""
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("rb+") as fh:
        block = 1 << 16
        position = size
        while position > 0:
            start = max(0, position - block)
            fh.seek(start)
            chunk = fh.read(position - start)
            newline = chunk.rfind(b"\n")
            if newline != -1:
                keep = start + newline + 1
                break
            position = start
        else:
            keep = 0
        if keep < size:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
        return size - keep


class DurableFile:
    """A binary file whose every write reaches the disk before write() returns."""

    def __init__(self, raw: IO[bytes], fsync: bool):
        self._raw = raw
        self._fsync = fsync

    def write(self, data: bytes) -> int:
        written = self._raw.write(data)
        self._raw.flush()
        if self._fsync:
            os.fsync(self._raw.fileno())
        return written

    def __getattr__(self, name: str):
        return getattr(self._raw, name)


class DurableFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict | None = None, fsync: bool = True):
        super().__init__(uri, feed_options=feed_options)
        self.fsync = fsync

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, fsync=crawler.settings.getbool("FEED_FSYNC", True))

    def open(self, spider) -> IO[bytes]:
        path = Path(self.path)
        if self.write_mode == "ab" and path.exists():
            cut = repair_torn_tail(path)
            if cut:
                logger.warning("cut a torn last line (%d bytes) from %s", cut, path)
        return DurableFile(super().open(spider), self.fsync)  # type: ignore[return-value]

    def store(self, file) -> None:
        file.close()
        return None
