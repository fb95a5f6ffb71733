"""The articles feed's exporter: a JSON line per record, and word of each line written.

FEEDS writes articles.jsonl through this exporter (the "articles" format in FEED_EXPORTERS). A record
that cannot be serialized as one UTF-8 JSON line is not half-written: it goes to rejected.jsonl with
the reason (newsarchive.export.rejected). A record whose line was handed to the durable storage
(newsarchive.export.storage: it reaches the OS at once) is announced with `article_written`, which the
crawl report and the incremental state wait for (docs/architecture.md, "Export").
"""
from __future__ import annotations

import logging

from scrapy.exporters import JsonLinesItemExporter

from newsarchive.base import stats as stat_names
from newsarchive.base.signals import article_written
from newsarchive.export.rejected import rejected_records

logger = logging.getLogger(__name__)


class ArticleLinesExporter(JsonLinesItemExporter):
    def __init__(self, file, *, crawler=None, **kwargs):
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler, file, *args, **kwargs) -> ArticleLinesExporter:
        return cls(file, *args, crawler=crawler, **kwargs)

    def export_item(self, item) -> None:
        try:
            line = (self.encoder.encode(dict(self.get_serialized_fields(item))) + "\n").encode(self.encoding or "utf-8")
        except (TypeError, ValueError, UnicodeError, RecursionError) as exc:
            rejected = rejected_records(self.crawler) if self.crawler is not None else None
            if rejected is None:
                raise
            rejected.reject(item, f"cannot be written as a UTF-8 JSON line: {exc}", stage="export")
            return
        self.file.write(line)
        if self.crawler is not None:
            self.crawler.stats.inc_value(stat_names.ARTICLES_EXPORTED)
            self.crawler.signals.send_catch_log(signal=article_written, item=item, spider=self.crawler.spider)
