"""Drift monitoring: `newsarchive report` flags coverage drops and article-count falls between crawls."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.crawl.drift import DriftConfig, compare, crawl_reports, format_drift
from newsarchive.crawl.runner import project_settings
from tests.conftest import run_cli, read_jsonl
from tests.drift.site import BylineSite

FAST_LOOPBACK = ["--allow-address", "127.0.0.1", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false",
                 "--no-progress"]


def report(crawl_id: str, articles: int, **coverage: float) -> dict:
    full = {"title": 1.0, "authors": 1.0, "published": 1.0, "copyright": 1.0, "body": 1.0, **coverage}
    return {"crawl_id": crawl_id, "spider": "site", "coverage": full, "counts": {"articles": articles},
            "coverage_failed": []}


def write_report(archive: Path, spider: str, data: dict) -> None:
    path = archive / spider / data["crawl_id"] / "crawl.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**data, "spider": spider}), encoding="utf-8")


# ------------------------------------------------------------------ the comparison, on hand-made reports

def config(window: int | None = None, **bands: dict) -> DriftConfig:
    """The project's drift settings (settings.py), with some bands changed."""
    base = DriftConfig.from_settings(project_settings())
    merged = {name: {**vars(band), **bands.get(name, {})} for name, band in base.bands.items()}
    merged.update({name: spec for name, spec in bands.items() if name not in merged})
    return DriftConfig.build(window or base.window, base.min_history, merged)


def test_steady_crawls_are_not_flagged():
    drift = compare([report("20260101T000000Z", 40), report("20260102T000000Z", 42, authors=0.95),
                     report("20260103T000000Z", 39, authors=0.9)], config())
    assert drift.flags == []
    assert drift.sites[""].coverage["authors"]["baseline"] == 0.975
    assert drift.sites[""].coverage["authors"]["latest"] == 0.9
    assert "no drift" in format_drift(drift)


def test_coverage_drop_is_flagged_against_the_median_of_earlier_crawls():
    reports = [report("20260101T000000Z", 40), report("20260102T000000Z", 40, authors=0.1),  # one odd crawl
               report("20260103T000000Z", 40), report("20260104T000000Z", 41, authors=0.55, published=0.9)]
    drift = compare(reports, config())
    assert [(f.kind, f.field) for f in drift.flags] == [("coverage", "authors")]
    assert drift.flags[0].baseline == 1.0 and drift.flags[0].latest == 0.55 and drift.flags[0].lower == 0.8
    assert "authors coverage fell from 100% to 55%" in format_drift(drift)
    assert compare(reports, config(coverage={"min": 0.5})).flags == []  # a wider band lets it pass


def test_the_band_widens_with_a_noisy_history_and_narrows_with_a_steady_one():
    noisy = [report(f"2026010{n}T000000Z", 40, authors=value) for n, value in enumerate((0.5, 0.9, 0.7, 0.95, 0.6), 1)]
    steady = [report(f"2026010{n}T000000Z", 40, authors=0.7) for n in range(1, 6)]
    latest = report("20260109T000000Z", 40, authors=0.3)
    # noisy: median 0.7, MAD 0.2, so 3 x MAD = 0.6 and the band reaches down to 0.1
    drift = compare(noisy + [latest], config())
    assert drift.flags == [] and drift.sites[""].coverage["authors"]["lower"] == 0.1
    # steady: MAD 0, so the band is the minimum width, 0.2
    drift = compare(steady + [latest], config())
    assert [(f.field, f.lower) for f in drift.flags] == [("authors", 0.5)]
    # a band of its own for one field
    assert compare(steady + [latest], config(authors={"min": 0.5})).flags == []
    # k = 0 and min = 0: any drop below the median is drift
    assert compare(noisy + [report("20260109T000000Z", 40, authors=0.69)], config(coverage={"k": 0, "min": 0})).flags


