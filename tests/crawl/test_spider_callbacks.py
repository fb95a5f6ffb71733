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
