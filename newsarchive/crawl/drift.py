"""Drift monitoring: a crawl's coverage and article count against tolerance bands from its site's history.

A site that changes its layout rarely breaks a spider outright; more often bylines or dates quietly
stop being found, or the article links move and far fewer articles come back. Every crawl.json
records per-field coverage and the article count, per site (`sites`, crawl/report.py), so comparing a
crawl with the crawls before it shows the break the day it happens. It runs at the end of every
crawl (crawl.json's `drift`, which feeds the alerts of crawl/alerts.py) and in `newsarchive report`.

- Per site: each site a crawl covered is compared with the earlier crawls of the same spider that
  covered that site. A generic spider crawling one site today and another tomorrow compares each with
  its own history, not with the other sites (crawl.json files from before `sites` count as one site,
  named by their single start URL).
- Baseline: the median of the last N such crawls (DRIFT_WINDOW); the median keeps one odd crawl
  (a capped test run, an outage) from hiding or faking a drop.
- Band: the value is flagged when it falls below median − width, where width is the largest of
  k × MAD (the median absolute deviation of those crawls), `percent` % of the median, and `min`
  (in the metric's own unit: coverage as a fraction, articles as a count). A steady history gives a
  narrow band, a noisy one a wide band. DRIFT_BANDS holds a band for "coverage" (every field), one
  per field if wanted ("authors": ...), and one for "articles".
- The article count skips each site's first crawl in the archive as a baseline: an incremental
  crawl's first run archives the site's backlog, and every later run only what is new.
- A floor missed in the crawl itself (FIELD_COVERAGE_MIN, `coverage_failed`) is flagged too.

Configurable per spider: DRIFT_WINDOW, DRIFT_MIN_HISTORY and DRIFT_BANDS in settings, or the spider
attributes `drift_window` and `drift_bands` (merged over the settings, band by band).
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median

from newsarchive.base import layout
from newsarchive.base.urls import site_of
from newsarchive.crawl.report import COVERAGE_FIELDS

logger = logging.getLogger(__name__)

WHOLE_CRAWL = ""  # the site key of a crawl that says nothing per site


@dataclass(frozen=True)
class Band:
    """The tolerance below a baseline: width = max(k × MAD, percent % of the median, min)."""

    k: float | None = None
    percent: float | None = None
    min: float = 0.0

    @classmethod
    def from_dict(cls, spec: dict) -> Band:
        unknown = set(spec) - {"k", "percent", "min"}
        if unknown:
            raise ValueError(f"a drift band takes k, percent and min, not {sorted(unknown)}")
        values = {name: float(spec[name]) for name in ("k", "percent", "min") if spec.get(name) is not None}
        if any(v < 0 for v in values.values()):
            raise ValueError(f"drift band values must not be negative: {spec}")
        return cls(**values)

    def lower(self, history: list[float]) -> tuple[float, float]:
        """(median, lower bound) of `history`."""
        middle = median(history)
        widths = [self.min]
        if self.k is not None:
            widths.append(self.k * median(abs(v - middle) for v in history))
        if self.percent is not None:
            widths.append(self.percent / 100 * middle)
        return middle, middle - max(widths)

    def describe(self) -> str:
        parts = ([f"{self.k:g} × MAD"] if self.k is not None else []) + (
            [f"{self.percent:g}% of the median"] if self.percent is not None else []) + [f"{self.min:g}"]
        return "median − max(" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class DriftConfig:
    window: int
    min_history: int
    bands: dict[str, Band]

    def band(self, metric: str) -> Band:
        """A field's own band, else the "coverage" band (fields), or the "articles" band."""
        return self.bands.get(metric) or self.bands["coverage" if metric in COVERAGE_FIELDS else "articles"]

    @classmethod
    def build(cls, window, min_history, bands: dict) -> DriftConfig:
        if int(window) < 1:
            raise ValueError(f"the drift window must be at least 1, not {window}")
        if int(min_history) < 1:
            raise ValueError(f"the drift history minimum must be at least 1, not {min_history}")
        parsed = {name: spec if isinstance(spec, Band) else Band.from_dict(spec) for name, spec in bands.items()}
        for needed in ("coverage", "articles"):
            if needed not in parsed:
                raise ValueError(f"DRIFT_BANDS needs a {needed!r} band")
        unknown = set(parsed) - {"coverage", "articles", *COVERAGE_FIELDS}
        if unknown:
            raise ValueError(f"DRIFT_BANDS: unknown metric(s) {sorted(unknown)}; "
                             f"use coverage, articles or a field: {', '.join(COVERAGE_FIELDS)}")
        return cls(int(window), int(min_history), parsed)

    @classmethod
    def from_settings(cls, settings, spider=None) -> DriftConfig:
        """DRIFT_* settings, with the spider's (class or instance) `drift_window` and `drift_bands` over them."""
        bands = {name: dict(spec) for name, spec in settings.getdict("DRIFT_BANDS").items()}
        for name, spec in (getattr(spider, "drift_bands", None) or {}).items():
            bands[name] = {**bands.get(name, {}), **spec}
        window = getattr(spider, "drift_window", None) or settings.getint("DRIFT_WINDOW")
        return cls.build(window, settings.getint("DRIFT_MIN_HISTORY"), bands)


