"""Re-extraction: run today's extract + normalize over archived responses, with no network.

Researchers re-run better extraction over old archives without crawling again. The same code as the
crawl does the work: the spider decides which responses are articles as the crawl did (the page
classifier, weighed against its URL rules and against the feeds and news sitemaps archived beside the
pages: NewsSpider.decide_page), its `parse_article` callback builds each record (extract_article +
normalize), Scrapy's HttpCompressionMiddleware undoes the Content-Encoding, and the crawl's schema
pipeline validates the record. Each record keeps the `warc` pointer and `fetched_at` (the WARC-Date) of the
capture it came from, and gets a new `extracted_at`.

Which spider: the `spider` field of the WARC's warcinfo record, else the crawl folder
(archive/<spider>/<crawl-id>/warc/), else the one given. Incremental-state pipelines are left out
on purpose: re-extraction must not change what the next crawl considers new.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TextIO
from urllib.parse import urljoin

from itemadapter import is_item
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DropItem
from scrapy.http import TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.gz import gunzip

from newsarchive.base import layout, meta
from newsarchive.crawl.discover import looks_like_xml_listing, parse_xml_listing
from newsarchive.export.pipelines import SchemaValidationPipeline
from newsarchive.fetch.page_checks import looks_binary
from newsarchive.fetch.replay import build_response
from newsarchive.warc.repair import crawl_dir_of
from newsarchive.warc.metadata import ArticleMetadataWriter
from newsarchive.warc.reader import ArchivedResponse, find_warc_files, first_response_url, iter_responses
from newsarchive.warc.reader import warcinfo_fields as read_warcinfo

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class ReextractError(RuntimeError):
    """A WARC cannot be re-extracted as asked (unknown spider, no spider named)."""


@dataclass
class Summary:
    warcs: int = 0
    responses: int = 0
    articles: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    spiders: Counter = field(default_factory=Counter)
    metadata: int = 0  # metadata records written into the crawls' WARC folders

    def format(self) -> str:
        skipped = ", ".join(f"{k}: {v}" for k, v in sorted(self.skipped.items())) or "none"
        spiders = ", ".join(f"{k} ({v})" for k, v in sorted(self.spiders.items())) or "none"
        return (f"re-extracted {self.articles} article(s) from {self.responses} archived response(s) "
                f"in {self.warcs} WARC file(s)\n  spiders: {spiders}\n  skipped: {skipped}\n"
                f"  metadata records written to the archive: {self.metadata}")


def warcinfo_fields(path: Path) -> dict[str, str]:
    """The fields of a WARC's leading warcinfo record ({} when it has none or cannot be read)."""
    try:
        return read_warcinfo(path)
    except Exception as exc:  # a damaged head must not stop a run over many files
        logger.warning("cannot read the warcinfo record of %s: %s", path, exc)
        return {}


def crawl_context(path: Path, fallback_spider: str | None = None) -> tuple[str | None, str | None]:
    """(spider name, crawl id) of a WARC: warcinfo first, then the archive layout, then `fallback_spider`."""
    info = warcinfo_fields(path)
    spider, crawl_id = info.get("spider"), info.get("crawl-id") or info.get("isPartOf")
    if path.parent.name == layout.WARC_SUBDIR and len(path.parents) >= 3:
        spider = spider or path.parents[2].name
        crawl_id = crawl_id or path.parents[1].name
    return fallback_spider or spider, crawl_id


class ArticleCallback:
    """One spider, built offline: its URL rules and article callback, plus the crawl's record pipelines."""

    def __init__(self, spider_name: str, crawl_id: str | None, settings, *, site_url: str | None = None):
        from scrapy.spiderloader import SpiderLoader

        loader = SpiderLoader.from_settings(settings)
        if spider_name not in loader.list():
            raise ReextractError(f"no spider named {spider_name!r}")
        spidercls = loader.load(spider_name)
        self.crawler = Crawler(spidercls, settings)
        self.crawler.stats = MemoryStatsCollector(self.crawler)
        kwargs = {"crawl_id": crawl_id} if crawl_id else {}
        try:
            self.spider = spidercls.from_crawler(self.crawler, **kwargs)
        except ValueError:
            if not site_url:
                raise
            # A generic spider needs a start URL; the archive's own site stands in for it.
            self.spider = spidercls.from_crawler(self.crawler, url=site_url, **kwargs)
        self.crawler.spider = self.spider
        self.decompression = HttpCompressionMiddleware.from_crawler(self.crawler)
        self.pipelines = [SchemaValidationPipeline.from_crawler(self.crawler)]

    def wants(self, url: str) -> bool:
        """Worth reading back: what the crawl could have taken for an article (the spider's domains, no
        images or scripts); the page itself decides the rest."""
        return self.spider._in_domain(url) and not self.spider.is_denied(url)

    def records(self, archived: ArchivedResponse, *, listed: bool = False) -> Iterator[dict | str]:
        """The records the crawl would have exported for this archived response, or why there are none
        ("not_html", "feed_or_sitemap", "not_an_article"). `listed`: a feed archived beside it lists it."""
        request_meta = {meta.WARC_POINTER: archived.pointer, meta.WARC_DATE: archived.warc_date}
        if listed:
            request_meta[meta.LISTED] = True
        request = Request(archived.url, meta=request_meta)
        response = self.decompression.process_response(request, build_response(request, archived))
        if self.spider.is_xml_listing(response):
            yield "feed_or_sitemap"
            return
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            yield "not_html"
            return
        if not self.spider.decide_page(response)[0]:
            yield "not_an_article"
            return
        for record in self.spider.parse_article(response) or ():
            if not is_item(record):
                continue  # links the callback would follow: re-extraction fetches nothing
            try:
                for pipeline in self.pipelines:
                    record = pipeline.process_item(record, self.spider)
            except DropItem:
                continue
            yield record


