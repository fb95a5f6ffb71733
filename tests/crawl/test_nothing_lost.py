"""Nothing lost silently: a record that cannot be saved is kept, counted, named, fails the crawl, and is
written by the next crawl; any safe crawl id works; two crawls never share a crawl folder.

Records are broken on purpose by a test-only pipeline (tests/sites/breakers.py), end to end through the
real CLI against the demo site on loopback.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, read_jsonl, run_cli, stop_process
from tests.sites.breakers import break_settings


def crawl(server, archive, crawl_id: str | None, *extra: str) -> subprocess.CompletedProcess:
    args = ["crawl", "demo", "--url", server.url, "--archive", str(archive), "--no-progress", *extra]
    return run_cli(*args, *(["--crawl-id", crawl_id] if crawl_id else []), timeout=180)


def archived_texts(archive) -> set[str]:
    """URLs the incremental state marks archived (an article text committed)."""
    with sqlite3.connect(archive / "demo" / "state.sqlite") as db:
        return {url for (url,) in db.execute("SELECT url FROM urls WHERE text_digest IS NOT NULL")}


@pytest.mark.parametrize("how,stage,reason", [("schema", "schema", "word_count"),
                                              ("surrogate", "export", "UTF-8")])
def test_a_record_that_cannot_be_saved_is_kept_counted_and_written_by_the_next_crawl(
        demo_server, tmp_path, how, stage, reason):
    first = crawl(demo_server, tmp_path, "20261201T000000Z", *break_settings({"/science/": how}))
    crawl_dir = tmp_path / "demo" / "20261201T000000Z"
    report = json.loads((crawl_dir / "crawl.json").read_text())
    rejected = read_jsonl(crawl_dir / "rejected.jsonl")
    written = read_jsonl(crawl_dir / "articles.jsonl")
    science = {r["url"] for r in rejected}

    # The crawl failed, and says why: counted, named in one log line each, in the summary, kept with the reason.
    assert first.returncode == 1, first.stdout + first.stderr[-2000:]
    assert len(rejected) == report["counts"]["articles_rejected"] == 9
    assert all("/science/" in url for url in science) and not any("/science/" in r["url"] for r in written)
    assert all(r["stage"] == stage and reason in r["reason"] and r["record"]["url"] == r["url"] for r in rejected)
    assert report["counts"]["articles"] == len(written) == 27
    assert f"{len(rejected)} REJECTED" in first.stdout and "rejected.jsonl" in first.stdout
    named = [line for line in first.stderr.splitlines() if "kept in" in line and "rejected.jsonl" in line]
    assert len(named) == 9 and all(len(line) < 1000 for line in named)
    assert len(first.stderr) < 20_000 and "'text':" not in first.stderr  # no record dumped whole

    # The state marks archived exactly what articles.jsonl holds.
    assert archived_texts(tmp_path) == {r["url"] for r in written}

    # The next crawl writes what this one could not, and only that.
    second = crawl(demo_server, tmp_path, "20261202T000000Z", "--set", "RECHECK_POLICY=[[36500, 0]]")
    assert second.returncode == 0, second.stdout + second.stderr[-2000:]
    again = read_jsonl(tmp_path / "demo" / "20261202T000000Z" / "articles.jsonl")
    assert {r["url"] for r in again} == science
    assert not (tmp_path / "demo" / "20261202T000000Z" / "rejected.jsonl").exists()
    assert archived_texts(tmp_path) == {r["url"] for r in written} | science


def test_any_safe_crawl_id_is_a_valid_record(demo_server, tmp_path):
    proc = crawl(demo_server, tmp_path, "wired")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    records = read_jsonl(tmp_path / "demo" / "wired" / "articles.jsonl")
    assert len(records) == 36 and {r["crawl_id"] for r in records} == {"wired"}
    assert not (tmp_path / "demo" / "wired" / "rejected.jsonl").exists()


def start(server, archive, crawl_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "demo", "--url", server.url, "--archive", str(archive),
         "--crawl-id", crawl_id, "--no-progress", "--set", "INCREMENTAL_ENABLED=false"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_crawls_with_one_crawl_id_get_a_folder_each(demo_server, tmp_path):
    """Two crawls asking for the same id at once (as two crawls started in the same second do)."""
    procs = [start(demo_server, tmp_path, "20261203T000000Z") for _ in range(2)]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert sum("is taken; this crawl is 20261203T000000Z-2" in err for _, err in outputs) == 1
    for crawl_id in ("20261203T000000Z", "20261203T000000Z-2"):
        crawl_dir = tmp_path / "demo" / crawl_id
        report = json.loads((crawl_dir / "crawl.json").read_text())
        records = read_jsonl(crawl_dir / "articles.jsonl")
        # Each crawl wrote its own folder whole: its records, its report, its WARCs.
        assert report["crawl_id"] == crawl_id and report["finish_reason"] == "finished"
        assert len(records) == report["counts"]["articles"] == 36 and {r["crawl_id"] for r in records} == {crawl_id}
        assert len({r["url"] for r in records}) == 36
        assert all(r["warc"]["filename"] in {p.name for p in (crawl_dir / "warc").glob("*.warc.gz")} for r in records)
        assert run_cli("validate", str(crawl_dir / "warc")).returncode == 0
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["20261203T000000Z", "20261203T000000Z-2"]


def test_a_running_crawl_is_never_resumed_by_another(tmp_path):
    crawl_dir = tmp_path / "demo" / "20261204T000000Z"
    (crawl_dir / "job").mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from newsarchive.crawl.claim import "
         "claim_crawl_folder; claim_crawl_folder(Path(sys.argv[1]), '20261204T000000Z', resume=True); "
         "print('held', flush=True); time.sleep(60)", str(tmp_path / "demo")],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        named = run_cli("crawl", "demo", "--resume", "--crawl-id", "20261204T000000Z", "--archive", str(tmp_path))
        assert named.returncode == 3 and "is running (pid" in named.stderr, named.stderr
        latest = run_cli("crawl", "demo", "--resume", "--archive", str(tmp_path))
        assert latest.returncode == 2 and "no unfinished crawl" in latest.stderr, latest.stderr
    finally:
        stop_process(holder)
    time.sleep(0.1)
    # Once the holder is gone (killed, as a crash would), the lock is free and the crawl is resumable.
    from newsarchive.crawl.resume import find_resumable_crawl

    assert find_resumable_crawl(tmp_path / "demo") == crawl_dir
