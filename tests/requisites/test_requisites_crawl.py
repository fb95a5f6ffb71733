"""Requisites in a real crawl: in scope, on budget, trackers never contacted, robots.txt obeyed."""
from __future__ import annotations

import json

import pytest

from newsarchive.warc import cdxj
from tests.conftest import read_jsonl, run_cli
from tests.requisites.site import ARTICLE_PATH, IMAGES, REAL_TRACKERS, GallerySite, LoggingServer

CRAWL_ID = "20261201T000000Z"
BUDGET = 60  # REQUISITES_MAX_PER_ARTICLE's default


def crawl(site, archive, *settings: str):
    sets = [arg for name_value in (*settings, 'REQUISITES_BLOCK_HOSTS=["localhost"]') for arg in ("--set", name_value)]
    proc = run_cli("crawl", "demo", "--url", site.url, "--archive", str(archive), "--crawl-id", CRAWL_ID,
                   "--no-progress", *sets)
    crawl_dir = archive / "demo" / CRAWL_ID
    assert proc.returncode == 0, proc.stderr[-3000:]
    [record] = read_jsonl(crawl_dir / "articles.jsonl")
    report = json.loads((crawl_dir / "crawl.json").read_text())
    entries = [e for path in (crawl_dir / "warc").glob("*.cdxj") for e in cdxj.read_entries(path)]
    return record, report, entries


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    with LoggingServer() as tracker:
        # The tracker answers on "localhost", a name the crawl's block list holds (REQUISITES_BLOCK_HOSTS).
        with GallerySite(tracker_url=f"http://localhost:{tracker.port}/") as site:
            record, report, entries = crawl(site, tmp_path_factory.mktemp("archive"))
            yield site, tracker, record, report, entries


@pytest.mark.slow
def test_a_page_naming_500_images_archives_the_budget_and_no_more(gallery):
    site, _, record, report, entries = gallery
    requisites = record["requisites"]
    # The count budget is of requisites asked for: a 404 (no /favicon.ico here) or a robots.txt refusal
    # takes its place in the count too.
    failed = [s for s in requisites["skipped"] if s["reason"] in ("http_404", "robots_forbidden")]
    assert len(requisites["archived"]) + len(failed) == BUDGET
    image_hits = [path for path in site.hits if path.startswith("/img/")]
    assert 0 < len(image_hits) <= BUDGET
    archived_images = {e.url for e in entries if "/img/" in e.url and e.status == "200"}
    assert len(archived_images) <= BUDGET and archived_images <= set(requisites["archived"])
    over = [s for s in requisites["skipped"] if s["reason"] == "budget_article_count"]
    assert len(over) + requisites["unlisted"] >= IMAGES - BUDGET
    assert report["requisites"]["budget_hit"] == {"article": 1}
    assert report["requisites"]["skipped"]["budget_article_count"] >= IMAGES - BUDGET


@pytest.mark.slow
def test_the_stylesheet_and_what_it_names_come_before_the_images(gallery):
    site, _, record, _, _ = gallery
    archived = record["requisites"]["archived"]
    assert archived[0] == site.url + "site.css"
    # Named by the stylesheet, resolved against it, and fetched before the images still waiting.
    assert {site.url + "img/bg.png", site.url + "fonts/x.woff2"} <= set(archived[:8])


@pytest.mark.slow
def test_tracker_hosts_are_never_contacted(gallery):
    site, tracker, record, report, entries = gallery
    assert tracker.hits == []
    skipped = {s["url"]: s["reason"] for s in record["requisites"]["skipped"]}
    for url in (*REAL_TRACKERS, "https://www.googletagmanager.com/gtm.js?id=GTM-1", f"http://localhost:{tracker.port}/pixel.gif"):
        assert skipped[url] == "blocked"
    # The block list stopped them, not the address guard behind it (which would have counted a refusal).
    assert "address_refused" not in report["errors"]
    assert not [e.url for e in entries if "localhost" in e.url or "google" in e.url or "doubleclick" in e.url]


@pytest.mark.slow
def test_scripts_are_off_and_robots_txt_is_obeyed_for_requisites(gallery):
    site, _, record, _, _ = gallery
    skipped = {s["url"]: s["reason"] for s in record["requisites"]["skipped"]}
    assert skipped[site.url + "app.js"] == "script"
    assert skipped[site.url + "private-img/secret.png"] == "robots_forbidden"
    assert "/app.js" not in site.hits and "/private-img/secret.png" not in site.hits


@pytest.mark.slow
def test_the_byte_budget_stops_requisites(tmp_path):
    with LoggingServer() as tracker, GallerySite(tracker_url=f"http://localhost:{tracker.port}/", image_bytes=1000) as site:
        record, report, entries = crawl(site, tmp_path, "REQUISITES_MAX_BYTES_PER_ARTICLE=5000")
    image_bytes = 1000 * len([p for p in site.hits if p.startswith("/img/")])
    concurrency = 4  # REQUISITES_CONCURRENCY: fetches in flight when the budget runs out may finish
    assert 0 < image_bytes <= 5000 + (concurrency - 1) * 1000
    reasons = {s["reason"] for s in record["requisites"]["skipped"]}
    assert "budget_article_bytes" in reasons and "budget_article_count" not in reasons
    assert report["requisites"]["bytes"] <= 5000 + (concurrency - 1) * 1000 + len(b"body{}") * 100


@pytest.mark.slow
def test_a_requisite_larger_than_the_byte_budget_left_is_not_archived(tmp_path):
    with LoggingServer() as tracker, GallerySite(tracker_url=f"http://localhost:{tracker.port}/", image_bytes=3000) as site:
        record, report, entries = crawl(site, tmp_path, "REQUISITES_MAX_BYTES_PER_ARTICLE=2000")
    archived = record["requisites"]["archived"]
    assert not [url for url in archived if "/img/" in url and not url.endswith("bg.png")]
    reasons = {s["url"]: s["reason"] for s in record["requisites"]["skipped"]}
    assert reasons[site.url + "img/0.png"] == "budget_article_bytes"
    assert not [e for e in entries if e.url.endswith("/img/0.png")]  # refused at its Content-Length: nothing archived
    assert report["requisites"]["budget_hit"] == {"article": 1}


@pytest.mark.slow
def test_the_crawl_budget_stops_requisites_across_articles(tmp_path):
    with LoggingServer() as tracker, GallerySite(tracker_url=f"http://localhost:{tracker.port}/") as site:
        record, report, entries = crawl(site, tmp_path, "REQUISITES_MAX_PER_CRAWL=10")
    fetched = [p for p in site.hits if p.startswith(("/img/", "/site.css", "/fonts/", "/favicon.ico", "/private-img/"))]
    assert len(fetched) <= 10
    assert len(record["requisites"]["archived"]) <= 10
    assert {s["reason"] for s in record["requisites"]["skipped"]} >= {"budget_crawl_count", "blocked"}
    assert report["requisites"]["budget_hit"] == {"crawl": 1}
