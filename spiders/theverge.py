"""`theverge`: The Verge (theverge.com), consumer technology news and reviews.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class TheVergeSpider(NewsSpider):
    name = "theverge"
    allowed_domains = ["theverge.com"]
    feed_urls = ("https://www.theverge.com/rss/index.xml",)
    start_urls = ("https://www.theverge.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (
        r"^https?://(?:www\.)?theverge\.com/\d{4}/\d{1,2}/\d{1,2}/\d+/[^/?#]+",
        r"^https?://(?:www\.)?theverge\.com/[a-z-]+/\d{5,}/[^/?#]+",
    )
    follow_url_patterns = (r"^https?://(?:www\.)?theverge\.com/(?:tech|reviews|science|ai-artificial-intelligence|gadgets)/?$",)

    def parse_article(self, response):
        """An article page of The Verge.

        @url https://www.theverge.com/2025/1/13/24342622/adobe-firefly-bulk-create-api-announcement-availability
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
