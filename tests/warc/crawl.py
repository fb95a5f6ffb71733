"""A minimal crawl with only the record-stage extensions on, run in a subprocess by the tests.

    python -m tests.warc.crawl --archive DIR --crawl-id ID --out results.jsonl URL...

Each callback writes one JSON line: url, status, flags, and the WARC pointer found in response.meta.
At close it writes <out>.stats.json: the crawl stats and the recorder's list of files.
"""
from __future__ import annotations

import argparse
import json

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsarchive.warc.recorder import WarcRecorder

SPIDER_NAME = "warcfixture"


class FixtureSpider(scrapy.Spider):
    name = SPIDER_NAME

    def __init__(self, urls: list[str], out: str, **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        self.out = open(out, "a", encoding="utf-8", buffering=1)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.closed_with_stats, signal=signals.spider_closed)
        return spider

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def parse(self, response):
        self.out.write(json.dumps({
            "url": response.url, "status": response.status, "flags": response.flags,
            "warc": pointer.to_dict() if (pointer := response.meta.get("warc")) else None,
            "warc_date": response.meta.get("warc_date"),
            "revisit": response.meta.get("warc_revisit", False),
            "redirect_urls": response.meta.get("redirect_urls", []),
        }) + "\n")

    def failed(self, failure):
        self.out.write(json.dumps({"url": failure.request.url, "error": repr(failure.value)}) + "\n")

    def closed_with_stats(self, spider, reason):
        recorder = next(ext for ext in self.crawler.extensions.middlewares if isinstance(ext, WarcRecorder))
        summary = {"reason": reason, "stats": {k: v for k, v in self.crawler.stats.get_stats().items()
                                               if isinstance(v, (int, str))},
                   "files": [str(p) for p in recorder.files], "repairs": recorder.repairs}
        with open(self.out.name + ".stats.json", "w", encoding="utf-8") as fh:
            json.dump(summary, fh)
        self.out.close()


def settings_for(args) -> Settings:
    """The project's declared defaults, with only the record stage wired in."""
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.setdict({
        "EXTENSIONS": {"newsarchive.fetch.size_limit.BodySizeLimit": 0, "newsarchive.warc.recorder.WarcRecorder": 100},
        "DOWNLOADER_MIDDLEWARES": {}, "SPIDER_MIDDLEWARES": {}, "ITEM_PIPELINES": {}, "ADDONS": {}, "FEEDS": {},
        "WARC_DIGEST_INDEX": "newsarchive.warc.dedup.InMemoryDigestIndex",
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "ADDRESS_GUARD": "off",
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "COOKIES_ENABLED": False,
        "RETRY_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "DOWNLOAD_FAIL_ON_DATALOSS": False,
        "CONCURRENT_REQUESTS": args.concurrency,
        "ARCHIVE_DIR": args.archive,
        "CRAWL_ID": args.crawl_id,
        "WARC_MAX_SIZE": args.warc_max_size,
        "WARC_OPERATOR": "WARC tests <tests@example.invalid>",
        "NEWSARCHIVE_MAXSIZE": args.maxsize,
        "LOG_LEVEL": "INFO",
    }, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--archive", required=True)
    parser.add_argument("--crawl-id", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--maxsize", type=int, default=100_000)
    parser.add_argument("--warc-max-size", type=int, default=1_000_000_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="any other setting")
    args = parser.parse_args(argv)
    settings = settings_for(args)
    settings.setdict(dict(item.split("=", 1) for item in args.set), priority="cmdline")
    process = CrawlerProcess(settings=settings)
    process.crawl(FixtureSpider, urls=args.urls, out=args.out)
    process.start()


if __name__ == "__main__":
    main()
