"""Incremental crawl state (DESIGN §4, issue 5): what earlier crawls archived, so the next fetches less.

  store         CrawlState (the interface a Redis backend can implement) and SqliteCrawlState
  policy        the re-check policy and the planner that picks URLs for a recurring crawl
  extension     IncrementalState: opens the store for a crawl and commits what is durable
  digest_index  StateDigestIndex: cross-crawl payload dedup behind the WARC recorder's revisits
  consistency   checks that the state claims no capture the WARC files lack
"""
from newsarchive.state.store import CrawlState, RevisionEntry, SqliteCrawlState, UrlState

__all__ = ["CrawlState", "RevisionEntry", "SqliteCrawlState", "UrlState"]
