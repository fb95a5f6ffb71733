"""StateDigestIndex: the recorder's payload-digest index, reaching across crawls through the state store.

Plugged in with WARC_DIGEST_INDEX. The recorder calls `add` once the record is written, and the
store learns of it once the record is on disk (`commit_when_durable`), so the store never points a
revisit at a capture the WARC lacks; this crawl's own captures are found in memory meanwhile. Without the incremental
state (INCREMENTAL_ENABLED off) it deduplicates within the crawl only, like InMemoryDigestIndex.
"""
from __future__ import annotations

from functools import cached_property

from newsarchive.state.extension import IncrementalState, state_of
from newsarchive.warc.dedup import InMemoryDigestIndex
from newsarchive.warc.pointer import Capture


class StateDigestIndex:
    def __init__(self, crawler):
        self.crawler = crawler
        self._this_crawl = InMemoryDigestIndex()

    @classmethod
    def from_crawler(cls, crawler) -> StateDigestIndex:
        return cls(crawler)

    @cached_property
    def state(self) -> IncrementalState | None:
        # Looked up on first use: the recorder is built before the extension manager is complete.
        return state_of(self.crawler)

    def lookup(self, digest: str) -> Capture | None:
        earlier = self._this_crawl.lookup(digest)
        if earlier is None and self.state is not None:
            earlier = self.state.store.lookup_payload(digest)
        return earlier

    def add(self, digest: str, capture: Capture) -> None:
        self._this_crawl.add(digest, capture)
        if self.state is not None:
            store = self.state.store
            self.state.commit_when_durable(capture.pointer, lambda: store.add_payload(digest, capture))
