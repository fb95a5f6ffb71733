"""DistributedScheduler: scrapy-redis's Scheduler over the leased, per-host frontier (frontier.py).

scrapy-redis pops a request and forgets it; a worker killed with kill -9 loses whatever it held. This
scheduler keeps, for every request it hands to the engine, the frontier entry it came from, and
acknowledges the entry only once the engine is done with the request: the response was archived (the
WARC recorder runs on response_downloaded), the callback ran, its items went through the pipelines and
the feed export (item_scraped), and its follow-up requests were queued in Redis - or a downloader
middleware replaced it with a redirect or a retry that was queued. Until then the entry's lease is
renewed (WorkerLifecycle); a worker that dies stops renewing, and the entry goes back to the frontier.

Scrapy has no signal for "the engine is done with this request", so the scheduler reads the engine's
own set of requests in progress (ExecutionEngine._slot.inprogress, which the engine empties exactly
then); it also asks the engine to look again when a host becomes due (_slot.nextcall), since a
polite frontier often has work that is not due yet. Both are checked when the crawl opens.
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict

from scrapy_redis import picklecompat
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from newsarchive.base import meta
from newsarchive.distributed.connection import redis_from_settings
from newsarchive.distributed.dupefilter import dupefilter_for
from newsarchive.distributed.frontier import Frontier, Popped
from newsarchive.distributed.keys import CrawlKeys, host_key

logger = logging.getLogger(__name__)

STAT_PREFIX = "newsarchive/distributed/"
KNOWN_FINGERPRINTS = 100_000  # a worker remembers this many fingerprints Redis has (about 10 MB)
MAX_WAKE_DELAY = 0.5  # seconds: look at the frontier at least this often while it has work not yet due


class LeasedQueue(Base):
    """scrapy-redis's queue interface (request <-> bytes) over the Frontier's scripts."""

    def __init__(self, server, spider, keys: CrawlKeys, frontier: Frontier, worker: str):
        super().__init__(server, spider, keys.prefix, serializer=picklecompat)
        self.keys = keys
        self.frontier = frontier
        self.worker = worker
        self.wait_hint = -1.0  # after a pop that found nothing: seconds until a host is due (-1: empty)

    def __len__(self) -> int:
        return self.frontier.queued()

    def push(self, request, *, mode: str = "", fingerprint: bytes = b"", bloom_bits: tuple[int, ...] = ()) -> bool:
        return self.frontier.push(host_key(request.url), request.priority, self._encode_request(request),
                                  mode=mode, fingerprint=fingerprint, bloom_bits=bloom_bits)

    def pop(self, timeout: int = 0):
        """(request, Popped), or None; never blocks (the reactor must not)."""
        popped, self.wait_hint = self.frontier.pop(self.worker)
        if popped is None:
            return None
        return self._decode_request(popped.payload), popped

    def clear(self) -> None:
        """Never: the frontier belongs to the crawl, not to one worker."""


class DistributedScheduler(Scheduler):
    def __init__(self, crawler, server, keys: CrawlKeys, worker: str):
        settings = crawler.settings
        super().__init__(server, persist=True, queue_key=keys.prefix)
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        self.worker = worker
        self.frontier = Frontier(
            server, keys,
            lease=settings.getfloat("DISTRIBUTED_LEASE"),
            concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            max_attempts=settings.getint("DISTRIBUTED_MAX_ATTEMPTS"),
            base_delay=settings.getfloat("HOST_DELAY"),
        )
        self.leases: dict = {}  # request handed to the engine -> the Popped entry (id and attempt) it came from
        self.known: OrderedDict[bytes, None] = OrderedDict()  # fingerprints Redis has seen, most recent last
        self._wake = None  # the pending wake_engine timer
        self._wake_due = 0.0

    @classmethod
    def from_crawler(cls, crawler) -> DistributedScheduler:
        settings = crawler.settings
        keys = CrawlKeys.of_crawler(crawler)
        server = redis_from_settings(settings)
        server.ping()
        return cls(crawler, server, keys, settings.get("WORKER_ID"))

    def open(self, spider) -> None:
        self.spider = spider
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        if slot is None or not hasattr(slot, "inprogress") or not hasattr(slot, "nextcall"):
            raise RuntimeError("this Scrapy's engine has no _slot.inprogress/_slot.nextcall; the distributed "
                               "scheduler needs them to acknowledge requests (newsarchive/distributed/scheduler.py)")
        self.queue = LeasedQueue(self.server, spider, self.keys, self.frontier, self.worker)
        self.df = dupefilter_for(self.crawler, self.keys)
        queued = len(self.queue)
        if queued:
            logger.info("joining crawl %s: %d requests queued, %d in flight", self.keys.crawl_id, queued,
                        self.frontier.in_flight())

    def close(self, reason) -> None:
        if self._wake is not None and self._wake.active():
            self._wake.cancel()
        self.acknowledge_finished()
        if self.leases:
            # A stop before the end (Ctrl-C, SIGTERM, a limit): hand what is unfinished back at once.
            released = self.frontier.release(self.worker, [p.entry_id for p in self.leases.values()])
            logger.info("handed %d unfinished requests back to the frontier", released)
            self.stats.inc_value(STAT_PREFIX + "released", released)
            self.leases.clear()

    def enqueue_request(self, request) -> bool:
        arguments = {} if request.dont_filter else self.df.push_arguments(request)
        fingerprint = arguments.get("fingerprint")
        if fingerprint is not None and fingerprint in self.known:
            self.known.move_to_end(fingerprint)
            self.stats.inc_value("dupefilter/filtered")
            return False
        queued = self.queue.push(request, **arguments)
        if fingerprint is not None:
            # Seen by Redis now, for good: navigation links repeat on every page of a site.
            self.known[fingerprint] = None
            if len(self.known) > KNOWN_FINGERPRINTS:
                self.known.popitem(last=False)
        if not queued:
            self.df.log(request, self.spider)
            self.stats.inc_value("dupefilter/filtered")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        self.acknowledge_finished()
        taken = self.queue.pop()
        if taken is None:
            if self.queue.wait_hint >= 0:
                self.wake_engine(min(self.queue.wait_hint, MAX_WAKE_DELAY))
            return None
        request, popped = taken
        self.leases[request] = popped
        self.stats.inc_value("scheduler/dequeued/redis")
        if popped.attempt > 1:
            self.stats.inc_value(STAT_PREFIX + "retaken")
            logger.info("taking over %s (attempt %d: the worker before did not finish it)", request.url,
                        popped.attempt)
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.leases) or len(self.queue) > 0

    def __len__(self) -> int:
        return len(self.queue)

    # ---------------------------------------------------------------- leases

    def acknowledge_finished(self) -> None:
        """Acknowledge the entries of the requests the engine no longer has in progress."""
        if not self.leases:
            return
        in_progress = self.crawler.engine._slot.inprogress if self.crawler.engine._slot else set()
        finished = [request for request in self.leases if request not in in_progress]
        if not finished:
            return
        done, lost = self.frontier.ack(self.worker, [self.leases.pop(request).entry_id for request in finished])
        self.stats.inc_value(STAT_PREFIX + "acknowledged", done)
        if lost:
            self.stats.inc_value(STAT_PREFIX + "lost_leases", lost)
            logger.warning("%d requests finished after their lease ran out (another worker may have taken "
                           "them too); raise DISTRIBUTED_LEASE if this recurs", lost)

    def lease_of(self, record_id: str) -> Popped | None:
        """The frontier entry (and attempt) of the request in progress whose response the WARC record
        `record_id` holds, or None. Not by URL: a worker whose lease ran out during a stall can take
        the same entry again and hold two requests for one URL, the stale one and the current one."""
        for request, popped in self.leases.items():
            pointer = request.meta.get(meta.WARC_POINTER)
            if pointer is not None and pointer.record_id == record_id:
                return popped
        return None

    def renew_leases(self) -> None:
        lost = self.frontier.renew(self.worker, [p.entry_id for p in self.leases.values()])
        if lost:
            self.stats.inc_value(STAT_PREFIX + "lost_leases", len(lost))
            logger.warning("%d leases ran out before they could be renewed", len(lost))

    def wake_engine(self, delay: float = 0) -> None:
        """Have the engine ask for requests again in `delay` seconds (at once: 0).

        Not through nextcall.schedule(delay): a pending delayed call would swallow the immediate ones the
        engine makes when a download ends. A timer of our own calls nextcall.schedule() when it is due.
        """
        slot = self.crawler.engine._slot
        if slot is None:
            return
        if delay <= 0:
            slot.nextcall.schedule()
            return
        due = time.monotonic() + delay
        if self._wake is not None and self._wake.active():
            if self._wake_due <= due:
                return
            self._wake.cancel()
        from twisted.internet import reactor

        self._wake_due = due
        self._wake = reactor.callLater(delay, self.wake_engine, 0)


def scheduler_of(crawler) -> DistributedScheduler:
    """The running crawl's DistributedScheduler (the other components of this mode work through it)."""
    scheduler = crawler.engine._slot.scheduler
    if not isinstance(scheduler, DistributedScheduler):
        raise RuntimeError("REDIS_URL is set but the scheduler is not the DistributedScheduler")
    return scheduler
