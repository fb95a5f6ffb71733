"""`techtimes`: Tech Times (techtimes.com), technology, science and gadget news; the seed's site.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class TechTimesSpider(NewsSpider):
    name = "techtimes"
    allowed_domains = ["techtimes.com"]
    start_urls = ("https://www.techtimes.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?techtimes\.com/articles/\d+/\d{8}/[^/?#]+\.htm$",)
    follow_url_patterns = (r"^https?://(?:www\.)?techtimes\.com/(?:personal_tech|tech|science|gadgets|ai|cybersecurity)/?(?:\?page=\d+)?$",)

    def parse_article(self, response):
        """An article page of Tech Times.

        @url https://www.techtimes.com/articles/321432/20260723/nodejs-security-release-high-severity-vulnerabilities-hit-all-three-lines.htm
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
