"""`demo`: the bundled demo news site (`newsarchive demo --serve`), a worked example of a site spider.

It declares only what differs from NewsSpider: where articles are listed and what their URLs look
like. Feeds are found in the page head and sitemaps in robots.txt.
"""
from newsarchive.crawl import NewsSpider


class DemoSpider(NewsSpider):
    name = "demo"
    start_urls = ("http://127.0.0.1:8000/",)
    sitemaps_from_robots = True
    article_url_patterns = (
        r"/[a-z]+/\d{4}/\d{2}/\d{2}/[^/]+/$",  # /gadgets/2024/05/01/some-story/
        r"/articles/[^/]+\.html$",  # old-style URLs that now redirect
    )
    follow_url_patterns = (r"^https?://[^/]+/(?:[a-z]+/)?(?:page/\d+/)?(?:\?page=\d+)?$",)
    # The demo site lives on this machine: allow the one address it serves on (every other private
    # address stays refused), and skip the politeness delays that protect real sites from a crawler.
    custom_settings = {
        "ADDRESS_GUARD_ALLOW": ["127.0.0.1"],
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "DOWNLOAD_DELAY": 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    }
