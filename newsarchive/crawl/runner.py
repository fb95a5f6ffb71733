"""Run one crawl in this process and hand back its report: the engine behind `newsarchive crawl` and `demo`.

`scrapy crawl` works just as well (the same settings wire the same components); this adds what a
person at a terminal expects: a progress line, a log file next to the outputs, warnings and errors
on the console, and the report as a return value.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from newsarchive.base import layout, safe_names


def project_settings(overrides: dict[str, Any] | None = None):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsarchive.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def archive_for(overrides: dict[str, Any]) -> Path:
    """The archive root a crawl with these setting overrides writes to (absolute)."""
    return layout.archive_path(overrides.get("ARCHIVE_DIR") or project_settings().get("ARCHIVE_DIR"))


def run_crawl(
    spider_name: str,
    *,
    spider_args: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    progress: bool | None = None,
    console_level: int = logging.WARNING,
    resumable: bool = True,
) -> dict | None:
    """Crawl with `spider_name` until done; return the crawl report (None if the crawl never opened).

    The crawl runs in archive/<spider>/<crawl-id>/ with JOBDIR in its job/ folder; given the CRAWL_ID
    of an unfinished crawl, it continues that crawl (see newsarchive.resume). A distributed worker runs
    with `resumable=False`: its frontier lives in Redis, and a job folder would be shared by every worker.
    """
    from scrapy.crawler import CrawlerProcess

    from newsarchive.crawl import resume

    overrides = dict(settings or {})
    overrides.setdefault("CRAWL_ID", layout.new_crawl_id())
    # Both become folder names before Scrapy starts: UnsafeName (base/safe_names.py) if they cannot.
    safe_names.crawl_id(overrides["CRAWL_ID"])
    safe_names.spider_name(spider_name)
    archive = archive_for(overrides)
    overrides["ARCHIVE_DIR"] = str(archive)
    crawl_dir = archive / spider_name / overrides["CRAWL_ID"]
    log_file = crawl_dir / layout.LOG_FILE
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # Every crawl keeps a Scrapy job folder, so any crawl, stopped or killed, can be resumed.
    if resumable:
        jobdir = overrides.setdefault("JOBDIR", str(resume.job_folder(crawl_dir)))
        resume.save_arguments(jobdir, spider_args or {})
    overrides.setdefault("LOG_FILE", str(log_file))
    if progress is None:
        progress = sys.stderr.isatty()
    overrides.setdefault("NEWSARCHIVE_PROGRESS", progress)

    overrides.setdefault("LOG_INSTALL_ROOT_HANDLER", True)
    process = CrawlerProcess(project_settings(overrides))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    try:
        crawler = process.create_crawler(spider_name)
        process.crawl(crawler, **(spider_args or {}))
        process.start()
    finally:
        logging.getLogger().removeHandler(console)
    from newsarchive.crawl.report import CrawlReport

    report = crawler.get_extension(CrawlReport)
    return report.report if report is not None else None
