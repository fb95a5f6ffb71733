"""Crash-safe resume (`newsarchive crawl SPIDER --resume`), built on Scrapy's JOBDIR.

What JOBDIR keeps, read from Scrapy 2.19 and queuelib and checked with kill -9:
- `requests.queue/`: pending requests, whose index (`active.json`, the queue files' size headers)
  is written only when the scheduler closes;
- `requests.seen`: the fingerprint of every request ever scheduled, appended through a buffered
  file, so after kill -9 it holds whatever prefix the buffer had flushed;
- `spider.state`: pickled when the spider closes.
So JOBDIR resumes a crawl stopped cleanly (Ctrl-C once, SIGTERM, a CLOSESPIDER_* limit). After
kill -9, an OOM kill, a power loss or a second Ctrl-C, the queue is lost or stale, `requests.seen`
names requests that were never fetched (they would be filtered out forever) and the spider state is
older than the crawl: resuming on them silently loses every request that was waiting.

So the archive itself is the journal: the WARC files say what was fetched, `articles.jsonl` what
was exported.
- `ResumableJob` (extension) keeps a `RUNNING` marker in the job folder while a run is under way.
  Finding it at start means the last run did not stop cleanly: Scrapy's JOBDIR files are set aside
  (`job/stale-<time>/`) and the crawl rediscovers from its seeds.
- `ArchivedResponses` (downloader middleware) answers, in a resumed run, every request whose URL
  this crawl already archived, from the WARC record, without a fetch and without a new record.
  Rediscovery thus re-reads listings and articles from the archive: each URL is fetched once
  overall. A retryable answer (RETRY_HTTP_CODES) is not replayed: fetching again is the retry.
- The window between "response archived" and "article exported": a crash there leaves an archived
  page without its JSON line. On resume the page is replayed from the WARC and extracted then, so
  the article is neither lost nor fetched twice. Pages whose record is in `articles.jsonl`
  already are marked (`meta[meta.RESUME_EXPORTED]`) and NewsSpider does not export them again.
  A torn last line of `articles.jsonl` is cut by the feed storage (newsarchive.export.storage) and its
  article comes back the same way.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

from newsarchive.base import layout, meta
from newsarchive.fetch.replay import answer_from_archive
from newsarchive.warc.archive import WarcArchive
from newsarchive.warc.reader import RecordNotFound

logger = logging.getLogger(__name__)

JOB_SUBDIR = "job"
RUNNING_MARKER = "RUNNING"
ARGUMENTS_FILE = "arguments.json"
# What Scrapy keeps in JOBDIR; stale after an unclean stop.
SCRAPY_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")
STAT_PREFIX = "newsarchive/resume/"


class NothingToResume(LookupError):
    """No unfinished crawl to resume."""


def job_folder(crawl_dir: Path) -> Path:
    """The JOBDIR of a crawl: archive/<spider>/<crawl-id>/job/."""
    return Path(crawl_dir) / JOB_SUBDIR


def is_finished(crawl_dir: Path) -> bool:
    """True when the crawl's crawl.json says it ran to its natural end."""
    try:
        report = json.loads((Path(crawl_dir) / layout.REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return report.get("finish_reason") == "finished"


def is_resumable(crawl_dir: Path) -> bool:
    return job_folder(crawl_dir).is_dir() and not is_finished(crawl_dir)


def find_resumable_crawl(spider_dir: Path, crawl_id: str | None = None) -> Path:
    """The crawl folder to resume: `crawl_id`'s, or the most recently active unfinished one."""
    spider_dir = Path(spider_dir)
    if crawl_id:
        crawl_dir = spider_dir / crawl_id
        if not crawl_dir.is_dir():
            raise NothingToResume(f"no crawl {crawl_id!r} in {spider_dir}")
        if is_finished(crawl_dir):
            raise NothingToResume(f"crawl {crawl_id!r} in {spider_dir} finished already; nothing to resume")
        if not job_folder(crawl_dir).is_dir():
            raise NothingToResume(f"crawl {crawl_id!r} in {spider_dir} has no job folder (it ran without JOBDIR)")
        return crawl_dir
    candidates = [d for d in spider_dir.iterdir() if d.is_dir() and is_resumable(d)] if spider_dir.is_dir() else []
    if not candidates:
        raise NothingToResume(f"no unfinished crawl in {spider_dir} to resume")
    return max(candidates, key=lambda d: (job_folder(d).stat().st_mtime, d.name))


def save_arguments(jobdir: Path, spider_args: dict) -> None:
    """Remember the spider arguments in the job folder, so `--resume` runs the crawl with the same ones."""
    folder = Path(jobdir)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (ARGUMENTS_FILE + ".tmp")
    tmp.write_text(json.dumps(spider_args, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, folder / ARGUMENTS_FILE)


def load_arguments(jobdir: Path) -> dict:
    try:
        return json.loads((Path(jobdir) / ARGUMENTS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def exported_record_ids(articles: Path) -> set[str]:
    """WARC record ids of the responses whose article records `articles.jsonl` holds."""
    ids: set[str] = set()
    try:
        fh = open(articles, encoding="utf-8")
    except FileNotFoundError:
        return ids
    with fh:
        for line in fh:
            try:
                pointer = json.loads(line).get("warc") or {}
                record_id = pointer.get("record_id")
            except (ValueError, AttributeError):
                continue  # a torn line: the feed storage cuts it when it opens the file
            if isinstance(record_id, str):
                ids.add(record_id)
    return ids


def _write_marker(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat()}\n")
        fh.flush()
        os.fsync(fh.fileno())


class ResumableJob:
    """Tells a clean stop from a crash, and sets a crashed run's stale JOBDIR files aside.

    Enabled when JOBDIR is set. On a run that ends "finished" the job folder is removed: a finished
    crawl has nothing to resume, and requests.seen grows with the crawl.
    """

    def __init__(self, crawler, jobdir: Path):
        self.crawler = crawler
        self.jobdir = jobdir
        self.marker = jobdir / RUNNING_MARKER
        self.resumed = any((jobdir / name).exists() for name in (RUNNING_MARKER, *SCRAPY_JOB_FILES))
        self.clean = self.resumed and not self.marker.exists()

    @classmethod
    def from_crawler(cls, crawler) -> ResumableJob:
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured("JOBDIR is not set")
        job = cls(crawler, Path(jobdir))
        # Extensions are built before the scheduler opens JOBDIR and before SpiderState reads it.
        job.prepare()
        crawler.signals.connect(job.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(job.spider_closed, signal=signals.spider_closed)
        return job

    def prepare(self) -> None:
        self.jobdir.mkdir(parents=True, exist_ok=True)
        if self.resumed and not self.clean:
            aside = self.jobdir / ("stale-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ"))
            aside.mkdir()
            for name in SCRAPY_JOB_FILES:
                if (self.jobdir / name).exists():
                    os.replace(self.jobdir / name, aside / name)
            logger.warning(
                "the last run of this job did not stop cleanly (%s): Scrapy's queue, seen requests and "
                "spider state in %s are stale, so they were moved to %s; rediscovering from the seeds, with "
                "pages this crawl archived already read back from its WARC files, not fetched again",
                self.marker.read_text(encoding="utf-8").strip() or "no detail", self.jobdir, aside.name)
        _write_marker(self.marker)

    def spider_opened(self, spider) -> None:
        stats = self.crawler.stats
        if self.resumed:
            stats.set_value(STAT_PREFIX + "mode", "clean" if self.clean else "after_crash")
            logger.info("resuming crawl %s (%s stop)", layout.crawl_id_for(spider),
                        "clean" if self.clean else "unclean")

    def spider_closed(self, spider, reason=None) -> None:
        # Runs after the scheduler and SpiderState wrote their files (both come earlier in the close).
        if reason == "finished":
            shutil.rmtree(self.jobdir, ignore_errors=True)
        else:
            self.marker.unlink(missing_ok=True)
            logger.info("crawl stopped (%s); continue it with --resume", reason)


class ArchivedResponses:
    """In a resumed run, answers requests for URLs this crawl archived already from its WARC files."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.retry_codes = (set(crawler.settings.getlist("RETRY_HTTP_CODES"))
                            if crawler.settings.getbool("RETRY_ENABLED") else set())
        self.archive: WarcArchive | None = None
        self.exported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler) -> ArchivedResponses:
        if not job_dir(crawler.settings):
            raise NotConfigured("JOBDIR is not set")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider) -> None:
        # By now the recorder has repaired leftover .open files and the feed storage cut a torn line.
        job = self.crawler.get_extension(ResumableJob)
        if job is None or not job.resumed:
            return
        warc_dir = layout.warc_dir(spider)
        if not warc_dir.is_dir():
            return
        self.archive = WarcArchive(warc_dir)
        self.exported = exported_record_ids(layout.crawl_dir(spider) / layout.ARTICLES_FILE)
        logger.info("resume: %d URLs archived by earlier runs of this crawl will be read back, not fetched "
                    "(%d already exported)", len(self.archive), len(self.exported))

    def process_request(self, request, spider=None):
        if self.archive is None:
            return None
        capture = self.archive.lookup(request.url)
        if capture is None:
            return None
        try:
            archived = self.archive.read(capture)
        except (OSError, ValueError, RecordNotFound) as exc:
            logger.error("resume: cannot read the archived %s (%s); fetching it again", request.url, exc)
            self.stats.inc_value(STAT_PREFIX + "unreadable")
            return None
        if archived.status in self.retry_codes:
            return None  # that answer asked for a retry: fetching now is the retry
        if archived.pointer.record_id in self.exported:
            request.meta[meta.RESUME_EXPORTED] = True
            self.stats.inc_value(STAT_PREFIX + "already_exported")
        self.stats.inc_value(STAT_PREFIX + "replayed")
        self.stats.inc_value(f"{STAT_PREFIX}replayed_status/{archived.status}")  # crawl/whole_crawl.py
        return answer_from_archive(request, archived)
