"""The three crawls the crawl benchmark compares, each run alone in a child process.

    python -m bench.crawl_modes MODE URL_LIST OUT_DIR

MODE is "bare" (a Scrapy spider yielding only the URL), "trafilatura" (what a user writes by
hand: trafilatura.extract in the callback) or "newsarchive" (the full pipeline: WARC recording,
extraction, normalization, schema check, durable JSONL export). Every mode gets the same URL list
and the same concurrency, so only the work per page differs. Prints one JSON line of figures.

Two more modes record only (the bare spider plus the WARC recorder, no extraction), for the cost of
wire capture (bench/wire_capture.py): "warc-wire" with the project's download handler, which records
each exchange's bytes, and "warc-rebuilt" with Scrapy's own, whose heads the recorder rebuilds.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import scrapy
from scrapy import signals

COMMON = {
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "COOKIES_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
}


class ListSpider(scrapy.Spider):
    name = "bench"

    def __init__(self, urls: list[str], extract_text: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.extract_text = extract_text

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        if self.extract_text:
            import trafilatura

            yield {"url": response.url, "text": trafilatura.extract(response.text)}
        else:
            yield {"url": response.url}


def newsarchive_spider_class():
    from newsarchive.crawl.spider import NewsSpider

    class BenchNewsSpider(NewsSpider):
        name = "bench"

        def __init__(self, urls: list[str], **kwargs):
            super().__init__(**kwargs)
            self.urls = urls

        async def start(self):
            for url in self.urls:
                yield self._article_request(url)

    return BenchNewsSpider


def run(mode: str, urls: list[str], out_dir: Path) -> dict:
    from scrapy.crawler import CrawlerProcess

    if mode == "newsarchive":
        os.environ["SCRAPY_SETTINGS_MODULE"] = "newsarchive.settings"
        from scrapy.utils.project import get_project_settings

        settings = get_project_settings()
        settings.setdict({**COMMON, "ROBOTSTXT_OBEY": True, "ADDRESS_GUARD_ALLOW": ["127.0.0.1"], "ARCHIVE_DIR": str(out_dir),
                          "CRAWL_ID": "20260101T000000Z", "WARC_GZIP_LEVEL": 1,
                          # The same URL list as (a) and (b): the pages' images and stylesheets would be
                          # five times the requests and make pages/s incomparable; bench.requisites
                          # measures what requisites cost.
                          "REQUISITES_ENABLED": False}, priority="cmdline")
        spider_cls, kwargs = newsarchive_spider_class(), {"urls": urls}
    elif mode.startswith("warc-"):
        os.environ["SCRAPY_SETTINGS_MODULE"] = "newsarchive.settings"
        from scrapy.utils.project import get_project_settings

        settings = get_project_settings()
        settings.setdict({**COMMON, "ARCHIVE_DIR": str(out_dir), "CRAWL_ID": "20260101T000000Z",
                          "WARC_GZIP_LEVEL": 1, "ADDRESS_GUARD": "loopback", "INCREMENTAL_ENABLED": False,
                          "DOWNLOADER_MIDDLEWARES": {}, "SPIDER_MIDDLEWARES": {}, "ITEM_PIPELINES": {}, "FEEDS": {},
                          "ADDONS": {}, "EXTENSIONS": {"newsarchive.warc.recorder.WarcRecorder": 100,
                                                       "scrapy.extensions.telnet.TelnetConsole": None},
                          "WARC_DIGEST_INDEX": "newsarchive.warc.dedup.InMemoryDigestIndex"}, priority="cmdline")
        if mode == "warc-rebuilt":
            scrapy_handler = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
            settings.set("DOWNLOAD_HANDLERS", {"http": scrapy_handler, "https": scrapy_handler}, priority="cmdline")
        spider_cls, kwargs = ListSpider, {"urls": urls}
    else:
        from scrapy.settings import Settings

        settings = Settings(COMMON)
        spider_cls, kwargs = ListSpider, {"urls": urls, "extract_text": mode == "trafilatura"}
        if mode == "trafilatura":
            import trafilatura  # noqa: F401  (import cost outside the timed window, as for the others)
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(spider_cls)
    marks: dict[str, float] = {}

    def on_response(**_):  # signals hold weak references: keep this function referenced below
        now = time.perf_counter()
        marks.setdefault("first", now)
        marks["last"] = now

    crawler.signals.connect(on_response, signal=signals.response_received)
    process.crawl(crawler, **kwargs)
    started = time.perf_counter()
    process.start()
    stats = crawler.stats.get_stats()
    pages = stats.get("response_received_count", 0)
    window = marks.get("last", started) - marks.get("first", started)
    return {
        "mode": mode,
        "pages": pages,
        "recorded_heads": stats.get("warc/heads/recorded", 0),
        "items": stats.get("item_scraped_count", 0),
        "seconds": round(time.perf_counter() - started, 3),
        "pages_per_s": round((pages - 1) / window, 1) if window > 0 else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # CPU the crawl process used (user + system): steadier than wall time on a shared machine.
        "cpu_s": round(sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in ("ru_utime", "ru_stime")), 3),
    }


if __name__ == "__main__":
    mode, url_list, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    urls = url_list.read_text().split()
    print(json.dumps(run(mode, urls, out)))
