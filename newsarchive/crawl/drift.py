"""Drift monitoring: compare a spider's latest crawl report with its previous crawls.

A site that changes its layout rarely breaks a spider outright; more often bylines or dates quietly
stop being found, or the article links move and far fewer articles come back. Every crawl.json
records per-field coverage and the article count, so comparing the latest crawl with the median of
the crawls before it shows the break the day it happens:

- a field is flagged when its coverage fell by at least `coverage_drop` (absolute, default 0.2)
  below the median of the previous crawls;
- the article count is flagged when it fell below (1 - `count_drop`) of the previous median
  (default: below half);
- a floor missed in the latest crawl itself (FIELD_COVERAGE_MIN, `coverage_failed`) is flagged too.

The median keeps one odd earlier crawl (a capped test run, an outage) from hiding or faking a drop.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median

from newsarchive.base import layout
from newsarchive.crawl.report import COVERAGE_FIELDS

logger = logging.getLogger(__name__)

DEFAULT_COVERAGE_DROP = 0.2
DEFAULT_COUNT_DROP = 0.5
DEFAULT_WINDOW = 5


@dataclass(frozen=True)
class Flag:
    kind: str  # "coverage", "articles" or "floor"
    field: str
    baseline: float | None
    latest: float | None
    message: str


@dataclass
class DriftReport:
    spider: str
    latest: str | None  # crawl id
    compared_with: list[str] = field(default_factory=list)
    coverage: dict[str, dict] = field(default_factory=dict)  # field -> {"baseline", "latest"}
    articles: dict[str, float | None] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def to_dict(self) -> dict:
        return {**asdict(self), "flagged": self.flagged}


def crawl_reports(spider_dir: Path) -> list[dict]:
    """The crawl.json reports under archive/<spider>/, oldest first (crawl ids are UTC start times)."""
    reports = []
    for path in sorted(spider_dir.glob(f"*/{layout.REPORT_FILE}")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.error("unreadable crawl report %s: %s", path, exc)
            continue
        report.setdefault("crawl_id", path.parent.name)
        reports.append(report)
    return sorted(reports, key=lambda r: str(r.get("crawl_id")))


def spiders_in(archive: Path) -> list[str]:
    """Spider folders of an archive root that hold at least one crawl report."""
    if not archive.is_dir():
        return []
    return sorted(p.name for p in archive.iterdir() if p.is_dir() and any(p.glob(f"*/{layout.REPORT_FILE}")))


def compare(reports: list[dict], *, coverage_drop: float = DEFAULT_COVERAGE_DROP,
            count_drop: float = DEFAULT_COUNT_DROP, window: int = DEFAULT_WINDOW) -> DriftReport:
    """Compare the last report of `reports` (oldest first, one spider) with up to `window` before it."""
    if not reports:
        raise ValueError("no crawl reports to compare")
    latest, previous = reports[-1], reports[-1 - window:-1] if window > 0 else []
    drift = DriftReport(spider=str(latest.get("spider")), latest=latest.get("crawl_id"),
                        compared_with=[str(r.get("crawl_id")) for r in previous])
    latest_coverage = latest.get("coverage") or {}
    for name in COVERAGE_FIELDS:
        now = latest_coverage.get(name)
        history = [r["coverage"][name] for r in previous if name in (r.get("coverage") or {})]
        baseline = round(median(history), 4) if history else None
        drift.coverage[name] = {"baseline": baseline, "latest": now}
        if baseline is not None and now is not None and baseline - now >= coverage_drop - 1e-9:
            drift.flags.append(Flag("coverage", name, baseline, now,
                                    f"{name} coverage fell from {baseline:.0%} to {now:.0%}"))
    count = (latest.get("counts") or {}).get("articles")
    counts = [r["counts"]["articles"] for r in previous if "articles" in (r.get("counts") or {})]
    baseline_count = median(counts) if counts else None
    drift.articles = {"baseline": baseline_count, "latest": count}
    if baseline_count and count is not None and count < (1 - count_drop) * baseline_count:
        drift.flags.append(Flag("articles", "articles", baseline_count, count,
                                f"article count fell from {baseline_count:g} to {count}"))
    for failure in latest.get("coverage_failed") or []:
        drift.flags.append(Flag("floor", failure.split(":", 1)[0], None, None,
                                f"below FIELD_COVERAGE_MIN in this crawl: {failure}"))
    return drift


def format_drift(drift: DriftReport) -> str:
    """A few lines for a person: what was compared, each field's baseline and latest value, the flags."""
    if not drift.compared_with:
        head = f"{drift.spider}: crawl {drift.latest} is the only crawl; nothing to compare with"
    else:
        head = (f"{drift.spider}: crawl {drift.latest} against the median of {len(drift.compared_with)} "
                f"earlier crawl(s) ({drift.compared_with[0]} .. {drift.compared_with[-1]})")
    lines = [head]

    def pct(value):
        return "   -" if value is None else f"{value:4.0%}"

    for name, values in drift.coverage.items():
        lines.append(f"  {name:<10} {pct(values['baseline'])} -> {pct(values['latest'])}")
    articles = drift.articles
    if articles:
        baseline = "-" if articles.get("baseline") is None else f"{articles['baseline']:g}"
        lines.append(f"  {'articles':<10} {baseline:>4} -> {articles.get('latest')}")
    lines += [f"  DRIFT: {flag.message}" for flag in drift.flags] or ["  no drift"]
    return "\n".join(lines)
