"""`theregister`: The Register (theregister.com), enterprise IT news with a sharp tongue.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class TheRegisterSpider(NewsSpider):
    name = "theregister"
    allowed_domains = ["theregister.com"]
    feed_urls = ("https://www.theregister.com/headlines.atom",)
    start_urls = ("https://www.theregister.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?theregister\.com/\d{4}/\d{2}/\d{2}/[a-z0-9_]+/?$",)
    follow_url_patterns = (r"^https?://(?:www\.)?theregister\.com/(?:software|security|on_prem|offbeat|systems)/?$",)

    def parse_article(self, response):
        """An article page of The Register.

        @url https://www.theregister.com/2025/01/23/openzfs_23_raid_expansion/
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
