"""ListingReader: a spider's feeds and sitemaps read within bounds, every bad entry counted and named.

discover.parse_xml_listing reads one listing entry by entry; this adds what a crawl needs around it:
- caps: at most SITEMAP_MAX_URLS entries from one feed or sitemap (the sitemap protocol's own limit
  per file) and SITEMAP_MAX_URLS_PER_CRAWL from all of them, each counted when hit
  (problems listing_url_cap, crawl_url_cap in crawl.json), so a hostile sitemap index of huge gzip
  sitemaps cannot fill memory or the queue;
- bad entries counted by kind in crawl.json (problems listing_bad_url, listing_bad_date,
  listing_bad_title, listing_bad_entry) and named, with examples, in one log line per listing;
- a listing that stops early (corrupt or oversized gzip, cut XML) is an error, bad_sitemap or
  bad_listing, and keeps the entries read before the break.
"""
from __future__ import annotations

import logging

from newsarchive.base import stats as stat_names
from newsarchive.crawl.discover import GZIP_MAGIC, Discovered, parse_xml_listing

logger = logging.getLogger(__name__)


class ListingReader:
    def __init__(self, settings, stats):
        self.stats = stats
        self.max_per_listing = settings.getint("SITEMAP_MAX_URLS")
        self.max_per_crawl = settings.getint("SITEMAP_MAX_URLS_PER_CRAWL")
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        self.taken = 0

    def read(self, body: bytes, url: str) -> Discovered:
        budget = self.max_per_crawl - self.taken if self.max_per_crawl else None
        if budget is not None and budget <= 0:
            self.stats.inc_value(stat_names.problem("crawl_url_cap"))
            logger.warning("crawl_url_cap: %s not read: SITEMAP_MAX_URLS_PER_CRAWL (%d) URLs were taken from "
                           "feeds and sitemaps already", url, self.max_per_crawl)
            return Discovered("capped", ())
        limits = [n for n in (self.max_per_listing or None, budget) if n is not None]
        limit = min(limits) if limits else None
        listing = parse_xml_listing(body, url, max_entries=limit, max_size=self.max_size)
        self.taken += len(listing.entries)
        self.stats.inc_value(f"newsarchive/discover/{listing.kind}")
        for kind, count in listing.problems.items():
            self.stats.inc_value(stat_names.problem(f"listing_{kind}"), count)
        if listing.problems:
            logger.warning("%s: skipped or repaired %s", url, "; ".join(
                f"{count} listing_{kind} (e.g. {', '.join(repr(e) for e in listing.examples.get(kind, []))})"
                for kind, count in sorted(listing.problems.items())))
        if listing.capped:
            by_crawl = budget is not None and limit == budget and budget < (self.max_per_listing or budget + 1)
            kind = "crawl_url_cap" if by_crawl else "listing_url_cap"
            self.stats.inc_value(stat_names.problem(kind))
            logger.warning("%s: %s kept the first %d URLs of %s, the rest were left out", kind,
                           "SITEMAP_MAX_URLS_PER_CRAWL" if by_crawl else "SITEMAP_MAX_URLS", len(listing.entries), url)
        if listing.error:
            kind = "bad_sitemap" if body[:2] == GZIP_MAGIC else "bad_listing"
            self.stats.inc_value(stat_names.error(kind))
            logger.error("%s: %s (%s; %d entries read before it were kept)", kind, url, listing.error,
                         len(listing.entries))
        return listing
