"""Export stage: a FEEDS storage that makes every JSON line durable as soon as it is written.

Scrapy's file storage leaves records in Python's write buffer until the feed closes, so a crash
(kill -9, power loss) loses them, and can leave half a line at the end. This storage flushes and
hands every write, one record with the jsonlines exporter, to the OS at once (a killed crawl
loses nothing), fsyncs at most every FEED_FSYNC_INTERVAL seconds and on close (an OS crash or
power loss loses at most that window), and on opening an existing file (a resumed crawl) cuts a
torn last line, so articles.jsonl always holds whole records.
"""
from __future__ import annotations

import logging
import os
import time
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
    """A binary file whose every write reaches the OS before write() returns, and the disk soon after."""

    def __init__(self, raw: IO[bytes], fsync_interval: float):
        self._raw = raw
        self._fsync_interval = fsync_interval
        self._last_fsync = time.monotonic()

    def write(self, data: bytes) -> int:
        written = self._raw.write(data)
        self._raw.flush()
        now = time.monotonic()
        if now - self._last_fsync >= self._fsync_interval:
            os.fsync(self._raw.fileno())
            self._last_fsync = now
        return written

    def close(self) -> None:
        if not self._raw.closed:
            self._raw.flush()
            os.fsync(self._raw.fileno())
        self._raw.close()

    def __getattr__(self, name: str):
        return getattr(self._raw, name)


class DurableFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict | None = None, fsync_interval: float = 1.0):
        super().__init__(uri, feed_options=feed_options)
        self.fsync_interval = fsync_interval

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, fsync_interval=crawler.settings.getfloat("FEED_FSYNC_INTERVAL"))

    def open(self, spider) -> IO[bytes]:
        path = Path(self.path)
        if self.write_mode == "ab" and path.exists():
            cut = repair_torn_tail(path)
            if cut:
                logger.warning("cut a torn last line (%d bytes) from %s", cut, path)
        return DurableFile(super().open(spider), self.fsync_interval)  # type: ignore[return-value]

    def store(self, file) -> None:
        file.close()
        return None