@dataclass(frozen=True)
class Flag:
    kind: str  # "coverage", "articles" or "floor"
    field: str
    baseline: float | None
    latest: float | None
    message: str
    site: str = WHOLE_CRAWL
    lower: float | None = None


@dataclass
class SiteDrift:
    compared_with: list[str] = field(default_factory=list)
    coverage: dict[str, dict] = field(default_factory=dict)  # field -> {"baseline", "lower", "latest"}
    articles: dict[str, float | None] = field(default_factory=dict)  # {"baseline", "lower", "latest"}


@dataclass
class DriftReport:
    spider: str
    latest: str | None  # crawl id
    sites: dict[str, SiteDrift] = field(default_factory=dict)
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
        if not isinstance(report, dict):
            logger.error("crawl report %s is not a JSON object", path)
            continue
        report.setdefault("crawl_id", path.parent.name)
        reports.append(report)
    return sorted(reports, key=lambda r: str(r.get("crawl_id")))


def spiders_in(archive: Path) -> list[str]:
    """Spider folders of an archive root that hold at least one crawl report."""
    if not archive.is_dir():
        return []
    return sorted(p.name for p in archive.iterdir() if p.is_dir() and any(p.glob(f"*/{layout.REPORT_FILE}")))


def whole_crawl_row(report: dict) -> dict:
    return {"articles": (report.get("counts") or {}).get("articles"), "coverage": report.get("coverage") or {}}


def site_rows(report: dict) -> dict[str, dict]:
    """{site: {"articles", "coverage"}} of a crawl report. A report from before per-site rows is one row,
    keyed by the site of its single start URL (else WHOLE_CRAWL)."""
    sites = report.get("sites")
    if isinstance(sites, dict) and sites:
        return sites
    starts = (report.get("arguments") or {}).get("start_urls") or []
    key = site_of(starts[0]) if len(starts) == 1 else WHOLE_CRAWL
    return {key or WHOLE_CRAWL: whole_crawl_row(report)}


def row_for(report: dict, site: str) -> dict | None:
    if site == WHOLE_CRAWL:
        return whole_crawl_row(report)
    return site_rows(report).get(site)


