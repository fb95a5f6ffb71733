"""`arstechnica`: Ars Technica (arstechnica.com), technology, science and policy reporting.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class ArsTechnicaSpider(NewsSpider):
    name = "arstechnica"
    allowed_domains = ["arstechnica.com"]
    feed_urls = ("https://feeds.arstechnica.com/arstechnica/index",)
    start_urls = ("https://arstechnica.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://arstechnica\.com/[a-z-]+/\d{4}/\d{2}/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://arstechnica\.com/(?:gadgets|information-technology|science|security|tech-policy|gaming)/?$",)

    def parse_article(self, response):
        """An article page of Ars Technica.

        @url https://arstechnica.com/gadgets/2025/09/your-very-own-humane-interface-try-jef-raskins-ideas-at-home/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
