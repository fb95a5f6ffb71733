"""The crawls a Redis holds: which crawl of a spider workers join, with what arguments, and how it is doing.

`newsarchive crawl SPIDER --redis` creates a crawl (or joins the spider's current one while it is still
running), `newsarchive worker` joins the current one, and `newsarchive status` reads `snapshot`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from newsarchive.distributed.keys import ROOT, CrawlKeys, current_crawl_key, spider_of_current_key

HEARTBEAT_S = 2.0  # a worker reports in this often
ALIVE_WITHIN_S = 10.0  # a worker not heard from for this long is taken for dead


@dataclass(frozen=True)
class CrawlInfo:
    spider: str
    crawl_id: str
    arguments: dict
    created_at: float
    finished_at: float | None = None

    @property
    def keys(self) -> CrawlKeys:
        return CrawlKeys(self.spider, self.crawl_id)


def redis_time(server) -> float:
    seconds, micros = server.time()
    return seconds + micros / 1e6


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def read_crawl(server, spider: str, crawl_id: str) -> CrawlInfo | None:
    meta = server.hgetall(CrawlKeys(spider, crawl_id).meta)
    if not meta:
        return None
    meta = {_text(k): _text(v) for k, v in meta.items()}
    finished = meta.get("finished_at")
    return CrawlInfo(spider=spider, crawl_id=crawl_id, arguments=json.loads(meta.get("arguments") or "{}"),
                     created_at=float(meta.get("created_at") or 0), finished_at=float(finished) if finished else None)


def current_crawl(server, spider: str) -> CrawlInfo | None:
    crawl_id = server.get(current_crawl_key(spider))
    return read_crawl(server, spider, _text(crawl_id)) if crawl_id else None


def create_crawl(server, spider: str, crawl_id: str, arguments: dict) -> CrawlInfo:
    keys = CrawlKeys(spider, crawl_id)
    now = redis_time(server)
    with server.pipeline() as pipe:
        pipe.hset(keys.meta, mapping={"spider": spider, "crawl_id": crawl_id, "created_at": repr(now),
                                      "arguments": json.dumps(arguments, sort_keys=True)})
        pipe.set(current_crawl_key(spider), crawl_id)
        pipe.execute()
    return CrawlInfo(spider=spider, crawl_id=crawl_id, arguments=arguments, created_at=now)


def alive_workers(server, keys: CrawlKeys) -> list[str]:
    since = redis_time(server) - ALIVE_WITHIN_S
    return [_text(w) for w in server.zrangebyscore(keys.workers, since, "+inf")]


def activity(server, keys: CrawlKeys) -> dict[str, int]:
    """queued, in_flight and workers alive: a crawl is running while any is not zero."""
    with server.pipeline() as pipe:
        pipe.hget(keys.counts, "queued")
        pipe.zcard(keys.inflight)
        queued, in_flight = pipe.execute()
    return {"queued": int(queued or 0), "in_flight": int(in_flight or 0),
            "workers_alive": len(alive_workers(server, keys))}


def is_running(server, crawl: CrawlInfo) -> bool:
    return any(activity(server, crawl.keys).values())


def worker_reports(server, keys: CrawlKeys) -> list[dict]:
    """The crawl reports the workers that left put into Redis (a dead worker's is missing)."""
    return [json.loads(v) for v in server.hvals(keys.reports)]


def mark_finished(server, crawl: CrawlInfo) -> None:
    server.hsetnx(crawl.keys.meta, "finished_at", repr(redis_time(server)))


def spiders_with_crawls(server) -> list[str]:
    found = set()
    for key in server.scan_iter(match=f"{ROOT}*:current", count=1000):
        key = _text(key)
        if "{" not in key:
            found.add(spider_of_current_key(key))
    return sorted(found)


def host_table(server, keys: CrawlKeys, limit: int = 20) -> list[dict]:
    """The hosts with queued requests, most queued first: queued, busy, delay, crawl-delay."""
    hosts = [_text(h) for h in server.zrange(keys.hosts, 0, -1)]
    if not hosts:
        return []
    with server.pipeline() as pipe:
        for host in hosts:
            pipe.zcard(keys.queue(host))
            pipe.hget(keys.busy, host)
            pipe.hget(keys.delay, host)
            pipe.hget(keys.crawl_delay, host)
        values = pipe.execute()
    rows = []
    for i, host in enumerate(hosts):
        queued, busy, delay, crawl_delay = values[4 * i: 4 * i + 4]
        rows.append({"host": host, "queued": int(queued or 0), "busy": int(busy or 0),
                     "delay": float(delay) if delay else None, "crawl_delay": float(crawl_delay) if crawl_delay else None})
    rows.sort(key=lambda r: (-r["queued"], r["host"]))
    return rows[:limit]


def failed_requests(server, keys: CrawlKeys, decode) -> list[dict]:
    """Requests that ran out of attempts: their URL (decoded by `decode(bytes)`) and attempts."""
    found = []
    for entry_id in server.zrange(keys.failed, 0, -1):
        payload, tries = server.hget(keys.requests, entry_id), server.hget(keys.tries, entry_id)
        try:
            url = decode(payload) if payload else None
        except Exception:  # a payload from another version: still report the entry
            url = None
        found.append({"id": _text(entry_id), "url": url, "attempts": int(tries or 0)})
    return found


def snapshot(server, spider: str, *, hosts: int = 20) -> dict | None:
    """What `newsarchive status` prints for the spider's current crawl."""
    crawl = current_crawl(server, spider)
    if crawl is None:
        return None
    keys = crawl.keys
    now = redis_time(server)
    counts = {_text(k): int(v) for k, v in server.hgetall(keys.counts).items()}
    workers = []
    for worker, seen in server.zrange(keys.workers, 0, -1, withscores=True):
        progress = {_text(k): _text(v) for k, v in server.hgetall(keys.worker(_text(worker))).items()}
        workers.append({"worker": _text(worker), "last_seen_s": round(now - seen, 1),
                        "alive": now - seen <= ALIVE_WITHIN_S, **progress})
    expired = server.zcount(keys.inflight, "-inf", now)
    host_count = server.zcard(keys.hosts)
    return {
        **asdict(crawl),
        "queued": counts.get("queued", 0),
        "in_flight": int(server.zcard(keys.inflight)),
        "in_flight_expired": int(expired),
        "failed": int(server.zcard(keys.failed)),
        "counts": counts,
        "seen": int(server.scard(keys.seen)) if server.exists(keys.seen) else None,
        "hosts_with_queue": int(host_count),
        "hosts": host_table(server, keys, hosts),
        "workers_alive": sum(1 for w in workers if w["alive"]),
        "workers": workers,
    }
