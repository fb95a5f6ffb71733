"""IncrementalState: the Scrapy extension that owns a spider's state store for the length of a crawl.

It opens the store (STATE_BACKEND, SQLite by default), records the crawl's start and finish, and
builds the re-check planner the spider seeds from. The components that write to the store (the
recorder's digest index, the revision middleware) find the store here.

Settings: INCREMENTAL_ENABLED, STATE_BACKEND, RECHECK_POLICY. It stays off when WARC_ENABLED is off
(replay, dry runs): without a WARC there is nothing the state may claim.

It also keeps the store true to the WARC files:
- `commit_when_durable(pointer, commit)`: a commit naming a capture waits until the WARC recorder
  says the record is on disk (its `warc_durable` signal), whatever WARC_FSYNC_INTERVAL is, so an
  OS crash or power loss can make the state lag the archive but never run ahead of it;
- on the recorder's `warc_repaired` signal (leftover `.open` files cut at the start of a crawl), the
  captures the repaired files no longer hold are forgotten (state/consistency.py) before the crawl
  plans anything: their URLs are fetched and exported again.
"""
from __future__ import annotations

import logging
from typing import Callable

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from newsarchive.base import layout, meta, stats
from newsarchive.base.dates import parse_date, utc_now
from newsarchive.state.consistency import forget_lost_captures
from newsarchive.state.policy import RecheckPlanner, parse_policy
from newsarchive.state.store import CrawlState
from newsarchive.warc.pointer import WarcPointer
from newsarchive.warc.records import payload_digest
from newsarchive.warc.recorder import WarcRecorder, warc_durable, warc_repaired

logger = logging.getLogger(__name__)


def state_of(crawler) -> IncrementalState | None:
    """The crawl's IncrementalState extension, or None when incremental crawling is off."""
    try:
        return crawler.get_extension(IncrementalState)
    except RuntimeError:  # asked before the extension manager exists
        return None


class IncrementalState:
    """Holds the spider's CrawlState and RecheckPlanner for one crawl; `state_of(crawler)` finds it."""

    def __init__(self, crawler, store: CrawlState, planner: RecheckPlanner):
        self.crawler = crawler
        self.store = store
        self.planner = planner
        self._waiting: list[tuple[WarcPointer, Callable[[], None]]] = []

    @classmethod
    def from_crawler(cls, crawler) -> IncrementalState:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured("INCREMENTAL_ENABLED is off")
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off: the state records only what a WARC holds")
        try:
            policy = parse_policy(settings.get("RECHECK_POLICY"))
        except ValueError as exc:
            raise NotConfigured(str(exc)) from None
        store = build_from_crawler(load_object(settings.get("STATE_BACKEND")), crawler)
        crawl_id = layout.crawl_id_for(crawler.spider)
        last_crawl = parse_date(store.last_crawl_started(before=crawl_id))
        extension = cls(crawler, store, RecheckPlanner(store, policy, last_crawl=last_crawl))
        store.begin_crawl(crawl_id, utc_now())
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.warc_repaired, signal=warc_repaired)
        crawler.signals.connect(extension.warc_durable, signal=warc_durable)
        logger.info("incremental state %s; last crawl started %s", getattr(store, "path", store),
                    last_crawl or "never")
        return extension

    def needs_extraction(self, response) -> bool:
        """Extract this revisit all the same? Yes when it repeats this URL's own earlier payload but
        no article record of the URL was ever committed (a crash between the WARC and the export)."""
        return self.capture_unexported(response.url, response.meta.get(meta.WARC_POINTER), response.body)

    def capture_unexported(self, url: str, pointer, body: bytes) -> bool:
        """needs_extraction for a response not yet tied to its request (a downloader middleware's view)."""
        state = self.store.get(url)
        if state is not None and state.text_digest is not None:
            return False
        # The recorder's digest is of the body as it came (gzip stays gzip); `body` may be decoded.
        digest = getattr(pointer, "payload_digest", None) or payload_digest(body)
        earlier = self.store.lookup_payload(digest)
        return earlier is not None and earlier.url == url

    # ---------------------------------------------------------------- the store stays true to the WARC

    def _recorder(self) -> WarcRecorder | None:
        try:
            return self.crawler.get_extension(WarcRecorder)
        except RuntimeError:
            return None

    def commit_when_durable(self, pointer: WarcPointer | None, commit: Callable[[], None]) -> None:
        """Run `commit` (a store write naming the record at `pointer`) once that record is on disk."""
        recorder = self._recorder()
        if pointer is None or recorder is None or recorder.is_durable(pointer):
            commit()
        else:
            self._waiting.append((pointer, commit))
            self.crawler.stats.inc_value(stats.STATE_COMMITS_WAITED)

    def warc_durable(self, filename: str, size: int) -> None:
        recorder = self._recorder()
        waiting, self._waiting = self._waiting, []
        for pointer, commit in waiting:
            if recorder is None or recorder.is_durable(pointer):
                commit()
            else:
                self._waiting.append((pointer, commit))

    def warc_repaired(self, reports: list[dict]) -> None:
        forgotten = forget_lost_captures(self.store, reports)
        if forgotten:
            logger.warning("the state forgot %d capture(s) a WARC repair cut off; their URLs are fetched again: %s",
                           len(forgotten), ", ".join(forgotten[:5]) + (" ..." if len(forgotten) > 5 else ""))
        self.crawler.stats.inc_value(stats.STATE_FORGOTTEN, len(forgotten))

    def spider_closed(self, spider, reason=None) -> None:
        # Before the store closes: put the WARC on disk, so the commits waiting for it can run.
        recorder = self._recorder()
        if recorder is not None:
            recorder.sync()
        if self._waiting:
            self.crawler.stats.inc_value(stats.STATE_COMMITS_DROPPED, len(self._waiting))
            logger.warning("%d state commit(s) dropped: their WARC records never reached the disk; the next "
                           "crawl fetches those URLs again", len(self._waiting))
            self._waiting = []
        self.store.finish_crawl(layout.crawl_id_for(spider), utc_now(), str(reason))
        self.store.close()
