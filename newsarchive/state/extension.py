"""IncrementalState: the Scrapy extension that owns a spider's state store for the length of a crawl.

It opens the store (STATE_BACKEND, SQLite by default), records the crawl's start and finish, and
builds the re-check planner the spider seeds from. The components that write to the store (the
recorder's digest index, the revision middleware) find the store here.

Settings: INCREMENTAL_ENABLED, STATE_BACKEND, RECHECK_POLICY. It stays off when WARC_ENABLED is off
(replay, dry runs): without a WARC there is nothing the state may claim.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from newsarchive.base import layout, meta
from newsarchive.base.dates import parse_date, utc_now
from newsarchive.state.policy import RecheckPlanner, parse_policy
from newsarchive.state.store import CrawlState
from newsarchive.warc.records import payload_digest

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
        logger.info("incremental state %s; last crawl started %s", getattr(store, "path", store),
                    last_crawl or "never")
        return extension

    def needs_extraction(self, response) -> bool:
        """Extract this revisit all the same? Yes when it repeats this URL's own earlier payload but
        no article record of the URL was ever committed (a crash between the WARC and the export)."""
        state = self.store.get(response.url)
        if state is not None and state.text_digest is not None:
            return False
        # The recorder's digest is of the body as it came (gzip stays gzip); response.body may be decoded.
        pointer = response.meta.get(meta.WARC_POINTER)
        digest = getattr(pointer, "payload_digest", None) or payload_digest(response.body)
        earlier = self.store.lookup_payload(digest)
        return earlier is not None and earlier.url == response.url

    def spider_closed(self, spider, reason=None) -> None:
        self.store.finish_crawl(layout.crawl_id_for(spider), utc_now(), str(reason))
        self.store.close()
