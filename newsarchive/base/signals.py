"""Signals newsarchive components send each other, beside Scrapy's own (docs/architecture.md, "Export").

An article counts as saved, and the incremental state marks it archived, only once its JSON line is in
articles.jsonl: Scrapy's `item_scraped` fires before the feed exporter has written anything (and fires
even when writing fails), so the articles feed's exporter says so itself.
"""
from __future__ import annotations

#: (item, spider) The record's JSON line reached articles.jsonl (newsarchive.export.exporter).
article_written = object()
#: (item, reason, spider) The record was kept in rejected.jsonl instead (newsarchive.export.rejected).
article_rejected = object()


def writes_confirmed(settings) -> bool:
    """True when the articles feed is on, so `article_written` says a record is saved; without it (a user
    turned NEWSARCHIVE_ARTICLES_FEED off and exports by other means) `item_scraped` is all there is."""
    return bool(settings.getdict("NEWSARCHIVE_ARTICLES_FEED"))
