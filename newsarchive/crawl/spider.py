"""NewsSpider: the discover stage, shared by every site spider.

A site spider declares only what differs: its name, domains, feeds and sitemaps, the URL rules
that tell an article from a listing page, and extraction overrides. This base class turns those
into requests (feeds, sitemaps, robots.txt sitemaps, link following), applies `since` and
`max_articles`, extracts each article with the same code as the public API, and names every
failure so the crawl report can count it.

Spider arguments (`-a name=value`): url, since (YYYY-MM-DD), max_articles, crawl_id.

Recurring crawls (the incremental state, newsarchive/state/): an article the archive holds is
requested again only when a feed or sitemap dates it after the last crawl, or RECHECK_POLICY says
it is due; due articles are seeded from the state besides the feeds and sitemaps.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from newsarchive.base import layout, meta
from newsarchive.base import stats as stat_names
from newsarchive.base.dates import parse_date
from newsarchive.base.urls import normalize_url
from newsarchive.crawl.discover import (
    Entry,
    feeds_from_html,
    looks_like_xml_listing,
    older_than,
    sitemaps_from_robots,
)
from newsarchive.crawl.listings import ListingReader
from newsarchive.export.record import article_record
from newsarchive.extract import extract_article
from newsarchive.fetch.address_policy import GuardRefusal
from newsarchive.fetch.errors import classify_failure
from newsarchive.fetch.page_checks import looks_binary, page_problems
from newsarchive.state.extension import state_of as incremental_state

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # articles before more listing pages: a capped crawl reaches articles first
LISTING_PRIORITY = 0
SKIP_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|gz|mp[34]|mov|avi|woff2?|ttf|json)(?:$|\?)", re.I
)


def parse_since(value: str | date | None) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"since must be a date as YYYY-MM-DD, not {value!r}") from None


def declared_charset(response: Response) -> str | None:
    """The charset the HTTP header declares, untouched: extraction weighs it against BOM and meta."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


