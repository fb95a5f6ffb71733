"""Feed, sitemap and robots parsing: the discover stage's pure functions."""
from datetime import date, datetime, timezone

from parsel import Selector

from newsarchive.crawl.discover import (
    feeds_from_html,
    looks_like_xml_listing,
    older_than,
    parse_date,
    parse_xml_listing,
    sitemaps_from_robots,
)

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://news.test/a/one/</link><pubDate>Tue, 09 Jan 2018 10:00:00 +0100</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">https://news.test/a/two/</guid></item>
<item><title>No link</title><guid isPermaLink="false">tag:1</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>One</title><link rel="alternate" href="/a/one/"/><link rel="edit" href="/edit/1"/>
<published>2024-05-01T08:30:00Z</published><updated>2024-05-02T08:30:00Z</updated></entry>
<entry><title>Two</title><link href="https://news.test/a/two/"/><updated>2024-05-03</updated></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.test/a/one/</loc><news:news><news:publication><news:name>T</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2025-03-04T05:06:07-05:00</news:publication_date><news:title>One</news:title></news:news></url>
<url><loc>https://news.test/a/two/</loc><lastmod>2025-03-01</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.test/sitemap-news.xml</loc><lastmod>2025-03-04</lastmod></sitemap>
<sitemap><loc>/sitemap-2019.xml</loc></sitemap></sitemapindex>"""


def test_rss_items_with_dates_and_permalink_guids():
    found = parse_xml_listing(RSS, "https://news.test/feed/")
    assert found.kind == "rss"
    assert [e.url for e in found.entries] == ["https://news.test/a/one/", "https://news.test/a/two/"]
    assert found.entries[0].date == datetime(2018, 1, 9, 9, 0, tzinfo=timezone.utc)
    assert found.entries[1].date is None


def test_atom_prefers_alternate_link_and_published_date():
    found = parse_xml_listing(ATOM, "https://news.test/atom.xml")
    assert found.kind == "atom"
    assert [e.url for e in found.entries] == ["https://news.test/a/one/", "https://news.test/a/two/"]
    assert found.entries[0].date.isoformat() == "2024-05-01T08:30:00+00:00"
    assert found.entries[1].date.date() == date(2024, 5, 3)


def test_google_news_sitemap_uses_publication_date_and_title():
    found = parse_xml_listing(NEWS_SITEMAP, "https://news.test/sitemap-news.xml")
    assert found.kind == "urlset"
    one, two = found.entries
    assert one.title == "One" and one.date.isoformat() == "2025-03-04T05:06:07-05:00" and one.news
    assert not two.news
    assert two.date.date() == date(2025, 3, 1)  # lastmod when no news date


def test_sitemap_index_lists_child_sitemaps_resolved_against_base():
    found = parse_xml_listing(INDEX, "https://news.test/sitemap.xml")
    assert found.kind == "sitemapindex"
    assert [e.url for e in found.entries] == ["https://news.test/sitemap-news.xml", "https://news.test/sitemap-2019.xml"]


def test_garbage_and_entity_bombs_are_unknown_not_errors():
    assert parse_xml_listing(b"\x00\xff not xml", "https://x.test/").kind == "unknown"
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><rss><channel><item><link>&b;</link></item></channel></rss>'
    found = parse_xml_listing(bomb, "https://x.test/")
    assert all("aaaaaaaaaa" not in e.url for e in found.entries)


def test_robots_sitemap_lines():
    robots = "User-agent: *\nDisallow: /private/\nSitemap: https://news.test/sitemap.xml\nsitemap: /news.xml\n"
    assert sitemaps_from_robots(robots, "https://news.test/robots.txt") == [
        "https://news.test/sitemap.xml", "https://news.test/news.xml"]


def test_feeds_announced_in_html_head():
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
            '<link rel="alternate" type="application/atom+xml" href="https://news.test/atom.xml">'
            '<link rel="alternate" hreflang="de" href="/de/"></head></html>')
    assert feeds_from_html(Selector(text=html), "https://news.test/") == [
        "https://news.test/feed.xml", "https://news.test/atom.xml"]


def test_dates_and_since():
    assert parse_date("2024-05-01") == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert parse_date("not a date") is None
    assert older_than(parse_date("2024-04-30T23:00:00Z"), date(2024, 5, 1))
    assert not older_than(None, date(2024, 5, 1))  # unknown dates are fetched, then judged
    assert not older_than(parse_date("2024-05-01"), date(2024, 5, 1))


def test_listing_sniffing():
    assert looks_like_xml_listing(b"  <?xml version='1.0'?><rss/>")
    assert looks_like_xml_listing(b"<urlset>", "")
    assert looks_like_xml_listing(b"{}", "application/rss+xml")
    assert not looks_like_xml_listing(b"<!doctype html><html>", "text/html")
