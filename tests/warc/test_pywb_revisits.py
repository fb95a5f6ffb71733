"""Revisits replay in pywb: the demo site crawled three times with every article re-checked (identical
payloads, then 304s), and the latest capture of every article, and each revisit by its own timestamp,
replays with 200 and the article's headline, the original's bytes behind it."""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.demo.server import DemoServer
from newsarchive.demo.site import DemoSite
from newsarchive.warc import cdxj
from newsarchive.warc.writer import cdxj_path_for
from tests.conftest import REPO
from tests.incremental.crawl import FAST
from tests.pywb import fetch, pywb_bin, running_wayback

CRAWLS = {  # crawl id -> settings: what the re-check of an unchanged article becomes
    "20261201T000000Z": (),  # the first capture
    "20261202T000000Z": ("CONDITIONAL_REQUESTS_ENABLED=false",),  # identical-payload revisits
    "20261203T000000Z": (),  # conditional requests: 304s, server-not-modified revisits
}


def crawl(site_url: str, archive: Path, crawl_id: str, settings: tuple[str, ...]) -> None:
    sets = [arg for setting in (*FAST, *settings) for arg in ("--set", setting)]
    proc = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "demo", "--url", site_url, "--archive", str(archive),
         "--crawl-id", crawl_id, "--no-progress", *sets],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    bin_dir = pywb_bin()
    site = DemoSite()
    archive = tmp_path_factory.mktemp("archive")
    with DemoServer(site=site) as server:
        for crawl_id, settings in CRAWLS.items():
            crawl(server.url, archive, crawl_id, settings)
        base_url = server.url
    warcs = sorted(archive.glob("demo/*/warc/*.warc.gz"))
    root = tmp_path_factory.mktemp("pywb")
    for collection in ("added", "ours"):
        subprocess.run([str(bin_dir / "wb-manager"), "init", collection], cwd=root, check=True,
                       capture_output=True, timeout=60)
    subprocess.run([str(bin_dir / "wb-manager"), "add", "added", *map(str, warcs)], cwd=root, check=True,
                   capture_output=True, timeout=120)
    lines = []
    for warc in warcs:
        shutil.copy(warc, root / "collections" / "ours" / "archive" / warc.name)
        lines += cdxj_path_for(warc).read_bytes().splitlines(keepends=True)
    (root / "collections" / "ours" / "indexes" / "index.cdxj").write_bytes(b"".join(sorted(lines)))
    captures: dict[str, dict[str, cdxj.CdxjEntry]] = {}  # url -> crawl id -> its capture
    for warc in warcs:
        for entry in cdxj.read_entries(cdxj_path_for(warc)):
            captures.setdefault(entry.url, {})[warc.parent.parent.name] = entry
    with running_wayback(bin_dir, root) as base:
        yield base, site, base_url, captures


def shows_headline(body: bytes, article) -> bool:
    return article.title in html.unescape(body.decode(article.encoding, "replace"))


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["added", "ours"])
def test_latest_capture_of_every_article_replays_with_200_and_its_headline(replay, collection):
    base, site, site_url, captures = replay
    latest, second = list(CRAWLS)[2], list(CRAWLS)[1]
    kinds = set()
    for article in site.articles:
        url = article.url(site_url)
        assert captures[url][latest].mime == "warc/revisit" and captures[url][second].mime == "warc/revisit"
        kinds.add(article.chunked)
        status, _, body = fetch(f"{base}/{collection}/mp_/{url}")  # no timestamp: the latest capture
        assert status == 200 and shows_headline(body, article), (url, status, body[:200])
    assert kinds == {True, False}  # the streamed article (identical payload) and the 304 ones alike


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["added", "ours"])
@pytest.mark.parametrize("crawl_id", list(CRAWLS)[1:])
def test_each_revisit_replays_by_its_own_timestamp(replay, collection, crawl_id):
    base, site, site_url, captures = replay
    for article in site.articles:
        url = article.url(site_url)
        timestamp = captures[url][crawl_id].timestamp
        status, _, body = fetch(f"{base}/{collection}/{timestamp}mp_/{url}")
        assert status == 200 and shows_headline(body, article), (url, crawl_id, status, body[:200])


@pytest.mark.slow
def test_a_304_revisit_gives_the_original_bytes_in_id_mode(replay):
    base, site, site_url, captures = replay
    article = next(a for a in site.articles if not a.chunked and not a.flaky and not a.gzip)
    url = article.url(site_url)
    original = fetch(f"{base}/ours/{captures[url][list(CRAWLS)[0]].timestamp}id_/{url}")
    revisit = fetch(f"{base}/ours/{captures[url][list(CRAWLS)[2]].timestamp}id_/{url}")
    assert revisit[0] == original[0] == 200 and revisit[2] == original[2] and shows_headline(revisit[2], article)
