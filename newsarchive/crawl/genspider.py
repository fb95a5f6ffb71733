"""`newsarchive genspider NAME URL`: look at a site the way a person writing its spider would, then write it.

A short Scrapy crawl of the site (`SiteProbe`), with the project's settings, so the address guard,
robots.txt, AutoThrottle, the User-Agent and WARC recording apply as in any crawl, and a page budget
(GENSPIDER_MAX_PAGES) bounds it. Its steps, one after the other (`spider_idle` moves to the next):

1. the home page and robots.txt: feeds the page announces (`<link rel="alternate">`, and `<a>` links
   that look like feeds), sitemaps robots.txt names;
2. the feeds and sitemaps; only when none is announced, a few common paths (/feed, /rss.xml,
   /sitemap.xml, ...);
3. children of a sitemap index (news sitemaps first);
4. a sample of article URLs (GENSPIDER_SAMPLES) from the feeds, else the sitemaps, else the home
   page's links, spread over URL shapes and sections; and a few of the home page's other links, to
   learn what its listing pages (sections, pagination) look like;
5. listing pages linked from those (pagination), and, following links, more candidates when the
   first round found too few articles.

Each fetched page is extracted with `extract_article` and judged article, listing or other
(`page_kind`: the page's own signals, JSON-LD/OpenGraph type, one `<article>` or many teasers, link
density, body length, a byline and a date). The URL rules are inferred from the judged pages
(crawl/urlshapes.py); the spider (`render_spider`) gets the feeds, the sitemaps or the front page as
seeds, the rules, and contracts checked on the sample (an `@url` the contracts pass on). The report
says what was found and what was not. With `--capture`, the probe's WARC (every page it fetched) is
kept as the contract fixture: `scrapy check NAME -s REPLAY_WARC=<that folder>` runs offline.
"""
from __future__ import annotations

import logging
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip

from newsarchive.base import layout
from newsarchive.base.urls import normalize_url
from newsarchive.crawl import contracts, urlshapes
from newsarchive.crawl.discover import feeds_from_html, parse_xml_listing, sitemaps_from_robots
from newsarchive.crawl.spider import SKIP_EXTENSIONS, declared_charset
from newsarchive.extract import extract_article
from newsarchive.extract.document import parse_html
from newsarchive.extract.jsonld import find_article, jsonld_objects
from newsarchive.fetch.errors import classify_failure
from newsarchive.warc.writer import cdxj_path_for

logger = logging.getLogger(__name__)

COMMON_FEED_PATHS = ("/feed/", "/feed", "/rss.xml", "/feed.xml", "/atom.xml", "/rss", "/index.xml")
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-news.xml", "/news-sitemap.xml")
FEED_LINK = re.compile(r"(?:/feed/?$|/rss/?$|[./_-](?:rss|atom)(?:\.xml)?$|/feeds?/[^/]*$)", re.I)
NOT_PAGES = re.compile(r"/(?:login|signin|signup|register|subscribe|account|cart|search|share|print|wp-admin|"
                       r"wp-login\.php|cdn-cgi)(?:/|$|\?)|[?&](?:replytocom|share|utm_[a-z]+)=", re.I)
PAGINATION = re.compile(r"/(?:page|p)/\d+/?$|[?&](?:page|p)=\d+", re.I)
PROBE_NAME = "genspider"
ARTICLE_TYPES_OG = ("article",)
MAX_INDEX_CHILDREN = 3


# ------------------------------------------------------------------ judging one page

@dataclass
class Page:
    url: str
    kind: str  # "article", "listing", "other"
    reasons: list[str]
    record: dict
    links: list[str]
    status: int
    redirected: bool


