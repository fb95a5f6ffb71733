"""DemoSite: the article data and answers, checked without a server."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from newsarchive.demo.site import DemoSite

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"
BASE = "http://127.0.0.1:9/"


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return DemoSite()


def page_tree(site: DemoSite, article):
    body = site.resolve(article.path, BASE).body
    return lxml.html.fromstring(body.decode(article.encoding))


def test_size_and_sections(site):
    assert len(site.articles) >= 30
    counts = Counter(a.section for a in site.articles)
    assert len(counts) >= 3 and min(counts.values()) >= 5
    assert len({a.path for a in site.articles}) == len(site.articles)
    assert all(re.fullmatch(r"/[a-z]+/\d{4}/\d\d/\d\d/[a-z0-9-]+/", a.path) for a in site.articles)


def test_same_site_every_time(site):
    again = DemoSite()
    assert [(a.path, a.text, a.authors, a.published) for a in again.articles] == [
        (a.path, a.text, a.authors, a.published) for a in site.articles
    ]


def test_dates_are_fixed_and_in_range(site):
    years = {a.published_datetime.year for a in site.articles}
    assert min(years) >= 2018 and max(years) <= 2026
    with_offset = [a for a in site.articles if re.search(r"[+-]\d\d:\d\d$", a.published)]
    date_only = [a for a in site.articles if re.fullmatch(r"\d{4}-\d\d-\d\d", a.published)]
    assert len(with_offset) >= 25 and len(date_only) >= 1
    assert {a.published[-6:] for a in with_offset} >= {"-05:00", "+09:00", "+05:30"}


def test_metadata_mix(site):
    kinds = Counter(a.metadata for a in site.articles)
    assert kinds["jsonld"] >= 10 and kinds["og"] >= 5 and kinds["none"] >= 3
    assert sum(a.copyright_in_jsonld for a in site.articles) >= 2


def test_pages_carry_the_metadata_they_claim(site):
    for article in site.articles:
        tree = page_tree(site, article)
        scripts = tree.xpath('//script[@type="application/ld+json"]')
        published_meta = tree.xpath('//meta[@property="article:published_time"]/@content')
        assert bool(scripts) == article.has_jsonld, article.path
        assert published_meta == ([article.published] if article.metadata == "og" else []), article.path
        assert tree.xpath("//time/@datetime")[0] == article.published
        assert tree.xpath("//h1")[0].text_content() == article.title
        if article.byline:
            assert tree.xpath('//p[@class="byline"]')[0].text_content() == article.byline
        assert [h.text_content() for h in tree.xpath('//div[@class="story-body"]/h2')] == list(article.headings)
        body_paragraphs = tree.xpath('//div[@class="story-body"]/p[not(@class)]')
        assert [p.text_content() for p in body_paragraphs] == list(article.paragraphs)
        notice = tree.xpath('//p[@class="copyright" or @class="notice"]')
        assert [n.text_content() for n in notice] == [article.copyright.text]


def test_byline_forms(site):
    bylines = {a.byline_style: a for a in site.articles if a.byline}
    assert len(bylines) >= 8
    staff = bylines["staff_writers"]
    assert re.fullmatch(r"By [A-Z' -]+ and [A-Z][a-z]+ [A-Z][A-Za-z'-]+, Staff Writers", staff.byline)
    assert len(staff.byline_authors) == 2
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Za-z'-]+ \| Senior Editor", bylines["name_pipe_title"].byline)
    posted = bylines["posted_by_handle"]
    assert re.fullmatch(r"Posted by [a-z]+ on [A-Z][a-z]{2} \d{1,2}, 20\d\d", posted.byline)
    assert posted.byline_authors == (posted.byline.split()[2],)
    assert all(name == name.title() or "'" in name for a in site.articles for name in a.authors if " " in name)


def test_bylines_quoted_in_the_docs_appear_verbatim(site):
    bylines = {a.byline: a for a in site.articles}
    assert bylines["By JANE DOE and John Smith, Staff Writers"].byline_authors == ("Jane Doe", "John Smith")
    assert bylines["Jane Doe | Senior Editor"].byline_authors == ("Jane Doe",)
    assert bylines["Posted by jdoe on Jan 9, 2018"].byline_authors == ("jdoe",)


def test_copyright_forms(site):
    texts = {re.sub(r"\d{4}", "Y", a.copyright.text) for a in site.articles}
    assert "© Y Demo Media Group, Inc. All Rights Reserved." in texts
    assert "Copyright (c) Y-Y Demo Tech News Ltd." in texts
    assert "ⓒ Y All rights reserved. Do not reproduce without permission." in texts
    entity_forms = [a for a in site.articles if "&copy;" in a.copyright.html]
    assert entity_forms and b"&copy;" in site.resolve(entity_forms[0].path, BASE).body


def test_seed_like_article(site):
    article = site.seed_like
    assert article.is_seed_like and article.byline is None and article.authors == ()
    assert len(article.lead) >= 3 and len(article.headings) == 2
    assert all(len(paragraphs) >= 2 for _, paragraphs in article.sections)
    assert article.copyright.text == "ⓒ 2021 All rights reserved. Do not reproduce without permission."
    assert article.copyright.html in site.resolve(article.path, BASE).body.decode("utf-8")


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed not present")
def test_seed_like_article_shares_no_sentence_with_the_seed(site):
    seed_sentences = {s.strip() for s in re.split(r"(?<=[.!?\"])\s+", SEED.read_text("utf-8")) if len(s) > 25}
    ours = set(re.split(r"(?<=[.!?\"])\s+", site.seed_like.text))
    assert not seed_sentences & ours
    seed_words = SEED.read_text("utf-8").split()
    ours_text = site.seed_like.text
    shingles = {" ".join(seed_words[i:i + 6]) for i in range(len(seed_words) - 5)}
    assert not [s for s in shingles if s in ours_text]


def test_cp1252_article_needs_cp1252(site):
    article = site.cp1252
    resource = site.resolve(article.path, BASE)
    assert resource.content_type == "text/html"
    assert b"charset=windows-1252" in resource.body
    for special in ("€", "—", "“", "’"):
        assert special in article.text or special in article.title
    text = resource.body.decode("cp1252")
    assert article.title in text
    with pytest.raises(UnicodeDecodeError):
        resource.body.decode("utf-8")
    assert article.title not in resource.body.decode("latin-1")


def test_special_cases_are_distinct(site):
    specials = [site.seed_like, site.cp1252, site.chunked, site.flaky, site.redirected]
    assert len({a.path for a in specials}) == 5
    assert site.redirected.redirect_from.startswith("/articles/")
    linked = [a for a in site.articles if a.related_path == site.redirected.redirect_from]
    assert linked, "the old URL must be linked from somewhere"
    assert any(site.dead_path in a.read_more for a in site.articles)
    assert sum(a.gzip for a in site.articles) >= 10


def test_listing_pages_paginate_and_list_every_article(site):
    listed = set()
    for path in site.listing_paths():
        resource = site.resolve(path, BASE)
        assert resource.status == 200, path
        tree = lxml.html.fromstring(resource.body)
        listed.update(tree.xpath('//article[@class="teaser"]//a/@href'))
    assert listed == {a.path for a in site.articles}
    assert "/?page=2" in site.listing_paths() and "/gadgets/page/2/" in site.listing_paths()
    assert site.resolve("/?page=99", BASE).status == 404
    assert site.resolve("/nosuchsection/", BASE).status == 404


def test_benchmark_site_pages_are_about_the_requested_size():
    big = DemoSite(n_articles=200, filler_kb=70)
    assert len(big.articles) == 200 and len({a.path for a in big.articles}) == 200
    sizes = [len(big.resolve(a.path, BASE).body) for a in big.articles[:20]]
    assert all(70 * 1024 <= size <= 80 * 1024 for size in sizes), sizes
    tree = lxml.html.fromstring(big.resolve(big.articles[0].path, BASE).body)
    assert len(tree.xpath('//section[@class="comments"]/article')) > 20


def test_every_date_parses(site):
    for article in site.articles:
        datetime.fromisoformat(article.published)
        if article.modified:
            assert datetime.fromisoformat(article.modified) > datetime.fromisoformat(article.published)