class NewsSpider(scrapy.Spider):
    """Base class for news spiders. Subclasses set the class attributes below."""

    #: RSS/Atom feeds the site publishes.
    feed_urls: tuple[str, ...] = ()
    #: Sitemaps (index, plain or Google News) the site publishes.
    sitemap_urls: tuple[str, ...] = ()
    #: Front and section pages whose links lead to articles.
    start_urls: tuple[str, ...] = ()
    #: Also read the `Sitemap:` lines of the site's robots.txt.
    sitemaps_from_robots: bool = False
    #: Regexes (searched in the URL): a matching URL is an article page.
    article_url_patterns: tuple[str, ...] = ()
    #: Regexes: a matching URL is a listing page worth following for links (sections, pagination).
    follow_url_patterns: tuple[str, ...] = ()
    #: Regexes: never request a matching URL.
    deny_url_patterns: tuple[str, ...] = ()
    #: Follow links found on article pages too ("Related", "Read more"): news sites link new stories there.
    follow_article_links: bool = True
    #: Extraction overrides: field -> XPath/CSS or callable(tree), see newsarchive.extract.
    site_rules: dict[str, Any] = {}

    def __init__(
        self,
        *args: Any,
        url: str | None = None,
        since: str | None = None,
        max_articles: str | int | None = None,
        crawl_id: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.since = parse_since(since)
        self.max_articles = int(max_articles) if max_articles not in (None, "", 0, "0") else None
        if crawl_id:
            self.crawl_id = crawl_id
        if url:
            self._use_url(url)
        self._article_res = [re.compile(p) for p in self.article_url_patterns]
        self._follow_res = [re.compile(p) for p in self.follow_url_patterns]
        self._deny_res = [re.compile(p) for p in self.deny_url_patterns]
        self._scheduled_articles: set[str] = set()
        self._incremental = None  # the IncrementalState extension, when the crawl keeps state
        self._articles_yielded = 0
        self._listings: ListingReader | None = None  # feeds and sitemaps read within the caps (crawl/listings.py)

    def _use_url(self, url: str) -> None:
        """`-a url=` replaces the declared seeds: a feed, a sitemap or a front page of the same site.

        Several URLs separated by spaces (the seeds of a distributed crawl) cover each one's site.
        """
        urls = url.split()
        self.start_urls = tuple(urls)
        self.feed_urls = ()
        self.sitemap_urls = ()
        hosts = sorted({host.removeprefix("www.") for host in (urlsplit(u).hostname for u in urls) if host})
        if hosts and not getattr(self, "allowed_domains", None):
            self.allowed_domains = hosts

    # ------------------------------------------------------------ seeds

    async def start(self) -> AsyncIterator[Any]:
        layout.crawl_id_for(self)
        self._bind_job_state()
        self._incremental = incremental_state(self.crawler)
        if not self.settings.getbool("SEED_FROM_START"):
            return  # a distributed worker joining a crawl: the seeds are in the shared frontier already
        for url in self.feed_urls:
            yield self._listing_request(url, self.parse_xml_listing)
        for url in self.sitemap_urls:
            yield self._listing_request(url, self.parse_xml_listing)
        for url in self.start_urls:
            yield self._listing_request(url, self.parse_seed)
            if self.sitemaps_from_robots:
                parts = urlsplit(url)
                yield self._listing_request(f"{parts.scheme}://{parts.netloc}/robots.txt", self.parse_robots)
        if self._incremental is not None:  # a recurring crawl: known articles whose re-check is due
            for url in self._incremental.planner.due_urls():
                request = self._in_domain(url) and self._article_request(url)
                if request:
                    self.crawler.stats.inc_value("newsarchive/discover/recheck")
                    yield request

    def _bind_job_state(self) -> None:
        """Keep the article dedup set and count in `self.state`, which JOBDIR saves on a clean stop.

        Scrapy's SpiderState extension sets `state` (restored from the job folder, or empty) when
        JOBDIR is on; a resumed crawl then neither schedules an article twice nor overshoots
        max_articles. After a crash the state is stale and newsarchive.resume discards it.
        """
        state = getattr(self, "state", None)
        if state is None:
            return
        self._scheduled_articles = state.setdefault("scheduled_articles", self._scheduled_articles)
        self._articles_yielded = state.setdefault("articles_yielded", self._articles_yielded)

    def closed(self, reason: str) -> None:
        # Called before SpiderState pickles `state` (the spider connects to spider_closed first).
        if getattr(self, "state", None) is not None:
            self.state["articles_yielded"] = self._articles_yielded

    def _listing_request(self, url: str, callback) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, priority=LISTING_PRIORITY)

    def _article_request(self, url: str, hint: Entry | None = None) -> scrapy.Request | None:
        url = normalize_url(url)  # one article however it is linked (docs/architecture.md, "Canonical URLs")
        if url in self._scheduled_articles or self._capped():
            return None
        if (self._incremental is not None and not self._incremental.planner.wants(url, hint.date if hint else None)
                and not self._captured_by_this_crawl(url)):
            self.crawler.stats.inc_value("newsarchive/skipped/not_due")  # archived, and no sign it changed
            return None
        self._scheduled_articles.add(url)
        # An article page, which the incremental components track and ask conditionally.
        request_meta = {meta.DATE_HINT: hint.date.isoformat() if hint and hint.date else None, meta.ARTICLE: True}
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, priority=ARTICLE_PRIORITY,
                              meta=request_meta)

    def _captured_by_this_crawl(self, url: str) -> bool:
        """A resumed crawl re-reads its own captures from its WARC files (newsarchive.resume), links and all."""
        state = self._incremental.store.get(url)
        return state is not None and state.crawl_id == layout.crawl_id_for(self)

    def _capped(self) -> bool:
        return self.max_articles is not None and len(self._scheduled_articles) >= self.max_articles

    # ------------------------------------------------------------ URL rules

    def is_article_url(self, url: str) -> bool:
        return any(r.search(url) for r in self._article_res)

    def is_listing_url(self, url: str) -> bool:
        return any(r.search(url) for r in self._follow_res)

    def is_denied(self, url: str) -> bool:
        return bool(SKIP_EXTENSIONS.search(url)) or self.is_denied_by_spider(url)

    def is_denied_by_spider(self, url: str) -> bool:
        return any(r.search(url) for r in self._deny_res)

    # ------------------------------------------------------------ callbacks

    def parse_seed(self, response: Response):
        """A seed may be a feed, a sitemap or a front page: look before choosing."""
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if looks_like_xml_listing(response.body, content_type):
            yield from self.parse_xml_listing(response)
        else:
            yield from self.parse_page(response)

    def parse_robots(self, response: Response):
        for url in sitemaps_from_robots(response.text if isinstance(response, TextResponse) else "", response.url):
            yield self._listing_request(url, self.parse_xml_listing)

    def parse_xml_listing(self, response: Response):
        # The gzip magic, not the ".gz" name, says whether to gunzip (crawl/discover.py): a sitemap.xml.gz
        # served with Content-Encoding: gzip arrives already decompressed by HttpCompressionMiddleware.
        listing = self._listing_reader().read(response.body, response.url)
        if listing.kind == "capped":
            return
        if listing.kind == "unknown":
            if isinstance(response, TextResponse) and b"<html" in response.body[:4096].lower():
                yield from self.parse_page(response)
            elif not listing.error:
                self._count_error("bad_listing", response.url, "neither a feed nor a sitemap")
            return
        for entry in listing.entries:
            entry = replace(entry, url=normalize_url(entry.url))
            if listing.kind == "sitemapindex":
                # Child sitemaps may well end in .xml.gz: only the spider's own deny rules apply to them.
                if self._in_domain(entry.url) and not self.is_denied_by_spider(entry.url) and not older_than(
                        entry.date, self.since):
                    yield self._listing_request(entry.url, self.parse_xml_listing)
                continue
            if self.is_denied(entry.url) or not self._in_domain(entry.url):
                continue
            if older_than(entry.date, self.since):
                self.crawler.stats.inc_value(stat_names.SKIPPED_OLDER_THAN_SINCE)
                continue
            # Feeds and news sitemaps list articles; a plain sitemap also lists sections, so apply the rules.
            listed_as_article = listing.kind in ("rss", "atom") or entry.news
            if listed_as_article or self.is_article_url(entry.url):
                request = self._article_request(entry.url, entry)
                if request:
                    yield request

    def _listing_reader(self) -> ListingReader:
        if self._listings is None:
            self._listings = ListingReader(self.settings, self.crawler.stats)
        return self._listings

    def parse_page(self, response: Response):
        """A listing page: follow article links and further listing pages."""
        if not isinstance(response, TextResponse):
            self._count_error("not_html", response.url, "listing page is not text")
            return
        if self.is_article_url(response.url):
            yield from self.parse_article(response)
            return
        for feed in feeds_from_html(response, response.url):
            if self._in_domain(feed) and feed not in self.feed_urls:
                yield self._listing_request(feed, self.parse_xml_listing)
        yield from self.follow_links(response)

    def follow_links(self, response: TextResponse) -> Iterable[scrapy.Request]:
        for href in response.xpath("//a/@href").getall():
            url = normalize_url(response.urljoin(href.strip()))
            if not url.startswith(("http://", "https://")) or self.is_denied(url) or not self._in_domain(url):
                continue
            if self.is_article_url(url):
                request = self._article_request(url)
                if request:
                    yield request
            elif self.is_listing_url(url) and not self._capped():
                yield self._listing_request(url, self.parse_page)

    def parse_article(self, response: Response):
        """Extract one article record from an article page."""
        stats = self.crawler.stats
        if response.meta.get(meta.WARC_REVISIT) and not (
            self._incremental is not None and response.status == 200 and self._incremental.needs_extraction(response)
        ):
            # The same bytes are archived already: the record from that capture stands.
            stats.inc_value("newsarchive/articles/duplicate_payload")
            return
        if "download_stopped" in response.flags:
            self._count_error("too_large", response.url, "body over NEWSARCHIVE_MAXSIZE: archived cut "
                              "(WARC-Truncated: length), not extracted")
            return
        if "dataloss" in response.flags:
            self._count_error("truncated", response.url, "connection closed before the whole body arrived: "
                              "archived (WARC-Truncated: disconnect), not extracted")
            return
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            self._count_error("not_html", response.url, "article page is binary, not text/HTML; archived only")
            return
        if self.max_articles is not None and self._articles_yielded >= self.max_articles:
            return
        if response.meta.get(meta.RESUME_EXPORTED):
            # A resumed crawl read this page back from its WARC, and articles.jsonl has its record already.
            self._articles_yielded += 1
            if self.follow_article_links:
                yield from self.follow_links(response)
            return
        charset = declared_charset(response)
        for problem in page_problems(response.body, charset):
            stats.inc_value(stat_names.problem(problem))
            logger.warning("%s: %s (repaired or tolerated; still extracted)", problem, response.url)
        record = extract_article(response.body, response.url, encoding=charset, site_rules=self.site_rules or None)
        self._count_extraction_problems(record, response.url)
        if not record.get("text") and not record.get("title"):
            self._count_error("no_article", response.url, "no title and no text could be extracted")
            return
        published = parse_date(record.get("published"))
        if older_than(published, self.since):
            stats.inc_value(stat_names.SKIPPED_PUBLISHED_BEFORE_SINCE)
            return
        self._articles_yielded += 1
        yield article_record(record, spider=self.name, crawl_id=layout.crawl_id_for(self),
                             fetched_at=response.meta.get(meta.WARC_DATE), warc=response.meta.get(meta.WARC_POINTER),
                             requisites=response.meta.get(meta.REQUISITES))  # settled by crawl/requisites_fetch.py
        if self.follow_article_links:
            yield from self.follow_links(response)

    # ------------------------------------------------------------ errors

    def _count_extraction_problems(self, record: dict, url: str) -> None:
        """Count what extraction had to repair or leave out ("<field>: <kind>" in the record's problems)."""
        for problem in record.get("problems") or ():
            kind = problem.rpartition(": ")[2]
            # Repairs have a name; any other kind is the exception that cost that one field.
            self.crawler.stats.inc_value(stat_names.problem(kind if kind == "unencodable_text" else "field_not_extracted"))
            logger.warning("%s: %s (the record is kept)", problem, url)

    def on_error(self, failure):
        if isinstance(failure.value, GuardRefusal):
            return  # the address guard counted and logged it (fetch/address_guard.py)
        kind = classify_failure(failure)
        if kind == "robots_forbidden":  # policy, not failure: Scrapy counts it as robotstxt/forbidden
            logger.info("robots.txt forbids %s", failure.request.url)
            return
        self._count_error(kind, failure.request.url, failure.getErrorMessage())

    def _count_error(self, kind: str, url: str, message: str) -> None:
        self.crawler.stats.inc_value(stat_names.error(kind))
        logger.error("%s: %s (%s)", kind, url, message[:300])

    def _in_domain(self, url: str) -> bool:
        domains = getattr(self, "allowed_domains", None)
        if not domains:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in domains)
