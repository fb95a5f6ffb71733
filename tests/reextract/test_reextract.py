"""Re-extraction from WARC, and re-crawling an archive in replay mode, reproduce the crawl's records."""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, read_jsonl, run_cli

# Re-extraction reads article pages only; it does not fetch page requisites again, so their account
# (settled at crawl time, crawl/requisites_fetch.py) is not collected: null.
REEXTRACT_CHANGES = {"extracted_at", "requisites"}


def by_url(records: list[dict]) -> dict[str, dict]:
    return {record["url"]: record for record in records}


def without(record: dict, fields: set[str]) -> dict:
    return {key: value for key, value in record.items() if key not in fields}


def assert_same_records(crawled: list[dict], again: list[dict], changed: set[str]) -> None:
    crawled_by_url, again_by_url = by_url(crawled), by_url(again)
    assert len(again) == len(again_by_url), "one record per archived article"
    assert again_by_url.keys() == crawled_by_url.keys()
    for url, record in crawled_by_url.items():
        assert without(again_by_url[url], changed) == without(record, changed), url


def scrapy_stats(log: str) -> dict:
    """The stats dict Scrapy dumps at the end of a crawl log."""
    dump = log.split("Dumping Scrapy stats:", 1)[1]
    return ast.literal_eval(re.sub(r"datetime\.datetime\([^)]*\)", "None", dump[dump.index("{"): dump.index("}") + 1]))


@pytest.mark.slow
def test_reextract_reproduces_the_crawl_records_apart_from_extracted_at(demo_crawl, tmp_path):
    crawled = read_jsonl(demo_crawl / "articles.jsonl")
    assert len(crawled) >= 10
    out = tmp_path / "again.jsonl"
    proc = run_cli("reextract", str(demo_crawl), "--out", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    again = read_jsonl(out)
    assert_same_records(crawled, again, REEXTRACT_CHANGES)
    # Original pointers and fetch times stay; extraction time is new.
    for record in again:
        original = by_url(crawled)[record["url"]]
        assert record["warc"] == original["warc"] and record["fetched_at"] == original["fetched_at"]
        assert record["extracted_at"] >= original["extracted_at"]
    assert f"re-extracted {len(crawled)} article(s)" in proc.stdout
    assert "duplicate_payload" in proc.stdout  # the crawl's revisit is skipped, as the crawl skipped it


@pytest.mark.slow
def test_reextract_handles_a_folder_of_many_warcs(demo_server, tmp_path):
    archive = tmp_path / "archive"
    crawl = run_cli("crawl", "demo", "--url", demo_server.url, "--archive", str(archive), "--crawl-id",
                    "20261129T010000Z", "--no-progress", "--set", "WARC_MAX_SIZE=30000")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr[-3000:]
    crawl_dir = archive / "demo" / "20261129T010000Z"
    warcs = sorted((crawl_dir / "warc").glob("*.warc.gz"))
    assert len(warcs) >= 5
    out = tmp_path / "again.jsonl"
    proc = run_cli("reextract", str(archive), "--out", str(out), "--progress")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    again = read_jsonl(out)
    assert_same_records(read_jsonl(crawl_dir / "articles.jsonl"), again, REEXTRACT_CHANGES)
    assert len({record["warc"]["filename"] for record in again}) >= 4
    assert f"in {len(warcs)} WARC file(s)" in proc.stdout
    assert "reextract" in proc.stderr  # the progress bar


def test_reextract_without_a_spider_to_go_by_is_a_usage_error(tmp_path):
    fixture = next((REPO / "tests" / "fixtures" / "contracts").glob("*.warc.gz"))
    lone = tmp_path / "lone.warc.gz"
    shutil.copy(fixture, lone)
    proc = run_cli("reextract", str(lone), "--out", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 2 and "no spider named 'contract-fixtures'" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.tmp").exists()
    assert run_cli("reextract", str(tmp_path / "missing.warc.gz"), "--out", "x.jsonl").returncode == 3


def test_reextract_into_a_missing_folder_is_an_environment_error(tmp_path):
    fixture = next((REPO / "tests" / "fixtures" / "contracts").glob("*.warc.gz"))
    proc = run_cli("reextract", str(fixture), "--spider", "wired", "--out", str(tmp_path / "no" / "out.jsonl"))
    assert proc.returncode == 3 and "cannot write" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_reextract_of_a_folder_without_warcs_finds_nothing_like_validate(tmp_path):
    proc = run_cli("reextract", str(tmp_path), "--out", str(tmp_path / "out.jsonl"))
    assert proc.returncode == run_cli("validate", str(tmp_path)).returncode == 1
    assert "no WARC files" in proc.stderr and not (tmp_path / "out.jsonl").exists()


def test_reextract_with_a_named_spider_applies_its_rules(tmp_path):
    """The contract fixture WARC holds one article per site: --spider picks whose URL rules apply."""
    fixture = next((REPO / "tests" / "fixtures" / "contracts").glob("*.warc.gz"))
    out = tmp_path / "wired.jsonl"
    proc = run_cli("reextract", str(fixture), "--spider", "wired", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    [record] = read_jsonl(out)
    assert record["url"] == "https://www.wired.com/story/exclusive-inside-look-at-new-lego-smart-brick/"
    assert record["spider"] == "wired" and record["authors"] == ["Hollis Ekwueme"]
    assert record["fetched_at"] == "2026-11-29T00:00:00.000000Z" and record["warc"]["filename"] == fixture.name
    assert "not_an_article: 12" in proc.stdout  # the other sites' pages and a robots.txt


@pytest.mark.slow
def test_scrapy_crawl_in_replay_mode_recrawls_the_archive_without_the_network(demo_crawl, demo_server, tmp_path):
    log = tmp_path / "replay.log"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "demo", "-a", f"url={demo_server.url}",
         "-s", f"REPLAY_WARC={demo_crawl / 'warc'}", "-s", f"ARCHIVE_DIR={tmp_path}", "-s", "CRAWL_ID=20261130T000000Z",
         "-s", f"LOG_FILE={log}"],
        cwd=REPO, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = scrapy_stats(log.read_text(encoding="utf-8"))
    # Every response came out of the archive, none was missed, and nothing was archived again.
    assert stats["newsarchive/replay/responses"] == stats["downloader/response_count"] > 30
    assert "newsarchive/replay/miss" not in stats and "warc/records" not in stats
    recrawl = tmp_path / "demo" / "20261130T000000Z"
    assert not (recrawl / "warc").exists()
    again = read_jsonl(recrawl / "articles.jsonl")
    # Replay mode archives nothing, so it collects no page requisites either (REEXTRACT_CHANGES).
    assert_same_records(read_jsonl(demo_crawl / "articles.jsonl"), again, {"extracted_at", "crawl_id", "requisites"})
    assert {record["crawl_id"] for record in again} == {"20261130T000000Z"}
    assert json.loads((recrawl / "crawl.json").read_text())["counts"]["articles"] == len(again)
