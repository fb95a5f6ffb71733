"""`bleepingcomputer`: BleepingComputer (bleepingcomputer.com), security and technology news.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class BleepingComputerSpider(NewsSpider):
    name = "bleepingcomputer"
    allowed_domains = ["bleepingcomputer.com"]
    feed_urls = ("https://www.bleepingcomputer.com/feed/",)
    start_urls = ("https://www.bleepingcomputer.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?bleepingcomputer\.com/news/[a-z-]+/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?bleepingcomputer\.com/news/(?:[a-z-]+/)?(?:page/\d+/)?$",)

    def parse_article(self, response):
        """An article page of BleepingComputer.

        @url https://www.bleepingcomputer.com/news/security/keepass-exploit-helps-retrieve-cleartext-master-password-fix-coming-soon/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
