"""Where a crawl's outputs go: ARCHIVE/<spider>/<crawl-id>/{warc/, articles.jsonl, crawl.json, crawl.log, job/}.

Every component that writes or finds output asks this module, so the layout (docs/architecture.md,
"The archive on disk") lives in one place, and so does the archive's default location.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from newsarchive.base import safe_names

DEFAULT_ARCHIVE_DIR = "archive"
ARTICLES_FILE = "articles.jsonl"
REPORT_FILE = "crawl.json"
LOG_FILE = "crawl.log"
WARC_SUBDIR = "warc"
STATE_FILE = "state.sqlite"


def new_crawl_id(now: datetime | None = None) -> str:
    """UTC start time, e.g. 20261129T042935Z: sortable, and readable in a directory listing."""
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def archive_path(value: str | Path | None) -> Path:
    """The archive root a setting or an argument names (the default when it names none), made absolute."""
    return Path(value or DEFAULT_ARCHIVE_DIR).absolute()


def archive_root(settings) -> Path:
    return archive_path(settings.get("ARCHIVE_DIR"))


def crawl_id_for(spider) -> str:
    """The spider's crawl id, fixed on first use so every component agrees on it (UnsafeName if it is not
    one harmless path component: base/safe_names.py)."""
    crawl_id = getattr(spider, "crawl_id", None) or spider.settings.get("CRAWL_ID")
    if not crawl_id:
        crawl_id = new_crawl_id()
    spider.crawl_id = safe_names.crawl_id(crawl_id)
    return crawl_id


def spider_dir(spider) -> Path:
    return archive_root(spider.settings) / safe_names.spider_name(spider.name)


def crawl_dir(spider) -> Path:
    return spider_dir(spider) / crawl_id_for(spider)


def warc_dir(spider) -> Path:
    return crawl_dir(spider) / WARC_SUBDIR


def feed_uri_params(params: dict, spider) -> dict:
    """FEED_URI_PARAMS hook: lets FEEDS say %(archive_dir)s and %(crawl_id)s."""
    return {**params, "archive_dir": str(archive_root(spider.settings)), "crawl_id": crawl_id_for(spider)}
