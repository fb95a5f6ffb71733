"""Three workers crawl three loopback hosts through one Redis: exactly once, politely, and again.

One seeding `newsarchive crawl news --url A --url B --url C --redis` and two `newsarchive worker`
processes share a real redis-server. Each host is a demo site on its own port, logging every request.
The reference is a one-process crawl of the same site: what a distributed crawl must archive per host.
"""
from __future__ import annotations

import json
from itertools import pairwise

import pytest
import redis

from newsarchive.distributed.keys import CrawlKeys
from tests.conftest import run_cli
from tests.distributed.cluster import Cluster, articles, host_and_path, warc_records
from tests.distributed.site import HostServer, logs_by_host_name, starts_and_overlap

pytestmark = pytest.mark.slow

DELAY = 0.5  # seconds between two request starts on one host, across the cluster
CONCURRENCY = 2  # requests on the wire to one host at once, across the cluster
ARTICLE_DELAY = 1.2  # an article takes this long to serve, so that the concurrency limit binds
WINDOW = 2.0  # seconds: the rate to a host is checked over every window this long
GAP_FLOOR = 0.3  # of DELAY: the closest two starts may come once the server's own lag is allowed for
CRAWL_1, CRAWL_2 = "20261201T000000Z", "20261202T000000Z"


@pytest.fixture(scope="module")
def hosts():
    servers = [HostServer(article_delay=ARTICLE_DELAY) for _ in range(3)]
    for server in servers:
        server.__enter__()
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def cluster(redis_server, hosts, tmp_path_factory):
    client = redis_server.client()
    client.flushall()
    archive = tmp_path_factory.mktemp("distributed")
    settings = {"DOWNLOAD_DELAY": DELAY, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY}
    run = Cluster(redis_server.url, archive, [h.url for h in hosts], workers=2, settings=settings,
                  crawl_id=CRAWL_1).start()
    codes = run.wait()
    assert codes == [0, 0, 0], run.output()
    return {"archive": archive, "crawl_dir": archive / "news" / CRAWL_1, "redis": redis_server.url}


def test_every_article_exported_exactly_once_across_workers(cluster, hosts, reference):
    records = articles(cluster["crawl_dir"])
    keys = [host_and_path(r["url"]) for r in records]
    assert len(keys) == len(set(keys)), "an article was exported twice"
    expected = {(h.url.split("/")[2], path) for h in hosts for path in reference["articles"]}
    assert set(keys) == expected
    per_worker = [len(path.read_text().splitlines()) for path in cluster["crawl_dir"].glob("articles-*.jsonl")]
    assert len([n for n in per_worker if n]) >= 2, f"the work was not shared: {per_worker}"
    ids = {r["id"] for r in warc_records(cluster["crawl_dir"])}
    assert all(r["warc"]["record_id"] in ids for r in records)
    # Every record passed the export fence on its own request's lease (distributed/fence.py), and the
    # fence marked each URL exported.
    workers = json.loads((cluster["crawl_dir"] / "crawl.json").read_text())["workers"]
    assert not any(w["distributed"].get("fence/unleased") for w in workers), workers
    marked = redis.Redis.from_url(cluster["redis"]).hkeys(CrawlKeys("news", CRAWL_1).exported)
    assert {host_and_path(url.decode()) for url in marked} == set(keys)


def test_every_url_archived_no_payload_twice_and_the_archive_validates(cluster, hosts, reference):
    records = warc_records(cluster["crawl_dir"])
    archived = {host_and_path(r["uri"]) for r in records if r["type"] in ("response", "revisit")}
    expected = {(h.url.split("/")[2], path) for h in hosts for path in reference["paths"]}
    assert expected <= archived, f"not archived: {sorted(expected - archived)[:10]}"
    whole = [r["digest"] for r in records if r["type"] == "response" and r["status"] == "200"]
    assert len(whole) == len(set(whole)), "a payload was stored whole twice"
    response_ids = {r["id"] for r in records if r["type"] == "response"}
    revisits = [r for r in records if r["type"] == "revisit"]
    assert revisits, "robots.txt is fetched by every worker: some revisits are expected"
    assert all(r["refers_to"] in response_ids for r in revisits), "a revisit points at a record that is not there"
    validate = run_cli("validate", str(cluster["crawl_dir"]))
    assert validate.returncode == 0, validate.stdout[-3000:]


