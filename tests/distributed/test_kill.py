"""kill -9 one worker of three mid-crawl: after its leases run out the others finish its work, exactly once.

Two kill points: while the worker is downloading a page (the server holds that page until the test lets it
go), and between writing a page's WARC record and exporting its article (a test-only item pipeline that
SIGKILLs its own process, tests/resume/crashpoints.py), and while it holds a payload's claim (which then
blocks the next worker to fetch that payload until the claim runs out). And one worker that lives but stalls past its
leases before an export (the same module's StallAtItem): the others take its requests over, and it must
not export them too. Each run is compared with a one-process crawl of the same site: every article
exported once across the workers' files, every URL archived, no payload stored whole twice, and the
archive, with the dead worker's WARC file repaired, validates.
"""
from __future__ import annotations

import json
import os
import signal
import time
from urllib.parse import urlsplit

import pytest
import redis
from scrapy_redis import picklecompat

from newsarchive import settings as project
from tests.conftest import run_cli
from tests.distributed.cluster import BASE_SETTINGS, Cluster, articles, host_and_path, warc_records
from tests.distributed.site import HostServer

pytestmark = pytest.mark.slow

SETTINGS = {"DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


@pytest.fixture
def hosts():
    servers = [HostServer() for _ in range(2)]
    for server in servers:
        server.__enter__()
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


def assert_exactly_once(crawl_dir, hosts, reference) -> list[dict]:
    records = articles(crawl_dir)
    keys = [host_and_path(r["url"]) for r in records]
    assert len(keys) == len(set(keys)), "an article was exported twice"
    assert set(keys) == {(h.url.split("/")[2], p) for h in hosts for p in reference["articles"]}, "an article was lost"
    warc = warc_records(crawl_dir)
    archived = {host_and_path(r["uri"]) for r in warc if r["type"] in ("response", "revisit")}
    assert {(h.url.split("/")[2], p) for h in hosts for p in reference["paths"]} <= archived
    whole = [r["digest"] for r in warc if r["type"] == "response" and r["status"] == "200"]
    assert len(whole) == len(set(whole)), "a payload was stored whole twice"
    ids = {r["id"] for r in warc}
    assert all(r["warc"]["record_id"] in ids for r in records)
    assert not list((crawl_dir / "warc").glob("*.open")), "the dead worker's WARC file was not repaired"
    validate = run_cli("validate", str(crawl_dir))
    assert validate.returncode == 0, validate.stdout[-3000:]
    return records


def owner_of(redis_url: str, path: str, timeout: float = 30) -> int:
    """The pid of the worker holding the lease on the request for `path`."""
    client = redis.Redis.from_url(redis_url)
    prefix = next(k.decode() for k in client.scan_iter(match="na:{news:*}:owner")).removesuffix("owner")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry_id, worker in client.hgetall(prefix + "owner").items():
            payload = client.hget(prefix + "req", entry_id)
            if payload and urlsplit(picklecompat.loads(payload)["url"]).path == path:
                client.close()
                return int(worker.decode().rsplit("-", 1)[1])
        time.sleep(0.05)
    raise AssertionError(f"no worker holds {path}")


def test_kill_9_mid_download(redis_url, hosts, reference, tmp_path):
    victim_host = hosts[0]
    victim_host.stall_path = max(victim_host.plain_articles(), key=lambda a: a.published_datetime).path
    run = Cluster(redis_url, tmp_path / "archive", [h.url for h in hosts], workers=2, settings=SETTINGS,
                  crawl_id="20261203T000000Z").start()
    assert victim_host.stalled.wait(90), run.output()
    pid = owner_of(redis_url, victim_host.stall_path)
    index = [p.pid for p in run.procs].index(pid)
    os.kill(pid, signal.SIGKILL)  # while the server still holds its page
    run.procs[index].wait(timeout=10)  # reaped, as a shell or systemd would: a zombie's pid looks alive
    victim_host.release.set()
    codes = run.wait()
    assert codes[index] == -signal.SIGKILL
    assert [c for i, c in enumerate(codes) if i != index] == [0, 0], run.output()
    crawl_dir = tmp_path / "archive" / "news" / "20261203T000000Z"
    assert_exactly_once(crawl_dir, hosts, reference)
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert sum(w["distributed"].get("retaken", 0) for w in report["workers"]) >= 1
    assert len(report["workers"]) == 2  # the dead worker wrote no report; its articles still count
    stalled_url = victim_host.url.rstrip("/") + victim_host.stall_path
    assert sum(1 for r in articles(crawl_dir) if r["url"] == stalled_url) == 1


def test_kill_9_between_warc_write_and_export(redis_url, hosts, reference, tmp_path):
    # The seeding process crashes: it has the crawl to itself for its first second, so it surely gets
    # that far, whatever the other workers take.
    crash = {"ITEM_PIPELINES": {**project.ITEM_PIPELINES, "tests.resume.crashpoints.KillAtItem": 850},
             "CRASH_AT_ITEM": 2, "CRASH_MODE": "before_export"}
    run = Cluster(redis_url, tmp_path / "archive", [h.url for h in hosts], workers=2, settings=SETTINGS,
                  worker_settings={0: crash}, crawl_id="20261204T000000Z").start()
    codes = run.wait()
    assert codes[0] == -signal.SIGKILL, run.output()
    assert codes[1] == codes[2] == 0, run.output()
    crawl_dir = tmp_path / "archive" / "news" / "20261204T000000Z"
    records = assert_exactly_once(crawl_dir, hosts, reference)
    dead = str(run.procs[0].pid)
    assert list((crawl_dir / "warc").glob(f"*-{dead}.warc.gz")), "the crashed worker archived nothing"
    dead_lines = sum(len(p.read_text().splitlines()) for p in crawl_dir.glob(f"articles-*-{dead}.jsonl"))
    assert dead_lines <= 1  # it died on its second article (the first may still have been on its way to the feed)
    # That second page is in the dead worker's WARC; a survivor exported it from a revisit of it.
    warc = warc_records(crawl_dir)
    dead_ids = {r["id"] for r in warc if r["file"].endswith(f"-{dead}.warc.gz")}
    revisits = {r["id"]: r for r in warc if r["type"] == "revisit"}
    assert any(revisits.get(r["warc"]["record_id"], {}).get("refers_to") in dead_ids for r in records)


def test_a_worker_stalled_past_its_leases_leaves_their_articles_to_the_workers_that_took_them_over(
        redis_url, hosts, reference, tmp_path):
    lease = BASE_SETTINGS["DISTRIBUTED_LEASE"]
    stall = {"ITEM_PIPELINES": {**project.ITEM_PIPELINES, "tests.resume.crashpoints.StallAtItem": 850},
             "STALL_AT_ITEM": 2, "STALL_SECONDS": 2 * lease}
    run = Cluster(redis_url, tmp_path / "archive", [h.url for h in hosts], workers=2, settings=SETTINGS,
                  worker_settings={0: stall}, crawl_id="20261205T000000Z").start()
    codes = run.wait()
    assert codes == [0, 0, 0], run.output()
    crawl_dir = tmp_path / "archive" / "news" / "20261205T000000Z"
    assert_exactly_once(crawl_dir, hosts, reference)
    report = json.loads((crawl_dir / "crawl.json").read_text())
    stalled = next(w for w in report["workers"] if w["worker"].endswith(f"-{run.procs[0].pid}"))
    assert stalled["distributed"].get("fence/lost", 0) >= 1, stalled["distributed"]
    assert sum(w["distributed"].get("retaken", 0) for w in report["workers"]) >= 1


def test_a_worker_killed_holding_a_payload_claim_blocks_the_next_past_its_leases_and_still_exactly_once(
        redis_url, hosts, reference, tmp_path):
    crash = {"EXTENSIONS": {**project.EXTENSIONS, "tests.resume.crashpoints.KillHoldingClaim": 1}, "CRASH_AT_CLAIM": 1}
    run = Cluster(redis_url, tmp_path / "archive", [h.url for h in hosts], workers=2, settings=SETTINGS,
                  worker_settings={0: crash}, crawl_id="20261206T000000Z").start()
    codes = run.wait()
    assert codes[0] == -signal.SIGKILL, run.output()
    assert codes[1:] == [0, 0], run.output()
    crawl_dir = tmp_path / "archive" / "news" / "20261206T000000Z"
    assert_exactly_once(crawl_dir, hosts, reference)
    report = json.loads((crawl_dir / "crawl.json").read_text())
    waits = [w["distributed"].get("payload_claim_wait_max_ms", 0) for w in report["workers"]]
    # The claim's holder is dead: a survivor waited for it to run out, longer than its own leases last.
    assert max(waits) > BASE_SETTINGS["DISTRIBUTED_LEASE"] * 1000, report["workers"]
