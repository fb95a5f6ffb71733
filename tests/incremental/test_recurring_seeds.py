"""Recurring crawls with the default re-check policy fetch only what is new, listed as changed, or due.

The fixture articles were published in 2024, so the default policy never re-checks them on its own:
a second crawl right after the first fetches listings only. Then one article is edited (its sitemap
lastmod moves past the last crawl) and one is added: the third crawl fetches exactly those two.
"""
from __future__ import annotations

from tests.incremental.crawl import SPIDER, articles, crawl
from tests.incremental.site import STORIES, IncrementalSite

DEFAULT_POLICY = "RECHECK_POLICY=[[7, 24], [30, 168]]"
C1, C2, C3 = "20261129T020000Z", "20261129T020100Z", "20261129T020200Z"
EDITED = "/news/library-lends-soldering-irons/"
ADDED = "/news/night-buses-return-friday/"


def test_recurring_crawls_fetch_only_new_changed_and_due_articles(tmp_path):
    archive = tmp_path / "archive"
    with IncrementalSite() as site:
        crawl(site.url, archive, C1, DEFAULT_POLICY)
        seen = len(site.hits)
        report = crawl(site.url, archive, C2, DEFAULT_POLICY)
        assert [path for path, _ in site.hits[seen:] if path.startswith("/news/")] == []
        assert articles(archive, C2) == []
        assert (report["counts"]["new"], report["counts"]["changed"], report["counts"]["unchanged"]) == (0, 0, 0)

        title, paragraphs = STORIES[EDITED]
        site.edit(EDITED, [*paragraphs, "The first kits were all borrowed within an hour of opening."])
        site.add(ADDED, "Night buses return on Friday",
                 ["Three night bus routes return on Friday after a two-year pause.",
                  "The routes run hourly between midnight and five in the morning."])
        seen = len(site.hits)
        report = crawl(site.url, archive, C3, DEFAULT_POLICY)
        fetched = sorted(path for path, _ in site.hits[seen:] if path.startswith("/news/"))
        assert fetched == sorted([EDITED, ADDED])

    records = {r["url"]: r for r in articles(archive, C3)}
    assert set(records) == {site.article_url(EDITED), site.article_url(ADDED)}
    assert records[site.article_url(ADDED)]["revision"] is None
    assert records[site.article_url(EDITED)]["revision"]["number"] == 2
    assert records[site.article_url(EDITED)]["revision"]["diff"]["counts"]["added"] == 1
    assert (report["counts"]["new"], report["counts"]["changed"]) == (1, 1)
    assert (archive / SPIDER / "state.sqlite").exists()
