"""rejected.jsonl: article records that could not be saved, kept beside articles.jsonl with the reason.

A record the schema refuses (SchemaValidationPipeline) or that cannot be written as a JSON line (the
articles feed's exporter) is never silently lost: `RejectedRecords.reject` appends it to
ARCHIVE/<spider>/<crawl-id>/rejected.jsonl as {rejected_at, stage, reason, url, record}, counts it
(crawl.json `articles_rejected`, errors by kind), logs one line naming the URL and the reason, and
sends `article_rejected`. The crawl then exits 1. The incremental state never marks a rejected article
archived, so the next crawl extracts and writes it again (docs/architecture.md, "Export").

Lines are written with ensure_ascii, so a record that broke UTF-8 (a lone surrogate) is kept as well.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from scrapy import signals

from newsarchive.base import layout
from newsarchive.base import stats as stat_names
from newsarchive.base.dates import utc_now
from newsarchive.base.signals import article_rejected

logger = logging.getLogger(__name__)

#: error kind per stage, as crawl.json counts it
ERROR_KINDS = {"schema": "invalid_record", "export": "unwritable_record"}


def rejected_records(crawler) -> RejectedRecords | None:
    """The crawl's RejectedRecords extension (None when it is not enabled or not built yet)."""
    try:
        return crawler.get_extension(RejectedRecords)
    except RuntimeError:
        return None


class RejectedRecords:
    """Keeps every article record that could not be saved in the crawl's rejected.jsonl."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler) -> RejectedRecords:
        return cls(crawler)

    @property
    def path(self) -> Path:
        return layout.rejected_path(self.crawler.spider)

    def reject(self, item, reason: str, *, stage: str) -> None:
        """Keep `item` in rejected.jsonl with `reason`; `stage`: "schema" or "export"."""
        record = dict(item)
        url = record.get("url")
        kind = ERROR_KINDS.get(stage, stage)
        self.count += 1
        self.stats.inc_value(stat_names.ARTICLES_REJECTED)
        self.stats.inc_value(stat_names.error(kind))
        line = json.dumps({"rejected_at": utc_now(), "stage": stage, "reason": reason, "url": url, "record": record},
                          ensure_ascii=True, default=str) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab") as fh:  # rare: one open, write and fsync per rejected record
                fh.write(line.encode("ascii"))
                fh.flush()
                os.fsync(fh.fileno())
            kept = f"kept in {self.path}"
        except OSError as exc:
            kept = f"and could not be kept in {self.path}: {exc}"
        logger.error("%s: %s: %s (%s)", kind, url, _short(reason), kept)
        self.crawler.signals.send_catch_log(signal=article_rejected, item=item, reason=reason,
                                            spider=self.crawler.spider)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
