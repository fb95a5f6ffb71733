"""kill -9 a crawl at several points: the state never claims a capture (or revision) that is not archived.

The crawl runs in a subprocess against a site whose article pages answer slowly, and is killed once
the state has committed a given number of revisions. The WARC files are read as the crash left them
(`.open` included, before any repair). A crawl after the crash still archives every article.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newsarchive.state.consistency import missing_captures
from newsarchive.state.store import SqliteCrawlState
from tests.conftest import REPO, read_jsonl
from tests.incremental.crawl import FAST, SPIDER, articles, crawl

TOPICS = ("ferry timetable", "road resurfacing", "school roof", "river survey", "market hall", "cycle lanes",
          "tram depot", "park benches", "water mains", "town archive", "bridge paint", "street lights")


def generated_stories() -> dict[str, tuple[str, list[str]]]:
    stories = {}
    for n, topic in enumerate(TOPICS):
        slug = topic.replace(" ", "-")
        stories[f"/news/{slug}-update-{n}/"] = (
            f"Council update on the {topic}",
            [f"The council published a short update on the {topic} project this week, item {n}.",
             f"Officials said work on the {topic} would continue through the next quarter as planned.",
             f"Residents can comment on the {topic} plans at the town hall until the end of the month."],
        )
    return stories


def committed_revisions(state_path) -> int:
    if not state_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{state_path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM revisions").fetchone()[0]
    except sqlite3.Error:
        return 0  # tables not created yet


def crawl_and_kill(site_url: str, archive, crawl_id: str, after_revisions: int) -> None:
    # Every exchange fsync'd: the state commits as the crawl goes (it waits for the disk), so the kill lands
    # mid-crawl; the guarantee under a longer WARC_FSYNC_INTERVAL is tested in test_torn_tail.py.
    sets = [arg for setting in (*FAST, "CONCURRENT_REQUESTS=2", "WARC_FSYNC_INTERVAL=0") for arg in ("--set", setting)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", SPIDER, "--url", site_url, "--archive", str(archive),
         "--crawl-id", crawl_id, "--no-progress", *sets],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    state_path = archive / SPIDER / "state.sqlite"
    deadline = time.monotonic() + 60
    try:
        while committed_revisions(state_path) < after_revisions:
            assert proc.poll() is None, "the crawl ended before the kill point"
            assert time.monotonic() < deadline, "no progress in 60 s"
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.mark.parametrize("kill_after", [1, 5])
def test_killed_crawl_leaves_state_behind_the_archive_never_ahead(tmp_path, kill_after):
    from tests.incremental.site import IncrementalSite

    stories = generated_stories()
    archive = tmp_path / "archive"
    with IncrementalSite(stories, article_delay=0.15) as site:
        crawl_and_kill(site.url, archive, "20261129T010000Z", kill_after)
        spider_dir = archive / SPIDER
        assert list((spider_dir / "20261129T010000Z" / "warc").glob("*.warc.gz.open")), "not killed mid-crawl"
        assert missing_captures(spider_dir) == []
        # every committed revision was exported first
        exported = {(r["url"], r["text_digest"]) for r in read_jsonl(spider_dir / "20261129T010000Z" / "articles.jsonl")}
        with SqliteCrawlState(spider_dir / "state.sqlite") as store:
            committed = {(e.url, e.text_digest) for s in store.tracked() for e in store.revisions(s.url)}
        assert kill_after <= len(committed) < len(stories)
        assert committed <= exported

        site.article_delay = 0.0
        report = crawl(site.url, archive, "20261129T010500Z")
        assert report["counts"]["failed"] == 0
        assert missing_captures(spider_dir) == []
        archived = {r["url"] for crawl_id in ("20261129T010000Z", "20261129T010500Z") for r in articles(archive, crawl_id)}
        assert archived == {site.article_url(path) for path in stories}