def page_kind(record: dict, body: bytes, url: str, min_words: int) -> tuple[str, list[str]]:
    """("article" | "other", why) from the page's own signals; listings are told apart later by their links."""
    tree = parse_html(body.decode("utf-8", "replace") if isinstance(body, bytes) else body)
    score, reasons = 0, []
    typed = find_article(jsonld_objects(tree), url) is not None
    og_type = " ".join(tree.xpath("//meta[@property='og:type']/@content")).strip().lower()
    if typed or og_type in ARTICLE_TYPES_OG:
        score += 2
        reasons.append("JSON-LD article" if typed else "og:type article")
    words = record.get("word_count") or 0
    if words >= min_words:
        score += 2
        reasons.append(f"{words} words")
    elif words >= min_words // 2:
        score += 1
        reasons.append(f"{words} words")
    articles = len(tree.xpath("//article"))
    if articles >= 3:
        score -= 2
        reasons.append(f"{articles} <article> teasers")
    elif articles == 1:
        score += 1
    link_words = sum(len(a.text_content().split()) for a in tree.xpath("//body//a"))
    all_words = len(" ".join(tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")).split())
    density = link_words / all_words if all_words else 1.0
    if density >= 0.4:
        score -= 2
        reasons.append(f"link density {density:.2f}")
    if record.get("published") and record.get("authors"):
        score += 1
        reasons.append("byline and date")
    if not record.get("title"):
        score -= 3
        reasons.append("no title")
    return ("article" if score >= 3 else "other"), reasons


# ------------------------------------------------------------------ the probe crawl

@dataclass
class Listing:
    url: str
    kind: str  # what parse_xml_listing says: rss, atom, sitemapindex, urlset, unknown
    source: str  # "announced", "link", "robots.txt", "common path", "sitemap index"
    entries: list = field(default_factory=list)
    news: bool = False


class SiteProbe(scrapy.Spider):
    """The crawl behind genspider: fetches what the module docstring lists, keeps what it learns."""

    name = PROBE_NAME

    def __init__(self, *args, url: str, samples: int = 8, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_url = url
        host = urlsplit(url).hostname or ""
        self.allowed_domains = [host.removeprefix("www.")]
        self.samples = int(samples)
        self.step = 1
        self.home: Page | None = None
        self.home_failure: str | None = None
        self.robots_sitemaps: list[str] = []
        self.robots_fetched = False
        self.announced_feeds: list[str] = []
        self.linked_feeds: list[str] = []
        self.offsite_feeds: list[str] = []
        self.listings: dict[str, Listing] = {}
        self.pages: dict[str, Page] = {}
        self.failures: dict[str, str] = {}
        self.requested: set[str] = set()
        self.sample_source = "none"
        self.probed_common_feeds = self.probed_common_sitemaps = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    async def start(self):
        layout.crawl_id_for(self)
        yield self._request(self.home_url, self.parse_home)
        parts = urlsplit(self.home_url)
        yield self._request(f"{parts.scheme}://{parts.netloc}/robots.txt", self.parse_robots)

    # ---------------------------------------------------------------- requests and answers

    def _request(self, url: str, callback) -> scrapy.Request:
        self.requested.add(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error)

    def on_error(self, failure):
        url = failure.request.url
        self.failures[url] = classify_failure(failure)
        if url == self.home_url:
            self.home_failure = f"{self.failures[url]}: {failure.getErrorMessage()}"[:300]

    def same_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def links_of(self, response: TextResponse) -> list[str]:
        links = []
        for href in response.xpath("//a/@href").getall():
            # The form NewsSpider follows links in (docs/architecture.md, "Canonical URLs"): no tracking parameters.
            url = normalize_url(response.urljoin(href.strip()))
            if url.startswith(("http://", "https://")) and self.same_site(url) and not SKIP_EXTENSIONS.search(url):
                links.append(url)
        return list(dict.fromkeys(links))

    def parse_home(self, response):
        if not isinstance(response, TextResponse):
            self.home_failure = "the home page is not text"
            return
        self.home = self._page(response)
        for feed in feeds_from_html(response, response.url):
            (self.announced_feeds if self.same_site(feed) else self.offsite_feeds).append(feed)
        self.linked_feeds = [url for url in self.home.links if FEED_LINK.search(urlsplit(url).path)
                             and url not in self.announced_feeds]

    def parse_robots(self, response):
        self.robots_fetched = True
        text = response.text if isinstance(response, TextResponse) else ""
        self.robots_sitemaps = [u for u in sitemaps_from_robots(text, response.url) if self.same_site(u)]

    def parse_listing(self, response, source: str = ""):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception as exc:  # a broken sitemap is reported, not fatal
                self.failures[response.url] = f"cannot gunzip: {exc}"
                return
        found = parse_xml_listing(body, response.url)
        entries = [replace(e, url=normalize_url(e.url)) for e in found.entries if self.same_site(e.url)]
        self.listings[response.url] = Listing(response.url, found.kind, source, entries,
                                              news=any(e.news for e in entries))

    def parse_page(self, response, source: str = ""):
        if not isinstance(response, TextResponse):
            self.failures[response.url] = "not_html"
            return
        page = self._page(response)
        self.pages[response.request.url] = page

    def _page(self, response: TextResponse) -> Page:
        record = extract_article(response.body, response.url, encoding=declared_charset(response))
        kind, reasons = page_kind(record, response.body, response.url, self.settings.getint("FIELD_COVERAGE_WORDS"))
        redirected = response.url != response.request.url or bool(response.request.meta.get("redirect_urls"))
        return Page(response.url, kind, reasons, record, self.links_of(response), response.status, redirected)

    # ---------------------------------------------------------------- the steps

    def spider_idle(self, spider=None):
        """The crawl ran dry: ask for the next step's pages (module docstring); close when no step has any."""
        while self.step <= 5:
            step = self.step
            self.step += 1
            new = {r.url: r for r in getattr(self, f"_step{step}")() if r.url not in self.requested}
            if new:
                for request in new.values():
                    self.requested.add(request.url)
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider

    def _step1(self):
        return []  # the seeds: start() asked for the home page and robots.txt

    def _step2(self):
        if self.home is None:
            return []
        requests = [self._listing_request(u, "announced") for u in self.announced_feeds]
        requests += [self._listing_request(u, "link") for u in self.linked_feeds[:3]]
        requests += [self._listing_request(u, "robots.txt") for u in self.robots_sitemaps[:5]]
        base = f"{urlsplit(self.home.url).scheme}://{urlsplit(self.home.url).netloc}"
        if not self.announced_feeds and not self.linked_feeds:
            self.probed_common_feeds = True
            requests += [self._listing_request(base + p, "common path") for p in COMMON_FEED_PATHS]
        if not self.robots_sitemaps:
            self.probed_common_sitemaps = True
            requests += [self._listing_request(base + p, "common path") for p in COMMON_SITEMAP_PATHS]
        return requests

    def _listing_request(self, url: str, source: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"source": source})

    def _step3(self):
        children = []
        for listing in list(self.listings.values()):
            if listing.kind == "sitemapindex":
                ranked = sorted(listing.entries, key=lambda e: ("news" not in e.url.lower(),
                                                                -(e.date.timestamp() if e.date else 0)))
                children += [self._listing_request(e.url, "sitemap index") for e in ranked[:MAX_INDEX_CHILDREN]]
        return children

    def _step4(self):
        if self.home is None:
            return []
        candidates = self.article_candidates()
        picked = spread(candidates, self.samples if self.sample_source != "links" else self.samples + 4)
        requests = [self._page_request(u) for u in picked]
        requests += [self._page_request(u) for u in self.listing_candidates(self.home.links, set(picked))]
        return requests

    def _step5(self):
        articles = [p for p in self.pages.values() if p.kind == "article"]
        provisional = urlshapes.infer_patterns([p.url for p in articles], self.non_article_urls()).patterns
        more: list[str] = []
        for page in list(self.pages.values()):
            if page.kind != "article" and sum(urlshapes.matches(provisional, link) for link in page.links) >= 2:
                more += self.listing_candidates(page.links, set(self.pages), per_shape=1, limit=4)
        if len(articles) < min(3, self.samples) and self.home is not None:
            # Following links: try pages the first round's listings point at.
            pool = [link for page in self.pages.values() if page.kind != "article" for link in page.links]
            pool = [u for u in dict.fromkeys(pool) if u not in self.pages and u not in self.requested]
            more += spread(sorted(pool, key=article_likeness, reverse=True), self.samples)
        return [self._page_request(u) for u in dict.fromkeys(more)]

    def _page_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error)

    # ---------------------------------------------------------------- choosing what to fetch

    def article_candidates(self) -> list[str]:
        """Where article URLs come from, best first: feeds, news sitemaps, other sitemaps, the home page's links."""
        feeds = [e.url for l in self.listings.values() if l.kind in ("rss", "atom") for e in l.entries]
        news = [e.url for l in self.listings.values() if l.kind == "urlset" and l.news for e in l.entries if e.news]
        urlsets = [e.url for l in self.listings.values() if l.kind == "urlset" for e in l.entries]
        for source, urls in (("feeds", feeds), ("news sitemap", news), ("sitemap", urlsets)):
            urls = [u for u in dict.fromkeys(urls) if self.same_site(u) and not NOT_PAGES.search(u)]
            if urls:
                self.sample_source = source
                return urls
        self.sample_source = "links"
        links = [u for u in self.home.links if u != self.home.url and not NOT_PAGES.search(u)
                 and not FEED_LINK.search(urlsplit(u).path)]
        return sorted(links, key=article_likeness, reverse=True)

    def listing_candidates(self, links: list[str], exclude: set[str], per_shape: int = 2, limit: int = 8) -> list[str]:
        """A few links of each short or paginated shape: what sections and page 2 look like on this site."""
        by_shape: dict = {}
        for url in links:
            if url in exclude or url in self.requested or NOT_PAGES.search(url) or FEED_LINK.search(urlsplit(url).path):
                continue
            if article_likeness(url) >= 6 and not PAGINATION.search(url):
                continue
            by_shape.setdefault(urlshapes.shape_of(url), []).append(url)
        picked = []
        for urls in by_shape.values():
            picked += urls[:per_shape]
        return picked[:limit]

    def non_article_urls(self) -> list[str]:
        urls = [p.url for p in self.pages.values() if p.kind != "article"]
        if self.home is not None:
            urls.append(self.home.url)
        return urls

    def closed(self, reason):
        self.finish_reason = reason


def article_likeness(url: str) -> int:
    """How much a URL looks like an article's: depth, dates, ids, long slugs, a .html page."""
    segments = urlshapes.path_segments(url)
    kinds = [urlshapes.segment_kind(s) for s in segments]
    score = min(len(segments), 4)
    score += 2 * kinds.count("year") + kinds.count("2digits") + 2 * kinds.count("number") + kinds.count("id")
    score += sum(2 for s in segments if s.count("-") >= 3) + 2 * kinds.count("file")
    if urlsplit(url).query and not re.search(r"(?:^|&)(?:page|p)=", urlsplit(url).query):
        score += 1
    return score


def spread(urls: list[str], count: int) -> list[str]:
    """Up to `count` URLs taken round-robin over their shapes and first path segments (sections)."""
    buckets: dict = {}
    for url in urls:
        segments = urlshapes.path_segments(url)
        key = (urlshapes.shape_of(url), segments[0] if segments else "")
        buckets.setdefault(key, []).append(url)
    queues = list(buckets.values())
    picked: list[str] = []
    while queues and len(picked) < count:
        for queue in list(queues):
            if not queue:
                queues.remove(queue)
                continue
            picked.append(queue.pop(0))
            if len(picked) >= count:
                break
    return picked


# ------------------------------------------------------------------ what the probe learnt

FIELDS = ("title", "authors", "published", "body")


@dataclass
class Findings:
    name: str
    url: str
    feeds: list[Listing]
    sitemaps: list[Listing]
    sitemaps_from_robots: bool
    discovery: str  # "feeds", "sitemaps", "links"
    articles: list[Page]
    listings: list[Page]
    others: list[Page]
    article_patterns: list[str]
    follow_patterns: list[str]
    field_counts: dict[str, dict]
    contract_url: str | None
    contract_lines: list[str]
    could_not: list[str]
    notes: list[str]
    pages_fetched: int = 0

    def to_dict(self) -> dict:
        return {
            "name": self.name, "url": self.url, "discovery": self.discovery,
            "feeds": [{"url": f.url, "kind": f.kind, "entries": len(f.entries), "found_by": f.source} for f in self.feeds],
            "sitemaps": [{"url": s.url, "kind": s.kind, "entries": len(s.entries), "news": s.news, "found_by": s.source}
                         for s in self.sitemaps],
            "sitemaps_from_robots": self.sitemaps_from_robots,
            "sample": {"articles": [p.url for p in self.articles], "listings": [p.url for p in self.listings],
                       "other": [p.url for p in self.others]},
            "fields": self.field_counts,
            "article_url_patterns": self.article_patterns, "follow_url_patterns": self.follow_patterns,
            "contract_url": self.contract_url, "contracts": self.contract_lines,
            "could_not": self.could_not, "notes": self.notes, "pages_fetched": self.pages_fetched,
        }


def field_present(record: dict, name: str, min_words: int) -> bool:
    if name == "body":
        return (record.get("word_count") or 0) >= min_words
    return bool(record.get(name))


def field_counts(articles: list[Page], min_words: int) -> dict[str, dict]:
    counts = {}
    for name in FIELDS:
        present = [p for p in articles if field_present(p.record, name, min_words)]
        source_key = {"body": "text"}.get(name, name)
        sources = Counter((p.record.get("provenance") or {}).get(source_key, "?") for p in present)
        counts[name] = {"found": len(present), "of": len(articles), "sources": dict(sources.most_common())}
    return counts


class _Callback:
    """What Scrapy's Contract needs of a callback (a name and its spider's), for checking contracts on a record."""

    def __init__(self, name: str):
        self.name = name

    def parse_article(self, response):  # pragma: no cover - never called
        return None


def contracts_for(record: dict, name: str, min_words: int) -> list[str]:
    """The contract lines that hold on `record`; @authors etc. only when the sample has the field."""
    callback = _Callback(name).parse_article
    words = record.get("word_count") or 0
    lines = ["@returns items 1 1"]
    scrapes = [f for f in ("title", "authors", "published", "text") if record.get(f)]
    lines.append("@scrapes " + " ".join(scrapes))
    candidates = [
        (contracts.AuthorsContract, ()), (contracts.PublishedIsoContract, ()),
        (contracts.MinWordsContract, (str(min(min_words, words)),)), (contracts.CopyrightContract, ()),
        (contracts.NoBoilerplateContract, ()),
    ]
    for contract_cls, args in candidates:
        if contract_cls is contracts.MinWordsContract and words == 0:
            continue
        if contract_cls(callback, *args).problem(record) is None:
            lines.append(" ".join(["@" + contract_cls.name, *args]))
    return lines


def choose_contract_page(articles: list[Page], name: str, min_words: int) -> tuple[Page | None, list[str]]:
    """The sampled article the most contracts hold on (a page fetched straight, 200, without a redirect)."""
    best, best_lines = None, []
    for page in articles:
        if page.status != 200 or page.redirected:
            continue
        lines = contracts_for(page.record, name, min_words)
        if len(lines) > len(best_lines):
            best, best_lines = page, lines
    return best, best_lines


def findings_from(probe: SiteProbe, name: str, min_words: int) -> Findings:
    could_not, notes = [], []
    feeds = [l for l in probe.listings.values() if l.kind in ("rss", "atom") and l.entries]
    sitemaps = [l for l in probe.listings.values() if l.kind in ("sitemapindex", "urlset") and l.entries]
    if probe.offsite_feeds:
        notes.append("feeds on other hosts left out: " + ", ".join(probe.offsite_feeds))
    discovery = "feeds" if feeds else ("sitemaps" if sitemaps else "links")
    if not feeds:
        could_not.append("no feed: none announced in the page head or linked"
                         + (", none at the common paths (" + ", ".join(COMMON_FEED_PATHS) + ")"
                            if probe.probed_common_feeds else ""))
    if not sitemaps:
        could_not.append("no sitemap: none in robots.txt" + (", none at the common paths ("
                                                              + ", ".join(COMMON_SITEMAP_PATHS) + ")"
                                                              if probe.probed_common_sitemaps else ""))
    if discovery == "sitemaps":
        notes.append("no feed found: the spider falls back to the sitemaps")
    elif discovery == "links":
        notes.append("no feed or sitemap found: the spider follows links from the front page "
                     "(start_urls and follow_url_patterns)")
    pages = list(probe.pages.values())
    articles = [p for p in pages if p.kind == "article"]
    negatives = probe.non_article_urls()
    inferred = urlshapes.infer_patterns([p.url for p in articles], negatives)
    notes += inferred.notes
    listings = [p for p in pages if p.kind != "article"
                and sum(urlshapes.matches(inferred.patterns, link) for link in p.links) >= 2]
    listing_urls = [p.url for p in listings]
    if probe.home is not None and sum(urlshapes.matches(inferred.patterns, l) for l in probe.home.links) >= 1:
        listing_urls.insert(0, probe.home.url)
    follow = urlshapes.infer_patterns(listing_urls, [p.url for p in articles])
    notes += follow.notes
    others = [p for p in pages if p.kind != "article" and p not in listings]
    counts = field_counts(articles, min_words)
    for name_, count in counts.items():
        if count["of"] and count["found"] == 0:
            could_not.append(f"{name_}: found on none of the {count['of']} sampled articles; add site_rules[{name_!r}] "
                             "(see newsarchive/extract/rules.py)")
        elif count["found"] < count["of"]:
            notes.append(f"{name_}: found on {count['found']} of {count['of']} sampled articles")
    if not articles:
        could_not.append("no page of the sample looked like an article: nothing to learn URL rules from")
    elif len(articles) < 3:
        notes.append(f"only {len(articles)} sampled article(s): the URL rules rest on few examples")
    refused = sorted(u for u, kind in probe.failures.items() if kind == "robots_forbidden")
    if refused:
        notes.append(f"robots.txt forbids {len(refused)} of the sampled URLs, e.g. {refused[0]}")
    if str(getattr(probe, "finish_reason", "")).startswith("limit_"):
        notes.append("the look at the site stopped at its page budget (GENSPIDER_MAX_PAGES); "
                     "the sample is what it had by then")
    page, lines = choose_contract_page(articles, name, min_words)
    if articles and page is None:
        could_not.append("no sampled article was fetched straight (200, no redirect) for the @url contract")
    return Findings(
        name=name, url=probe.home_url, feeds=feeds, sitemaps=sitemaps,
        sitemaps_from_robots=bool(probe.robots_sitemaps) and any(s.source in ("robots.txt", "sitemap index") for s in sitemaps),
        discovery=discovery, articles=articles, listings=listings, others=others,
        article_patterns=inferred.patterns, follow_patterns=follow.patterns, field_counts=counts,
        contract_url=page.url if page else None, contract_lines=lines, could_not=could_not, notes=notes,
    )


# ------------------------------------------------------------------ the spider module

def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part) + "Spider"


