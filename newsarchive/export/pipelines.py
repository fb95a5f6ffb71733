"""Item pipelines of the export stage: refuse to write a record that breaks the published schema.

Records are built whole in the spider callback (newsarchive.export.record.article_record, with the
same extraction functions as the public API), so researchers can trust every line of
articles.jsonl to match export/schema/article.schema.json.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from newsarchive.base import stats as stat_names
from newsarchive.export.schema import record_errors

logger = logging.getLogger(__name__)


class SchemaValidationPipeline:
    """Drop (and count) any record that does not match the article schema."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        errors = record_errors(dict(item))
        if errors:
            self.stats.inc_value(stat_names.error("invalid_record"))
            logger.error("invalid_record: %s: %s", item.get("url"), "; ".join(errors[:5]))
            raise DropItem(f"record breaks the article schema: {errors[0]}")
        self.stats.inc_value(stat_names.ARTICLES_EXPORTED)
        return item
