"""Log lines that name an article record by its URL instead of printing it whole.

Scrapy's LogFormatter prints the whole item when it is dropped (at WARNING) or scraped (at DEBUG): a
record with its text runs to tens of kilobytes, so one bad crawl would bury its log and terminal.
"""
from __future__ import annotations

from scrapy.logformatter import LogFormatter


def _url(item) -> str:
    try:
        return str(item.get("url") or "?")
    except AttributeError:
        return type(item).__name__


class RecordLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        entry = super().scraped(item, response, spider)
        entry["msg"] = "Scraped from %(src)s: %(url)s"
        entry["args"] = {**entry["args"], "url": _url(item)}
        return entry

    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped %(url)s: %(exception)s"
        entry["args"] = {**entry["args"], "url": _url(item)}
        return entry

    def item_error(self, item, exception, response, spider):
        entry = super().item_error(item, exception, response, spider)
        entry["msg"] = "Error processing %(url)s"
        entry["args"] = {**entry["args"], "url": _url(item)}
        return entry