def test_sharp_fall_in_article_count_is_flagged_and_the_first_crawl_is_no_count_baseline():
    # The first crawl (an incremental crawl's backlog) is left out of the count baseline: 90, not 95.
    drift = compare([report("20260101T000000Z", 100), report("20260102T000000Z", 90), report("20260103T000000Z", 30)],
                    config())
    assert [(f.kind, f.baseline, f.latest) for f in drift.flags] == [("articles", 90, 30)]
    # After a backlog of 500, 40 a day is no drift.
    assert compare([report("20260101T000000Z", 500), report("20260102T000000Z", 40)], config()).flags == []
    assert compare([report("20260101T000000Z", 500), report("20260102T000000Z", 40), report("20260103T000000Z", 38)],
                   config()).flags == []
    # The percent band: a count may fall to 60 % of 100, not to 40 %.
    history = [report("20260101T000000Z", 100)] + [report(f"2026010{n}T000000Z", 100) for n in range(2, 5)]
    assert compare(history + [report("20260109T000000Z", 60)], config()).flags == []
    assert compare(history + [report("20260109T000000Z", 60)], config(articles={"percent": 30})).flags


def test_window_limits_how_far_back_the_baseline_reaches():
    reports = [report(f"2026010{n}T000000Z", 40, authors=0.2) for n in range(1, 4)] + [
        report(f"2026010{n}T000000Z", 40, authors=0.9) for n in range(4, 7)] + [report("20260107T000000Z", 40, authors=0.8)]
    assert compare(reports, config(window=3)).flags == []
    assert compare(reports, config(window=3)).sites[""].compared_with == [
        "20260104T000000Z", "20260105T000000Z", "20260106T000000Z"]


def test_single_crawl_has_nothing_to_compare_but_a_missed_floor_is_flagged():
    only = report("20260101T000000Z", 10, authors=0.0)
    assert compare([only], config()).flags == [] and "first crawl here" in format_drift(compare([only], config()))
    only["coverage_failed"] = ["authors: 0.00 < 0.80"]
    assert [(f.kind, f.field) for f in compare([only], config()).flags] == [("floor", "authors")]


def site_report(crawl_id: str, **sites: tuple[int, float]) -> dict:
    """A crawl of several sites: site -> (articles, authors coverage); sites are named with '_' for '.'."""
    rows = {name.replace("_", "."): {"articles": n, "coverage": {"title": 1.0, "authors": a, "published": 1.0,
                                                                  "copyright": 1.0, "body": 1.0}}
            for name, (n, a) in sites.items()}
    total = sum(n for n, _ in sites.values())
    return {"crawl_id": crawl_id, "spider": "news", "counts": {"articles": total}, "coverage_failed": [],
            "coverage": {"authors": sum(n * a for n, a in sites.values()) / total if total else 0.0}, "sites": rows}


def test_a_generic_spider_compares_each_site_with_its_own_history():
    # site a has bylines, site b never had any; one spider crawls them on different days
    history = [site_report("20260101T000000Z", a_example=(10, 1.0)), site_report("20260102T000000Z", b_example=(8, 0.0)),
               site_report("20260103T000000Z", a_example=(12, 1.0))]
    b_again = site_report("20260104T000000Z", b_example=(9, 0.0))
    drift = compare(history + [b_again], config())
    assert drift.flags == [] and drift.sites["b.example"].compared_with == ["20260102T000000Z"]
    # The old spider-wide comparison would have called site b's missing bylines a drop:
    spider_wide = [{**r, "sites": None} for r in history + [b_again]]
    assert [f.field for f in compare(spider_wide, config()).flags] == ["authors"]
    # Site a losing its bylines is flagged, under its name, against its own two crawls.
    a_broken = site_report("20260105T000000Z", a_example=(11, 0.0))
    drift = compare(history + [b_again, a_broken], config())
    assert [(f.site, f.field, f.baseline) for f in drift.flags] == [("a.example", "authors", 1.0)]
    assert drift.sites["a.example"].compared_with == ["20260101T000000Z", "20260103T000000Z"]
    assert "a.example: authors coverage fell from 100% to 0%" in format_drift(drift)


