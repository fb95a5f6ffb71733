"""Redis key names of the distributed mode, and the host a request counts against.

One crawl's frontier keys share the prefix `na:{<spider>:<crawl-id>}:`; the braces are a Redis Cluster
hash tag, so every script that touches a crawl's frontier finds all its keys on one node
(docs/distributed.md, "Sharding"). A spider's state, shared by its crawls, lives under
`na:{<spider>}:state:`; `na:<spider>:current` names the crawl that workers join.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from newsarchive.state.redis_store import state_prefix

ROOT = "na:"
__all__ = ["ROOT", "CrawlKeys", "crawl_prefix", "state_prefix", "current_crawl_key", "host_key"]


def crawl_prefix(spider: str, crawl_id: str) -> str:
    return f"{ROOT}{{{spider}:{crawl_id}}}:"


def current_crawl_key(spider: str) -> str:
    return f"{ROOT}{spider}:current"


def spider_of_current_key(key: str) -> str:
    """`na:<spider>:current` -> `<spider>`."""
    return key[len(ROOT):].rsplit(":", 1)[0]


def host_key(url: str) -> str:
    """What politeness counts a request against: the host, with its port when the URL names one.

    Different ports of one host are different servers (and, in the tests, different sites on 127.0.0.1).
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if port else host


class CrawlKeys:
    """The frontier keys of one crawl (docs/distributed.md, "What Redis holds")."""

    @classmethod
    def of_crawler(cls, crawler) -> CrawlKeys:
        """The keys of the crawl a Scrapy crawler runs (its spider's name, the CRAWL_ID setting)."""
        return cls(crawler.spidercls.name, crawler.settings.get("CRAWL_ID"))

    def __init__(self, spider: str, crawl_id: str):
        self.spider = spider
        self.crawl_id = crawl_id
        self.prefix = crawl_prefix(spider, crawl_id)
        p = self.prefix
        self.meta = p + "meta"  # HASH: spider, crawl_id, arguments, created_at, finished_at
        self.seen = p + "seen"  # SET of request fingerprints (DUPEFILTER_MODE "set")
        self.bloom = p + "bloom"  # bitmap Bloom filter (DUPEFILTER_MODE "bloom")
        self.hosts = p + "hosts"  # ZSET host -> earliest time to pop its next request
        self.requests = p + "req"  # HASH id -> serialized request
        self.info = p + "info"  # HASH id -> "host\tscore"
        self.tries = p + "tries"  # HASH id -> attempts so far
        self.inflight = p + "inflight"  # ZSET id -> lease deadline
        self.owner = p + "owner"  # HASH id -> worker holding the lease
        self.busy = p + "busy"  # HASH host -> requests popped and not yet acknowledged
        self.exported = p + "exported"  # HASH url -> the worker whose articles file has its record
        self.failed = p + "failed"  # ZSET id -> time it ran out of attempts
        self.counts = p + "counts"  # HASH: queued, pushed, done, expired, failed, duplicates
        self.workers = p + "workers"  # ZSET worker -> last heartbeat
        self.reports = p + "reports"  # HASH worker -> its crawl report (JSON)
        self.gate = p + "gate"  # HASH host -> earliest start of the next request (politeness)
        self.delay = p + "delay"  # HASH host -> current delay between requests (AutoThrottle, shared)
        self.crawl_delay = p + "crawldelay"  # HASH host -> robots.txt Crawl-delay

    def queue(self, host: str) -> str:
        return self.prefix + "q:" + host  # ZSET id -> score (priority, then FIFO)

    def slots(self, host: str) -> str:
        return self.prefix + "slots:" + host  # ZSET token -> expiry: requests on the wire to the host

    def worker(self, worker: str) -> str:
        return self.prefix + "worker:" + worker  # HASH: the worker's progress, for `newsarchive status`

    def all_pattern(self) -> str:
        return self.prefix + "*"
