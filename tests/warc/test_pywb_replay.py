"""Replay in pywb: a crawled WARC, added by wb-manager or indexed by our own CDXJ, serves the pages back."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsarchive.warc import cdxj
from newsarchive.warc.writer import cdxj_path_for
from tests.conftest import stop_process
from tests.warc.conftest import REPO, run_crawl
from tests.warc.server import HEADLINES

PAGES = ["/plain.html", "/gzip.html", "/chunked.html"]


def pywb_bin() -> Path:
    venv = Path(os.environ.get("NEWSARCHIVE_PYWB_VENV") or REPO / ".venv-pywb")
    if not (venv / "bin" / "wayback").exists():
        pytest.fail(f"pywb is not installed in {venv} (run `make .venv-pywb/.installed`, "
                    "or point NEWSARCHIVE_PYWB_VENV at a venv with pywb)")
    return venv / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


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

    port = free_port()
    log = open(root / "wayback.log", "wb")
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=root,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"wayback did not start: {(root / 'wayback.log').read_text()[-2000:]}")
                time.sleep(0.2)
        timestamps = {entry.url: entry.timestamp for entry in cdxj.read_entries(cdxj_path_for(warc))}
        yield base, timestamps
    finally:
        stop_process(proc)
        log.close()


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