def test_merged_report_status_and_index_read_every_worker(cluster):
    crawl_dir = cluster["crawl_dir"]
    total = len(articles(crawl_dir))
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["finish_reason"] == "finished"
    assert report["counts"]["articles"] == total
    assert len(report["workers"]) == 3 == len(list(crawl_dir.glob("crawl-*.json")))
    assert sum(w["articles"] for w in report["workers"]) == total
    assert report["distributed"]["failed"] == [] and report["distributed"]["in_flight"] == 0

    status = run_cli("status", "--redis", cluster["redis"], "--json")
    assert status.returncode == 0, status.stderr
    (crawl,) = json.loads(status.stdout)
    assert (crawl["crawl_id"], crawl["queued"], crawl["in_flight"], crawl["workers_alive"]) == (CRAWL_1, 0, 0, 0)
    assert crawl["finished_at"] is not None

    drift = run_cli("report", "news", "--archive", str(cluster["archive"]), "--json")
    assert json.loads(drift.stdout)[0]["latest"] == CRAWL_1
    index = run_cli("index", str(cluster["archive"]))
    assert index.returncode == 0, index.stderr
    assert f"indexed {total} new records" in index.stdout


def test_politeness_holds_per_host_across_three_workers(cluster, hosts):
    """The servers' own logs: concurrency exactly; the delay up to what a loaded 2-core machine can time.

    A request's start is logged when the server's thread gets to it: on this 2-core machine shared with
    other work, with a new connection to accept, that was up to 0.2 s after the worker sent it, which
    shortens the gap before it. So single gaps are checked against GAP_FLOOR of the delay (three workers
    pacing themselves without the gate leave gaps of a few milliseconds), and the rate over every window
    of WINDOW seconds against the delay itself.
    """
    report = json.loads((cluster["crawl_dir"] / "crawl.json").read_text())
    assert len([w for w in report["workers"] if w["responses"]]) >= 2, "one worker did all the fetching"
    busiest_name = 0
    for host in hosts:
        for name, log in logs_by_host_name(host.log).items():
            starts, most = starts_and_overlap(log)
            busiest_name = max(busiest_name, most)
            where = f"{host.url} as {name}"
            assert most <= CONCURRENCY, f"{where}: {most} requests at once"
            if len(starts) < 2:
                continue
            closest = min(b - a for a, b in pairwise(starts))
            assert closest >= DELAY * GAP_FLOOR, f"{where}: two requests {closest:.3f} s apart: " + str(
                [(round(a - log[0][0], 3), round(b - a, 3), p) for a, b, p, _ in sorted(log)])
            busiest = max(sum(1 for t in starts if s <= t < s + WINDOW) for s in starts)
            assert busiest <= WINDOW / DELAY + 1, f"{where}: {busiest} requests within {WINDOW} s"
            assert (starts[-1] - starts[0]) >= (len(starts) - 1) * DELAY * 0.95
        assert len(host.log) > 20
    assert busiest_name == CONCURRENCY  # the limit binds: some host had that many on the wire at once


def test_a_second_crawl_through_redis_state_writes_revisits_only_for_unchanged_pages(cluster, hosts, redis_server):
    changed = hosts[0].plain_articles()[0]
    hosts[0].change_article(changed.path, "A correction was added to this story after publication.")
    for host in hosts:
        host.article_delay = 0
    run = Cluster(redis_server.url, cluster["archive"], [h.url for h in hosts], workers=1, crawl_id=CRAWL_2,
                  settings={"DOWNLOAD_DELAY": 0.05, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY}).start()
    codes = run.wait()
    assert codes == [0, 0], run.output()
    crawl_dir = cluster["archive"] / "news" / CRAWL_2
    records = warc_records(crawl_dir)
    changed_url = changed.url(hosts[0].url)
    whole = {r["uri"] for r in records if r["type"] == "response" and r["status"] == "200"}
    assert whole == {changed_url}
    revisited = {r["uri"] for r in records if r["type"] == "revisit"}
    assert len(revisited) > 60  # every other page of the three sites
    exported = articles(crawl_dir)
    assert [(r["url"], r["revision"]["number"]) for r in exported] == [(changed_url, 2)]
    assert run_cli("validate", str(crawl_dir)).returncode == 0
