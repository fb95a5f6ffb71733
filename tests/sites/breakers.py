"""Test-only: an item pipeline that breaks chosen article records, as bad pages and bad fields do.

Nothing in the project enables it; a test adds it through the settings it passes on the command line
(`break_settings`), after the export stage's text repair (EncodableTextPipeline) and before the schema
check. BREAK_RECORDS maps a URL substring to how its records break:

- "schema": a negative word count, which the article schema refuses (SchemaValidationPipeline);
- "surrogate": a lone surrogate in the title, which the schema accepts (it is a string) and no UTF-8
  JSON line can hold: the articles feed's exporter cannot write it (what the text repair would have
  caught, had anything slipped past it).
"""
from __future__ import annotations

import json

from scrapy.exceptions import NotConfigured


class BreakRecords:
    def __init__(self, rules: dict[str, str]):
        self.rules = rules

    @classmethod
    def from_crawler(cls, crawler):
        rules = crawler.settings.getdict("BREAK_RECORDS")
        if not rules:
            raise NotConfigured
        return cls(rules)

    def process_item(self, item, spider=None):
        for needle, how in self.rules.items():
            if needle in item.get("url", ""):
                if how == "schema":
                    item["word_count"] = -1
                elif how == "surrogate":
                    item["title"] = (item.get("title") or "") + " \ud800"
        return item


def break_settings(rules: dict[str, str]) -> list[str]:
    """`--set` arguments that put BreakRecords before the schema check, breaking records by `rules`."""
    from newsarchive import settings as project

    pipelines = {**project.ITEM_PIPELINES, f"{__name__}.BreakRecords": 750}
    values = {"ITEM_PIPELINES": pipelines, "BREAK_RECORDS": rules}
    return [arg for name, value in values.items() for arg in ("--set", f"{name}={json.dumps(value)}")]
