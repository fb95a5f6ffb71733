"""Item pipelines of the export stage: complete each article record, then check it against the schema.

Extraction and normalization already ran in the spider callback (the same functions as the public
API); these pipelines only add what the crawl knows, and refuse to write a record that breaks the
published schema, so researchers can trust every line of articles.jsonl.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from scrapy.exceptions import DropItem

from newsarchive import layout
from newsarchive.fetch.errors import ERROR_STAT_PREFIX
from newsarchive.schema import record_errors

logger = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class CrawlContextPipeline:
    """Add the crawl-level fields: spider, crawl_id, extracted_at, revision."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        spider = self.crawler.spider
        item.setdefault("spider", spider.name)
        item.setdefault("crawl_id", layout.crawl_id_for(spider))
        item.setdefault("extracted_at", utc_now())
        item.setdefault("revision", None)
        return item


class SchemaValidationPipeline:
    """Drop (and count) any record that does not match newsarchive/schema/article.schema.json."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        errors = record_errors(dict(item))
        if errors:
            self.stats.inc_value(f"{ERROR_STAT_PREFIX}invalid_record")
            logger.error("invalid_record: %s: %s", item.get("url"), "; ".join(errors[:5]))
            raise DropItem(f"record breaks the article schema: {errors[0]}")
        self.stats.inc_value("newsarchive/articles/exported")
        return item
