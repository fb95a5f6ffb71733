"""kill -9 in the middle of a crawl: the next start repairs the open WARC, and what was written survives."""
from __future__ import annotations

import os
import signal

import pytest
import subprocess
import time

from newsarchive.warc import cdxj
from newsarchive.warc.validate import validate_paths
from tests.warc.conftest import REPO, crawl_command, crawl_env, run_crawl

CRAWL_ID = "20261129T010000Z"


@pytest.mark.parametrize("restart_id", [CRAWL_ID, "20261129T020000Z"], ids=["resumed-crawl", "next-crawl"])
def test_kill_9_mid_crawl_then_restart_repairs_and_keeps_earlier_records(fixture_server, tmp_path, restart_id):
    warc_dir = tmp_path / "warcfixture" / CRAWL_ID / "warc"
    urls = [f"{fixture_server.url}/slow/{n}" for n in range(60)]  # ~10 s at 0.3 s a page, 2 at a time
    proc = subprocess.Popen(crawl_command(urls, tmp_path, CRAWL_ID, tmp_path / "rows.jsonl", concurrency=2),
                            cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seen: list[cdxj.CdxjEntry] = []
        deadline = time.monotonic() + 60
        while len(seen) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            for index in warc_dir.glob("*.cdxj"):
                seen = [cdxj.parse_line(line) for line in index.read_text().splitlines(keepends=True)
                        if line.endswith("\n")]
        assert len(seen) >= 4, "the crawl never got going"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    [left_open] = list(warc_dir.glob("*.warc.gz.open"))
    assert validate_paths([left_open])  # not clean while it still carries .open

    # the next start of the same spider repairs it, whether it resumes that crawl or starts a new one
    restart = run_crawl([fixture_server.url + "/plain.html"], tmp_path, restart_id)

    [report] = restart.summary["repairs"]
    repaired = warc_dir / left_open.name.removesuffix(".open")
    assert report["repaired_path"] == str(repaired) and not left_open.exists()
    assert validate_paths([warc_dir]) == []
    kept = {(entry.offset, entry.url) for entry in cdxj.read_entries(warc_dir / (repaired.name[:-8] + ".cdxj"))}
    assert {(entry.offset, entry.url) for entry in seen} <= kept  # nothing written before the kill was lost
    # the repaired file, plus the restart's own when it resumed the same crawl
    assert len(list(warc_dir.glob("*.warc.gz"))) == (2 if restart_id == CRAWL_ID else 1)
