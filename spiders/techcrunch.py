"""`techcrunch`: TechCrunch (techcrunch.com), startup and technology industry news.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class TechCrunchSpider(NewsSpider):
    name = "techcrunch"
    allowed_domains = ["techcrunch.com"]
    feed_urls = ("https://techcrunch.com/feed/",)
    start_urls = ("https://techcrunch.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://techcrunch\.com/\d{4}/\d{2}/\d{2}/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://techcrunch\.com/category/[a-z-]+/?$",)

    def parse_article(self, response):
        """An article page of TechCrunch.

        @url https://techcrunch.com/2025/12/23/zoox-issues-software-recall-over-lane-crossings/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
