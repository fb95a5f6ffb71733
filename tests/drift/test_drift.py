"""Drift monitoring: `newsarchive report` flags coverage drops and article-count falls between crawls."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.crawl.drift import compare, crawl_reports, format_drift
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

def test_steady_crawls_are_not_flagged():
    drift = compare([report("20260101T000000Z", 40), report("20260102T000000Z", 42, authors=0.95),
                     report("20260103T000000Z", 39, authors=0.9)])
    assert drift.flags == []
    assert drift.coverage["authors"] == {"baseline": 0.975, "latest": 0.9}
    assert "no drift" in format_drift(drift)


def test_coverage_drop_is_flagged_against_the_median_of_earlier_crawls():
    reports = [report("20260101T000000Z", 40), report("20260102T000000Z", 40, authors=0.1),  # one odd crawl
               report("20260103T000000Z", 40), report("20260104T000000Z", 41, authors=0.55, published=0.9)]
    drift = compare(reports)
    assert [(f.kind, f.field) for f in drift.flags] == [("coverage", "authors")]
    assert drift.flags[0].baseline == 1.0 and drift.flags[0].latest == 0.55
    assert "authors coverage fell from 100% to 55%" in format_drift(drift)
    assert compare(reports, coverage_drop=0.5).flags == []  # a looser threshold lets it pass


def test_sharp_fall_in_article_count_is_flagged():
    drift = compare([report("20260101T000000Z", 100), report("20260102T000000Z", 90), report("20260103T000000Z", 30)])
    assert [(f.kind, f.baseline, f.latest) for f in drift.flags] == [("articles", 95, 30)]
    assert compare([report("20260101T000000Z", 100), report("20260102T000000Z", 60)]).flags == []


def test_window_limits_how_far_back_the_baseline_reaches():
    reports = [report(f"2026010{n}T000000Z", 40, authors=0.2) for n in range(1, 4)] + [
        report(f"2026010{n}T000000Z", 40, authors=0.9) for n in range(4, 7)] + [report("20260107T000000Z", 40, authors=0.8)]
    assert compare(reports, window=3).flags == []
    assert compare(reports, window=3).compared_with == ["20260104T000000Z", "20260105T000000Z", "20260106T000000Z"]


def test_single_crawl_has_nothing_to_compare_but_a_missed_floor_is_flagged():
    only = report("20260101T000000Z", 10, authors=0.0)
    assert compare([only]).flags == [] and "only crawl" in format_drift(compare([only]))
    only["coverage_failed"] = ["authors: 0.00 < 0.80"]
    assert [(f.kind, f.field) for f in compare([only]).flags] == [("floor", "authors")]


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
    write_report(tmp_path, "broken", report("20260102T000000Z", 4, published=0.2))
    both = run_cli("report", "--archive", str(tmp_path), "--json")
    assert both.returncode == 1
    flagged = {d["spider"]: [f["field"] for f in d["flags"]] for d in json.loads(both.stdout)}
    assert flagged == {"broken": ["published", "articles"], "steady": []}
    assert run_cli("report", "--archive", str(tmp_path / "missing")).returncode == 3
    assert run_cli("report", "--archive", str(tmp_path), "nosuchspider").returncode == 3
    assert run_cli("report", "--archive", str(tmp_path), "--coverage-drop", "2").returncode == 2


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
