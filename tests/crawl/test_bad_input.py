"""Bad input from a hostile loopback site: every problem is logged and counted by kind, the crawl goes
on, good articles are exported, and everything archived still validates."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.conftest import read_jsonl, run_cli
from tests.sites.hostile import GOOD_PATHS, KINDS, HostileServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("hostile")
    with HostileServer(slow_seconds=4, huge_bytes=3_000_000) as server:
        proc = run_cli(
            "crawl", "news", "--url", server.url + "feed.xml", "--archive", str(archive), "--crawl-id", "20261129T010000Z",
            "--no-progress",
            "--allow-address", "127.0.0.1", "--set", "DOWNLOAD_TIMEOUT=1", "--set", "RETRY_TIMES=1",
            "--set", "NEWSARCHIVE_MAXSIZE=1000000", "--set", "AUTOTHROTTLE_ENABLED=false",
            "--set", "DOWNLOAD_DELAY=0", timeout=240,
        )
    crawl_dir = archive / "news" / "20261129T010000Z"
    return proc, crawl_dir


def test_crawl_completes_despite_bad_input(hostile_crawl):
    proc, crawl_dir = hostile_crawl
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["finish_reason"] == "finished", proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]


@pytest.mark.parametrize("path,kind", sorted(KINDS.items()))
def test_each_bad_input_is_counted_by_kind(hostile_crawl, path, kind):
    proc, crawl_dir = hostile_crawl
    report = json.loads((crawl_dir / "crawl.json").read_text())
    counted = {**report["problems"], **report["errors"]}
    assert counted.get(kind, 0) >= 1, f"{path}: {kind} not counted in {counted}"
    log = (crawl_dir / "crawl.log").read_text()
    assert kind in log, f"no log line names {kind}"


def test_good_articles_survive(hostile_crawl):
    _, crawl_dir = hostile_crawl
    exported = {urlsplit(r["url"]).path: r for r in read_jsonl(crawl_dir / "articles.jsonl")}
    for path in GOOD_PATHS:
        assert path in exported
        assert exported[path]["word_count"] > 30


def test_archive_still_validates(hostile_crawl):
    _, crawl_dir = hostile_crawl
    proc = run_cli("validate", str(crawl_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
