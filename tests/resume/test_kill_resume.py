"""kill -9 a crawl at a known point, then `newsarchive crawl --resume`: nothing lost, nothing twice.

Each test crawls the demo site (on 127.0.0.1) into a fresh archive, kills the crawl at one point of
the data flow, resumes it, and compares the result with an uninterrupted crawl of the same site:
- every URL is fetched exactly once over both runs (a retry is not a second fetch);
- every WARC passes `newsarchive validate`;
- articles.jsonl has whole lines only, one record per article, every article of the full crawl,
  each pointing at a response record of the crawl's WARCs.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from tests.resume.archive import article_lines, fetches_by_path, path_of, record_ids
from tests.resume.crashpoints import crash_settings
from tests.resume.site import StallingDemoServer

pytestmark = pytest.mark.slow

CRAWL_ID = "20261129T050000Z"


@pytest.fixture(scope="module")
def reference(demo_crawl):
    """What an uninterrupted crawl of the demo site fetched and exported (URL paths)."""
    fetched = fetches_by_path(demo_crawl / "warc")
    # robots.txt is asked for twice by design of NewsSpider: by RobotsTxtMiddleware (politeness, outside
    # the scheduler) and as a listing for its Sitemap: lines. Every other URL once.
    assert {path for path, n in fetched.items() if n != 1} == {"/robots.txt"}
    articles = {path_of(r["url"]) for r in article_lines(demo_crawl / "articles.jsonl")}
    assert len(articles) >= 30
    report = json.loads((demo_crawl / "crawl.json").read_text())
    return {"fetched": fetched, "articles": articles, "report": report}


def crawl_args(server, archive: Path, *extra: str) -> list[str]:
    return ["crawl", "demo", "--url", server.url, "--archive", str(archive), "--crawl-id", CRAWL_ID,
            "--no-progress", *extra]


def resume(archive: Path) -> subprocess.CompletedProcess:
    proc = run_cli("crawl", "demo", "--resume", "--archive", str(archive), "--no-progress", timeout=120)
    assert proc.returncode == 0, f"resume failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}"
    return proc


def wait_for_log_line(log: Path, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Poll the crawl's log until `text` appears (or the crawl exits, or `timeout` seconds pass)."""
    deadline = time.monotonic() + timeout
    while text not in (log.read_text(errors="replace") if log.exists() else ""):
        assert proc.poll() is None, f"the crawl exited ({proc.returncode}) before logging {text!r}"
        assert time.monotonic() < deadline, f"the crawl did not log {text!r} in {timeout} s"
        time.sleep(0.05)


def assert_exactly_once(crawl_dir: Path, reference: dict) -> None:
    warc_dir = crawl_dir / "warc"
    validate = run_cli("validate", str(warc_dir))
    assert validate.returncode == 0, validate.stdout + validate.stderr
    fetched = fetches_by_path(warc_dir)
    twice = {path: n for path, n in fetched.items() if n > reference["fetched"][path]}
    assert not twice, f"fetched more often than in an uninterrupted crawl: {twice}"
    assert set(fetched) == set(reference["fetched"])

    records = article_lines(crawl_dir / "articles.jsonl")
    paths = [path_of(r["url"]) for r in records]
    assert len(paths) == len(set(paths)), "an article was exported twice"
    assert set(paths) == reference["articles"]
    ids = record_ids(warc_dir)
    assert all(r["warc"]["record_id"] in ids for r in records)
    assert {r["crawl_id"] for r in records} == {CRAWL_ID}

    assert not (crawl_dir / "job").exists(), "a finished crawl keeps no job folder"
    assert '"finish_reason": "finished"' in (crawl_dir / "crawl.json").read_text()
    assert_report_covers_the_whole_crawl(crawl_dir, reference)


def assert_report_covers_the_whole_crawl(crawl_dir: Path, reference: dict) -> dict:
    """crawl.json after the resume describes both runs together, as the uninterrupted crawl's does."""
    report = json.loads((crawl_dir / "crawl.json").read_text())
    expected = reference["report"]
    assert len(report["runs"]) == 2 and report["runs"][-1]["finish_reason"] == "finished"
    assert report["counts"]["articles"] == expected["counts"]["articles"] == len(reference["articles"])
    assert report["coverage"] == expected["coverage"]
    assert report["counts"]["warc_bytes"] == sum(p.stat().st_size for p in (crawl_dir / "warc").glob("*.warc.gz"))
    if report["complete"]:  # every run reported: the sums are the uninterrupted crawl's
        for name in ("responses", "new"):
            assert report["counts"][name] == expected["counts"][name], name
        extra_files = len(report["paths"]["warc"]) - len(expected["paths"]["warc"])  # each opens with a warcinfo
        assert report["counts"]["warc_records"] == expected["counts"]["warc_records"] + extra_files
    else:
        assert report["runs"][0]["finish_reason"] == "killed (no report)"
    return report


