"""`cnet`: CNET (cnet.com), consumer technology news, reviews and how-tos.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class CNETSpider(NewsSpider):
    name = "cnet"
    allowed_domains = ["cnet.com"]
    feed_urls = ("https://www.cnet.com/rss/news/",)
    start_urls = ("https://www.cnet.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?cnet\.com/(?:tech|science|news)/(?:[a-z-]+/)+[a-z0-9]+(?:-[a-z0-9]+){2,}/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?cnet\.com/(?:tech|science|news)/(?:[a-z-]+/)?$",)

    def parse_article(self, response):
        """An article page of CNET.

        @url https://www.cnet.com/tech/computing/amazon-pulls-the-plug-on-older-kindle-models/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
