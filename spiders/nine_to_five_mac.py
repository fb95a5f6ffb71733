"""`9to5mac`: 9to5Mac (9to5mac.com), Apple news and analysis.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class NineToFiveMacSpider(NewsSpider):
    name = "9to5mac"
    allowed_domains = ["9to5mac.com"]
    feed_urls = ("https://9to5mac.com/feed/",)
    start_urls = ("https://9to5mac.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://9to5mac\.com/\d{4}/\d{2}/\d{2}/[^/?#]+/?$",)
    follow_url_patterns = (r"^https?://9to5mac\.com/(?:guides/[a-z0-9-]+/?|page/\d+/?)$",)

    def parse_article(self, response):
        """An article page of 9to5Mac.

        @url https://9to5mac.com/2025/07/15/apples-machine-learning-framework-is-getting-support-for-nvidia-gpus/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
