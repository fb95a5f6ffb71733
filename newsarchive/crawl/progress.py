"""A one-line progress display for long crawls on a terminal (NEWSARCHIVE_PROGRESS = True).

Scrapy's LogStats says the same once a minute in the log; a person watching a crawl wants it live.
"""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsarchive.base import stats as stat_names


class Progress:
    def __init__(self, stats, interval: float, stream):
        self.stats = stats
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS"):
            raise NotConfigured
        progress = cls(crawler.stats, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL"), sys.stderr)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider):
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def line(self) -> str:
        stats = self.stats.get_stats()
        pages = stats.get("downloader/response_count", 0)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        errors = sum(stat_names.by_prefix(stats, stat_names.ERROR_PREFIX).values())
        return (
            f"pages {pages} ({pages / elapsed:.1f}/s)  articles {stats.get('item_scraped_count', 0)}  "
            f"queued {stats.get('scheduler/enqueued', 0) - stats.get('scheduler/dequeued', 0)}  "
            f"errors {errors}  {elapsed:.0f}s"
        )

    def show(self):
        end = "\r" if self.stream.isatty() else "\n"
        self.stream.write(self.line() + end)
        self.stream.flush()

    def spider_closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.stream.isatty():
            self.stream.write(self.line() + "\n")
