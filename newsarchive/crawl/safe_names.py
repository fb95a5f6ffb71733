"""SafeNames: a crawl whose crawl id, spider name or WARC prefix is not a safe name does not start.

The checks themselves are base/safe_names.py; this extension runs them when the crawl is built, before
any component opens a file, so `scrapy crawl -s CRAWL_ID=../../x`, Scrapyd's `-a crawl_id=../../x` or a
WARC_PREFIX with a slash fail with one clear error and write nothing anywhere.
"""
from __future__ import annotations

from newsarchive.base import safe_names


class SafeNames:
    @classmethod
    def from_crawler(cls, crawler) -> SafeNames:
        settings, spider = crawler.settings, crawler.spider
        if spider is not None:
            safe_names.spider_name(spider.name)
            if getattr(spider, "crawl_id", None):
                safe_names.crawl_id(spider.crawl_id)
        if settings.get("CRAWL_ID"):
            safe_names.crawl_id(settings.get("CRAWL_ID"))
        safe_names.warc_prefix(settings.get("WARC_PREFIX"))
        return cls()
