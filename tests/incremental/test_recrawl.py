"""Recurring crawls of a site whose articles change: revisits, 304s, revisions and history.

One module-scoped sequence of real crawls (the `news` spider, in subprocesses, against a loopback
site), each test checking one promise of it:
  C1  first crawl: every article new;
  C2  nothing changed, conditional requests off: identical-payload revisits only;
  C3  nothing changed: conditional requests answered 304, server-not-modified revisits only;
  C4  one article edited (a paragraph changed, one added), another only got a new ad slot.
"""
from __future__ import annotations

import json

import pytest

from newsarchive.state.revisions import paragraphs
from newsarchive.state.consistency import missing_captures
from newsarchive.state.store import SqliteCrawlState
from newsarchive.warc.records import IDENTICAL_PAYLOAD_DIGEST, SERVER_NOT_MODIFIED
from tests.conftest import run_cli
from tests.incremental.crawl import SPIDER, articles, crawl, warc_records
from tests.incremental.site import STORIES, IncrementalSite

C1, C2, C3, C4 = (f"20261129T00000{n}Z" for n in range(1, 5))
EDITED = "/news/harbour-tide-gauge-upgrade/"
AD_ONLY = "/news/bus-depot-solar-canopy/"
EDITED_PARAGRAPHS = [
    STORIES[EDITED][1][0],
    "Engineers said the old float had jammed three times during the spring storms, each time needing a diver.",
    *STORIES[EDITED][1][2:],
    "A second radar sensor will be fitted at the ferry pier next year.",
]


@pytest.fixture(scope="module")
def recrawls(tmp_path_factory):
    archive = tmp_path_factory.mktemp("incremental")
    with IncrementalSite() as site:
        reports = {C1: crawl(site.url, archive, C1)}
        reports[C2] = crawl(site.url, archive, C2, "CONDITIONAL_REQUESTS_ENABLED=false")
        hits_before_c3 = len(site.hits)
        reports[C3] = crawl(site.url, archive, C3)
        c3_hits = site.hits[hits_before_c3:]
        site.edit(EDITED, EDITED_PARAGRAPHS)
        site.edit(AD_ONLY, STORIES[AD_ONLY][1], ad_slot="slot-b")
        reports[C4] = crawl(site.url, archive, C4)
        yield {"archive": archive, "reports": reports, "url": site.article_url, "c3_hits": c3_hits}


def article_urls(recrawls) -> set[str]:
    return {recrawls["url"](path) for path in STORIES}


def test_first_crawl_archives_every_article_as_new(recrawls):
    records = articles(recrawls["archive"], C1)
    assert {r["url"] for r in records} == article_urls(recrawls)
    assert all(r["revision"] is None for r in records)
    counts = recrawls["reports"][C1]["counts"]
    assert (counts["new"], counts["changed"], counts["unchanged"], counts["failed"]) == (3, 0, 0, 0)


def test_unchanged_recrawl_writes_only_identical_payload_revisits(recrawls):
    archive = recrawls["archive"]
    assert articles(archive, C2) == []
    first = {r["uri"]: r for r in warc_records(archive, C1) if r["type"] == "response"}
    records = warc_records(archive, C2)
    assert {r["type"] for r in records} == {"warcinfo", "revisit", "request"}
    revisits = [r for r in records if r["type"] == "revisit"]
    assert {r["uri"] for r in revisits} >= article_urls(recrawls)
    for revisit in revisits:
        original = first[revisit["refers_to_uri"]]
        assert revisit["profile"] == IDENTICAL_PAYLOAD_DIGEST
        assert (revisit["refers_to"], revisit["refers_to_date"]) == (original["id"], original["date"])
    counts = recrawls["reports"][C2]["counts"]
    assert (counts["new"], counts["changed"], counts["unchanged"]) == (0, 0, 3)


