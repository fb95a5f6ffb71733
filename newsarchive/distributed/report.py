"""The merged report of a distributed crawl: crawl.json made from every worker's report.

Each worker writes crawl-<worker>.json beside its articles-<worker>.jsonl and puts the same report into
Redis; every worker that stops writes crawl.json anew from all the reports Redis holds, so the last one
leaves the whole crawl's report, in the same form as a one-process crawl.json (`newsarchive report` and
drift read it unchanged) plus a `workers` list and a `distributed` section.
"""
from __future__ import annotations

from pathlib import Path

from newsarchive.base import layout
from newsarchive.base.dates import parse_date
from newsarchive.crawl.report import COVERAGE_FIELDS, coverage_failures


def _add(total: dict, part: dict) -> None:
    """Sum `part` into `total`: numbers add up, nested dicts merge the same way."""
    for key, value in part.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, dict):
            _add(total.setdefault(key, {}), value)


def wall_seconds(reports: list[dict]) -> float:
    """From the first worker's start to the last one's finish (the reports give seconds)."""
    starts = [parse_date(r.get("started_at")) for r in reports]
    finishes = [parse_date(r.get("finished_at")) for r in reports]
    starts, finishes = [d for d in starts if d], [d for d in finishes if d]
    if not starts or not finishes:
        return round(max(r.get("duration_s") or 0 for r in reports), 3)
    return round((max(finishes) - min(starts)).total_seconds(), 3)


def merge_reports(reports: list[dict], *, frontier: dict | None = None) -> dict:
    """One crawl report from the workers' reports (any order); `frontier` adds what Redis says."""
    if not reports:
        raise ValueError("no worker reports to merge")
    reports = sorted(reports, key=lambda r: (r.get("started_at") or "", r.get("worker") or ""))
    first = reports[0]
    counts: dict = {}
    errors: dict = {}
    problems: dict = {}
    sections: dict = {}
    requisites: dict = {}
    for report in reports:
        _add(counts, report.get("counts") or {})
        _add(errors, report.get("errors") or {})
        _add(problems, report.get("problems") or {})
        _add(sections, report.get("articles_by_section") or {})
        _add(requisites, report.get("requisites") or {})
    articles = counts.get("articles", 0)
    coverage = {}
    for field in COVERAGE_FIELDS:
        present = sum((r.get("coverage") or {}).get(field, 0.0) * (r.get("counts") or {}).get("articles", 0)
                      for r in reports)
        coverage[field] = round(present / articles, 4) if articles else 0.0
    coverage_min = first.get("coverage_min") or {}
    reasons = sorted({r.get("finish_reason") for r in reports})
    crawl_dir = Path((first.get("paths") or {}).get("crawl_dir") or ".")
    warc = {w["path"]: w for r in reports for w in (r.get("paths") or {}).get("warc", [])}
    return {
        "crawl_id": first.get("crawl_id"),
        "spider": first.get("spider"),
        "software": first.get("software"),
        "started_at": min(r.get("started_at") or "" for r in reports) or None,
        "finished_at": max(r.get("finished_at") or "" for r in reports) or None,
        "duration_s": wall_seconds(reports),
        "worker_seconds": round(sum(r.get("duration_s") or 0 for r in reports), 3),
        "finish_reason": "finished" if reasons == ["finished"] else ",".join(str(x) for x in reasons),
        "arguments": first.get("arguments"),
        "settings": first.get("settings"),
        "counts": counts,
        "articles_by_section": dict(sorted(sections.items())),
        "errors": dict(sorted(errors.items())),
        "problems": dict(sorted(problems.items())),
        "requisites": requisites,
        "coverage": coverage,
        "coverage_min": coverage_min,
        "coverage_failed": coverage_failures(coverage, coverage_min, articles) if coverage_min else [],
        "paths": {
            "crawl_dir": str(crawl_dir),
            "articles": str(crawl_dir / layout.ARTICLES_PATTERN),
            "articles_files": sorted({(r.get("paths") or {}).get("articles") for r in reports} - {None}),
            "report": str(crawl_dir / layout.REPORT_FILE),
            "report_html": str(crawl_dir / layout.REPORT_HTML_FILE),
            "warc": sorted(warc.values(), key=lambda w: w["path"]),
        },
        "workers": [
            {"worker": r.get("worker"), "finish_reason": r.get("finish_reason"), "started_at": r.get("started_at"),
             "finished_at": r.get("finished_at"), "responses": (r.get("counts") or {}).get("responses", 0),
             "articles": (r.get("counts") or {}).get("articles", 0), "distributed": r.get("distributed") or {}}
            for r in reports
        ],
        "distributed": frontier or {},
    }
