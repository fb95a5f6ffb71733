"""The report of a resumed crawl covers the whole crawl: every run of it, not only the last one.

A crawl stopped (Ctrl-C, SIGTERM, a limit) or killed and then resumed (`crawl --resume`, crawl/resume.py)
runs more than once under one crawl id, and crawl.json must still describe the crawl as a whole:
- counts, errors and problems are the sums over all runs; the pages a resumed run read back from its
  own WARC files (newsarchive/resume/replayed) are not counted again as requests or responses;
- articles and field coverage are read from articles.jsonl, which holds every run's records;
- `runs` lists each run with its own counts. A run that was killed left no report: it is listed as
  such, its requests and errors are unknown, and `complete` is false (its articles and WARC bytes
  are still counted, from the files).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from newsarchive.base import layout

logger = logging.getLogger(__name__)

REPLAYED = "newsarchive/resume/replayed"
REPLAYED_STATUS_PREFIX = "newsarchive/resume/replayed_status/"
# Counts a run adds up; the others are facts about the crawl's files, recomputed for the whole crawl.
SUMMED = ("requests", "responses", "articles_dropped", "skipped_older_than_since", "skipped_before_fetch",
          "warc_records", "warc_revisits", "retries", "robots_forbidden", "new", "changed", "unchanged", "failed",
          "skipped_not_due")
KILLED = "killed (no report)"


def previous_report(crawl_dir: Path) -> dict | None:
    try:
        report = json.loads((Path(crawl_dir) / layout.REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and isinstance(report.get("counts"), dict) else None


def without_replays(run: dict, stats: dict) -> dict:
    """This run's report with the pages read back from the archive taken out of requests and responses."""
    replayed = stats.get(REPLAYED, 0)
    counts = dict(run["counts"])
    counts["requests"] = max(0, counts["requests"] - replayed)
    counts["responses"] = max(0, counts["responses"] - replayed)
    by_status = dict(counts["responses_by_status"])
    for key, value in stats.items():
        if key.startswith(REPLAYED_STATUS_PREFIX):
            status = key[len(REPLAYED_STATUS_PREFIX):]
            by_status[status] = by_status.get(status, 0) - value
    counts["responses_by_status"] = {k: v for k, v in sorted(by_status.items()) if v > 0}
    return {**run, "counts": counts}


def run_summary(report: dict) -> dict:
    keys = ("started_at", "finished_at", "duration_s", "finish_reason", "counts", "errors", "problems")
    return {key: report.get(key) for key in keys}


def whole_crawl(this_run: dict, previous: dict | None, *, after_crash: bool, stats: dict,
                articles: int, coverage: dict[str, float]) -> dict:
    """The report of the whole crawl, from this run's report, the last report written (if any) and the
    crawl's articles (count and coverage over articles.jsonl)."""
    this_run = without_replays(this_run, stats)
    runs = list(previous.get("runs") or [run_summary(previous)]) if previous else []
    if after_crash or previous is None:
        runs.append({"finish_reason": KILLED, "counts": None, "errors": None, "problems": None})
    runs.append(run_summary(this_run))
    reported = [run for run in runs if run.get("counts")]
    counts = dict(this_run["counts"])
    for name in SUMMED:
        counts[name] = sum(run["counts"].get(name, 0) or 0 for run in reported)
    counts["responses_by_status"] = _sum_dicts(run["counts"].get("responses_by_status") or {} for run in reported)
    counts["articles"] = articles
    whole = {
        **this_run,
        "started_at": (runs[0].get("started_at") if runs[0].get("counts") else None) or this_run["started_at"],
        "duration_s": round(sum(run.get("duration_s") or 0 for run in reported), 3),
        "counts": counts,
        "errors": _sum_dicts(run.get("errors") or {} for run in reported),
        "problems": _sum_dicts(run.get("problems") or {} for run in reported),
        "coverage": coverage,
        "runs": runs,
        "complete": len(reported) == len(runs),
    }
    if not whole["complete"]:
        logger.warning("crawl.json covers %d runs of this crawl; %d of them were killed and left no report, so "
                       "their requests and errors are not counted (articles and WARC bytes are)",
                       len(runs), len(runs) - len(reported))
    return whole


def _sum_dicts(dicts) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in dicts:
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    return dict(sorted(total.items()))