def test_a_site_that_gave_no_article_is_a_count_drop_not_a_coverage_drop():
    history = [site_report(f"2026010{n}T000000Z", a_example=(10, 1.0)) for n in range(1, 4)]
    gone = site_report("20260104T000000Z", a_example=(0, 0.0))
    assert [(f.kind, f.site) for f in compare(history + [gone], config()).flags] == [("articles", "a.example")]


def test_reports_from_before_per_site_rows_count_as_the_site_of_their_start_url():
    old = [{**report(f"2026010{n}T000000Z", 20), "arguments": {"start_urls": ["https://www.a.example/"]}}
           for n in range(1, 3)]
    new = site_report("20260103T000000Z", a_example=(20, 0.1))
    drift = compare(old + [new], config())
    assert [(f.site, f.field) for f in drift.flags] == [("a.example", "authors")]


def test_drift_settings_per_spider():
    class Spider:
        drift_window = 2
        drift_bands = {"authors": {"min": 0.6}, "articles": {"percent": 10}}

    settings = project_settings()
    cfg = DriftConfig.from_settings(settings, Spider)
    assert cfg.window == 2 and cfg.band("authors").min == 0.6 and cfg.band("title").min == 0.2
    assert cfg.band("articles").percent == 10 and cfg.band("articles").k == 3
    with pytest.raises(ValueError, match="unknown metric"):
        DriftConfig.from_settings(settings, type("S", (), {"drift_bands": {"byline": {"min": 1}}}))
    with pytest.raises(ValueError, match="takes k, percent and min"):
        DriftConfig.from_settings(settings, type("S", (), {"drift_bands": {"authors": {"mad": 1}}}))


def test_reports_are_read_oldest_first_and_a_broken_one_is_skipped(tmp_path):
    write_report(tmp_path, "site", report("20260103T000000Z", 3))
    write_report(tmp_path, "site", report("20260101T000000Z", 1))
    (tmp_path / "site" / "20260102T000000Z").mkdir()
    (tmp_path / "site" / "20260102T000000Z" / "crawl.json").write_text("{torn", encoding="utf-8")
    assert [r["crawl_id"] for r in crawl_reports(tmp_path / "site")] == ["20260101T000000Z", "20260103T000000Z"]


def test_report_command_exit_codes(tmp_path):
    write_report(tmp_path, "steady", report("20260101T000000Z", 20))
    write_report(tmp_path, "steady", report("20260102T000000Z", 21))
    steady = run_cli("report", "--archive", str(tmp_path))
    assert steady.returncode == 0, steady.stdout + steady.stderr
    assert "drift in 0 of 1 spider(s)" in steady.stdout
    write_report(tmp_path, "broken", report("20260101T000000Z", 20))
    write_report(tmp_path, "broken", report("20260102T000000Z", 20))
    write_report(tmp_path, "broken", report("20260103T000000Z", 4, published=0.2))
    both = run_cli("report", "--archive", str(tmp_path), "--json")
    assert both.returncode == 1
    flagged = {d["spider"]: [f["field"] for f in d["flags"]] for d in json.loads(both.stdout)}
    assert flagged == {"broken": ["published", "articles"], "steady": []}
    loose = run_cli("report", "--archive", str(tmp_path), "broken", "--coverage-drop", "0.9", "--count-drop", "0.9")
    assert loose.returncode == 0, loose.stdout + loose.stderr
    assert run_cli("report", "--archive", str(tmp_path / "missing")).returncode == 3
    assert run_cli("report", "--archive", str(tmp_path), "nosuchspider").returncode == 3
    assert run_cli("report", "--archive", str(tmp_path), "--coverage-drop", "2").returncode == 2
    assert run_cli("report", "--archive", str(tmp_path), "--window", "0").returncode == 2


# ------------------------------------------------------------------ two real crawls of a site that loses its bylines

