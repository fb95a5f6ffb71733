"""Crawl folders: one crawl each (newsarchive.crawl.claim), and the crawl report's new counts."""
from __future__ import annotations

import subprocess
import sys

from scrapy.utils.test import get_crawler

from newsarchive.crawl.claim import claim_crawl_folder, is_running, release_folder
from tests.conftest import REPO


def test_a_taken_crawl_id_gets_the_first_free_suffix(tmp_path):
    (tmp_path / "20261129T042935Z").mkdir()  # an earlier crawl of that second, finished
    (tmp_path / "20261129T042935Z-2").mkdir()
    crawl_id = claim_crawl_folder(tmp_path, "20261129T042935Z")
    try:
        assert crawl_id == "20261129T042935Z-3" and (tmp_path / crawl_id / ".lock").exists()
        # Asked again in the same process (the runner, then the extension), the claim stands.
        assert claim_crawl_folder(tmp_path, crawl_id) == crawl_id
    finally:
        release_folder(tmp_path / crawl_id)


def test_another_process_sees_the_folder_running_until_it_is_released(tmp_path):
    crawl_id = claim_crawl_folder(tmp_path, "wired")
    probe = [sys.executable, "-c", "import sys; from pathlib import Path; from newsarchive.crawl.claim import "
             "is_running, claim_crawl_folder; print(is_running(Path(sys.argv[1]) / 'wired'), "
             "claim_crawl_folder(Path(sys.argv[1]), 'wired'))", str(tmp_path)]
    try:
        assert subprocess.run(probe, cwd=REPO, capture_output=True, text=True).stdout.split() == ["True", "wired-2"]
    finally:
        release_folder(tmp_path / crawl_id)
    assert not is_running(tmp_path / crawl_id)
    out = subprocess.run(probe, cwd=REPO, capture_output=True, text=True).stdout.split()
    assert out == ["False", "wired-3"]  # a new crawl never reuses a folder, running or not


def test_resume_reopens_an_idle_folder(tmp_path):
    (tmp_path / "20261129T042935Z" / "job").mkdir(parents=True)
    assert claim_crawl_folder(tmp_path, "20261129T042935Z", resume=True) == "20261129T042935Z"
    release_folder(tmp_path / "20261129T042935Z")


def test_the_report_counts_rejected_records_charset_conflicts_and_page_types(tmp_path):
    from newsarchive.base import stats
    from newsarchive.crawl.report import CrawlReport, format_summary

    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path), "CRAWL_ID": "x", "FIELD_COVERAGE_MIN": {},
                                         "FIELD_COVERAGE_WORDS": 150, "NEWSARCHIVE_ARTICLES_FEED": {"a": {}}})
    report = CrawlReport(crawler)
    for conflict in (True, False, None):
        report.item_saved({"url": "http://x.test/a", "charset_conflict": conflict, "title": "T"})
    for kind in ("article", "article", "listing", "other"):
        crawler.stats.inc_value(stats.page_type(kind))
    crawler.stats.inc_value(stats.ARTICLES_REJECTED, 2)
    crawler.stats.inc_value(stats.decided_by("page"), 3)

    class Spider:
        name, crawl_id, settings = "news", "x", crawler.settings

    built = report.build(Spider(), "finished")
    counts = built["counts"]
    assert counts["articles"] == 3 and counts["charset_conflicts"] == 1 and counts["articles_rejected"] == 2
    assert counts["page_types"] == {"article": 2, "listing": 1, "other": 1}
    summary = format_summary(built)
    assert "2 REJECTED" in summary and "page types     article 2, listing 1, other 1" in summary