def listed_urls(path: Path) -> set[str]:
    """URLs the feeds and news sitemaps archived in one WARC list as articles (the site's own word)."""
    listed: set[str] = set()
    for archived in iter_responses(path):
        if archived.revisit or not 200 <= archived.status < 300:
            continue
        content_type = archived.header("Content-Type") or ""
        try:
            body = archived.decoded_body()
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=64 * 1024 * 1024)
        except Exception:  # a damaged body lists nothing
            continue
        if not looks_like_xml_listing(body, content_type) or b"<html" in body[:4096].lower():
            continue
        listing = parse_xml_listing(body, archived.url)
        if listing.kind in ("rss", "atom"):
            listed.update(entry.url for entry in listing.entries)
        elif listing.kind == "urlset":
            listed.update(entry.url for entry in listing.entries if entry.news)
    return listed


def archived_responses(path: Path, *, wanted: Callable[[str, int], bool]) -> Iterator[ArchivedResponse | str]:
    """Archived 2xx responses of one WARC for which `wanted(url, status)` holds; a reason string for each skip.

    Redirect targets of wanted URLs are wanted too: the crawl followed the redirect into the callback.
    """
    redirected_to: set[str] = set()
    for archived in iter_responses(path):
        if archived.revisit:
            yield "duplicate_payload"
            continue
        url, status = archived.url, archived.status
        if status in REDIRECT_STATUSES:
            location = archived.header("Location")
            if location and wanted(url, status):
                redirected_to.add(urljoin(url, location))
            yield "redirect"
            continue
        if not 200 <= status < 300:
            yield f"http_{status}"
            continue
        if url not in redirected_to and not wanted(url, status):
            yield "not_an_article"
            continue
        yield archived


def reextract(paths: list[str | Path], out: TextIO, *, spider: str | None = None, settings=None,
              progress: Callable[[int], None] | None = None, metadata: ArticleMetadataWriter | None = None) -> Summary:
    """Re-extract every article response in the WARCs under `paths`, writing JSON lines to `out`.

    `progress` is called with the number of bytes of WARC read, after each file. With `metadata`, each
    record also goes into a new WARC file in the crawl's warc/ folder (warc/metadata.py).
    """
    from newsarchive.crawl.runner import project_settings

    settings = settings or project_settings()
    summary = Summary()
    callbacks: dict[tuple[str, str | None], ArticleCallback] = {}
    files = find_warc_files(list(paths))
    # First the feeds and news sitemaps, over every file: a crawl took what they list for articles.
    listed: set[str] = set()
    for path in files:
        try:
            listed |= listed_urls(path)
        except Exception as exc:  # read again below, where the failure is counted
            logger.warning("cannot read the feeds of %s: %s", path, exc)
    for path in files:
        spider_name, crawl_id = crawl_context(path, spider)
        if not spider_name:
            raise ReextractError(f"{path}: no spider in its warcinfo record or folder; name one with --spider")
        key = (spider_name, crawl_id)
        summary.warcs += 1
        try:
            if key not in callbacks:
                callbacks[key] = ArticleCallback(spider_name, crawl_id, settings, site_url=first_response_url(path))
            callback = callbacks[key]
            for item in archived_responses(path, wanted=lambda url, status: callback.wants(url)):
                if isinstance(item, str):
                    summary.skipped[item] += 1
                    continue
                produced, reason = 0, None
                for record in callback.records(item, listed=item.url in listed):
                    if isinstance(record, str):
                        reason = record
                        continue
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    produced += 1
                    if metadata is not None and crawl_dir_of(path) is not None:
                        summary.metadata += metadata.write(path.parent, record)
                if reason is not None:
                    summary.skipped[reason] += 1
                    continue
                summary.responses += 1
                summary.articles += produced
                summary.spiders[spider_name] += produced
                if not produced:
                    summary.skipped["no_record"] += 1
        except ReextractError:
            raise  # no spider to go by: a usage error for the whole run
        except Exception as exc:  # one damaged WARC must not stop a run over a whole archive
            logger.error("cannot re-extract %s: %s", path, exc)
            summary.skipped["unreadable_warc"] += 1
        if progress:
            progress(path.stat().st_size)
    return summary
