"""The demo site with less to go on, for `newsarchive genspider`'s fallbacks.

    BareDemoServer(sitemaps=True)    no feed: no <link rel="alternate">, no feed links, 404 at the feed paths
    BareDemoServer(sitemaps=False)   no feed and no sitemap either: only pages and their links
"""
from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from newsarchive.demo.feeds import ATOM_PATH, NEWS_SITEMAP_PATH, ROBOTS_PATH, RSS_PATH, SITEMAP_INDEX_PATH, SITEMAP_PATH
from newsarchive.demo.server import DemoServer
from newsarchive.demo.site import Resource

FEEDS = (RSS_PATH, ATOM_PATH)
SITEMAPS = (SITEMAP_INDEX_PATH, SITEMAP_PATH, NEWS_SITEMAP_PATH)
FEED_HEAD_LINK = re.compile(rb'<link rel="alternate" type="application/(?:rss|atom)\+xml"[^>]*>\s*')
FEED_FOOTER_LINK = re.compile(rb'<li><a href="/(?:feed|atom|sitemap)\.xml">[^<]*</a></li>\s*')
NOT_FOUND = Resource(404, "text/html; charset=utf-8", b"<!DOCTYPE html><title>Not found</title><p>Not found</p>")


class BareDemoServer(DemoServer):
    def __init__(self, *, sitemaps: bool, host: str = "127.0.0.1", port: int = 0, site=None):
        super().__init__(host, port, site)
        self.sitemaps = sitemaps

    def resource(self, target: str) -> Resource:
        path = urlsplit(target).path
        if path in FEEDS or (not self.sitemaps and path in SITEMAPS):
            return NOT_FOUND
        resource = super().resource(target)
        body = resource.body
        if path == ROBOTS_PATH and not self.sitemaps:
            body = re.sub(rb"(?im)^sitemap:.*\n?", b"", body)
        elif resource.content_type.startswith("text/html"):
            body = FEED_FOOTER_LINK.sub(b"", FEED_HEAD_LINK.sub(b"", body))
        return dataclasses.replace(resource, body=body) if body != resource.body else resource
