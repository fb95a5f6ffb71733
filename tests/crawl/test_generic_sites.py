"""The generic `news` spider on four real-shaped sites it has never seen (tests/sites/realshaped.py).

One crawl per site, from its front page alone, through the real CLI: every article is exported once
(numeric ids, .htm paths, query-string ids, no dates, a one-segment path, a brief only its feed vouches
for, a feed linked by a plain <a>), no about/contact/privacy/terms/tag/author page is, every fetched
HTML page gets a page type, `site` is the host that served the page, the archives validate, re-extraction
finds the same articles, and a second crawl finds every article unchanged.
"""
from __future__ import annotations

import gzip
import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import read_jsonl, run_cli
from tests.sites.realshaped import SYNDICATED_FROM, RealShapedSites

FAST = ('ADDRESS_GUARD_ALLOW=["127.0.0.1"]', "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "RECHECK_POLICY=[[36500, 0]]")


def crawl(url: str, archive, crawl_id: str) -> tuple[int, dict]:
    sets = [arg for setting in FAST for arg in ("--set", setting)]
    proc = run_cli("crawl", "news", "--url", url, "--archive", str(archive), "--crawl-id", crawl_id, "--no-progress",
                   *sets, timeout=180)
    report = archive / "news" / crawl_id / "crawl.json"
    assert report.exists(), proc.stdout + proc.stderr[-3000:]
    return proc.returncode, json.loads(report.read_text())


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("realshaped")
    results = {}
    with RealShapedSites() as servers:
        for server in servers:
            name = server.site.name
            code, report = crawl(server.url, archive, name)
            requests_first = dict(server.requests)
            again_code, again = crawl(server.url, archive, f"{name}-again")
            results[name] = {
                "site": server.site, "code": code, "report": report, "requests": requests_first,
                "records": read_jsonl(archive / "news" / name / "articles.jsonl"),
                "again": (again_code, again, read_jsonl(archive / "news" / f"{name}-again" / "articles.jsonl")),
                "dir": archive / "news" / name,
            }
    return results


SITES = ("gazette", "courier", "wire", "ledger")


@pytest.mark.parametrize("name", SITES)
def test_from_the_front_page_every_article_is_exported_once_and_no_other_page(crawled, name):
    result = crawled[name]
    site = result["site"]
    assert result["code"] == 0
    exported = Counter(site.aliases.get(path_of(r["url"]), path_of(r["url"])) for r in result["records"])
    assert {path: n for path, n in exported.items() if n > 1} == {}
    assert set(exported) == site.articles, {"missed": site.articles - set(exported),
                                            "not articles": set(exported) - site.articles}
    assert result["report"]["counts"]["articles"] == len(site.articles)
    # The non-articles were fetched and archived, just never exported (but what the spider's deny rules skip).
    unfetched = [path for path in site.pages_of("other") + site.pages_of("listing") if not result["requests"].get(path)]
    assert unfetched == (["/login"] if name == "wire" else [])


def html_responses(crawl_dir) -> int:
    count = 0
    for path in (crawl_dir / "warc").glob("*.warc.gz"):
        with gzip.open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit") and record.http_headers is not None \
                        and record.http_headers.get_statuscode() == "200" \
                        and "html" in (record.http_headers.get_header("Content-Type") or ""):
                    count += 1
    return count


@pytest.mark.parametrize("name", SITES)
def test_every_fetched_html_page_gets_a_page_type(crawled, name):
    result = crawled[name]
    counts = result["report"]["counts"]
    assert sum(counts["page_types"].values()) == html_responses(result["dir"]) > 0
    fetched = [path for path in result["site"].pages if result["requests"].get(path)]
    assert counts["page_types"]["other"] >= sum(result["site"].pages[p].kind == "other" for p in fetched) > 0
    assert counts["page_types"]["listing"] >= sum(result["site"].pages[p].kind == "listing" for p in fetched) > 0
    assert sum(counts["articles_decided_by"].values()) == counts["articles"]
    assert {r["page_type"] for r in result["records"]} <= {"article", "other"}


def test_a_url_first_met_as_a_page_is_extracted_when_its_feed_lists_it(crawled):
    """The ledger's brief is linked from the front page and looks like nothing; its feed vouches for it."""
    result = crawled["ledger"]
    [brief] = [r for r in result["records"] if r["url"].endswith("/briefs/9001")]
    assert brief["page_type"] == "other" and result["report"]["counts"]["articles_decided_by"]["listed"] == 1


def test_a_feed_linked_only_by_a_plain_link_is_read_by_its_content(crawled):
    result = crawled["wire"]
    assert result["requests"].get("/rss") == 1  # linked by <a href="/rss">, served as text/xml
    assert any(r["url"].endswith("/news/44614100") for r in result["records"])  # listed by the feed alone


def test_site_is_the_host_that_served_the_page(crawled):
    for name in SITES:
        for record in crawled[name]["records"]:
            assert record["site"] == "127.0.0.1", record["url"]
    ledger = crawled["ledger"]
    [syndicated] = [r for r in ledger["records"] if r["url"].endswith(ledger["site"].syndicated)]
    # canonical_url stays on the site that served it (base/urls.canonical_url); the publisher is canonical_site.
    assert syndicated["canonical_site"] == "wire-service.example" == urlsplit(SYNDICATED_FROM).hostname


def test_pages_with_a_wrong_charset_header(crawled):
    """UTF-8 pages labelled iso-8859-1 (ledger) and windows-1251 (wire): exported once, text readable, and
    the overruled header counted in crawl.json (charset_conflicts)."""
    for name, needle in (("ledger", "Zo\u00eb M\u00fcller"), ("wire", "Ren\u00e9e Dvo\u0159\u00e1kov\u00e1")):
        result = crawled[name]
        records = [r for r in result["records"] if path_of(r["url"]) in result["site"].wrong_charset]
        assert len(records) == len(result["site"].wrong_charset)
        conflicts = sum(1 for r in result["records"] if r.get("charset_conflict") is True)
        assert result["report"]["counts"]["charset_conflicts"] == conflicts
        for record in records:  # extraction believed the bytes, not the header, and said so
            assert needle in record["text"], record["url"]
            assert record["charset"] == "utf-8" and record["charset_conflict"] is True, record["url"]
        assert conflicts >= len(records) > 0


@pytest.mark.parametrize("name", SITES)
def test_every_article_has_its_requisites_however_it_was_recognized(crawled, name):
    """Requisites are settled before the record is built: also for a page that turned out an article only by
    what it says (no URL rule named it), and for one fetched again once its feed vouched for it."""
    pages = {"gazette": "/favicon.ico", "courier": "/img/logo.gif", "wire": "/static/wire.css", "ledger": "/favicon.ico"}
    for record in crawled[name]["records"]:
        requisites = record.get("requisites")
        assert requisites is not None, record["url"]
        named = {path_of(r["url"]) for r in requisites["archived"]} | {path_of(r["url"]) for r in requisites["skipped"]}
        assert pages[name] in named, (record["url"], requisites)


def test_a_seed_that_is_an_article_has_its_requisites(tmp_path):
    with RealShapedSites() as servers:
        wire = next(server for server in servers if server.site.name == "wire")
        path = sorted(wire.site.articles)[0]
        code, report = crawl(wire.url.rstrip("/") + path, tmp_path, "seed")
    records = {path_of(r["url"]): r for r in read_jsonl(tmp_path / "news" / "seed" / "articles.jsonl")}
    assert code == 0 and path in records
    skipped = {path_of(r["url"]) for r in records[path]["requisites"]["skipped"]}
    assert "/static/wire.css" in skipped  # the fixture serves no stylesheet: asked for, answered 404


@pytest.mark.parametrize("name", SITES)
def test_the_archives_validate(crawled, name):
    proc = run_cli("validate", str(crawled[name]["dir"] / "warc"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ("wire", "ledger"))
def test_reextract_finds_the_same_articles_by_the_page(crawled, name, tmp_path):
    out = tmp_path / "again.jsonl"
    proc = run_cli("reextract", str(crawled[name]["dir"]), "--out", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert sorted(r["url"] for r in read_jsonl(out)) == sorted(r["url"] for r in crawled[name]["records"])
    assert "not_an_article" in proc.stdout


@pytest.mark.parametrize("name", SITES)
def test_a_second_crawl_finds_every_article_unchanged(crawled, name):
    """Articles found by the page are tracked by the state like any other: asked again, found unchanged."""
    code, report, records = crawled[name]["again"]
    site = crawled[name]["site"]
    assert code == 0 and records == []
    assert report["counts"]["unchanged"] == len(site.articles) + len(site.aliases)  # an alias is a URL too
