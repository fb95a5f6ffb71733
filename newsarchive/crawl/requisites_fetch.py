"""PageRequisitesMiddleware: archive what an article page needs to look right before the page is extracted.

A downloader middleware low in the chain (its process_response runs after redirects, decompression
and the address guard's peer check), so it sees the final 200 HTML of an article page. It finds the
page's requisites (crawl/requisites.py), fetches those in scope and on budget through the engine
(`download_async`: every downloader middleware applies, so robots.txt, the address guard, politeness
per host, size limits, retries and the WARC recorder with its revisits treat them as they treat
pages), follows stylesheets to their fonts and images, and only then hands the page on. So the
article's record can say truthfully what was archived: `request.meta[meta.REQUISITES]` is

    {"archived": [url, ...],                    each in this crawl's WARC files (a response or revisit)
     "skipped": [{"url": ..., "reason": ...}],  out of scope, over budget, or failed (docs/architecture.md)
     "unlisted": n}                             skipped requisites beyond SKIPPED_LISTED, counted only

A requisite archived earlier in the crawl (the site's logo, its stylesheet) is not fetched again:
it is listed as archived, and costs the article nothing but a place in its count. Articles whose
page is a revisit (archived before, unchanged) or a resumed crawl's read-back with its record
already exported get no requisites: those of the earlier capture stand. A revisit of a capture whose
article was never exported (a crash between the WARC and the export) is treated as new.

Settings: REQUISITES_ENABLED, REQUISITES_SCRIPTS, REQUISITES_OTHER_HOSTS, REQUISITES_BLOCKLIST,
REQUISITES_BLOCK_HOSTS, REQUISITES_MAX_PER_ARTICLE, REQUISITES_MAX_BYTES_PER_ARTICLE,
REQUISITES_MAX_PER_CRAWL, REQUISITES_MAX_BYTES_PER_CRAWL, REQUISITES_CONCURRENCY.
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field

import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.reactor import is_asyncio_reactor_installed
from twisted.python.failure import Failure

from newsarchive.base import meta
from newsarchive.base import stats as stat_names
from newsarchive.crawl.requisites import (
    FONT,
    ICON,
    IMAGE,
    STYLESHEET,
    Blocklist,
    Budget,
    Requisite,
    css_requisites,
    page_requisites,
    refusal,
)
from newsarchive.fetch.errors import classify_failure
from newsarchive.state.extension import state_of

logger = logging.getLogger(__name__)

SKIPPED_LISTED = 200  # skipped requisites a record lists by URL; the rest are only counted
CSS_DEPTH = 3  # page -> stylesheet -> @import -> @import: deeper imports are not followed
# What a browser sends for each kind (image CDNs choose formats by Accept).
ACCEPT = {
    STYLESHEET: "text/css,*/*;q=0.1",
    IMAGE: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    ICON: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    FONT: "*/*",
}


@dataclass
class Outcome:
    """What became of one requisite URL in this crawl."""

    url: str
    archived: bool
    reason: str | None = None  # why not, when not archived
    size: int = 0  # body bytes fetched for it (0 when it was archived for another article)
    nested: tuple[Requisite, ...] = ()  # what a stylesheet names, resolved against its URL

    def for_another_article(self) -> Outcome:
        return Outcome(self.url, self.archived, self.reason, 0, self.nested)


@dataclass
class ArticleRequisites:
    """The requisites of one article page as they are being fetched."""

    page_url: str
    budget: Budget
    archived: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    unlisted: int = 0
    handled: dict[str, int] = field(default_factory=dict)  # url -> order in which the page (or its CSS) names it
    budget_hit: bool = False

    def skip(self, url: str, reason: str) -> None:
        if len(self.skipped) < SKIPPED_LISTED:
            self.skipped.append({"url": url, "reason": reason})
        else:
            self.unlisted += 1

    def as_record(self) -> dict:
        """The record's `requisites`, in the order the page names them (not the order fetches ended)."""
        def order(url: str) -> int:
            return self.handled.get(url, len(self.handled))

        return {"archived": sorted(self.archived, key=order),
                "skipped": sorted(self.skipped, key=lambda entry: order(entry["url"])), "unlisted": self.unlisted}


