"""RedisCrawlState against SqliteCrawlState: the same calls give the same answers, on a real redis-server."""
from __future__ import annotations

import pytest
import redis

from newsarchive.state.redis_store import RedisCrawlState
from newsarchive.state.store import SqliteCrawlState, UrlState
from newsarchive.warc.pointer import Capture, WarcPointer


def capture(url: str, record: str, date: str = "2026-11-29T00:00:00Z", digest: str | None = None) -> Capture:
    return Capture(url=url, date=date, pointer=WarcPointer(filename="F-host-1.warc.gz", offset=1234, length=None,
                                                           record_id=f"<urn:uuid:{record}>", payload_digest=digest))


def state(url: str, text: str, revision: int, record: str) -> UrlState:
    return UrlState(url=url, first_fetched="2026-11-29T00:00:00Z", last_fetched="2026-11-29T00:00:00Z",
                    last_changed="2026-11-29T00:00:00Z", payload_digest="sha1:P" + record, text=text,
                    text_digest="sha1:" + text, etag='"e"', last_modified="Sun, 29 Nov 2026 00:00:00 GMT",
                    revision=revision, published="2026-11-28T09:00:00+00:00",
                    crawl_id="20261129T000000Z").with_capture(capture(url, record))


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path, redis_url):
    if request.param == "sqlite":
        with SqliteCrawlState(tmp_path / "state.sqlite") as opened:
            yield opened
    else:
        yield RedisCrawlState(redis.Redis.from_url(redis_url), "news")


def test_urls_revisions_and_checks(store):
    url = "https://n.example/2026/11/a-story/"
    assert store.get(url) is None
    first = state(url, "Old text, with ünïcode.", 1, "1")
    store.commit_revision(first, crawl_id="20261129T000000Z")
    assert store.get(url) == first
    second = state(url, "New text.", 2, "2")
    store.commit_revision(second, crawl_id="20261130T000000Z")
    assert store.get(url) == second
    entries = store.revisions(url)
    assert [(e.number, e.crawl_id, e.previous_text_digest) for e in entries] == [
        (1, "20261129T000000Z", None), (2, "20261130T000000Z", "sha1:Old text, with ünïcode.")]
    store.commit_check(url, "2026-12-01T00:00:00Z")
    assert store.get(url).last_fetched == "2026-12-01T00:00:00Z"
    store.commit_check("https://n.example/unknown/", "2026-12-01T00:00:00Z")
    assert store.get("https://n.example/unknown/") is None
    listing = UrlState(url="https://n.example/", last_fetched="2026-11-29T00:00:00Z")
    store.commit_capture(listing)
    assert store.get(listing.url) == listing
    assert [s.url for s in store.tracked()] == [url]  # only URLs with an article text


def test_payloads_first_capture_wins(store):
    first = capture("https://n.example/a", "1", digest="sha1:X")
    store.add_payload("sha1:X", first)
    store.add_payload("sha1:X", capture("https://n.example/b", "2", digest="sha1:X"))
    assert store.lookup_payload("sha1:X") == first
    assert store.lookup_payload("sha1:Y") is None
    assert list(store.payloads()) == [("sha1:X", first)]


def test_crawls(store):
    store.begin_crawl("20261129T000000Z", "2026-11-29T00:00:00Z")
    store.begin_crawl("20261130T000000Z", "2026-11-30T00:00:00Z")
    assert store.last_crawl_started() is None
    store.finish_crawl("20261129T000000Z", "2026-11-29T01:00:00Z", "finished")
    store.finish_crawl("20261130T000000Z", "2026-11-30T01:00:00Z", "finished")
    assert store.last_crawl_started() == "2026-11-30T00:00:00Z"
    assert store.last_crawl_started(before="20261130T000000Z") == "2026-11-29T00:00:00Z"


def test_payload_claims_are_exclusive_and_expire(redis_url):
    store = RedisCrawlState(redis.Redis.from_url(redis_url), "news")
    assert store.claim_payload("sha1:X", "worker-a", 5)
    assert not store.claim_payload("sha1:X", "worker-b", 5)
    store.release_payload("sha1:X", "worker-b")  # not the holder: nothing happens
    assert not store.claim_payload("sha1:X", "worker-b", 5)
    store.release_payload("sha1:X", "worker-a")
    assert store.claim_payload("sha1:X", "worker-b", 0.05)
    import time

    time.sleep(0.1)
    assert store.claim_payload("sha1:X", "worker-c", 5), "a dead holder's claim runs out"


def test_repr_names_no_redis_url(redis_url):
    store = RedisCrawlState(redis.Redis.from_url("redis://:s3cret@127.0.0.1:1/0"), "news")
    assert "s3cret" not in repr(store)


def test_lookup_or_claim_in_one_round_trip(redis_url):
    store = RedisCrawlState(redis.Redis.from_url(redis_url), "news")
    assert store.lookup_or_claim_payload("sha1:X", "worker-a", 5) is True
    assert store.lookup_or_claim_payload("sha1:X", "worker-b", 5) is False  # a is writing it
    first = capture("https://n.example/a", "1", digest="sha1:X")
    store.add_payload_and_release("sha1:X", first, "worker-a")
    assert store.lookup_or_claim_payload("sha1:X", "worker-b", 5) == first
    assert store.claim_payload("sha1:X", "worker-c", 5), "the claim was given back"


def test_an_article_is_keyed_by_its_normalized_url(store):
    state = UrlState(url="https://News.example.com/a/?utm_source=rss#top", text_digest="sha1:X", revision=1,
                     last_fetched="2026-11-01T00:00:00Z")
    store.commit_revision(state, crawl_id="20261101T000000Z")
    known = store.get("https://news.example.com/a/?fbclid=abc")
    assert known is not None and known.url == "https://news.example.com/a/" and known.revision == 1
    store.commit_check("https://news.example.com/a/#comments", "2026-11-02T00:00:00Z")
    assert store.get("https://news.example.com/a/").last_fetched == "2026-11-02T00:00:00Z"
    assert [r.number for r in store.revisions("https://news.example.com/a/?utm_medium=x")] == [1]
    assert [s.url for s in store.tracked()] == ["https://news.example.com/a/"]
