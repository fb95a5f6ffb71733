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
from pathlib import Path

from scrapy import signals
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newsarchive import __version__
from newsarchive.base import layout
from newsarchive.base import stats as stat_names
from newsarchive.base.secrets import masked, masked_settings
from newsarchive.base.signals import article_written, writes_confirmed
from newsarchive.base.urls import site_of
from newsarchive.crawl import limits
from newsarchive.crawl.report_html import render_report_html
from newsarchive.crawl.resume import ResumableJob
from newsarchive.crawl.whole_crawl import previous_report, whole_crawl
from newsarchive.export.record import read_records

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
    if values.get("NOTIFY"):  # a webhook URL's path is its token (crawl/alerts.py): only scheme and host shown
        from newsarchive.crawl.alerts import target_labels

        values["NOTIFY"] = target_labels(values["NOTIFY"])
    return masked_settings(values)


def field_present(record: dict, field: str, min_words: int) -> bool:
    if field == "body":
        return (record.get("word_count") or 0) >= min_words
    return bool(record.get(field))


class CoverageTally:
    """Articles and the fields they carry, per site; the crawl's totals are their sums. Filled record by
    record: live as articles are written, or from articles.jsonl for a resumed crawl."""

    def __init__(self, min_words: int):
        self.min_words = min_words
        self.articles: dict[str, int] = {}  # site -> articles
        self.present: dict[str, dict[str, int]] = {}  # site -> field -> articles that have it

    def add(self, record) -> None:
        site = record.get("site") or site_of(record.get("url"))
        self.articles[site] = self.articles.get(site, 0) + 1
        present = self.present.setdefault(site, dict.fromkeys(COVERAGE_FIELDS, 0))
        for field in COVERAGE_FIELDS:
            present[field] += field_present(record, field, self.min_words)

    @property
    def total(self) -> int:
        return sum(self.articles.values())

    def coverage(self) -> dict[str, float]:
        total = self.total
        return {f: round(sum(p[f] for p in self.present.values()) / total, 4) if total else 0.0
                for f in COVERAGE_FIELDS}

    def site_rows(self, seeds=()) -> dict[str, dict]:
        """Per-site article counts and field coverage; the seeds' sites appear even when they gave no
        article, so drift can see a site that stopped giving any (crawl/drift.py compares each site with
        its own history)."""
        rows = {}
        for site in sorted(set(self.articles) | {site_of(url) for url in seeds if site_of(url)}):
            count = self.articles.get(site, 0)
            rows[site] = {"articles": count, "coverage": {
                f: round(self.present.get(site, {}).get(f, 0) / count, 4) if count else 0.0 for f in COVERAGE_FIELDS}}
        return rows


