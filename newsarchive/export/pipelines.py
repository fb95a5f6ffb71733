"""Item pipelines of the export stage: make every record writable, then refuse one that breaks the schema.

Records are built whole in the spider callback (newsarchive.export.record.article_record, with the
same extraction functions as the public API), so researchers can trust every line of
articles.jsonl to match export/schema/article.schema.json.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from newsarchive.base import stats as stat_names
from newsarchive.export.schema import record_errors
from newsarchive.normalize.encodable import encodable, encodable_text

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


class EncodableTextPipeline:
    """The export stage's last line of defence: no record fails in the exporter over its text.

    Extraction cleans what it reads (extract/, normalize/); whatever still slips through (a lone
    surrogate from a JSON-LD escape, a control character in a meta tag) is replaced here, counted
    (problem unencodable_text) and logged with the fields it touched, and the record is written.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        changed = [key for key, value in item.items() if encodable(value) != value]
        if not changed:
            return item
        for key in changed:
            item[key] = encodable(item[key])
        self.stats.inc_value(stat_names.problem("unencodable_text"))
        logger.warning("unencodable_text: %s: replaced lone surrogates or control characters in %s",
                       encodable_text(str(item.get("url"))), ", ".join(changed))
        return item

