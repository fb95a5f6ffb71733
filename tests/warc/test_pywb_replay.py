"""Replay in pywb: a crawled WARC, added by wb-manager or indexed by our own CDXJ, serves the pages back."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from newsarchive.warc import cdxj
from newsarchive.warc.writer import cdxj_path_for
from tests.pywb import fetch, pywb_bin, running_wayback
from tests.warc.conftest import run_crawl
from tests.warc.server import HEADLINES

PAGES = ["/plain.html", "/gzip.html", "/chunked.html"]


@pytest.fixture(scope="module")
def replay(fixture_server, tmp_path_factory):
    """A crawl, two pywb collections over it ('added': wb-manager add; 'ours': our CDXJ), and a running wayback."""
    bin_dir = pywb_bin()
    crawl = run_crawl([fixture_server.url + path for path in PAGES], tmp_path_factory.mktemp("archive"))
    [warc] = list(crawl.warc_dir.glob("*.warc.gz"))
    root = tmp_path_factory.mktemp("pywb")
    for collection in ("added", "ours"):
        subprocess.run([str(bin_dir / "wb-manager"), "init", collection], cwd=root, check=True,
                       capture_output=True, timeout=60)
    subprocess.run([str(bin_dir / "wb-manager"), "add", "added", str(warc)], cwd=root, check=True,
                   capture_output=True, timeout=60)
    shutil.copy(warc, root / "collections" / "ours" / "archive" / warc.name)
    shutil.copy(cdxj_path_for(warc), root / "collections" / "ours" / "indexes" / "index.cdxj")

    with running_wayback(bin_dir, root) as base:
        timestamps = {entry.url: entry.timestamp for entry in cdxj.read_entries(cdxj_path_for(warc))}
        yield base, timestamps


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["added", "ours"])
@pytest.mark.parametrize("path", PAGES)
def test_mp_replay_shows_the_headline(replay, fixture_server, collection, path):
    base, timestamps = replay
    url = fixture_server.url + path
    status, _, body = fetch(f"{base}/{collection}/{timestamps[url]}mp_/{url}")
    assert status == 200
    assert HEADLINES[path].encode() in body


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["added", "ours"])
def test_id_replay_gives_the_original_bytes(replay, fixture_server, collection):
    base, timestamps = replay
    for path in PAGES:
        url = fixture_server.url + path
        status, headers, body = fetch(f"{base}/{collection}/{timestamps[url]}id_/{url}",
                                      headers={"Accept-Encoding": "gzip"})
        assert status == 200 and body == fixture_server.sent[path], path
    gzipped = fixture_server.url + "/gzip.html"
    _, headers, _ = fetch(f"{base}/{collection}/{timestamps[gzipped]}id_/{gzipped}", headers={"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"
