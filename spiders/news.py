"""`news`: the generic spider for any news site, given one URL.

    scrapy crawl news -a url=https://example-news.site/            (front page)
    scrapy crawl news -a url=https://example-news.site/feed.xml    (RSS or Atom feed)
    scrapy crawl news -a url=https://example-news.site/sitemap.xml (sitemap or news sitemap)

With no site rules it relies on what most news sites share: feeds and sitemaps announced in the
page head, linked from the page or named in robots.txt, and section/pagination pages one or two links
from the front page. Its URL rules are a first guess only: every in-domain page it fetches is
classified by its content (newsarchive.extract.classify), so an article at `/id/44613978` is found and
a `/privacy-policy-and-cookie-notice` page is archived but never exported as one.
"""
from newsarchive.crawl import NewsSpider


class GenericNewsSpider(NewsSpider):
    name = "news"
    sitemaps_from_robots = True
    article_url_patterns = (
        r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/",  # /2024/05/... dated paths
        r"/(?:19|20)\d\d-\d\d-\d\d[/-]",  # /2024-05-01-slug
        r"/[a-z0-9]+(?:-[a-z0-9]+){3,}(?:/|\.html?)?$",  # /a-slug-of-four-or-more-words
        r"/(?:article|articles|story|stories|news|post|posts)/[^/?#]+-[^/?#]+",
    )
    follow_url_patterns = (
        r"^https?://[^/]+/?$",
        r"/(?:page|p)/\d+/?$",
        r"[?&]page=\d+",
        r"^https?://[^/]+/[a-z0-9-]+/?$",  # one-segment section pages
    )
    deny_url_patterns = (
        r"/(?:login|signin|signup|register|subscribe|account|cart|search)(?:/|$|\?)",
        r"/(?:tag|tags|author|authors)/[^/]+/page/\d+",
        r"[?&](?:share|replytocom|utm_[a-z]+)=",
    )
    url_rules_decide = False
    follow_unknown_links = True
    custom_settings = {"DEPTH_LIMIT": 3}

    def __init__(self, *args, url: str | None = None, **kwargs):
        if not url:
            raise ValueError("the news spider needs a start URL: -a url=https://site/ (a front page, feed or sitemap)")
        super().__init__(*args, url=url, **kwargs)
