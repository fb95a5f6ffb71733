"""Fixtures for the WARC tests: the loopback fixture server, crawls in a subprocess, external checkers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.warc.server import FixtureServer

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CRAWL_PAGES = ["/plain.html", "/gzip.html", "/chunked.html", "/moved", "/missing", "/big.bin", "/dataloss.html",
               "/copy.html"]
MAXSIZE = 100_000


@dataclass
class CrawlResult:
    proc: subprocess.CompletedProcess
    warc_dir: Path
    rows: list[dict]
    summary: dict

    def by_path(self, path: str) -> dict:
        return next(row for row in self.rows if row["url"].endswith(path))


def crawl_command(urls: list[str], archive: Path, crawl_id: str, out: Path, **options) -> list[str]:
    command = [sys.executable, "-m", "tests.warc.crawl", "--archive", str(archive), "--crawl-id", crawl_id,
               "--out", str(out)]
    for name, value in options.items():
        for item in value if isinstance(value, list) else [value]:
            command += [f"--{name.replace('_', '-')}", str(item)]
    return command + urls


def crawl_env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def run_crawl(urls: list[str], archive: Path, crawl_id: str = "20261129T000000Z", **options) -> CrawlResult:
    """Crawl `urls` with only the record-stage extensions, in a fresh interpreter (the reactor cannot restart)."""
    archive.mkdir(parents=True, exist_ok=True)
    out = archive / f"{crawl_id}-rows.jsonl"
    proc = subprocess.run(crawl_command(urls, archive, crawl_id, out, **options), cwd=REPO, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    summary = json.loads(Path(str(out) + ".stats.json").read_text())
    return CrawlResult(proc, archive / "warcfixture" / crawl_id / "warc", rows, summary)


def warcio_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "warcio"), "check", str(path)], capture_output=True, text=True, timeout=60)


def gzip_test(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["gzip", "-t", str(path)], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def fixture_server():
    with FixtureServer() as server:
        yield server


@pytest.fixture(scope="module")
def fixture_crawl(fixture_server, tmp_path_factory) -> CrawlResult:
    """One crawl of every fixture page, shared by a module's tests."""
    archive = tmp_path_factory.mktemp("archive")
    return run_crawl([fixture_server.url + path for path in CRAWL_PAGES], archive, maxsize=MAXSIZE)
