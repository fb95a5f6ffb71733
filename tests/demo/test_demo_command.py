"""`newsarchive demo` run twice, as `make demo` twice: the second run re-checks every article on the same
URLs, the demo site answers 304, and those are archived as server-not-modified revisits that validate."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.warc.records import SERVER_NOT_MODIFIED
from tests.conftest import run_cli


def crawl_dirs(archive: Path) -> list[Path]:
    return sorted(path.parent for path in (archive / "demo").glob("*/crawl.json"))


@pytest.mark.slow
def test_demo_twice_archives_the_sites_304s(tmp_path):
    first = run_cli("demo", "--archive", str(tmp_path), "--no-progress", timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    second = run_cli("demo", "--archive", str(tmp_path), "--no-progress", timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    earlier, later = crawl_dirs(tmp_path)
    start_urls = [json.loads((d / "crawl.json").read_text())["arguments"]["start_urls"] for d in (earlier, later)]
    assert start_urls[0] == start_urls[1]  # the same port, so the same URLs
    assert "304: 35" in second.stdout  # every article with validators answered Not Modified
    [warc] = sorted((later / "warc").glob("*.warc.gz"))
    with open(warc, "rb") as fh:
        profiles = [r.rec_headers.get_header("WARC-Profile") for r in ArchiveIterator(fh) if r.rec_type == "revisit"]
    assert profiles.count(SERVER_NOT_MODIFIED) == 35
    assert run_cli("validate", str(tmp_path)).returncode == 0