def crash(server, archive: Path, **points: object) -> Path:
    proc = run_cli(*crawl_args(server, archive, *crash_settings(**points)), timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"the crawl was not killed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    crawl_dir = archive / "demo" / CRAWL_ID
    assert (crawl_dir / "job" / "RUNNING").exists()
    return crawl_dir


def test_kill_mid_warc_write(tmp_path, reference):
    with StallingDemoServer(stall=False) as server:
        crawl_dir = crash(server, tmp_path, CRASH_AT_RESPONSE=20)
        [torn] = (crawl_dir / "warc").glob("*.warc.gz.open")
        before = fetches_by_path_open(torn)
        resume(tmp_path)
    assert 15 <= before <= 19  # whole exchanges before the torn one (a few are redirects and retries)
    assert_exactly_once(crawl_dir, reference)
    assert "truncated" in (crawl_dir / "crawl.log").read_text()  # the recorder cut the torn record


def test_kill_between_warc_and_export(tmp_path, reference):
    with StallingDemoServer(stall=False) as server:
        crawl_dir = crash(server, tmp_path, CRASH_AT_ITEM=8, CRASH_MODE="before_export")
        exported = article_lines(crawl_dir / "articles.jsonl")
        resume(tmp_path)
    assert len(exported) == 7  # the 8th was archived, not exported, when the crawl died
    assert_exactly_once(crawl_dir, reference)


def test_kill_mid_feed_export_loses_no_record(tmp_path, reference):
    with StallingDemoServer(stall=False) as server:
        crawl_dir = crash(server, tmp_path, CRASH_AT_ITEM=8, CRASH_MODE="torn_export")
        raw = (crawl_dir / "articles.jsonl").read_bytes()
        resume(tmp_path)
    whole = raw[: raw.rindex(b"\n") + 1]
    assert raw != whole and whole.count(b"\n") == 7  # 7 durable lines, then half of the 8th
    after = (crawl_dir / "articles.jsonl").read_bytes()
    assert after.startswith(whole)  # the durable records stayed, appended to
    assert_exactly_once(crawl_dir, reference)


def test_kill_mid_download(tmp_path, reference):
    with StallingDemoServer() as server:
        proc = subprocess.Popen([sys.executable, "-m", "newsarchive", *crawl_args(server, tmp_path)], cwd=REPO,
                                env={**os.environ, "PYTHONPATH": str(REPO)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert server.stalled.wait(60), "the crawl never asked for the stalled article"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
        server.release.set()
        crawl_dir = tmp_path / "demo" / CRAWL_ID
        resume(tmp_path)
        asked = server.requests[server.stall_path]
    assert proc.returncode == -signal.SIGKILL
    assert asked == 2  # once in the killed run (never answered), once on resume
    assert_exactly_once(crawl_dir, reference)


def test_clean_stop_resumes_from_scrapy_jobdir(tmp_path, reference):
    with StallingDemoServer() as server:
        proc = subprocess.Popen([sys.executable, "-m", "newsarchive", *crawl_args(server, tmp_path)], cwd=REPO,
                                env={**os.environ, "PYTHONPATH": str(REPO)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            assert server.stalled.wait(60), "the crawl never asked for the stalled article"
            proc.send_signal(signal.SIGINT)  # Ctrl-C once: Scrapy finishes what is in flight and saves the job
            # Release the stalled article only once Scrapy is shutting down, so it is the last response.
            wait_for_log_line(tmp_path / "demo" / CRAWL_ID / "crawl.log", "shutting down gracefully", proc)
            server.release.set()
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        crawl_dir = tmp_path / "demo" / CRAWL_ID
        job = crawl_dir / "job"
        assert not (job / "RUNNING").exists() and (job / "spider.state").exists()
        assert '"finish_reason": "shutdown"' in (crawl_dir / "crawl.json").read_text()
        resume(tmp_path)
    log = (crawl_dir / "crawl.log").read_text()
    assert "(clean stop)" in log and "Resuming crawl (" in log  # Scrapy's own queue carried on
    assert server.requests[server.stall_path] == 1
    assert_exactly_once(crawl_dir, reference)
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["complete"] and [run["finish_reason"] for run in report["runs"]] == ["shutdown", "finished"]


def fetches_by_path_open(path: Path) -> int:
    """Whole response records in a WARC still carrying .open (its torn tail ignored)."""
    from newsarchive.warc.members import scan_members

    import gzip
    import io

    scan = scan_members(path)
    data = path.read_bytes()[: scan.good_size]
    text = gzip.GzipFile(fileobj=io.BytesIO(data)).read()
    return text.count(b"WARC-Type: response\r\n") + text.count(b"WARC-Type: revisit\r\n")