def python_string(value: str, raw: bool = False) -> str:
    """A Python literal of `value`: a raw string for a regex when one can hold it, else repr()."""
    if raw and "'" not in value and "\n" not in value and not value.endswith("\\"):
        return f"r'{value}'"
    return repr(value)


def _tuple(values: list[str], raw: bool = False) -> str:
    if not values:
        return "()"
    return "(\n" + "".join(f"        {python_string(v, raw)},\n" for v in values) + "    )"


def render_spider(findings: Findings, generated_at: datetime | None = None) -> str:
    when = (generated_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    home = findings.url
    host = (urlsplit(home).hostname or "").removeprefix("www.")
    feed_urls = [f.url for f in findings.feeds]
    explicit_sitemaps = [s.url for s in findings.sitemaps if s.source not in ("robots.txt", "sitemap index")]
    summary = format_findings(findings, for_docstring=True)
    contract = ""
    if findings.contract_url:
        contract_lines = "\n        ".join([f"@url {findings.contract_url}", *findings.contract_lines])
        contract = (f'\n    def parse_article(self, response):\n'
                    f'        """An article page of {findings.name}.\n\n'
                    f'        {contract_lines}\n        """\n'
                    f'        return super().parse_article(response)\n')
    # Backslashes (the regexes) and quotes must stay text inside the docstring.
    summary = summary.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    summary_text = "\n".join(("    " + line) if line else "" for line in summary.splitlines())
    return (
        f'"""`{findings.name}`: written by `newsarchive genspider {findings.name} {home}` on {when}.\n\n'
        f"What genspider found (review the URL rules on more of the site before relying on them):\n\n"
        f"{summary_text}\n"
        f'"""\n'
        f"from newsarchive.crawl import NewsSpider\n\n\n"
        f"class {class_name(findings.name)}(NewsSpider):\n"
        f"    name = {findings.name!r}\n"
        f"    allowed_domains = [{host!r}]\n"
        f"    feed_urls = {_tuple(feed_urls)}\n"
        f"    sitemap_urls = {_tuple(explicit_sitemaps)}\n"
        f"    start_urls = ({home!r},)\n"
        f"    sitemaps_from_robots = {findings.sitemaps_from_robots!r}\n"
        f"    article_url_patterns = {_tuple(findings.article_patterns, raw=True)}\n"
        f"    follow_url_patterns = {_tuple(findings.follow_patterns, raw=True)}\n"
        f"{contract}"
    )


def format_findings(findings: Findings, *, for_docstring: bool = False) -> str:
    def listing_line(listing: Listing) -> str:
        extra = ", news" if listing.news else ""
        return f"{listing.url} ({listing.kind}{extra}, {len(listing.entries)} entries, found by {listing.source})"

    lines = [f"discovery    {findings.discovery}"]
    lines += [f"feed         {listing_line(f)}" for f in findings.feeds] or ["feed         none"]
    lines += [f"sitemap      {listing_line(s)}" for s in findings.sitemaps] or ["sitemap      none"]
    lines.append(f"sample       {len(findings.articles)} article page(s), {len(findings.listings)} listing page(s), "
                 f"{len(findings.others)} other page(s)")
    for name, count in findings.field_counts.items():
        sources = ", ".join(f"{k} {v}" for k, v in count["sources"].items())
        lines.append(f"  {name:<10} {count['found']}/{count['of']}" + (f" ({sources})" if sources else ""))
    lines += [f"article URL  {p}" for p in findings.article_patterns] or ["article URL  none"]
    lines += [f"listing URL  {p}" for p in findings.follow_patterns] or ["listing URL  none"]
    if not for_docstring:
        lines.append(f"contracts    @url {findings.contract_url}; " + " ".join(
            line.split(" ")[0] for line in findings.contract_lines) if findings.contract_url else "contracts    none")
    lines += [f"note         {n}" for n in findings.notes]
    lines += [f"could not    {c}" for c in findings.could_not]
    return "\n".join(lines)


# ------------------------------------------------------------------ running it

@dataclass
class ProbeRun:
    findings: Findings | None
    failure: str | None
    warc_files: list[Path]
    workdir: Path


def run_probe(name: str, url: str, *, samples: int, settings: dict | None = None) -> ProbeRun:
    """Crawl the site with SiteProbe in this process (a temporary archive), and judge what it found."""
    from scrapy.crawler import CrawlerProcess

    from newsarchive.crawl.runner import project_settings

    workdir = Path(tempfile.mkdtemp(prefix="newsarchive-genspider-"))
    overrides = {
        "ARCHIVE_DIR": str(workdir), "CRAWL_ID": layout.new_crawl_id(), "INCREMENTAL_ENABLED": False,
        "WARC_PREFIX": "GENSPIDER", "LOG_FILE": str(workdir / "genspider.log"), "NEWSARCHIVE_PROGRESS": False,
        "CRAWL_MAX_PAGES": None, "LOG_INSTALL_ROOT_HANDLER": True,
        **(settings or {}),
    }
    merged = project_settings(overrides)
    if merged.get("CRAWL_MAX_PAGES") is None:
        merged.set("CRAWL_MAX_PAGES", merged.getint("GENSPIDER_MAX_PAGES"), priority="cmdline")
    process = CrawlerProcess(merged)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.ERROR)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    try:
        crawler = process.create_crawler(SiteProbe)
        process.crawl(crawler, url=url, samples=samples)
        process.start()
    finally:
        logging.getLogger().removeHandler(console)
    probe: SiteProbe | None = crawler.spider
    warc_files = sorted((workdir / PROBE_NAME).glob("*/warc/*.warc.gz"))
    if probe is None or probe.home is None:
        failure = (probe.home_failure if probe is not None else None) or "the probe crawl did not start"
        return ProbeRun(None, f"could not fetch {url}: {failure}", warc_files, workdir)
    findings = findings_from(probe, name, merged.getint("FIELD_COVERAGE_WORDS"))
    findings.pages_fetched = crawler.stats.get_value("downloader/response_count", 0)
    return ProbeRun(findings, None, warc_files, workdir)


def keep_fixture(run: ProbeRun, folder: Path) -> list[Path]:
    """Copy the probe's WARC files (and their CDXJ indexes) into `folder`: the spider's contract fixture."""
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for warc in run.warc_files:
        for path in (warc, cdxj_path_for(warc)):
            if path.exists():
                shutil.copy2(path, folder / path.name)
                kept.append(folder / path.name)
    return kept