@pytest.mark.slow
def test_lost_bylines_between_two_crawls_are_reported_and_fail_the_crawl(tmp_path):
    archive = tmp_path / "archive"
    with BylineSite(articles=6) as site:
        first = run_cli("crawl", "news", "--url", site.url, "--archive", str(archive), "--crawl-id", "20260301T000000Z",
                        *FAST_LOOPBACK, "--set", 'FIELD_COVERAGE_MIN={"authors": 0.8}')
        assert first.returncode == 0, first.stdout + first.stderr[-3000:]
        site.next_edition()
        second = run_cli("crawl", "news", "--url", site.url, "--archive", str(archive), "--crawl-id",
                         "20260308T000000Z", *FAST_LOOPBACK, "--set", 'FIELD_COVERAGE_MIN={"authors": 0.8}')
    crawl1, crawl2 = (archive / "news" / cid for cid in ("20260301T000000Z", "20260308T000000Z"))
    assert len(read_jsonl(crawl1 / "articles.jsonl")) == 6
    assert all(r["authors"] for r in read_jsonl(crawl1 / "articles.jsonl"))
    assert [r["authors"] for r in read_jsonl(crawl2 / "articles.jsonl")] == [[]] * 6
    # The crawl itself notices: the authors floor is missed, so it exits non-zero.
    assert second.returncode == 1, second.stdout + second.stderr[-3000:]
    assert json.loads((crawl2 / "crawl.json").read_text())["coverage_failed"] == ["authors: 0.00 < 0.80"]
    # And the drift report compares the two crawls and names the field.
    drift = run_cli("report", "--archive", str(archive), "news")
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "authors coverage fell from 100% to 0%" in drift.stdout
    assert "published coverage fell" not in drift.stdout and "article count fell" not in drift.stdout
    # The crawl ran the same check at its end: crawl.json says so, and the summary shows it.
    crawl_drift = json.loads((crawl2 / "crawl.json").read_text())["drift"]
    assert crawl_drift["flagged"] and [f["field"] for f in crawl_drift["flags"] if f["kind"] == "coverage"] == ["authors"]
    assert "DRIFT          127.0.0.1: authors coverage fell from 100% to 0%" in second.stdout


@pytest.mark.slow
def test_one_generic_spider_on_two_sites_compares_each_site_with_its_own_past(tmp_path):
    """Site A has bylines, site B never had any: crawling B after A is no drift; A losing its bylines is."""
    archive = tmp_path / "archive"

    def crawl(site, crawl_id):
        proc = run_cli("crawl", "news", "--url", site.url, "--archive", str(archive), "--crawl-id", crawl_id,
                       *FAST_LOOPBACK, "--allow-address", "127.0.0.2", "--allow-address", "127.0.0.3")
        assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
        return json.loads((archive / "news" / crawl_id / "crawl.json").read_text())

    with BylineSite(articles=4, host="127.0.0.2") as site_a, BylineSite(articles=4, host="127.0.0.3", name="Harbour Post") as site_b:
        site_b.next_edition()  # layout 2 from the start: no bylines on site B, ever
        first_a = crawl(site_a, "20260301T000000Z")
        first_b = crawl(site_b, "20260302T000000Z")
        site_a.next_edition()
        second_a = crawl(site_a, "20260303T000000Z")
    assert first_a["sites"]["127.0.0.2"]["coverage"]["authors"] == 1.0
    assert first_b["sites"] == {"127.0.0.3": {"articles": 4, "coverage": {
        "title": 1.0, "authors": 0.0, "published": 1.0, "copyright": 1.0, "body": 1.0}}}
    assert not first_b["drift"]["flagged"]  # site B has no past of its own; site A's is not its baseline
    assert [(f["site"], f["field"], f["baseline"], f["latest"]) for f in second_a["drift"]["flags"]] == [
        ("127.0.0.2", "authors", 1.0, 0.0)]
    assert second_a["drift"]["sites"]["127.0.0.2"]["compared_with"] == ["20260301T000000Z"]
    report = run_cli("report", "--archive", str(archive), "news")
    assert report.returncode == 1 and "127.0.0.2: authors coverage fell from 100% to 0%" in report.stdout
