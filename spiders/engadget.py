"""`engadget`: Engadget (engadget.com), gadget and consumer electronics news.

Declares only what differs from NewsSpider: where the site lists articles (its feed, its
front page and the sitemaps its robots.txt announces) and what article URLs look like.
"""
from newsarchive.crawl import NewsSpider


class EngadgetSpider(NewsSpider):
    name = "engadget"
    allowed_domains = ["engadget.com"]
    feed_urls = ("https://www.engadget.com/rss.xml",)
    start_urls = ("https://www.engadget.com/",)
    sitemaps_from_robots = True
    article_url_patterns = (r"^https?://(?:www\.)?engadget\.com/(?:[a-z-]+/)*[a-z0-9-]+-\d{6,}\.html$",)
    follow_url_patterns = (r"^https?://(?:www\.)?engadget\.com/(?:gaming|computing|mobile|entertainment|science|social-media)/?$",)

    def parse_article(self, response):
        """An article page of Engadget.

        @url https://www.engadget.com/social-media/pinterest-will-let-you-dial-down-ai-slop-in-your-feeds-130000337.html
        @returns items 1 1
        @scrapes title authors published text
        @authors
        @published_iso
        @min_words 150
        @copyright
        @no_boilerplate
        """
        return super().parse_article(response)
