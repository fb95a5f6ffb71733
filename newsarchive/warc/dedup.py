"""The payload-digest index behind revisit records.

A response whose payload digest was archived before becomes a `revisit` record pointing at that
capture. The recorder only needs `lookup` and `add`; this in-memory index covers one crawl, and a
store shared across crawls (the incremental state) can stand in for it through WARC_DIGEST_INDEX.
"""
from __future__ import annotations

from typing import Protocol

from newsarchive.warc.pointer import Capture


class DigestIndex(Protocol):
    def lookup(self, digest: str) -> Capture | None:
        """The earlier capture of this payload digest, if any."""

    def add(self, digest: str, capture: Capture) -> None:
        """Remember the capture that archived this payload."""


class InMemoryDigestIndex:
    """Payload digests archived by this process: in-crawl deduplication."""

    def __init__(self) -> None:
        self._captures: dict[str, Capture] = {}

    @classmethod
    def from_crawler(cls, crawler) -> InMemoryDigestIndex:
        return cls()

    def lookup(self, digest: str) -> Capture | None:
        return self._captures.get(digest)

    def add(self, digest: str, capture: Capture) -> None:
        self._captures.setdefault(digest, capture)

    def __len__(self) -> int:
        return len(self._captures)