class PageRequisitesMiddleware:
    def __init__(self, crawler, blocklist: Blocklist):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.blocklist = blocklist
        self.scripts = settings.getbool("REQUISITES_SCRIPTS")
        self.other_hosts = settings.getbool("REQUISITES_OTHER_HOSTS")
        self.per_article = (settings.getint("REQUISITES_MAX_PER_ARTICLE"), settings.getint("REQUISITES_MAX_BYTES_PER_ARTICLE"))
        self.crawl_budget = Budget("crawl", settings.getint("REQUISITES_MAX_PER_CRAWL"),
                                   settings.getint("REQUISITES_MAX_BYTES_PER_CRAWL"))
        self.concurrency = max(1, settings.getint("REQUISITES_CONCURRENCY"))
        self.download_maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self.outcomes: dict[str, Outcome] = {}  # url -> what became of it, for the whole crawl
        self.pending: dict[str, asyncio.Future] = {}  # url -> its fetch in flight (for another article)
        self._crawl_budget_logged = False

    @classmethod
    def from_crawler(cls, crawler) -> PageRequisitesMiddleware:
        settings = crawler.settings
        if not settings.getbool("REQUISITES_ENABLED"):
            raise NotConfigured("REQUISITES_ENABLED is off")
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off: requisites are fetched only to be archived")
        if not is_asyncio_reactor_installed():
            raise NotConfigured("page requisites need the asyncio reactor (TWISTED_REACTOR)")
        path = settings.get("REQUISITES_BLOCKLIST")
        blocklist = Blocklist.from_file(path) if path else Blocklist.bundled()
        blocklist = Blocklist([*blocklist.hosts, *settings.getlist("REQUISITES_BLOCK_HOSTS")])
        return cls(crawler, blocklist)

    # ------------------------------------------------------------------ the hook

    async def process_response(self, request, response, spider=None):
        if not self._wants(request, response):
            return response
        try:
            found = await self.collect(response)
        except Exception:  # a bug here must not cost the article its record
            logger.exception("page requisites of %s failed; the article is extracted without them", response.url)
            self.stats.inc_value(stat_names.error("requisites"))
            return response
        request.meta[meta.REQUISITES] = found.as_record()
        return response

    def _wants(self, request, response) -> bool:
        """Article pages archived now, as a whole HTML 200, whose record is still to be written."""
        request_meta = request.meta
        return (meta.REQUISITE not in request_meta
                and response.status == 200 and isinstance(response, TextResponse)
                # A page fetched again once a feed vouched for it (meta RECONSIDERED) was no article the
                # first time, so nothing fetched its requisites then.
                and (not request_meta.get(meta.WARC_REVISIT) or request_meta.get(meta.RECONSIDERED)
                     or self._capture_left_unfinished(request, response))
                and not request_meta.get(meta.RESUME_EXPORTED)
                and meta.WARC_POINTER in request_meta
                and not {"download_stopped", "dataloss"} & set(response.flags)
                and (bool(request_meta.get(meta.ARTICLE)) or self._page_turns_out_an_article(request, response)))

    def _page_turns_out_an_article(self, request, response) -> bool:
        """A page fetched to see what it is that its spider will take for an article: asked here, before
        the callback, because requisites must be settled before the record is built (the spider's
        `turns_out_an_article`; docs/architecture.md, "Recognizing articles")."""
        judge = getattr(self.crawler.spider, "turns_out_an_article", None)
        if judge is None:
            return False
        try:
            return judge(request, response)
        except Exception:  # the callback judges again and reports it; requisites are not worth a crash
            logger.exception("could not tell whether %s is an article", response.url)
            return False

    def _capture_left_unfinished(self, request, response) -> bool:
        """A revisit of this URL's own capture whose article was never exported (a crash, or a killed
        worker, between the WARC and the export): that capture's requisites may never have been fetched."""
        state = state_of(self.crawler)
        return state is not None and state.capture_unexported(response.url, request.meta.get(meta.WARC_POINTER),
                                                              response.body)

    # ------------------------------------------------------------------ one article

    async def collect(self, response) -> ArticleRequisites:
        found = ArticleRequisites(response.url, Budget("article", *self.per_article))
        named = page_requisites(response.selector, response.url)
        # Out-of-scope ones are settled first: listed before any budget can push them out of the list.
        for requisite in named:
            if self._refusal(requisite, found.page_url) is not None:
                self._start(found, requisite, response.url)
        queue: deque[tuple[Requisite, str, int]] = deque((requisite, response.url, 0) for requisite in named)
        in_flight: dict[asyncio.Future, tuple[Requisite, int]] = {}
        while queue or in_flight:
            while queue and len(in_flight) < self.concurrency:
                requisite, referer, depth = queue.popleft()
                started = self._start(found, requisite, referer)
                if started is not None:
                    in_flight[started] = (requisite, depth)
            if not in_flight:
                continue
            done, _ = await asyncio.wait(list(in_flight), return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                requisite, depth = in_flight.pop(future)
                outcome: Outcome = future.result()
                if outcome.archived:
                    found.archived.append(outcome.url)
                else:
                    found.skip(outcome.url, outcome.reason or "failed")
                    self._count_budget_hit(found, outcome.reason or "")
                if outcome.archived and depth + 1 < CSS_DEPTH:
                    # What a stylesheet names goes first: fonts and backgrounds matter more than the 60th image.
                    queue.extendleft(reversed([(nested, outcome.url, depth + 1) for nested in outcome.nested]))
        return found

    def _start(self, found: ArticleRequisites, requisite: Requisite, referer: str) -> asyncio.Future | None:
        """Decide one requisite for this article: listed at once, or a future of its outcome."""
        url = requisite.url
        if url in found.handled:
            return None
        found.handled[url] = len(found.handled)
        reason = self._refusal(requisite, found.page_url)
        if reason is not None:
            return self._skip(found, url, reason)
        earlier = self.outcomes.get(url)
        if earlier is not None and not earlier.archived and not (earlier.reason or "").startswith("budget_"):
            return self._skip(found, url, earlier.reason or "failed")  # failed once: not asked again
        if earlier is not None and earlier.archived:
            over = found.budget.exhausted()
            if over is not None:
                return self._skip(found, url, over, budget_hit=True)
            found.budget.count += 1
            done = asyncio.get_running_loop().create_future()
            done.set_result(earlier.for_another_article())
            return done
        over = found.budget.exhausted() or self.crawl_budget.exhausted()
        if over is not None:
            return self._skip(found, url, over, budget_hit=True)
        found.budget.count += 1
        if url in self.pending:  # another article is fetching it: share that fetch
            return asyncio.ensure_future(self._shared(self.pending[url]))
        self.crawl_budget.count += 1
        future = asyncio.ensure_future(self._fetch(requisite, referer, found.budget))
        self.pending[url] = future
        return future

    def _refusal(self, requisite: Requisite, page_url: str) -> str | None:
        return refusal(requisite, page_url, blocklist=self.blocklist, scripts=self.scripts, other_hosts=self.other_hosts)

    def _skip(self, found: ArticleRequisites, url: str, reason: str, budget_hit: bool = False) -> None:
        found.skip(url, reason)
        self.stats.inc_value(stat_names.REQUISITES_SKIPPED_PREFIX + reason)
        if budget_hit:
            self._count_budget_hit(found, reason)
        return None

    def _count_budget_hit(self, found: ArticleRequisites, reason: str) -> None:
        """Each budget counted when it is hit: an article's once per article, the crawl's once."""
        if reason.startswith("budget_article") and not found.budget_hit:
            found.budget_hit = True  # counted once per article, when it is hit
            self.stats.inc_value(stat_names.REQUISITES_BUDGET_HIT_PREFIX + "article")
            logger.info("requisite budget of one article reached (%s) on %s", reason, found.page_url)
        if reason.startswith("budget_crawl") and not self._crawl_budget_logged:
            self._crawl_budget_logged = True
            self.stats.inc_value(stat_names.REQUISITES_BUDGET_HIT_PREFIX + "crawl")
            logger.warning("requisite budget of the crawl reached (%s): later articles get no more requisites", reason)

    @staticmethod
    async def _shared(future: asyncio.Future) -> Outcome:
        outcome = await asyncio.shield(future)
        return outcome.for_another_article()

    # ------------------------------------------------------------------ one fetch

    async def _fetch(self, requisite: Requisite, referer: str, article_budget: Budget) -> Outcome:
        url = requisite.url
        request_meta = {meta.REQUISITE: requisite.kind, "allow_offsite": True}
        limits = [n for n in (article_budget.bytes_left(), self.crawl_budget.bytes_left()) if n is not None]
        if limits and min(limits) < (self.download_maxsize or float("inf")):
            request_meta["download_maxsize"] = max(1, min(limits))  # larger than what is left: not fetched
        request = scrapy.Request(url, headers={"Referer": referer, "Accept": ACCEPT.get(requisite.kind, "*/*")},
                                 meta=request_meta, dont_filter=True)
        try:
            outcome = await self._download(request, requisite)
        finally:
            self.pending.pop(url, None)
        if "download_maxsize" in request_meta and outcome.reason == "too_large":  # refused at what was left
            outcome.reason = "budget_article_bytes" if (article_budget.bytes_left() or 0) <= (
                self.crawl_budget.bytes_left() or float("inf")) else "budget_crawl_bytes"
        article_budget.bytes += outcome.size
        self.crawl_budget.bytes += outcome.size
        self.outcomes[url] = outcome
        if outcome.archived:
            self.stats.inc_value(stat_names.REQUISITES_ARCHIVED)
            self.stats.inc_value(stat_names.REQUISITES_BYTES, outcome.size)
        else:
            self.stats.inc_value(stat_names.REQUISITES_SKIPPED_PREFIX + (outcome.reason or "failed"))
        return outcome

    async def _download(self, request, requisite: Requisite) -> Outcome:
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # refused (robots, address guard, budget), or the network failed
            kind = classify_failure(Failure(exc))
            logger.info("requisite %s not archived: %s", request.url, kind)
            return Outcome(request.url, False, kind)
        size = len(response.body)
        if meta.WARC_POINTER not in response.meta:
            return Outcome(request.url, False, "not_recorded", size)
        if not 200 <= response.status < 300:
            return Outcome(request.url, False, f"http_{response.status}", size)
        if "download_stopped" in response.flags:  # cut at NEWSARCHIVE_MAXSIZE: in the WARC, but not whole
            return Outcome(request.url, False, "truncated", size)
        if "dataloss" in response.flags:
            return Outcome(request.url, False, "truncated", size)
        nested: tuple[Requisite, ...] = ()
        if requisite.kind == STYLESHEET or response.headers.get(b"Content-Type", b"").startswith(b"text/css"):
            css = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
            nested = tuple(css_requisites(css, response.url))
        return Outcome(request.url, True, None, size, nested)
