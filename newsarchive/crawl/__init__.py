"""The crawl: discover article URLs, drive Scrapy through the stages, report on the run
(docs/architecture.md, "The rooms").

  spider       NewsSpider, the base of every site spider: seeds, URL rules, article callback
  discover     feeds and sitemaps read into URLs and date hints (pure functions)
  contracts    `scrapy check` contracts for article callbacks
  runner       one crawl in this process, with a log file and a progress line
  resume       crash-safe --resume on top of Scrapy's JOBDIR
  progress     the live progress line
  report       crawl.json and the summary
  drift        a spider's latest crawl against its earlier ones
  reextract    today's extraction over archived responses, no network
  scheduling   crontab and systemd units for recurring crawls

Site spiders import the base class from here: `from newsarchive.crawl import NewsSpider`.
"""
from __future__ import annotations

__all__ = ["NewsSpider"]


def __getattr__(name: str):
    # Lazy, so the pure modules of this package (discover, scheduling, drift) load without Scrapy's engine.
    if name == "NewsSpider":
        from newsarchive.crawl.spider import NewsSpider

        return NewsSpider
    raise AttributeError(name)
