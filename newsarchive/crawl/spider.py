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
    feeds_from_links,
    looks_like_xml_listing,
    older_than,
    sitemaps_from_robots,
)
from newsarchive.crawl.listings import ListingReader
from newsarchive.export.record import article_record
from newsarchive.extract import extract_article
from newsarchive.extract.classify import PageVerdict, classify_page, decide, non_article_path
from newsarchive.fetch.address_policy import GuardRefusal
from newsarchive.fetch.errors import classify_failure
from newsarchive.fetch.page_checks import looks_binary, page_problems
from newsarchive.state.extension import state_of as incremental_state

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10  # articles before more listing pages: a capped crawl reaches articles first
PAGE_PRIORITY = 5  # links of no known shape: the page decides what they are (docs/architecture.md)
LISTING_PRIORITY = 0
OTHER_PRIORITY = -5  # about, privacy, terms: archived last, never taken for articles by their URL
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
    #: A URL matching `article_url_patterns` is an article whatever its page looks like: rules written for
    #: one site are the site's own account. Off for the generic spider, whose rules are a first guess only.
    url_rules_decide: bool = True
    #: Also fetch in-domain links of no known shape, and let each page say what it is (the generic spider,
    #: on sites whose URLs it cannot know).
    follow_unknown_links: bool = False
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
        # Fetched by this crawl and not taken for articles: a feed that lists one later gets it extracted.
        self._not_extracted: set[str] = set()
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
            # A site on its own port (http://host:8080/) is that port's: the host's other ports are other sites.
            self._site_ports: dict[str, set] = {}
            for seed in urls:
                try:
                    parts = urlsplit(seed)
                    if parts.hostname:
                        self._site_ports.setdefault(parts.hostname.lower(), set()).add(parts.port)
                except ValueError:
                    continue

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
        self._not_extracted = state.setdefault("not_extracted", self._not_extracted)
        self._articles_yielded = state.setdefault("articles_yielded", self._articles_yielded)

    def closed(self, reason: str) -> None:
        # Called before SpiderState pickles `state` (the spider connects to spider_closed first).
        if getattr(self, "state", None) is not None:
            self.state["articles_yielded"] = self._articles_yielded

    def _listing_request(self, url: str, callback, priority: int = LISTING_PRIORITY) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, priority=priority)

    def _article_request(self, url: str, hint: Entry | None = None, *, listed: bool = False) -> scrapy.Request | None:
        """A request for an article page; `listed`: a feed or news sitemap lists it (the site's own account)."""
        url = normalize_url(url)  # one article however it is linked (docs/architecture.md, "Canonical URLs")
        again = listed and url in self._not_extracted
        if (url in self._scheduled_articles and not again) or self._capped():
            return None
        if (self._incremental is not None and not self._incremental.planner.wants(url, hint.date if hint else None)
                and not self._captured_by_this_crawl(url)):
            self.crawler.stats.inc_value("newsarchive/skipped/not_due")  # archived, and no sign it changed
            return None
        self._scheduled_articles.add(url)
        # An article page, which the incremental components track and ask conditionally.
        request_meta = {meta.DATE_HINT: hint.date.isoformat() if hint and hint.date else None, meta.ARTICLE: True}
        if listed:
            request_meta[meta.LISTED] = True
        if again:
            # This crawl fetched the page and did not take it for an article before the feed vouched for it:
            # fetch it once more (Scrapy's duplicate filter would drop the request) and extract it.
            self._not_extracted.discard(url)
            request_meta[meta.RECONSIDERED] = True
            self.crawler.stats.inc_value("newsarchive/discover/reconsidered")
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, priority=ARTICLE_PRIORITY,
                              meta=request_meta, dont_filter=again)

    def _page_request(self, url: str) -> scrapy.Request | None:
        """A link of no known shape: fetched so the page can say what it is. A URL the state knows as an
        article goes the article way (the re-check policy decides, and it is asked conditionally)."""
        url = normalize_url(url)
        if self._incremental is not None:
            known = self._incremental.store.get(url)
            if known is not None and known.text_digest is not None:
                return self._article_request(url)
        if url in self._scheduled_articles:
            return None
        kind, _ = non_article_path(url)
        return self._listing_request(url, self.parse_page, PAGE_PRIORITY if kind is None else OTHER_PRIORITY)

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
        """A seed may be a feed, a sitemap or a front page: `parse_page` looks before choosing."""
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
                request = self._article_request(entry.url, entry, listed=listed_as_article)
                if request:
                    yield request

    def _listing_reader(self) -> ListingReader:
        if self._listings is None:
            self._listings = ListingReader(self.settings, self.crawler.stats)
        return self._listings

    def parse_page(self, response: Response):
        """Any page but an article request: a feed or sitemap by its content, else an HTML page that may
        turn out to be an article (then it is extracted, whatever route found it), else a listing to follow."""
        if self.is_xml_listing(response):
            yield from self.parse_xml_listing(response)
            return
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            self._count_error("not_html", response.url, "listing page is not text")
            return
        if self._cut_short(response):  # counted; its links are worth following, its text is not whole
            self._not_extracted.add(normalize_url(response.url))
            yield from self.follow_page(response)
            return
        is_article, _ = self.decide_page(response)
        if is_article:
            # Tracked from here on as an article: by the revision stage and the incremental state.
            response.meta[meta.ARTICLE] = True
            self._scheduled_articles.add(normalize_url(response.url))
            yield from self.parse_article(response)
            return
        self._not_extracted.add(normalize_url(response.url))
        yield from self.follow_page(response)

    def follow_page(self, response: TextResponse) -> Iterable[scrapy.Request]:
        """Feeds the page announces or links to, then its links."""
        for feed in feeds_from_html(response, response.url) + feeds_from_links(response, response.url):
            if self._in_domain(feed) and feed not in self.feed_urls and not self.is_denied(feed):
                yield self._listing_request(feed, self.parse_page)
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
            elif self.follow_unknown_links and not self._capped():
                request = self._page_request(url)
                if request:
                    yield request

    # ------------------------------------------------------------ what a page is

    def page_verdict(self, response: TextResponse) -> PageVerdict:
        """The classifier's verdict on a fetched page, counted once per response (crawl.json page_types)."""
        verdict = response.meta.get(meta.PAGE_VERDICT)
        if verdict is None:
            verdict = classify_page(response.body, response.url, encoding=declared_charset(response))
            response.meta[meta.PAGE_VERDICT] = verdict
            self.crawler.stats.inc_value(stat_names.page_type(verdict.kind))
        return verdict

    def decide_page(self, response: TextResponse) -> tuple[bool, str]:
        """Extract this page as an article? The page's verdict, weighed against what was known before the
        fetch: a site spider's URL rule, the generic rules' first guess, a feed's listing (newsarchive.extract.classify.decide)."""
        return decide(self.page_verdict(response), url_says_article=self.is_article_url(response.url),
                      listed_as_article=bool(response.meta.get(meta.LISTED)) or self._known_article(response),
                      url_rules_decide=self.url_rules_decide)

    def turns_out_an_article(self, request: scrapy.Request, response: Response) -> bool:
        """Will the callback that judges this response by the page (`parse_page`, `parse_seed`) extract it
        as an article? Asked by the page-requisites middleware before the callback runs; the verdict is
        kept in meta, so the page is classified once."""
        if request.callback not in (self.parse_page, self.parse_seed) or not isinstance(response, TextResponse):
            return False
        if self.is_xml_listing(response) or looks_binary(response.body):
            return False
        if response.request is None:
            # A downloader middleware sees the response before the engine ties it to its request.
            response.request = request
        return self.decide_page(response)[0]

    def _known_article(self, response: Response) -> bool:
        """The same bytes as a capture this URL was exported from as an article (a feed may have vouched
        for it in an earlier crawl): the earlier decision stands, whatever order this crawl meets the
        page and the feed in."""
        if self._incremental is None or not response.meta.get(meta.WARC_REVISIT):
            return False
        known = self._incremental.store.get(normalize_url(response.url))
        return known is not None and known.text_digest is not None

    def _cut_short(self, response: Response) -> bool:
        """A body cut by a size limit or a disconnect: counted, archived cut, never extracted."""
        if "download_stopped" in response.flags:
            self._count_error("too_large", response.url, "body over NEWSARCHIVE_MAXSIZE: archived cut "
                              "(WARC-Truncated: length), not extracted")
            return True
        if "dataloss" in response.flags:
            self._count_error("truncated", response.url, "connection closed before the whole body arrived: "
                              "archived (WARC-Truncated: disconnect), not extracted")
            return True
        return False

    def is_xml_listing(self, response: Response) -> bool:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        return looks_like_xml_listing(response.body, content_type) and not (
            isinstance(response, TextResponse) and b"<html" in response.body[:4096].lower())

    def parse_article(self, response: Response):
        """Extract one article record from an article page (a page that is none is followed as a listing)."""
        stats = self.crawler.stats
        if self.is_xml_listing(response):  # an article-shaped URL that serves a feed
            yield from self.parse_xml_listing(response)
            return
        if self._cut_short(response):
            return
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            self._count_error("not_html", response.url, "article page is binary, not text/HTML; archived only")
            return
        is_article, decided_by = self.decide_page(response)
        if not is_article:
            stats.inc_value("newsarchive/articles/not_an_article")
            logger.info("not an article: %s: %s", response.url, self.page_verdict(response).explain())
            self._not_extracted.add(normalize_url(response.url))
            yield from self.follow_page(response)
            return
        if response.meta.get(meta.WARC_REVISIT) and not (response.meta.get(meta.RECONSIDERED) or (
            self._incremental is not None and response.status == 200 and self._incremental.needs_extraction(response)
        )):
            # The same bytes are archived already: the record from that capture stands.
            stats.inc_value("newsarchive/articles/duplicate_payload")
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
        stats.inc_value(stat_names.decided_by(decided_by))
        yield article_record(record, spider=self.name, crawl_id=layout.crawl_id_for(self),
                             fetched_at=response.meta.get(meta.WARC_DATE), warc=response.meta.get(meta.WARC_POINTER),
                             requisites=response.meta.get(meta.REQUISITES),  # settled by crawl/requisites_fetch.py
                             page_type=self.page_verdict(response).kind)
        if self.follow_article_links:
            yield from self.follow_page(response)

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
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        ports = getattr(self, "_site_ports", {}).get(host)
        if ports is not None and port not in ports:
            return False
        return any(host == d or host.endswith("." + d) for d in domains)
