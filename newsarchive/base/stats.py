"""Names under which components count in Scrapy's stats; the crawl report reads them back.

A prefix groups counts by kind: crawl.json lists `errors` and `problems` by the part after it.
"""
from __future__ import annotations

# The page could not be fetched, archived whole, or extracted.
ERROR_PREFIX = "newsarchive/errors/"
# Bad input that was handled: the page was still archived and extracted.
PROBLEM_PREFIX = "newsarchive/problems/"
# Outcome of every article URL: new, changed or unchanged (state.revisions).
URL_OUTCOME_PREFIX = "newsarchive/urls/"
ARTICLES_EXPORTED = "newsarchive/articles/exported"

WARC_RECORDS = "warc/records"
WARC_REVISITS = "warc/revisits"
WARC_RESPONSES = "warc/responses"
WARC_BYTES = "warc/bytes"
WARC_FILES = "warc/files"

# Page requisites (crawl/requisites_fetch.py): archived, bytes, skipped/<reason>, budget_hit/<budget>.
REQUISITES_PREFIX = "newsarchive/requisites/"
REQUISITES_ARCHIVED = REQUISITES_PREFIX + "archived"
REQUISITES_BYTES = REQUISITES_PREFIX + "bytes"
REQUISITES_SKIPPED_PREFIX = REQUISITES_PREFIX + "skipped/"
REQUISITES_BUDGET_HIT_PREFIX = REQUISITES_PREFIX + "budget_hit/"

SKIPPED_OLDER_THAN_SINCE = "newsarchive/skipped/older_than_since"
SKIPPED_PUBLISHED_BEFORE_SINCE = "newsarchive/skipped/published_before_since"


def error(kind: str) -> str:
    return ERROR_PREFIX + kind


def problem(kind: str) -> str:
    return PROBLEM_PREFIX + kind


def by_prefix(stats: dict, prefix: str) -> dict[str, int]:
    """{kind: count} of every stat under `prefix`, sorted by kind."""
    return dict(sorted((key[len(prefix):], value) for key, value in stats.items() if key.startswith(prefix)))
