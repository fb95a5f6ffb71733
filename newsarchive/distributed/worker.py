"""WorkerLifecycle: one worker's life in a distributed crawl, as a Scrapy extension.

- It reports in every HEARTBEAT_S (the `workers` schedule `newsarchive status` reads), renews the leases
  of the requests this worker holds, and acknowledges finished ones several times a second.
- On spider_idle it keeps the worker open (DontCloseSpider) while the crawl has work anywhere: queued
  requests, or requests in flight on other workers (their follow-ups, or their leases running out after a
  crash, can bring more). Once the frontier is empty and nothing is in flight for
  MAX_IDLE_TIME_BEFORE_CLOSE seconds (`--idle-exit`), the worker closes. A spider whose seeds were all
  seen before therefore waits for the others instead of leaving at once.
- On close it puts its crawl report into Redis, repairs the `.open` WARC files that dead workers on this
  machine left in the crawl's warc/, writes the merged crawl.json (distributed/report.py), and marks the
  crawl finished when it was the last worker out and the frontier is empty.
"""
from __future__ import annotations

import json
import logging
import os
import time
from functools import cached_property

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from twisted.internet.task import LoopingCall

from newsarchive.base import layout
from newsarchive.crawl.report import CrawlReport, write_report
from newsarchive.distributed import crawls
from newsarchive.distributed.connection import CountingRedis, masked_url, redis_from_settings
from newsarchive.distributed.keys import CrawlKeys
from newsarchive.distributed.report import merge_reports
from newsarchive.distributed.scheduler import STAT_PREFIX, DistributedScheduler, scheduler_of
from newsarchive.state.consistency import forget_lost_captures
from newsarchive.state.extension import state_of
from newsarchive.warc.repair import repair_open_files

logger = logging.getLogger(__name__)

ACK_INTERVAL_S = 0.25


class WorkerLifecycle:
    def __init__(self, crawler, server, keys: CrawlKeys, worker: str):
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker = worker
        self.stats = crawler.stats
        self.idle_exit = crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE")
        self.lease = crawler.settings.getfloat("DISTRIBUTED_LEASE")
        self.idle_since: float | None = None
        self._loops: list[LoopingCall] = []
        self._last_renewal = 0.0
        self.merged: dict | None = None
        self.last_out = False

    @classmethod
    def from_crawler(cls, crawler) -> WorkerLifecycle:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        keys = CrawlKeys.of_crawler(crawler)
        extension = cls(crawler, redis_from_settings(settings), keys, settings.get("WORKER_ID"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @cached_property
    def scheduler(self) -> DistributedScheduler:
        return scheduler_of(self.crawler)

    # ---------------------------------------------------------------- signals

    def spider_opened(self, spider) -> None:
        self.server.hset(self.keys.worker(self.worker), mapping={
            "host": os.uname().nodename, "pid": os.getpid(), "started_at": repr(crawls.redis_time(self.server)),
        })
        self.heartbeat()
        logger.info("worker %s in crawl %s of %s on %s", self.worker, self.keys.crawl_id, self.keys.spider,
                    masked_url(self.crawler.settings.get("REDIS_URL")))
        for call, interval in ((self.acknowledge, ACK_INTERVAL_S), (self.heartbeat, crawls.HEARTBEAT_S)):
            loop = LoopingCall(call)
            loop.start(interval, now=False).addErrback(self._loop_failed, call.__name__)
            self._loops.append(loop)

    def spider_idle(self, spider) -> None:
        self.scheduler.acknowledge_finished()
        activity = crawls.activity(self.server, self.keys)
        if activity["queued"] or activity["in_flight"]:
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
            logger.info("the frontier is empty and nothing is in flight; leaving in %.0f s unless work comes",
                        self.idle_exit)
        if now - self.idle_since < self.idle_exit:
            raise DontCloseSpider

    def spider_closed(self, spider, reason=None) -> None:
        for loop in self._loops:
            if loop.running:
                loop.stop()
        self.stats.set_value(STAT_PREFIX + "redis_calls", CountingRedis.calls)
        report = self.crawler.get_extension(CrawlReport)
        own = dict(report.report) if report is not None and report.report else None
        if own is not None:
            own["worker"] = self.worker
            own["distributed"] = {k[len(STAT_PREFIX):]: v for k, v in self.stats.get_stats().items()
                                  if k.startswith(STAT_PREFIX)}
            self.server.hset(self.keys.reports, self.worker, json.dumps(own, default=str))
        self.server.zrem(self.keys.workers, self.worker)
        self.server.delete(self.keys.worker(self.worker))
        # Files of workers on this machine that died with a WARC open (another machine's are its own).
        repairs = repair_open_files(layout.warc_dir(spider), skip_live_writers=True)
        for repaired in repairs:
            logger.warning("repaired a dead worker's WARC file: %s", repaired["repaired_path"] or repaired["path"])
        incremental = state_of(self.crawler)
        if repairs and incremental is not None:  # the shared state forgets what the cut took (state/consistency.py)
            forget_lost_captures(incremental.store, repairs)
        self.write_merged_report(spider)

    # ---------------------------------------------------------------- periodic work

    def acknowledge(self) -> None:
        self.scheduler.acknowledge_finished()

    def heartbeat(self) -> None:
        now = crawls.redis_time(self.server)
        stats = self.stats.get_stats()
        with self.server.pipeline() as pipe:
            pipe.zadd(self.keys.workers, {self.worker: now})
            pipe.hset(self.keys.worker(self.worker), mapping={
                "responses": stats.get("downloader/response_count", 0),
                "articles": stats.get("item_scraped_count", 0),
                "holding": len(self.scheduler.leases),
            })
            pipe.execute()
        if time.monotonic() - self._last_renewal >= self.lease / 4:
            self.scheduler.renew_leases()
            self._last_renewal = time.monotonic()
        # An idle engine looks at its scheduler only every few seconds: have it look now.
        self.scheduler.wake_engine(0)

    def _loop_failed(self, failure, name: str) -> None:
        logger.error("distributed worker: %s stopped: %s", name, failure.getErrorMessage())

    # ---------------------------------------------------------------- the merged report

    def frontier_summary(self) -> dict:
        counts = {k.decode(): int(v) for k, v in self.server.hgetall(self.keys.counts).items()}
        spider = self.crawler.spider

        def url_of(payload: bytes) -> str:
            return request_from_dict(picklecompat.loads(payload), spider=spider).url

        return {
            "redis": masked_url(self.crawler.settings.get("REDIS_URL")),
            "frontier": counts,
            "in_flight": int(self.server.zcard(self.keys.inflight)),
            "failed": crawls.failed_requests(self.server, self.keys, url_of),
            "workers_alive": crawls.alive_workers(self.server, self.keys),
        }

    def write_merged_report(self, spider) -> None:
        reports = crawls.worker_reports(self.server, self.keys)
        if not reports:
            return
        summary = self.frontier_summary()
        self.merged = merge_reports(reports, frontier=summary)
        write_report(layout.crawl_dir(spider) / layout.REPORT_FILE, self.merged)
        crawl = crawls.read_crawl(self.server, self.keys.spider, self.keys.crawl_id)
        if crawl is not None and not crawls.is_running(self.server, crawl):
            crawls.mark_finished(self.server, crawl)
            self.last_out = True
            logger.info("last worker out: crawl %s finished (%d workers, %d articles)", self.keys.crawl_id,
                        len(reports), self.merged["counts"].get("articles", 0))
