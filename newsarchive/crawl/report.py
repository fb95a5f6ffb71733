"""The crawl report: crawl.json beside the crawl's outputs, and the same summary in the log.

Archivists read it after every scheduled crawl, and `newsarchive report` compares it across
crawls, so it carries the settings that shaped the crawl, counts by outcome, errors by kind,
per-field coverage of the exported articles, and the paths of everything written.
"""
from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timezone

from scrapy import signals
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newsarchive import __version__
from newsarchive.base import layout
from newsarchive.base import stats as stat_names
from newsarchive.base.secrets import masked, masked_settings
from newsarchive.crawl.report_html import render_report_html
from newsarchive.crawl.resume import ResumableJob
from newsarchive.crawl.whole_crawl import previous_report, whole_crawl

logger = logging.getLogger(__name__)

COVERAGE_FIELDS = ("title", "authors", "published", "copyright", "body")
REPORTED_SETTINGS = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "NEWSARCHIVE_MAXSIZE", "DOWNLOAD_MAXSIZE", "RETRY_TIMES",
    "WARC_MAX_SIZE", "ADDRESS_GUARD", "ADDRESS_GUARD_ALLOW", "FIELD_COVERAGE_MIN", "FIELD_COVERAGE_WORDS",
)


def reported_settings(settings) -> dict:
    """REPORTED_SETTINGS and every setting given for this crawl (--set, -s), secrets masked (base/secrets.py)."""
    names = [*REPORTED_SETTINGS, *sorted(name for name in settings
                                         if (settings.getpriority(name) or 0) >= SETTINGS_PRIORITIES["cmdline"]
                                         and name not in REPORTED_SETTINGS)]
    values = {}
    for name in names:
        value = settings.get(name)
        values[name] = value.copy_to_dict() if isinstance(value, BaseSettings) else value
    return masked_settings(values)


def field_present(record: dict, field: str, min_words: int) -> bool:
    if field == "body":
        return (record.get("word_count") or 0) >= min_words
    return bool(record.get(field))


def coverage_failures(coverage: dict[str, float], minimum: dict[str, float], articles: int) -> list[str]:
    """Fields whose share of articles fell below its floor (no articles at all fails every floor)."""
    return [
        f"{field}: {coverage.get(field, 0.0):.2f} < {floor:.2f}" + ("" if articles else " (no articles)")
        for field, floor in sorted(minimum.items())
        if coverage.get(field, 0.0) < float(floor)
    ]


class CrawlReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.min_words = self.settings.getint("FIELD_COVERAGE_WORDS")
        self.coverage_min = self.settings.getdict("FIELD_COVERAGE_MIN")
        self.present = dict.fromkeys(COVERAGE_FIELDS, 0)
        self.articles = 0
        self.sections: dict[str, int] = {}
        self.started = time.monotonic()
        self.report: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        report = cls(crawler)
        crawler.signals.connect(report.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        return report

    def item_scraped(self, item, response=None, spider=None):
        self.articles += 1
        section = item.get("section") or "(none)"
        self.sections[section] = self.sections.get(section, 0) + 1
        for field in COVERAGE_FIELDS:
            self.present[field] += field_present(item, field, self.min_words)

    def spider_closed(self, spider, reason):
        self.report = self.build(spider, reason)
        path = layout.report_path(spider)  # crawl-<worker>.json for a distributed worker
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a report
        html_path = layout.report_html_path(spider)
        html_tmp = html_path.with_suffix(".html.tmp")
        html_tmp.write_text(render_report_html(self.report), encoding="utf-8")
        os.replace(html_tmp, html_path)
        for failure in self.report["coverage_failed"]:
            logger.error("field coverage below FIELD_COVERAGE_MIN: %s", failure)
        if archived_nothing(self.report):
            logger.error("nothing archived: every article the crawl tried was refused or failed (errors: %s)",
                         ", ".join(f"{k}: {v}" for k, v in self.report["errors"].items()))
        logger.info("crawl report:\n%s", format_summary(self.report))

    def build(self, spider, reason: str) -> dict:
        stats = self.stats.get_stats()
        crawl_dir = layout.crawl_dir(spider)
        warc_files = layout.warc_files(spider)
        coverage = {f: round(self.present[f] / self.articles, 4) if self.articles else 0.0 for f in COVERAGE_FIELDS}
        statuses = {
            key.rsplit("/", 1)[1]: value
            for key, value in stats.items()
            if key.startswith("downloader/response_status_count/")
        }
        errors = stat_names.by_prefix(stats, stat_names.ERROR_PREFIX)
        problems = stat_names.by_prefix(stats, stat_names.PROBLEM_PREFIX)
        start = stats.get("start_time")
        finish = stats.get("finish_time") or datetime.now(timezone.utc)
        report = {
            "crawl_id": layout.crawl_id_for(spider),
            "spider": spider.name,
            "software": f"newsarchive/{__version__}",
            "started_at": _iso(start),
            "finished_at": _iso(finish),
            "duration_s": round(time.monotonic() - self.started, 3),
            "finish_reason": reason,
            "arguments": {
                "since": str(getattr(spider, "since", None) or "") or None,
                "max_articles": getattr(spider, "max_articles", None),
                "start_urls": masked(list(getattr(spider, "start_urls", ()) or ())),
            },
            "settings": reported_settings(self.settings),
            "counts": {
                "requests": stats.get("downloader/request_count", 0),
                "responses": stats.get("downloader/response_count", 0),
                "responses_by_status": dict(sorted(statuses.items())),
                "articles": self.articles,
                "articles_dropped": stats.get("item_dropped_count", 0),
                # --since: skipped on a feed/sitemap date before fetching, or on the page's own date after
                "skipped_older_than_since": stats.get(stat_names.SKIPPED_OLDER_THAN_SINCE, 0)
                + stats.get(stat_names.SKIPPED_PUBLISHED_BEFORE_SINCE, 0),
                "skipped_before_fetch": stats.get(stat_names.SKIPPED_OLDER_THAN_SINCE, 0),
                "warc_records": stats.get(stat_names.WARC_RECORDS, 0),
                "warc_revisits": stats.get(stat_names.WARC_REVISITS, 0),
                "warc_bytes": sum(p.stat().st_size for p in warc_files if p.exists()),
                "retries": stats.get("retry/count", 0),
                "robots_forbidden": stats.get("robotstxt/forbidden", 0),
                "new": stats.get(stat_names.URL_OUTCOME_PREFIX + "new", 0),
                "changed": stats.get(stat_names.URL_OUTCOME_PREFIX + "changed", 0),
                "unchanged": stats.get(stat_names.URL_OUTCOME_PREFIX + "unchanged", 0),
                "failed": sum(v for k, v in errors.items() if k != "robots_forbidden"),
                "skipped_not_due": stats.get("newsarchive/skipped/not_due", 0),
            },
            "articles_by_section": dict(sorted(self.sections.items())),
            "errors": errors,
            "problems": problems,
            "requisites": {  # page requisites (crawl/requisites_fetch.py)
                "archived": stats.get(stat_names.REQUISITES_ARCHIVED, 0),
                "bytes": stats.get(stat_names.REQUISITES_BYTES, 0),
                "skipped": stat_names.by_prefix(stats, stat_names.REQUISITES_SKIPPED_PREFIX),
                "budget_hit": stat_names.by_prefix(stats, stat_names.REQUISITES_BUDGET_HIT_PREFIX),
            },
            "coverage": coverage,
            "coverage_min": self.coverage_min,
            "coverage_failed": coverage_failures(coverage, self.coverage_min, self.articles) if self.coverage_min else [],
            "paths": {
                "crawl_dir": str(crawl_dir),
                "articles": str(layout.articles_path(spider)),
                "report": str(layout.report_path(spider)),
                "report_html": str(layout.report_html_path(spider)),
                "warc": [
                    {"path": str(p), "bytes": p.stat().st_size} for p in warc_files if p.exists()
                ],
            },
        }
        job = self.crawler.get_extension(ResumableJob)
        if job is not None and job.resumed:  # crawl.json covers every run of the crawl (crawl/whole_crawl.py)
            articles, coverage = self.coverage_of(crawl_dir / layout.ARTICLES_FILE)
            report = whole_crawl(report, previous_report(crawl_dir), after_crash=not job.clean, stats=stats,
                                 articles=articles, coverage=coverage)
            report["coverage_failed"] = (coverage_failures(coverage, self.coverage_min, articles)
                                         if self.coverage_min else [])
        return report

    def coverage_of(self, articles_path) -> tuple[int, dict[str, float]]:
        """(articles, coverage) over every record of an articles.jsonl (a torn last line is skipped)."""
        present, articles = dict.fromkeys(COVERAGE_FIELDS, 0), 0
        try:
            with open(articles_path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    articles += 1
                    for field in COVERAGE_FIELDS:
                        present[field] += field_present(record, field, self.min_words)
        except OSError:
            pass
        return articles, {f: round(present[f] / articles, 4) if articles else 0.0 for f in COVERAGE_FIELDS}


def archived_nothing(report: dict) -> bool:
    """True when the crawl archived no article because every attempt was refused or failed (exit 1).

    A crawl that found nothing new (everything unchanged, or not due) archived nothing on purpose.
    """
    counts = report["counts"]
    outcomes = counts["articles"] + counts["new"] + counts["changed"] + counts["unchanged"]
    on_purpose = counts.get("skipped_not_due", 0) + counts["skipped_older_than_since"]
    return outcomes == 0 and on_purpose == 0 and counts["failed"] > 0


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def format_summary(report: dict) -> str:
    counts = report["counts"]
    lines = [
        f"crawl {report['crawl_id']} of spider {report['spider']}: {report['finish_reason']} "
        f"in {report['duration_s']:.1f} s",
        f"  pages fetched  {counts['responses']} (requests {counts['requests']}, retries {counts['retries']}); "
        f"by status: " + (", ".join(f"{k}: {v}" for k, v in counts["responses_by_status"].items()) or "none"),
        f"  articles       {counts['articles']} written, {counts['articles_dropped']} dropped, "
        f"{counts['skipped_older_than_since']} older than --since",
        f"  URLs           new {counts['new']}, changed {counts['changed']}, unchanged {counts['unchanged']}, "
        f"failed {counts['failed']}",
        f"  WARC           {counts['warc_records']} records, {counts['warc_revisits']} revisits, "
        f"{_size(counts['warc_bytes'])}",
        "  errors         " + (", ".join(f"{k}: {v}" for k, v in report["errors"].items()) or "none"),
        "  handled        " + (", ".join(f"{k}: {v}" for k, v in report["problems"].items()) or "none")
        + " (bad input repaired or tolerated)",
        "  coverage       " + ", ".join(f"{k} {v:.0%}" for k, v in report["coverage"].items()),
    ]
    requisites = report.get("requisites")
    if requisites and (requisites["archived"] or requisites["skipped"]):
        lines.append(f"  requisites     {requisites['archived']} archived ({_size(requisites['bytes'])}), "
                     f"{sum(requisites['skipped'].values())} skipped"
                     + (f"; budget hit: {', '.join(requisites['budget_hit'])}" if requisites["budget_hit"] else ""))
    if report.get("coverage_failed"):
        lines.append("  BELOW FLOOR    " + "; ".join(report["coverage_failed"]))
    paths = report["paths"]
    lines.append(f"  articles.jsonl {paths['articles']}")
    for warc in paths["warc"]:
        lines.append(f"  WARC file      {warc['path']} ({_size(warc['bytes'])})")
    lines.append(f"  report         {paths['report']}")
    if paths.get("report_html"):
        lines.append(f"  report (page)  {paths['report_html']}")
    return "\n".join(lines)
