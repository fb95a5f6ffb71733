"""`macrumors`: MacRumors (macrumors.com), Apple news and rumors.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class MacRumorsSpider(NewsSpider):
    name = "macrumors"
    allowed_domains = ["macrumors.com"]
    feed_urls = ("https://feeds.macrumors.com/MacRumors-All",)
    start_urls = ("https://www.macrumors.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?macrumors\.com/\d{4}/\d{2}/\d{2}/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?macrumors\.com/(?:\d{4}/\d{2}/\d{2}/)?$",)

    def parse_article(self, response):
        """An article page of MacRumors.

        @url https://www.macrumors.com/2025/06/16/apples-terminal-app-macos-tahoe/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
