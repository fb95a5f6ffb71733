"""BodySizeLimit: cut a response body at NEWSARCHIVE_MAXSIZE and keep what arrived.

Scrapy's own DOWNLOAD_MAXSIZE discards a too-large response outright. For an archive a cut page is
better than none: when a body grows past NEWSARCHIVE_MAXSIZE this extension raises
`StopDownload(fail=False)`, Scrapy delivers the partial response flagged "download_stopped", and
the WARC recorder stores it with `WARC-Truncated: length`.

A large Content-Length does not stop the download at the headers: the first NEWSARCHIVE_MAXSIZE
bytes (head, metadata, the start of the article) are still worth keeping. DOWNLOAD_MAXSIZE, set
higher, stays the hard stop Scrapy applies before any byte is read. A request can set its own limit
with `meta[newsarchive.base.meta.MAXSIZE]` (0 turns the cut off).
"""
from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.exceptions import NotConfigured, StopDownload

from newsarchive.base import meta

logger = logging.getLogger(__name__)

TRUNCATED_STAT = "newsarchive/truncated/size"


class BodySizeLimit:
    """Stops a download once its body passes the size limit, delivering the bytes received so far."""

    def __init__(self, maxsize: int, stats):
        self.maxsize = maxsize
        self.stats = stats
        self._received: WeakKeyDictionary = WeakKeyDictionary()  # request -> body bytes so far

    @classmethod
    def from_crawler(cls, crawler) -> BodySizeLimit:
        maxsize = crawler.settings.getint("NEWSARCHIVE_MAXSIZE")
        if maxsize <= 0:
            raise NotConfigured("NEWSARCHIVE_MAXSIZE is not set")
        extension = cls(maxsize, crawler.stats)
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def limit_for(self, request) -> int:
        return int(request.meta.get(meta.MAXSIZE, self.maxsize) or 0)

    def bytes_received(self, data: bytes, request, spider) -> None:
        limit = self.limit_for(request)
        if not limit:
            return
        received = self._received.get(request, 0) + len(data)
        self._received[request] = received
        if received > limit:
            self._received.pop(request, None)
            self.stats.inc_value(TRUNCATED_STAT)
            logger.warning("body of %s passed %d bytes (NEWSARCHIVE_MAXSIZE); keeping the first %d bytes, "
                           "archived with WARC-Truncated: length", request.url, limit, received)
            raise StopDownload(fail=False)
