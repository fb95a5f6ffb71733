"""`wired`: WIRED (wired.com), technology, science and culture stories.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class WiredSpider(NewsSpider):
    name = "wired"
    allowed_domains = ["wired.com"]
    feed_urls = ("https://www.wired.com/feed/rss",)
    start_urls = ("https://www.wired.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?wired\.com/story/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?wired\.com/category/[a-z-]+/?$",)

    def parse_article(self, response):
        """An article page of WIRED.

        @url https://www.wired.com/story/exclusive-inside-look-at-new-lego-smart-brick/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
