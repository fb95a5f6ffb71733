"""The leased per-host frontier and the dupefilters, script by script, on a real redis-server."""
from __future__ import annotations

import hashlib
import os
import time

import pytest
import redis

from newsarchive.distributed.dupefilter import BloomDupeFilter, bloom_size, expected_error_rate
from newsarchive.distributed.frontier import Frontier
from newsarchive.distributed.keys import CrawlKeys, host_key


@pytest.fixture
def server(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def frontier(server, **options) -> Frontier:
    settings = {"lease": 5.0, "concurrency": 2, "max_attempts": 3, "base_delay": 0.0, **options}
    return Frontier(server, CrawlKeys("news", "20261129T000000Z"), **settings)


def fingerprint(text: str) -> bytes:
    return hashlib.sha1(text.encode()).digest()


def test_host_keys_keep_the_port():
    assert host_key("http://127.0.0.1:8001/a") == "127.0.0.1:8001"
    assert host_key("https://News.Example/a") == "news.example"
    assert host_key("http://[::1]:80/") == "::1:80"


def test_priority_first_then_first_in_first_out_and_the_dupefilter_is_atomic(server):
    f = frontier(server, concurrency=10)
    assert f.push("h", 0, b"listing-1", mode="set", fingerprint=fingerprint("l1"))
    assert f.push("h", 10, b"article-1", mode="set", fingerprint=fingerprint("a1"))
    assert f.push("h", 0, b"listing-2", mode="set", fingerprint=fingerprint("l2"))
    assert not f.push("h", 0, b"listing-1 again", mode="set", fingerprint=fingerprint("l1"))
    assert f.push("h", 0, b"a retry", mode="")  # dont_filter: no fingerprint at all
    popped = [f.pop("w")[0].payload for _ in range(4)]
    assert popped == [b"article-1", b"listing-1", b"listing-2", b"a retry"]
    assert f.counts()["duplicates"] == 1 and f.queued() == 0 and f.in_flight() == 4


def test_a_host_at_its_concurrency_yields_to_other_hosts_until_an_ack(server):
    f = frontier(server, concurrency=1)
    for name in ("a1", "a2"):
        f.push("host-a", 0, name.encode())
    f.push("host-b", 0, b"b1")
    first, _ = f.pop("w")
    second, _ = f.pop("w")
    assert {first.payload, second.payload} == {b"a1", b"b1"}
    nothing, wait = f.pop("w")
    assert nothing is None and wait > 1  # host-a is full until its request is acknowledged
    a1 = first if first.payload == b"a1" else second
    assert f.ack("w", [a1.entry_id]) == (1, 0)
    assert f.pop("w")[0].payload == b"a2"


def test_pops_are_paced_by_the_host_delay(server):
    f = frontier(server, base_delay=0.3)
    f.push("h", 0, b"1")
    f.push("h", 0, b"2")
    assert f.pop("w")[0] is not None
    nothing, wait = f.pop("w")
    assert nothing is None and 0.1 < wait <= 0.3
    time.sleep(wait + 0.02)
    assert f.pop("w")[0].payload == b"2"


def test_an_expired_lease_goes_back_and_only_its_holder_can_ack(server):
    f = frontier(server, lease=0.2)
    f.push("h", 0, b"page")
    taken, _ = f.pop("dead-worker")
    assert taken.attempt == 1
    assert f.pop("other")[0] is None
    time.sleep(0.3)
    again, _ = f.pop("other")
    assert (again.entry_id, again.payload, again.attempt) == (taken.entry_id, b"page", 2)
    assert f.ack("dead-worker", [taken.entry_id]) == (0, 1)
    assert f.ack("other", [again.entry_id]) == (1, 0)
    assert f.in_flight() == 0 and f.queued() == 0 and f.counts()["expired"] == 1


def test_after_max_attempts_a_request_is_recorded_as_failed(server):
    f = frontier(server, lease=0.1, max_attempts=2)
    f.push("h", 0, b"poison")
    for _ in range(2):
        assert f.pop("w")[0].payload == b"poison"
        time.sleep(0.15)
    assert f.pop("w")[0] is None
    keys = f.keys
    assert server.zcard(keys.failed) == 1 and f.counts()["failed"] == 1
    assert f.in_flight() == 0 and f.queued() == 0


def test_renewed_leases_hold_and_a_clean_stop_hands_back_without_an_attempt(server):
    f = frontier(server, lease=0.3)
    f.push("h", 0, b"long page")
    taken, _ = f.pop("w1")
    for _ in range(3):
        time.sleep(0.15)
        assert f.renew("w1", [taken.entry_id]) == []
    assert f.pop("w2")[0] is None
    assert f.release("w1", [taken.entry_id]) == 1
    again, _ = f.pop("w2")
    assert (again.payload, again.attempt) == (b"long page", 1)
    assert f.renew("w1", [again.entry_id]) == [again.entry_id]  # no longer w1's


def test_the_fence_lets_only_the_lease_holder_export_a_url_and_only_once_per_crawl(server):
    f = frontier(server, lease=0.3)
    f.push("h", 0, b"article")
    slow, _ = f.pop("slow")
    time.sleep(0.4)  # the slow worker stalled past its lease; the other takes the request over
    fast, _ = f.pop("fast")
    assert fast.entry_id == slow.entry_id and fast.attempt == 2
    assert f.fence("slow", slow, "https://n.example/a") == ("lost", None)
    assert f.fence("fast", fast, "https://n.example/a") == ("ok", None)
    f.mark_exported("fast", "https://n.example/a")
    # A worker killed after the line was written, before the ack: whoever takes the request up next
    # finds the article exported.
    assert f.fence("fast", fast, "https://n.example/a") == ("exported", "fast")
    assert f.fence("third", None, "https://n.example/a") == ("exported", "fast")
    assert f.fence("third", None, "https://n.example/b") == ("ok", None)


def test_the_fence_tells_a_stale_attempt_from_the_current_one_of_the_same_worker(server):
    # A worker stalled past its lease takes the same request again: its first response is stale.
    f = frontier(server, lease=0.3)
    f.push("h", 0, b"article")
    first, _ = f.pop("w")
    time.sleep(0.4)
    second, _ = f.pop("w")
    assert (second.entry_id, second.attempt) == (first.entry_id, 2)
    assert f.fence("w", first, "https://n.example/a") == ("lost", None)
    assert f.fence("w", second, "https://n.example/a") == ("ok", None)


def test_the_fence_renews_the_lease_it_lets_through(server):
    f = frontier(server, lease=2.0)  # margins of 0.8 s: a loaded machine oversleeps
    f.push("h", 0, b"article")
    taken, _ = f.pop("w1")
    time.sleep(1.2)
    assert f.fence("w1", taken, "https://n.example/a") == ("ok", None)
    time.sleep(1.2)  # past the first lease, within the renewed one
    assert f.pop("w2")[0] is None
    assert f.ack("w1", [taken.entry_id]) == (1, 0)


def test_bloom_size_and_measured_false_positive_rate(server):
    assert bloom_size(10_000_000, 0.001) == (143775876, 10)  # 14.4 bits, 18 MB per 10M URLs
    capacity, rate = 5_000, 0.01
    bloom = BloomDupeFilter(server, "na:{news:t}:bloom", fingerprinter=None, capacity=capacity, error_rate=rate)
    assert expected_error_rate(bloom.bits, bloom.hashes, capacity) == pytest.approx(rate, rel=0.05)
    with server.pipeline(transaction=False) as pipe:
        for _ in range(capacity):
            for offset in bloom.offsets(os.urandom(20)):
                pipe.setbit(bloom.key, offset, 1)
        pipe.execute()
    trials = 10_000
    with server.pipeline(transaction=False) as pipe:
        for _ in range(trials):
            for offset in bloom.offsets(os.urandom(20)):
                pipe.getbit(bloom.key, offset)
        bits = pipe.execute()
    false_positives = sum(all(bits[i:i + bloom.hashes]) for i in range(0, len(bits), bloom.hashes))
    assert false_positives / trials < 2 * rate, f"{false_positives} of {trials}"
    assert abs(bloom.seen_count() - capacity) < capacity * 0.05
    new = fingerprint("a new URL")
    assert not bloom.contains(new)
    assert bloom.add_fingerprint(new) and not bloom.add_fingerprint(new) and bloom.contains(new)


def test_bloom_mode_filters_in_the_push_script(server):
    f = frontier(server)
    bloom = BloomDupeFilter(server, f.keys.bloom, fingerprinter=None, capacity=1000, error_rate=0.001)
    fp = fingerprint("https://n.example/a")
    assert f.push("h", 0, b"a", mode="bloom", fingerprint=fp, bloom_bits=bloom.offsets(fp))
    assert not f.push("h", 0, b"a", mode="bloom", fingerprint=fp, bloom_bits=bloom.offsets(fp))
    assert f.queued() == 1
