"""ExportFence: the last item pipeline of a worker; an article goes out only while this worker may export it.

A lease can run out while its worker lives: a stall longer than DISTRIBUTED_LEASE (swapping, a long
garbage collection, a machine so loaded that the heartbeat that renews the leases comes too late). The
request then goes back to the frontier and another worker fetches it, and both would export the article.
And a worker killed after its article's line was written, but before the state committed it (the commit
waits for the WARC fsync, up to WARC_FSYNC_INTERVAL), leaves a request that the next worker takes up and
exports again. So right before the feed writes the line, one script (frontier.FENCE) checks that the
request's lease is still this worker's, for the attempt the response came from (a worker can take its
own expired request again, and then holds a stale response and a current one for one URL), and that no
worker's articles file has the URL's record in this crawl; it renews the lease, so the lease cannot run
out between the check and the write. Once the line is written (`article_written`), the URL is marked
exported in the crawl (docs/distributed.md, "Exactly once"). A record finds its request by its WARC
record id, which the recorder put in the request's meta.

A record the fence stops is dropped with the reason (a warning, and newsarchive/distributed/fence/lost or
fence/exported in the worker's stats): the worker that holds the request, or that wrote the record, is the
one whose file has it.
"""
from __future__ import annotations

from functools import cached_property

from scrapy.exceptions import DropItem, NotConfigured

from newsarchive.base.signals import article_written
from newsarchive.distributed.frontier import Frontier
from newsarchive.distributed.scheduler import STAT_PREFIX, DistributedScheduler, scheduler_of
from newsarchive.warc.pointer import WarcPointer


class ExportFence:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.worker = crawler.settings.get("WORKER_ID")

    @classmethod
    def from_crawler(cls, crawler) -> ExportFence:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        fence = cls(crawler)
        crawler.signals.connect(fence.article_written, signal=article_written)
        return fence

    @cached_property
    def scheduler(self) -> DistributedScheduler:
        return scheduler_of(self.crawler)

    @property
    def frontier(self) -> Frontier:
        return self.scheduler.frontier

    def process_item(self, item, spider=None):
        url = item.get("url")
        if not url:
            return item
        pointer = WarcPointer.from_dict(item.get("warc"))
        lease = self.scheduler.lease_of(pointer.record_id) if pointer is not None else None
        if lease is None:
            # Not from a leased request (none of the spider's callbacks does this today): only the
            # crawl-wide mark can be checked.
            self.stats.inc_value(STAT_PREFIX + "fence/unleased")
        verdict, by = self.frontier.fence(self.worker, lease, url)
        if verdict == "ok":
            return item
        self.stats.inc_value(STAT_PREFIX + f"fence/{verdict}")
        if verdict == "lost":
            reason = ("this worker's lease on the request ran out before the record could be written; the "
                      "worker that took the request over exports it")
        else:
            reason = f"worker {by} exported this article in this crawl already"
        raise DropItem(reason)  # logged with its URL by Scrapy (export/log_formatter.py), at WARNING

    def article_written(self, item, spider=None) -> None:
        url = item.get("url")
        if url:
            self.frontier.mark_exported(self.worker, url)
