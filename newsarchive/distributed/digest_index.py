"""ClaimingDigestIndex: the WARC recorder's payload-digest index across workers (WARC_DIGEST_INDEX).

The recorder asks `lookup(digest)` before it writes a response, and calls `add(digest, capture)` once
the record is written. Across workers that pair races: two workers fetching the same payload at once
would both find nothing and both store it whole. Here `lookup` either returns the first capture, or
wins the digest's claim in Redis (RedisCrawlState.claim_payload) and returns None: only the winner
writes the whole record. A worker that loses waits for the winner's `add` (milliseconds: one record
write) and writes a revisit of that capture. A claim whose holder died runs out after CLAIM_TTL_S, and
the next worker claims it; until then the wait blocks this worker (the recorder runs in a signal
handler, which cannot wait asynchronously).
"""
from __future__ import annotations

import logging
import time
from functools import cached_property

from newsarchive.state.extension import IncrementalState, state_of
from newsarchive.state.redis_store import RedisCrawlState
from newsarchive.warc.pointer import Capture

logger = logging.getLogger(__name__)

CLAIM_TTL_S = 10.0  # a record write takes milliseconds; a holder that died frees the claim by then
POLL_S = 0.002
MAX_POLL_S = 0.05


class ClaimingDigestIndex:
    def __init__(self, crawler):
        self.crawler = crawler
        self.worker = crawler.settings.get("WORKER_ID")
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler) -> ClaimingDigestIndex:
        return cls(crawler)

    @cached_property
    def state(self) -> IncrementalState:
        # Looked up on first use: the recorder is built before the extension manager is complete.
        state = state_of(self.crawler)
        if state is None or not isinstance(state.store, RedisCrawlState):
            raise RuntimeError("ClaimingDigestIndex needs the incremental state in Redis (STATE_BACKEND)")
        return state

    def lookup(self, digest: str) -> Capture | None:
        store = self.state.store
        started = time.monotonic()
        pause = POLL_S
        while True:
            answer = store.lookup_or_claim_payload(digest, self.worker, CLAIM_TTL_S)
            if answer is True or isinstance(answer, Capture):
                waited = time.monotonic() - started
                if waited > POLL_S:
                    self.stats.inc_value("newsarchive/distributed/payload_claim_waits")
                    self.stats.max_value("newsarchive/distributed/payload_claim_wait_max_ms", round(waited * 1000))
                return answer if isinstance(answer, Capture) else None  # None: ours to write whole
            if time.monotonic() - started > CLAIM_TTL_S + 1:  # should not happen: the claim expires before
                logger.error("payload %s: claim neither released nor expired; archiving it whole", digest)
                return None
            time.sleep(pause)
            pause = min(pause * 2, MAX_POLL_S)  # a holder starved of CPU gets it back

    def add(self, digest: str, capture: Capture) -> None:
        self.state.store.add_payload_and_release(digest, capture, self.worker)
