"""Item pipelines of the export stage: refuse to write a record that breaks the published schema.

Records are built whole in the spider callback (newsarchive.export.record.article_record, with the
same extraction functions as the public API), so researchers can trust every line of
articles.jsonl to match export/schema/article.schema.json. A refused record is kept in rejected.jsonl
with the schema's complaints (newsarchive.export.rejected), never only dropped.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from newsarchive.base import stats as stat_names
from newsarchive.export.rejected import rejected_records
from newsarchive.export.schema import record_errors

logger = logging.getLogger(__name__)


class SchemaValidationPipeline:
    """Keep aside (rejected.jsonl) and count any record that does not match the article schema."""

    def __init__(self, stats, crawler=None):
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler)

    def process_item(self, item, spider=None):
        errors = record_errors(dict(item))
        if errors:
            reason = "; ".join(errors[:5])
            rejected = rejected_records(self.crawler) if self.crawler is not None else None
            if rejected is not None:
                rejected.reject(item, reason, stage="schema")
            else:
                self.stats.inc_value(stat_names.error("invalid_record"))
                logger.error("invalid_record: %s: %s", item.get("url"), reason[:300])
            # The line above named it; Scrapy's own "Dropped" line stays at DEBUG.
            raise DropItem(f"record breaks the article schema: {errors[0][:200]}", log_level="DEBUG")
        return item