def write_report(path, report: dict) -> None:
    """Write crawl.json and its page beside it (crawl.html; crawl/report_html.py), each whole or not at all:
    a reader never sees half of either. The temporary names carry the pid: workers of a distributed crawl
    may write the merged report at once."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, text in ((path, json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"),
                         (path.with_suffix(".html"), render_report_html(report))):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)


def crawl_events(report: dict) -> list[str]:
    """What a crawl report calls for: "failure", "coverage" (a floor missed), "drift", "limit", else "success".

    The exit code of `newsarchive crawl` and the alerts of crawl/alerts.py both read it.
    """
    stopped = report.get("stopped_by")
    events = []
    # A limit may stop a crawl before its first response (the disk floor): that is no failure.
    if not stopped and (report["finish_reason"] != "finished" or report["counts"]["responses"] == 0):
        events.append("failure")
    elif archived_nothing(report) or report["counts"].get("articles_rejected"):
        # every article tried was refused or failed, or a record could not be saved (rejected.jsonl)
        events.append("failure")
    # A floor says something about the pages seen: on a crawl cut short it counts only when there were articles.
    if report.get("coverage_failed") and (not stopped or report["counts"]["articles"] > 0):
        events.append("coverage")
    if any(flag["kind"] != "floor" for flag in (report.get("drift") or {}).get("flags", [])):
        events.append("drift")
    if stopped:
        events.append("limit")
    return events or ["success"]


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
        self.tally = CoverageTally(self.min_words)
        self.sections: dict[str, int] = {}
        self.started = time.monotonic()
        self.report: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        report = cls(crawler)
        # Articles are counted once written to articles.jsonl (newsarchive.base.signals), not when scraped.
        saved = article_written if writes_confirmed(crawler.settings) else signals.item_scraped
        crawler.signals.connect(report.item_saved, signal=saved)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        return report

    def item_saved(self, item, response=None, spider=None):
        self.tally.add(item)
        section = item.get("section") or "(none)"
        self.sections[section] = self.sections.get(section, 0) + 1
        if item.get("charset_conflict") is True:  # extraction overruled the charset the HTTP header named
            self.stats.inc_value(stat_names.CHARSET_CONFLICTS)

    def spider_closed(self, spider, reason):
        self.report = self.build(spider, reason)
        self.report["drift"] = self.drift(spider, self.report)
        write_report(layout.report_path(spider), self.report)  # crawl-<worker>.json (and .html) for a worker
        for failure in self.report["coverage_failed"]:
            logger.error("field coverage below FIELD_COVERAGE_MIN: %s", failure)
        if archived_nothing(self.report):
            logger.error("nothing archived: every article the crawl tried was refused or failed (errors: %s)",
                         ", ".join(f"{k}: {v}" for k, v in self.report["errors"].items()))
        logger.info("crawl report:\n%s", format_summary(self.report))

    def drift(self, spider, report: dict) -> dict | None:
        """This crawl against the spider's earlier crawls, site by site (crawl/drift.py); flags are logged."""
        from newsarchive.crawl import drift  # drift reads this module's field list

        if layout.worker_of(spider):  # one worker's share of a distributed crawl is no crawl to compare
            return None
        try:
            result = drift.check_crawl(report, layout.spider_dir(spider), drift.DriftConfig.from_settings(self.settings, spider))
        except ValueError as exc:
            logger.error("drift check skipped: %s", exc)
            return None
        for flag in result.flags:
            if flag.kind != "floor":  # a missed floor is logged as an error below already
                logger.warning("drift: %s", flag.message)
        return result.to_dict()

    def build(self, spider, reason: str) -> dict:
        stats = self.stats.get_stats()
        crawl_dir = layout.crawl_dir(spider)
        warc_files = layout.warc_files(spider)
        articles, coverage = self.tally.total, self.tally.coverage()
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
            # A crawl limit (crawl/limits.py) or Scrapy's CLOSESPIDER_* that ended the crawl; None otherwise.
            "stopped_by": limits.stopped_by(self.crawler, reason),
            "limits": limits.limits_report(self.crawler),
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
                "articles": articles,
                # kept in rejected.jsonl: the schema refused them, or they could not be written (exit 1)
                "articles_rejected": stats.get(stat_names.ARTICLES_REJECTED, 0),
                "articles_dropped": stats.get("item_dropped_count", 0),
                # the page classifier's verdict on every fetched HTML page, and what made each article one
                "page_types": stat_names.by_prefix(stats, stat_names.PAGE_TYPE_PREFIX),
                "articles_decided_by": stat_names.by_prefix(stats, stat_names.DECIDED_BY_PREFIX),
                "not_articles": stats.get("newsarchive/articles/not_an_article", 0),
                "charset_conflicts": stats.get(stat_names.CHARSET_CONFLICTS, 0),
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
            "sites": self.tally.site_rows(getattr(spider, "start_urls", ()) or ()),
            "coverage_min": self.coverage_min,
            "coverage_failed": coverage_failures(coverage, self.coverage_min, articles) if self.coverage_min else [],
            "paths": {
                "crawl_dir": str(crawl_dir),
                "articles": str(layout.articles_path(spider)),
                "rejected": str(layout.rejected_path(spider)) if layout.rejected_path(spider).exists() else None,
                "report": str(layout.report_path(spider)),
                "report_html": str(layout.report_html_path(spider)),
                "warc": [
                    {"path": str(p), "bytes": p.stat().st_size} for p in warc_files if p.exists()
                ],
            },
        }
        job = self.crawler.get_extension(ResumableJob)
        if job is not None and job.resumed:  # crawl.json covers every run of the crawl (crawl/whole_crawl.py)
            whole = CoverageTally(self.min_words)
            for record in read_records(crawl_dir / layout.ARTICLES_FILE):
                whole.add(record)
            articles, coverage = whole.total, whole.coverage()
            report = whole_crawl(report, previous_report(crawl_dir), after_crash=not job.clean, stats=stats,
                                 articles=articles, coverage=coverage)
            report["coverage_failed"] = (coverage_failures(coverage, self.coverage_min, articles)
                                         if self.coverage_min else [])
            report["sites"] = whole.site_rows(getattr(spider, "start_urls", ()) or ())
        return report


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
    ]
    stopped = report.get("stopped_by")
    if stopped:
        detail = ", ".join(f"{k} {v}" for k, v in stopped.items() if k not in ("limit", "value") and v is not None)
        held = ((report.get("limits") or {}).get("used") or {}).get("held_back")
        lines.append(f"  STOPPED BY     {stopped['limit']} = {stopped['value']}" + (f" ({detail})" if detail else "")
                     + (f"; {held} queued requests kept" if held else "")
                     + "; `newsarchive crawl --resume` continues it")
    lines += [
        f"  pages fetched  {counts['responses']} (requests {counts['requests']}, retries {counts['retries']}); "
        f"by status: " + (", ".join(f"{k}: {v}" for k, v in counts["responses_by_status"].items()) or "none"),
        f"  articles       {counts['articles']} written, "
        + (f"{counts['articles_rejected']} REJECTED (kept in rejected.jsonl), " if counts.get("articles_rejected") else "")
        + f"{counts['articles_dropped']} dropped, {counts['skipped_older_than_since']} older than --since",
        "  page types     " + (", ".join(f"{k} {v}" for k, v in counts.get("page_types", {}).items()) or "none")
        + (f"; articles found by " + ", ".join(f"{k} {v}" for k, v in counts["articles_decided_by"].items())
           if counts.get("articles_decided_by") else ""),
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
    drift_flags = [flag for flag in (report.get("drift") or {}).get("flags", []) if flag["kind"] != "floor"]
    if drift_flags:
        lines.append("  DRIFT          " + "; ".join(flag["message"] for flag in drift_flags))
    paths = report["paths"]
    lines.append(f"  articles.jsonl {paths['articles']}")
    if paths.get("rejected"):
        lines.append(f"  rejected.jsonl {paths['rejected']}")
    for warc in paths["warc"]:
        lines.append(f"  WARC file      {warc['path']} ({_size(warc['bytes'])})")
    lines.append(f"  report         {paths['report']}")
    if paths.get("report_html"):
        lines.append(f"  report (page)  {paths['report_html']}")
    return "\n".join(lines)
