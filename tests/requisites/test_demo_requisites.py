"""The demo crawl archives every article's requisites, from its own host and its CDN host, and says so."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from newsarchive.warc import cdxj
from tests.conftest import read_jsonl


def test_every_demo_article_lists_exactly_its_requisites_as_archived(demo_crawl, demo_server):
    site = demo_server.site
    records = read_jsonl(demo_crawl / "articles.jsonl")
    assert len(records) == len(site.articles)
    archived_urls = {e.url for path in (demo_crawl / "warc").glob("*.cdxj") for e in cdxj.read_entries(path)}
    for record in records:
        article = site.article(urlsplit(record["url"]).path)
        expected = site.article_requisites(article, demo_server.url)
        assert set(record["requisites"]["archived"]) == expected, record["url"]
        assert record["requisites"]["skipped"] == [] and record["requisites"]["unlisted"] == 0
        assert expected <= archived_urls  # each one has its response (or revisit) in the CDXJ


def test_the_crawl_report_counts_requisites_once_each(demo_crawl, demo_server):
    report = json.loads((demo_crawl / "crawl.json").read_text())
    site = demo_server.site
    unique = set().union(*(site.article_requisites(a, demo_server.url) for a in site.articles))
    assert report["requisites"]["archived"] == len(unique)
    assert report["requisites"]["bytes"] > 0 and report["requisites"]["skipped"] == {}
