"""--max-articles and --since on a real crawl of the demo site."""
from __future__ import annotations

import json

import pytest

from tests.conftest import read_jsonl, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    from newsarchive.demo.server import DemoServer

    with DemoServer() as running:
        yield running


def crawl(server, archive, *extra):
    proc = run_cli("crawl", "demo", "--url", server.url, "--archive", str(archive), "--crawl-id",
                   "20261129T020000Z", "--no-progress", *extra)
    crawl_dir = archive / "demo" / "20261129T020000Z"
    return proc, crawl_dir


def test_max_articles_caps_the_crawl(server, tmp_path):
    proc, crawl_dir = crawl(server, tmp_path, "--max-articles", "5")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_jsonl(crawl_dir / "articles.jsonl")) == 5
    assert "articles       5 written" in proc.stdout


def test_since_keeps_only_newer_articles_and_skips_old_ones_before_fetching(server, tmp_path):
    from newsarchive.demo.site import DemoSite

    since = "2024-01-01"
    proc, crawl_dir = crawl(server, tmp_path, "--since", since)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = {r["url"].split("/", 3)[3] for r in read_jsonl(crawl_dir / "articles.jsonl")}
    want = {a.path.lstrip("/") for a in DemoSite().articles if a.published[:10] >= since}
    assert got == want and 0 < len(want) < len(DemoSite().articles)
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["counts"]["skipped_older_than_since"] > 0
    # feed and sitemap dates let old articles be skipped before they are fetched
    assert report["counts"]["skipped_before_fetch"] > 0
    assert report["arguments"]["since"] == since
