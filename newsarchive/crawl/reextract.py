"""Re-extraction: run today's extract + normalize over archived responses, with no network.

Researchers re-run better extraction over old archives without crawling again. The same code as the
crawl does the work: the spider's own URL rules decide which responses are articles, its
`parse_article` callback builds each record (extract_article + normalize), Scrapy's
HttpCompressionMiddleware undoes the Content-Encoding, and the crawl's schema pipeline validates the
record. Each record keeps the `warc` pointer and `fetched_at` (the WARC-Date) of the
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
from scrapy.statscollectors import MemoryStatsCollector

from newsarchive.base import layout, meta
from newsarchive.export.pipelines import SchemaValidationPipeline
from newsarchive.fetch.replay import build_response
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

    def format(self) -> str:
        skipped = ", ".join(f"{k}: {v}" for k, v in sorted(self.skipped.items())) or "none"
        spiders = ", ".join(f"{k} ({v})" for k, v in sorted(self.spiders.items())) or "none"
        return (f"re-extracted {self.articles} article(s) from {self.responses} archived response(s) "
                f"in {self.warcs} WARC file(s)\n  spiders: {spiders}\n  skipped: {skipped}")


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

    def is_article_url(self, url: str) -> bool:
        return self.spider.is_article_url(url)

    def records(self, archived: ArchivedResponse) -> Iterator[dict]:
        """The records the crawl would have exported for this archived response."""
        request = Request(archived.url, meta={meta.WARC_POINTER: archived.pointer, meta.WARC_DATE: archived.warc_date})
        response = self.decompression.process_response(request, build_response(request, archived))
        for record in self.spider.parse_article(response) or ():
            if not is_item(record):
                continue  # links the callback would follow: re-extraction fetches nothing
            try:
                for pipeline in self.pipelines:
                    record = pipeline.process_item(record, self.spider)
            except DropItem:
                continue
            yield record


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
              progress: Callable[[int], None] | None = None) -> Summary:
    """Re-extract every article response in the WARCs under `paths`, writing JSON lines to `out`.

    `progress` is called with the number of bytes of WARC read, after each file.
    """
    from newsarchive.crawl.runner import project_settings

    settings = settings or project_settings()
    summary = Summary()
    callbacks: dict[tuple[str, str | None], ArticleCallback] = {}
    for path in find_warc_files(list(paths)):
        spider_name, crawl_id = crawl_context(path, spider)
        if not spider_name:
            raise ReextractError(f"{path}: no spider in its warcinfo record or folder; name one with --spider")
        key = (spider_name, crawl_id)
        summary.warcs += 1
        try:
            if key not in callbacks:
                callbacks[key] = ArticleCallback(spider_name, crawl_id, settings, site_url=first_response_url(path))
            callback = callbacks[key]
            for item in archived_responses(path, wanted=lambda url, status: callback.is_article_url(url)):
                if isinstance(item, str):
                    summary.skipped[item] += 1
                    continue
                summary.responses += 1
                produced = 0
                for record in callback.records(item):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    produced += 1
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