def compare(reports: list[dict], config: DriftConfig) -> DriftReport:
    """Compare the last report of `reports` (oldest first, one spider) site by site with the crawls before it."""
    if not reports:
        raise ValueError("no crawl reports to compare")
    latest, previous = reports[-1], reports[:-1]
    drift = DriftReport(spider=str(latest.get("spider")), latest=latest.get("crawl_id"))
    for site, row in site_rows(latest).items():
        history = [(r, found) for r in previous if (found := row_for(r, site)) is not None]
        first_crawl_of_site = history[0][0] if history else None
        history = history[-config.window:]
        site_drift = drift.sites[site] = SiteDrift(compared_with=[str(r.get("crawl_id")) for r, _ in history])
        coverage = row.get("coverage") or {}
        articles = row.get("articles")
        for name in COVERAGE_FIELDS:
            values = [h["coverage"][name] for _, h in history if isinstance((h.get("coverage") or {}).get(name), (int, float))]
            site_drift.coverage[name] = entry = {"baseline": None, "lower": None, "latest": coverage.get(name)}
            if len(values) < config.min_history:
                continue
            baseline, lower = config.band(name).lower(values)
            entry.update(baseline=round(baseline, 4), lower=round(max(lower, 0.0), 4))
            now = coverage.get(name)
            # No articles: coverage means nothing, and the count says it all.
            if now is not None and articles and now < lower - 1e-9:
                drift.flags.append(Flag("coverage", name, entry["baseline"], now,
                                        f"{_site_prefix(site)}{name} coverage fell from {baseline:.0%} to {now:.0%} "
                                        f"(band: {config.band(name).describe()} = {max(lower, 0):.0%})",
                                        site, entry["lower"]))
        # The first crawl of a site archives its backlog; incremental crawls after it archive what is new.
        counts = [h["articles"] for r, h in history if r is not first_crawl_of_site and isinstance(h.get("articles"), (int, float))]
        site_drift.articles = {"baseline": None, "lower": None, "latest": articles}
        if len(counts) >= config.min_history:
            baseline, lower = config.band("articles").lower(counts)
            site_drift.articles.update(baseline=baseline, lower=round(max(lower, 0.0), 2))
            if articles is not None and articles < lower - 1e-9:
                drift.flags.append(Flag("articles", "articles", baseline, articles,
                                        f"{_site_prefix(site)}article count fell from {baseline:g} to {articles} "
                                        f"(band: {config.band('articles').describe()} = {max(lower, 0):g})",
                                        site, site_drift.articles["lower"]))
    for failure in latest.get("coverage_failed") or []:
        drift.flags.append(Flag("floor", failure.split(":", 1)[0], None, None,
                                f"below FIELD_COVERAGE_MIN in this crawl: {failure}"))
    return drift


def check_crawl(report: dict, spider_dir: Path, config: DriftConfig) -> DriftReport:
    """The drift of a crawl just finished (`report`, not yet on disk) against the spider's earlier crawls."""
    earlier = [r for r in crawl_reports(spider_dir) if str(r.get("crawl_id")) < str(report.get("crawl_id"))]
    return compare(earlier + [report], config)


def _site_prefix(site: str) -> str:
    return f"{site}: " if site else ""


def format_drift(drift: DriftReport) -> str:
    """A few lines for a person: per site what was compared, each field's baseline, band and latest value, the flags."""
    lines = []

    def pct(value):
        return "   -" if value is None else f"{value:4.0%}"

    for site, site_drift in drift.sites.items():
        name = f"{drift.spider}" + (f" / {site}" if site else "")
        if not site_drift.compared_with:
            lines.append(f"{name}: crawl {drift.latest} is the first crawl here; nothing to compare with")
        else:
            lines.append(f"{name}: crawl {drift.latest} against the median of {len(site_drift.compared_with)} earlier "
                         f"crawl(s) ({site_drift.compared_with[0]} .. {site_drift.compared_with[-1]})")
        lines.append(f"  {'':<10} {'median':>6} {'lower':>6} {'latest':>6}")
        for field_name, values in site_drift.coverage.items():
            lines.append(f"  {field_name:<10} {pct(values['baseline']):>6} {pct(values['lower']):>6} {pct(values['latest']):>6}")
        articles = site_drift.articles

        def num(value):
            return "-" if value is None else f"{value:g}"

        lines.append(f"  {'articles':<10} {num(articles.get('baseline')):>6} {num(articles.get('lower')):>6} "
                     f"{num(articles.get('latest')):>6}")
    if not drift.sites:
        lines.append(f"{drift.spider}: crawl {drift.latest}")
    lines += [f"  DRIFT: {flag.message}" for flag in drift.flags] or ["  no drift"]
    return "\n".join(lines)
