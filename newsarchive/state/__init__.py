"""Incremental crawl state: what earlier crawls archived, so the next one fetches less
(docs/architecture.md, "Recurring crawls").

  store         CrawlState (the interface every backend implements) and SqliteCrawlState
  policy        the re-check policy and the planner that picks URLs for a recurring crawl
  extension     IncrementalState: opens the store for a crawl and commits what is durable
  digest_index  StateDigestIndex: cross-crawl payload dedup behind the WARC recorder's revisits
  conditional   ConditionalRequestMiddleware: known articles asked with If-None-Match / If-Modified-Since
  revisions     RevisionMiddleware: new / changed / unchanged per article URL, numbered revisions, diffs
  consistency   checks that the state claims no capture the WARC files lack
"""
from newsarchive.state.store import CrawlState, RevisionEntry, SqliteCrawlState, UrlState

__all__ = ["CrawlState", "RevisionEntry", "SqliteCrawlState", "UrlState"]
