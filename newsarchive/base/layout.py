"""Where a crawl's outputs go: ARCHIVE/<spider>/<crawl-id>/{warc/, articles.jsonl, crawl.json, crawl.log, job/}.

A distributed crawl's workers share the crawl folder and its warc/ (file names carry host and pid),
and each writes its own articles-<worker>.jsonl, crawl-<worker>.json and crawl-<worker>.log; crawl.json
is then the report merged from every worker's (newsarchive/distributed/report.py).

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
REPORT_HTML_FILE = "crawl.html"  # the same report as a page (crawl/report_html.py)
LOG_FILE = "crawl.log"
WARC_SUBDIR = "warc"
STATE_FILE = "state.sqlite"
ARTICLES_PATTERN = "articles*.jsonl"  # articles.jsonl, or articles-<worker>.jsonl in a distributed crawl


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


def worker_file(name: str, worker: str | None) -> str:
    """`articles.jsonl` -> `articles-<worker>.jsonl` (the name itself when there is no worker)."""
    if not worker:
        return name
    stem, dot, suffix = name.partition(".")
    return f"{stem}-{worker}{dot}{suffix}"


def is_articles_file(name: str) -> bool:
    """Whether a file name is an articles feed: articles.jsonl or a worker's articles-<worker>.jsonl."""
    return name == ARTICLES_FILE or (name.startswith("articles-") and name.endswith(".jsonl"))


def worker_of(spider) -> str | None:
    """The distributed worker this process is (the WORKER_ID setting), or None in a one-process crawl."""
    return spider.settings.get("WORKER_ID") or None


def report_path(spider) -> Path:
    """crawl.json, or crawl-<worker>.json for one worker of a distributed crawl."""
    return crawl_dir(spider) / worker_file(REPORT_FILE, worker_of(spider))


def report_html_path(spider) -> Path:
    """crawl.html beside crawl.json (crawl-<worker>.html for one worker of a distributed crawl)."""
    return crawl_dir(spider) / worker_file(REPORT_HTML_FILE, worker_of(spider))


def articles_path(spider) -> Path:
    """articles.jsonl, or articles-<worker>.jsonl for one worker of a distributed crawl."""
    return crawl_dir(spider) / worker_file(ARTICLES_FILE, worker_of(spider))


def warc_files(spider) -> list[Path]:
    """The crawl's finished WARC files; for a distributed worker only its own, whose names end in
    -<WORKER_ID> (the worker id is the host-pid that the WARC writer puts in every name)."""
    worker = worker_of(spider)
    pattern = f"*-{worker}.warc.gz" if worker else "*.warc.gz"
    return sorted(warc_dir(spider).glob(pattern))


def spider_dir(spider) -> Path:
    return archive_root(spider.settings) / safe_names.spider_name(spider.name)


def crawl_dir(spider) -> Path:
    return spider_dir(spider) / crawl_id_for(spider)


def warc_dir(spider) -> Path:
    return crawl_dir(spider) / WARC_SUBDIR


def feed_uri_params(params: dict, spider) -> dict:
    """FEED_URI_PARAMS hook: lets FEEDS say %(archive_dir)s and %(crawl_id)s."""
    return {**params, "archive_dir": str(archive_root(spider.settings)), "crawl_id": crawl_id_for(spider)}
