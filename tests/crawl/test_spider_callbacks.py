"""NewsSpider callbacks on real Scrapy responses: what a listing or article page turns into."""
from __future__ import annotations

import gzip

from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from newsarchive.crawl.spider import NewsSpider

SITE = "https://harbour-news.example"
SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{SITE}/2026/11/ferry-trial/</loc><lastmod>2026-11-20</lastmod></url>
  <url><loc>{SITE}/2026/11/tide-tables/</loc><lastmod>2026-11-21</lastmod></url>
</urlset>""".encode()


class HarbourSpider(NewsSpider):
    name = "harbour"
    allowed_domains = ["harbour-news.example"]
    article_url_patterns = (r"/\d{4}/\d{2}/[a-z-]+/$",)


def spider():
    crawler = get_crawler(HarbourSpider)
    return HarbourSpider.from_crawler(crawler)


def listed_urls(spider, response):
    return sorted(request.url for request in spider.parse_xml_listing(response))


def test_gzipped_sitemap_is_gunzipped():
    harbour = spider()
    response = XmlResponse(url=f"{SITE}/sitemap.xml.gz", body=gzip.compress(SITEMAP))
    assert listed_urls(harbour, response) == [f"{SITE}/2026/11/ferry-trial/", f"{SITE}/2026/11/tide-tables/"]


def test_sitemap_gz_already_decoded_by_content_encoding_is_read_as_is():
    # Served with Content-Encoding: gzip, HttpCompressionMiddleware hands over plain XML under the .gz name.
    harbour = spider()
    response = XmlResponse(url=f"{SITE}/sitemap.xml.gz", body=SITEMAP)
    assert listed_urls(harbour, response) == [f"{SITE}/2026/11/ferry-trial/", f"{SITE}/2026/11/tide-tables/"]
    assert harbour.crawler.stats.get_value("newsarchive/errors/bad_sitemap") is None


def test_corrupt_gzip_sitemap_is_a_counted_error_not_a_crash():
    harbour = spider()
    response = XmlResponse(url=f"{SITE}/sitemap.xml.gz", body=gzip.compress(SITEMAP)[:40])
    assert listed_urls(harbour, response) == []
    assert harbour.crawler.stats.get_value("newsarchive/errors/bad_sitemap") == 1


def problems(spider) -> dict:
    prefix = "newsarchive/problems/"
    return {k[len(prefix):]: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith(prefix)}


def test_one_bad_entry_costs_only_itself_and_is_counted_by_kind(caplog):
    harbour = spider()
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{SITE}/2026/11/ferry-trial/</loc><lastmod>99999-01-01</lastmod></url>
  <url><loc>http://[oops/</loc></url>
  <url><loc>{SITE}/2026/11/bad-&#xD800;-link/</loc></url>
  <url><loc>{SITE}/2026/11/tide-tables/</loc><lastmod>2026-11-21</lastmod></url>
</urlset>""".encode()
    with caplog.at_level("WARNING"):
        urls = listed_urls(harbour, XmlResponse(url=f"{SITE}/sitemap.xml", body=body))
    assert urls == [f"{SITE}/2026/11/ferry-trial/", f"{SITE}/2026/11/tide-tables/"]
    assert problems(harbour) == {"listing_bad_date": 1, "listing_bad_url": 1, "listing_bad_entry": 1}
    assert "http://[oops/" in caplog.text and "99999-01-01" in caplog.text


def test_gzip_sitemap_as_the_seed_url():
    harbour = spider()
    response = XmlResponse(url=f"{SITE}/sitemap.xml.gz", body=gzip.compress(SITEMAP))
    assert sorted(r.url for r in harbour.parse_seed(response)) == [
        f"{SITE}/2026/11/ferry-trial/", f"{SITE}/2026/11/tide-tables/"]
    from scrapy.http import Response

    raw = Response(url=f"{SITE}/sitemap.xml.gz", body=gzip.compress(SITEMAP))  # served as application/x-gzip
    assert len(list(spider().parse_seed(raw))) == 2


def test_sitemap_index_children_ending_in_xml_gz_are_fetched():
    harbour = spider()
    index = f"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{SITE}/sitemap-2026.xml.gz</loc></sitemap><sitemap><loc>{SITE}/sitemap-2025.xml</loc></sitemap>
      <sitemap><loc>https://elsewhere.example/sitemap.xml.gz</loc></sitemap></sitemapindex>""".encode()
    assert listed_urls(harbour, XmlResponse(url=f"{SITE}/sitemap.xml", body=index)) == [
        f"{SITE}/sitemap-2025.xml", f"{SITE}/sitemap-2026.xml.gz"]


def test_caps_on_urls_from_one_sitemap_and_from_the_crawl():
    crawler = get_crawler(HarbourSpider, settings_dict={"SITEMAP_MAX_URLS": 3, "SITEMAP_MAX_URLS_PER_CRAWL": 5})
    harbour = HarbourSpider.from_crawler(crawler)
    urls = "".join(f"<url><loc>{SITE}/2026/11/story-{chr(97 + i)}/</loc></url>" for i in range(10))
    body = gzip.compress(f"<urlset>{urls}</urlset>".encode())
    first = listed_urls(harbour, XmlResponse(url=f"{SITE}/a.xml.gz", body=body))
    assert len(first) == 3 and problems(harbour) == {"listing_url_cap": 1}
    others = "".join(f"<url><loc>{SITE}/2026/12/story-{chr(97 + i)}/</loc></url>" for i in range(10))
    second = harbour.parse_xml_listing(XmlResponse(url=f"{SITE}/b.xml", body=f"<urlset>{others}</urlset>".encode()))
    assert len(list(second)) == 2  # what is left of the crawl's 5
    assert list(harbour.parse_xml_listing(XmlResponse(url=f"{SITE}/c.xml", body=b"<urlset/>"))) == []
    assert problems(harbour) == {"listing_url_cap": 1, "crawl_url_cap": 2}
