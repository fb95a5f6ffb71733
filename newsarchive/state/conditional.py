"""Conditional requests: ask for a known article only if it changed since its latest capture.

For an article request whose URL the incremental state knows, this downloader middleware sends the
validators of the latest capture (If-None-Match with its ETag, If-Modified-Since with its
Last-Modified) and lets a 304 through to the spider (handle_httpstatus_list). It also puts that
capture in `request.meta[meta.REVISIT_OF]`, so the WARC recorder writes the 304 as a `revisit` record
with the server-not-modified profile, referring to it.

Only article pages are asked conditionally: a feed or front page answered 304 would hide the new
links on it from a crawl whose earlier run stopped half-way.

Settings: CONDITIONAL_REQUESTS_ENABLED (default on; needs the incremental state).
"""
from __future__ import annotations

from functools import cached_property

from scrapy.exceptions import NotConfigured

from newsarchive.base import meta
from newsarchive.state.extension import IncrementalState, state_of

VALIDATOR_HEADERS = (b"If-None-Match", b"If-Modified-Since")


class ConditionalRequestMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler) -> ConditionalRequestMiddleware:
        if not crawler.settings.getbool("CONDITIONAL_REQUESTS_ENABLED"):
            raise NotConfigured("CONDITIONAL_REQUESTS_ENABLED is off")
        return cls(crawler)

    @cached_property
    def state(self) -> IncrementalState | None:
        # Looked up on first use: then the extension exists whichever component Scrapy built first.
        return state_of(self.crawler)

    def process_request(self, request, spider=None):
        revisit_of = request.meta.get(meta.REVISIT_OF)
        if revisit_of is not None and revisit_of.url != request.url:
            # A redirect copied the validators of another URL: they say nothing about this one.
            self._forget(request)
        if (self.state is None or not request.meta.get(meta.ARTICLE) or request.method != "GET"
                or meta.REVISIT_OF in request.meta):
            return None
        known = self.state.store.get(request.url)
        capture = known.capture if known is not None and known.text_digest else None
        if capture is None or not (known.etag or known.last_modified):
            return None
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        request.meta[meta.REVISIT_OF] = capture
        # The meta key replaces HTTPERROR_ALLOWED_CODES for this request, so carry those along.
        allowed = request.meta.get("handle_httpstatus_list", self.crawler.settings.getlist("HTTPERROR_ALLOWED_CODES"))
        request.meta["handle_httpstatus_list"] = [*allowed, 304]
        self.stats.inc_value("newsarchive/conditional/sent")
        return None

    def process_response(self, request, response, spider=None):
        if response.status == 304 and meta.REVISIT_OF in request.meta:
            self.stats.inc_value("newsarchive/conditional/not_modified")
        return response

    @staticmethod
    def _forget(request) -> None:
        request.meta.pop(meta.REVISIT_OF, None)
        for name in VALIDATOR_HEADERS:
            request.headers.pop(name, None)
        statuses = [s for s in request.meta.get("handle_httpstatus_list", ()) if s != 304]
        request.meta["handle_httpstatus_list"] = statuses
