"""SqliteCrawlState and the re-check policy, on a real SQLite file."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from newsarchive.state.policy import DEFAULT_RECHECK_POLICY, RecheckPlanner, is_due, parse_policy, recheck_interval
from newsarchive.state.store import SqliteCrawlState, UrlState
from newsarchive.warc.pointer import Capture, WarcPointer

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def article(url: str, *, published: datetime | None, last_fetched: datetime, text: str = "Text.") -> UrlState:
    capture = Capture(url=url, date=iso(last_fetched),
                      pointer=WarcPointer(filename="F.warc.gz", offset=0, length=None,
                                          record_id=f"<urn:uuid:{abs(hash(url))}>"))
    return UrlState(url=url, first_fetched=iso(last_fetched), last_fetched=iso(last_fetched),
                    last_changed=iso(last_fetched), text=text, text_digest="sha1:" + text, revision=1,
                    published=published.isoformat() if published else None, etag='"e1"').with_capture(capture)


@pytest.fixture
def store(tmp_path):
    with SqliteCrawlState(tmp_path / "news" / "state.sqlite") as opened:
        yield opened


def test_store_round_trips_and_uses_wal(store, tmp_path):
    state = article("https://n.example/a-story", published=NOW, last_fetched=NOW)
    store.commit_revision(state, crawl_id="20261129T120000Z")
    assert store.get(state.url) == state
    assert store.get("https://n.example/other") is None
    store.commit_check(state.url, "2026-11-30T00:00:00Z")
    assert store.get(state.url).last_fetched == "2026-11-30T00:00:00Z"
    [entry] = store.revisions(state.url)
    assert (entry.number, entry.crawl_id, entry.warc_record_id) == (1, "20261129T120000Z", state.capture_record_id)
    with sqlite3.connect(tmp_path / "news" / "state.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_first_capture_of_a_payload_wins(store):
    def payload_capture(url: str, date: str, record_id: str) -> Capture:
        return Capture(url=url, date=date, pointer=WarcPointer(filename="F.warc.gz", offset=0, length=None,
                                                               record_id=record_id, payload_digest="sha1:X"))

    first = payload_capture("https://n.example/a", "2026-11-29T00:00:00Z", "<urn:uuid:1>")
    store.add_payload("sha1:X", first)
    store.add_payload("sha1:X", payload_capture("https://n.example/b", "2026-11-30T00:00:00Z", "<urn:uuid:2>"))
    assert store.lookup_payload("sha1:X") == first
    assert store.lookup_payload("sha1:Y") is None


def test_last_crawl_is_the_latest_finished_other_crawl(store):
    assert store.last_crawl_started() is None
    store.begin_crawl("A", "2026-11-28T00:00:00Z")
    store.finish_crawl("A", "2026-11-28T00:10:00Z", "finished")
    store.begin_crawl("B", "2026-11-29T00:00:00Z")  # killed: never finished
    store.begin_crawl("C", "2026-11-29T06:00:00Z")
    assert store.last_crawl_started(before="C") == "2026-11-28T00:00:00Z"
    store.finish_crawl("C", "2026-11-29T06:05:00Z", "finished")
    assert store.last_crawl_started(before="D") == "2026-11-29T06:00:00Z"


def test_policy_parsing_and_intervals():
    assert parse_policy(None) == DEFAULT_RECHECK_POLICY
    policy = parse_policy([[30, 168], [7, 24]])
    assert policy == ((7.0, 24.0), (30.0, 168.0))
    assert recheck_interval(policy, timedelta(days=2)) == timedelta(hours=24)
    assert recheck_interval(policy, timedelta(days=10)) == timedelta(days=7)
    assert recheck_interval(policy, timedelta(days=31)) is None
    for bad in ([[7]], [["x", 1]], [[0, 1]], [[7, -1]]):
        with pytest.raises(ValueError):
            parse_policy(bad)


def test_due_by_age_and_last_fetch():
    policy = DEFAULT_RECHECK_POLICY
    fresh = article("u", published=NOW - timedelta(days=2), last_fetched=NOW - timedelta(hours=25))
    assert is_due(fresh, NOW, policy)
    assert not is_due(article("u", published=NOW - timedelta(days=2), last_fetched=NOW - timedelta(hours=3)), NOW, policy)
    assert not is_due(article("u", published=NOW - timedelta(days=10), last_fetched=NOW - timedelta(days=2)), NOW, policy)
    assert is_due(article("u", published=NOW - timedelta(days=10), last_fetched=NOW - timedelta(days=8)), NOW, policy)
    assert not is_due(article("u", published=NOW - timedelta(days=400), last_fetched=NOW - timedelta(days=300)), NOW, policy)
    # no published date: the age counts from the first capture
    assert is_due(article("u", published=None, last_fetched=NOW - timedelta(days=1, hours=1)), NOW, policy)


def test_planner_takes_new_listed_as_changed_and_due_articles(store):
    last_crawl = NOW - timedelta(hours=6)
    old = article("https://n.example/old-story", published=NOW - timedelta(days=90), last_fetched=last_crawl)
    young = article("https://n.example/young-story", published=NOW - timedelta(days=1), last_fetched=NOW - timedelta(days=1))
    for state in (old, young):
        store.commit_revision(state, crawl_id="20261129T060000Z")
    planner = RecheckPlanner(store, DEFAULT_RECHECK_POLICY, last_crawl=last_crawl, now=NOW)
    assert planner.due_urls() == [young.url]
    assert planner.wants("https://n.example/never-seen")
    assert planner.wants(young.url)
    assert not planner.wants(old.url)
    assert not planner.wants(old.url, listed=last_crawl - timedelta(days=1))
    assert planner.wants(old.url, listed=last_crawl + timedelta(hours=1))  # the sitemap says it changed since


def test_the_store_keys_an_article_by_its_normalized_url(tmp_path):
    """However a crawl linked it (tracking parameters, a fragment, host case), one article is one state."""
    from newsarchive.state.store import SqliteCrawlState, UrlState

    with SqliteCrawlState(tmp_path / "state.sqlite") as store:
        state = UrlState(url="https://News.example.com/a/?utm_source=rss#top", text_digest="sha1:X", revision=1,
                         last_fetched="2026-11-01T00:00:00Z")
        store.commit_revision(state, crawl_id="20261101T000000Z")
        known = store.get("https://news.example.com/a/?fbclid=abc")
        assert known is not None and known.url == "https://news.example.com/a/" and known.revision == 1
        store.commit_check("https://news.example.com/a/#comments", "2026-11-02T00:00:00Z")
        assert store.get("https://news.example.com/a/").last_fetched == "2026-11-02T00:00:00Z"
        assert [r.number for r in store.revisions("https://news.example.com/a/?utm_medium=x")] == [1]
        assert [s.url for s in store.tracked()] == ["https://news.example.com/a/"]