def test_conditional_recrawl_gets_304s_recorded_as_server_not_modified(recrawls):
    archive = recrawls["archive"]
    assert articles(archive, C3) == []
    article_hits = [(path, status) for path, status in recrawls["c3_hits"] if path in STORIES]
    assert sorted(article_hits) == sorted((path, 304) for path in STORIES)
    first = {r["uri"]: r for r in warc_records(archive, C1) if r["type"] == "response"}
    records = warc_records(archive, C3)
    assert "response" not in {r["type"] for r in records}
    not_modified = [r for r in records if r["type"] == "revisit" and r["profile"] == SERVER_NOT_MODIFIED]
    assert {r["uri"] for r in not_modified} == article_urls(recrawls)
    heads = {r["refers_to"]: r for r in records if r["type"] == "metadata"}
    for revisit in not_modified:
        original = first[revisit["uri"]]
        assert (revisit["refers_to_uri"], revisit["refers_to_date"], revisit["refers_to"]) == (
            original["uri"], original["date"], original["id"])
        # No HTTP head of its own, so replay shows the original; the 304 as received is in a metadata record.
        assert revisit["status"] is None
        head = heads[revisit["id"]]
        assert head["content_type"] == "application/http;msgtype=response"
        assert head["block"].startswith(b"HTTP/1.") and b" 304 " in head["block"].split(b"\r\n")[0]
    requests = [r for r in records if r["type"] == "request" and r["uri"] in article_urls(recrawls)]
    assert requests and all("If-None-Match" in r["request_headers"] for r in requests)
    counts = recrawls["reports"][C3]["counts"]
    assert (counts["new"], counts["changed"], counts["unchanged"], counts["failed"]) == (0, 0, 3, 0)
    proc = run_cli("validate", str(archive / SPIDER / C3))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_edited_article_gets_exactly_one_new_revision_with_its_diff(recrawls):
    archive = recrawls["archive"]
    url = recrawls["url"](EDITED)
    before = next(r for r in articles(archive, C1) if r["url"] == url)
    records = articles(archive, C4)
    assert [r["url"] for r in records] == [url]
    revision = records[0]["revision"]
    assert revision["number"] == 2
    assert revision["previous_text_digest"] == before["text_digest"] != records[0]["text_digest"]
    diff = revision["diff"]
    assert diff["counts"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 3}
    assert [c["after"] for c in diff["changed"]] == [EDITED_PARAGRAPHS[1]]
    assert [c["before"] for c in diff["changed"]] == [STORIES[EDITED][1][1]]
    assert [a["text"] for a in diff["added"]] == [EDITED_PARAGRAPHS[-1]]
    assert all(p in paragraphs(records[0]["text"]) for p in EDITED_PARAGRAPHS)
    counts = recrawls["reports"][C4]["counts"]
    assert (counts["new"], counts["changed"], counts["unchanged"]) == (0, 1, 2)
    # the JSON record points at the new response record of this crawl
    responses = {r["id"]: r for r in warc_records(archive, C4) if r["type"] == "response"}
    assert responses[records[0]["warc"]["record_id"]]["uri"] == url


def test_new_bytes_with_the_same_text_are_archived_but_unchanged(recrawls):
    archive = recrawls["archive"]
    url = recrawls["url"](AD_ONLY)
    responses = [r for r in warc_records(archive, C4) if r["type"] == "response" and r["uri"] == url]
    assert len(responses) == 1  # the new payload is kept ...
    assert url not in {r["url"] for r in articles(archive, C4)}  # ... but it is no new revision
    with SqliteCrawlState(archive / SPIDER / "state.sqlite") as store:
        state = store.get(url)
        assert state.revision == 1
        assert state.capture_record_id == responses[0]["id"]  # a later 304 refers to the newest bytes
        assert [e.number for e in store.revisions(url)] == [1]


def test_history_prints_the_revisions_with_dates_and_diff(recrawls):
    archive = recrawls["archive"]
    url = recrawls["url"](EDITED)
    proc = run_cli("history", url, "--archive", str(archive), "--full")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    first, second = (next(r for r in articles(archive, c) if r["url"] == url) for c in (C1, C4))
    assert f"revision 1  {first['fetched_at']}  crawl {C1}" in out
    assert f"revision 2  {second['fetched_at']}  crawl {C4}" in out
    assert "+1 added, -0 removed, ~1 changed, 3 unchanged paragraphs" in out
    assert EDITED_PARAGRAPHS[-1] in out and STORIES[EDITED][1][1] in out
    as_json = json.loads(run_cli("history", url, "--archive", str(archive), "--json", check=True).stdout)
    assert [r["number"] for r in as_json[0]["revisions"]] == [1, 2]
    assert as_json[0]["last_fetched"] == second["fetched_at"]
    unknown = run_cli("history", recrawls["url"]("/news/never-published-story/"), "--archive", str(archive))
    assert unknown.returncode == 1 and "no archived record" in unknown.stdout


def test_state_claims_only_captures_the_warcs_hold(recrawls):
    archive = recrawls["archive"]
    assert missing_captures(archive / SPIDER) == []
    with SqliteCrawlState(archive / SPIDER / "state.sqlite") as store:
        exported = {(r["url"], r["text_digest"]) for c in (C1, C4) for r in articles(archive, c)}
        committed = {(e.url, e.text_digest) for s in store.tracked() for e in store.revisions(s.url)}
        assert committed == exported
    proc = run_cli("validate", str(archive / SPIDER))
    assert proc.returncode == 0, proc.stdout + proc.stderr
