"""`zdnet`: ZDNET (zdnet.com), technology news, advice and reviews for professionals.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class ZDNetSpider(NewsSpider):
    name = "zdnet"
    allowed_domains = ["zdnet.com"]
    feed_urls = ("https://www.zdnet.com/news/rss.xml",)
    start_urls = ("https://www.zdnet.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?zdnet\.com/article/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?zdnet\.com/(?:topic/[a-z-]+|news)/?$",)

    def parse_article(self, response):
        """An article page of ZDNET.

        @url https://www.zdnet.com/article/everything-google-unveiled-at-io-2025-gemini-ai-search-smart-glasses-more/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
