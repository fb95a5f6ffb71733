"""PathNormalizeMiddleware: every request's URL path in RFC 3986 normal form before robots.txt and the fetch.

A server decodes `%2e%2e` and removes dot segments before it routes a request, so
`/x/%2e%2e/%2e%2e/private/secret.html` is `/private/secret.html` to it; robots.txt rules match the
path as written. Normalizing first (base/urls.normalize_path) makes `Disallow: /private/` hold for
every spelling of the path, on seeds, links and redirect hops alike (a redirect comes back through
here as a new request). The request is replaced by its normalized twin; the duplicate filter judged
it already (Scrapy's fingerprints canonicalize paths alike). Runs first of all downloader middlewares.
"""
from __future__ import annotations

import logging

from newsarchive.base.urls import with_normalized_path

logger = logging.getLogger(__name__)

STAT = "newsarchive/fetch/paths_normalized"


class PathNormalizeMiddleware:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> PathNormalizeMiddleware:
        return cls(crawler.stats)

    def process_request(self, request, spider=None):
        normalized = with_normalized_path(request.url)
        if normalized == request.url:
            return None
        self.stats.inc_value(STAT)
        logger.info("path normalized (RFC 3986): %s -> %s", request.url, normalized)
        # Scrapy's fingerprint canonicalizes the URL the same way, so the duplicate filter saw this very
        # URL already when it let the original through: the twin must not be filtered as its duplicate.
        return request.replace(url=normalized, dont_filter=True)
