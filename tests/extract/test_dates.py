"""Dates: the normalizer's rules, and how extraction ranks date sources."""
from __future__ import annotations

import pytest

from newsarchive.extract import extract_article
from newsarchive.normalize.dates import date_from_url, has_time, normalize_date


@pytest.mark.parametrize("raw, expected", [
    ("2021-03-04T05:06:07Z", "2021-03-04T05:06:07+00:00"),
    ("2021-03-04T05:06:07.123+0100", "2021-03-04T05:06:07+01:00"),
    ("2021-03-04 05:06", "2021-03-04T05:06"),
    ("2021-03-04", "2021-03-04"),
    ("20210304", "2021-03-04"),
    ("Tue, 04 Mar 2021 05:06:07 GMT", "2021-03-04T05:06:07+00:00"),
    ("March 4, 2021 5:06 PM EDT", "2021-03-04T17:06-04:00"),
    ("Updated Nov. 2, 2023 12:15 am EST", "2023-11-02T00:15-05:00"),
    ("4. März 2021", "2021-03-04"),
    ("4 de marzo de 2021", "2021-03-04"),
    ("2021/03/04", "2021-03-04"),
    ("04.03.2021 | 15:33 Uhr", "2021-03-04T15:33"),
    ("1614834367", "2021-03-04T05:06:07+00:00"),
    ("1614834367000", "2021-03-04T05:06:07+00:00"),
    # Locales beyond Western Europe: genitive month names and CJK year/month/day signs.
    ("4 марта 2021 г., 12:30", "2021-03-04T12:30"),
    ("4 marca 2021", "2021-03-04"),
    ("4. března 2021", "2021-03-04"),
    ("4 Mart 2021 14:05", "2021-03-04T14:05"),
    ("den 4 maj 2021", "2021-05-04"),
    ("4. marts 2021", "2021-03-04"),
    ("2021年3月4日 09:24", "2021-03-04T09:24"),
    ("2021년 3월 4일", "2021-03-04"),
])
def test_normalize_date(raw, expected):
    assert normalize_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "soon", "2021-02-30", "1850-01-01", "99/99/2021", True, ["2021-03-04"]])
def test_normalize_date_rejects_non_dates(raw):
    assert normalize_date(raw) is None


def test_precision_is_kept():
    assert not has_time(normalize_date("March 4, 2021"))
    assert has_time(normalize_date("March 4, 2021 10:00"))


@pytest.mark.parametrize("url, expected", [
    ("https://x.test/2021/03/04/slug", "2021-03-04"),
    ("https://x.test/news/2021-03-04-slug", "2021-03-04"),
    ("https://x.test/20210304/slug.html", "2021-03-04"),
    ("https://x.test/2021/13/04/slug", None),
    ("https://x.test/2021/03/slug", None),
    ("https://x.test/slug-20", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


def _page(head: str, body: str = "") -> bytes:
    paragraph = "<p>" + "A sentence about the harbour and its new ferry timetable. " * 6 + "</p>"
    return f"<html><head>{head}</head><body><h1>Ferry timetable changes</h1>{body}{paragraph}</body></html>".encode()


def test_url_date_never_overrides_a_metadata_timestamp():
    body = _page('<meta property="article:published_time" content="2021-03-05T09:00:00+01:00">')
    record = extract_article(body, "https://ferry.test/2021/03/01/timetable")
    assert record["published"] == "2021-03-05T09:00:00+01:00"
    assert record["provenance"]["published"] == "meta"


def test_published_and_modified_are_kept_apart():
    body = _page('<meta property="article:modified_time" content="2021-03-09T10:00:00Z">')
    record = extract_article(body, "https://ferry.test/timetable")
    assert record["published"] is None
    assert record["modified"] == "2021-03-09T10:00:00+00:00"


def test_day_only_metadata_takes_a_same_day_timestamp():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry timetable changes",'
            ' "datePublished": "2021-03-05"}</script>')
    record = extract_article(_page(head, '<time datetime="2021-03-05T07:30:00+01:00">5 March</time>'),
                             "https://ferry.test/a")
    assert record["published"] == "2021-03-05T07:30:00+01:00"
    assert record["published_raw"] == "2021-03-05T07:30:00+01:00"


def test_utc_timestamp_is_given_the_offset_the_page_shows():
    head = '<meta property="article:published_time" content="2020-02-25T02:25:54+00:00">'
    shown = '<p class="byline-date">February 24, 2020 | 9:25pm</p>'
    record = extract_article(_page(head, shown), "https://ferry.test/a")
    assert record["published"] == "2020-02-24T21:25:54-05:00"  # the same instant, in the page's offset
    assert record["published_raw"] == "2020-02-25T02:25:54+00:00"


def test_visible_date_is_used_without_metadata():
    record = extract_article(_page("", '<span class="entry-date">19. Oktober 2019 15:07</span>'), "https://ferry.test/a")
    assert record["published"] == "2019-10-19T15:07"
    assert record["provenance"]["published"] == "html"


def test_masthead_date_above_the_headline_ranks_below_the_url():
    masthead = b'<html><body><div class="today-date">Sunday, 29 November 2026</div><h1>Ferry timetable changes</h1>'
    body = masthead + b"<p>" + b"A sentence about the harbour and its new ferry timetable. " * 6 + b"</p></body></html>"
    record = extract_article(body, "https://ferry.test/2021/03/01/timetable")
    assert record["published"] == "2021-03-01"
    assert record["provenance"]["published"] == "url"


def test_whole_page_date_from_htmldate_when_no_source_names_one():
    # No metadata, no dated markup: only prose around the headline carries the date.
    body = (b"<html><body><h1>Ferry timetable changes</h1><div><span>Ferry desk</span></div>"
            b"<div>Veroeffentlicht am 2021-03-05 um 07:30</div>"
            + b"<p>" + b"A sentence about the harbour and its new ferry timetable. " * 6 + b"</p></body></html>")
    record = extract_article(body, "https://ferry.test/timetable")
    assert record["published"] == "2021-03-05"
    assert record["provenance"]["published"] == "htmldate"


def test_structured_date_beats_htmldate_and_url():
    head = '<meta property="article:published_time" content="2021-03-05T07:30:00+01:00">'
    record = extract_article(_page(head), "https://ferry.test/2021/03/09/timetable")
    assert record["published"] == "2021-03-05T07:30:00+01:00"
    assert record["provenance"]["published"] == "meta"


def test_utc_instant_on_the_next_day_is_published_on_the_stated_day():
    # 01:32 UTC on the 29th is the evening of the 28th in the Americas; the page says the 28th.
    head = '<meta property="article:published_time" content="2016-12-29T01:32:00Z">'
    record = extract_article(_page(head, '<p class="byline-date">December 28, 2016</p>'), "https://ferry.test/a")
    assert record["published"] == "2016-12-28"
    # A stated day no time zone can reach leaves the instant alone.
    record = extract_article(_page(head, '<p class="byline-date">December 20, 2016</p>'), "https://ferry.test/a")
    assert record["published"] == "2016-12-29T01:32:00+00:00"
