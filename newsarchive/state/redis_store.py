"""RedisCrawlState: the CrawlState protocol (state/store.py) in Redis, shared by a distributed crawl's workers.

Keys, under `na:{<spider>}:state:` (what each costs per million URLs: docs/distributed.md):
  u:<url>      STRING the URL's UrlState without its text: a JSON array in _URL_FIELDS order (a hash of
                      named fields costs twice as much once a value, such as the URL, is over 64 bytes)
  t:<url>      STRING the latest revision's text, zlib-compressed (the base of the next diff)
  r:<url>      HASH   revision number -> [crawl_id, fetched_at, text_digest, previous_text_digest,
                      warc_filename, warc_record_id]
  tracked      SET    URLs with a committed article text (re-check candidates)
  payloads     HASH   payload digest -> its first capture (JSON)
  claim:<d>    STRING the worker writing the full record of payload digest d (SET NX PX)
  crawls       HASH   crawl id -> {started_at, finished_at, finish_reason}

Claims: two workers that download the same payload at once must not both archive it whole.
`claim_payload` is a SET NX: the winner writes the response record, then `add_payload` (HSETNX: a
first capture is never replaced) gives the claim back; the others wait for that capture and write a
revisit of it (distributed/digest_index.py). A revisit so always points at a record that exists.
Commits stay what they are for SQLite: only what the WARC already holds, each one MULTI/EXEC; URLs are
keys in their normalized form (base.urls.normalize_url), capture URIs stay as fetched.

The process's Redis client is made here too (`redis_client`), by scrapy-redis, and counts its round
trips: the distributed mode's frontier shares it, and the benchmark reads the count.
"""
from __future__ import annotations

import json
import threading
import zlib
from dataclasses import asdict, fields
from typing import Iterator

import redis
from scrapy_redis import connection, defaults

from newsarchive.base.urls import normalize_url
from newsarchive.state.store import RevisionEntry, UrlState, _capture
from newsarchive.warc.pointer import Capture

_INT_FIELDS = {"revision", "capture_offset"}
_URL_FIELDS = tuple(f.name for f in fields(UrlState) if f.name not in ("url", "text"))

RELEASE_CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# KEYS: payloads, claim; ARGV: digest, owner, ttl ms. The first capture, or 1 when the claim is ours, or 0.
LOOKUP_OR_CLAIM = """
local packed = redis.call('HGET', KEYS[1], ARGV[1])
if packed then return packed end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0
"""
# KEYS: payloads, claim; ARGV: digest, capture, owner
ADD_AND_RELEASE = """
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
"""
TOUCH_IF_KNOWN = """
-- KEYS[1]: u:<url>; ARGV: last_fetched, its position in the array (1-based)
local packed = redis.call('GET', KEYS[1])
if not packed then return 0 end
local fields = cjson.decode(packed)
fields[tonumber(ARGV[2])] = ARGV[1]
redis.call('SET', KEYS[1], cjson.encode(fields))
return 1
"""


class CountingRedis(redis.Redis):
    """redis.Redis that counts the round trips it makes (a pipeline counts once)."""

    calls = 0
    _lock = threading.Lock()

    def execute_command(self, *args, **options):
        with CountingRedis._lock:
            CountingRedis.calls += 1
        return super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint=None):
        with CountingRedis._lock:
            CountingRedis.calls += 1
        return super().pipeline(transaction, shard_hint)


_clients: dict[str, redis.Redis] = {}


def redis_client(url: str) -> redis.Redis:
    """The process's client for `url`, bytes in and out (redis-py pools its connections)."""
    client = _clients.get(url)
    if client is None:
        params = {**defaults.REDIS_PARAMS, "socket_connect_timeout": 10, "redis_cls": CountingRedis}
        params.pop("encoding", None)
        client = _clients[url] = connection.get_redis(url=url, **params)
    return client


def state_prefix(spider: str) -> str:
    return f"na:{{{spider}}}:state:"


def _text(value) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pack_capture(capture: Capture) -> str:
    return json.dumps([capture.url, capture.date, capture.record_id, capture.filename, capture.pointer.offset])


class RedisCrawlState:
    """CrawlState of one spider in Redis."""

    def __init__(self, server: redis.Redis, spider: str, *, label: str = "redis"):
        self.server = server
        self.prefix = state_prefix(spider)
        self.label = label
        self._release_claim = server.register_script(RELEASE_CLAIM)
        self._lookup_or_claim = server.register_script(LOOKUP_OR_CLAIM)
        self._add_and_release = server.register_script(ADD_AND_RELEASE)
        self._touch = server.register_script(TOUCH_IF_KNOWN)

    @classmethod
    def from_crawler(cls, crawler) -> RedisCrawlState:
        url = crawler.settings.get("REDIS_URL")
        if not url:
            raise ValueError("STATE_BACKEND is RedisCrawlState but REDIS_URL is not set")
        return cls(redis_client(url), crawler.spidercls.name, label=f"redis ({crawler.spidercls.name})")

    def __repr__(self) -> str:  # what the log says about the store: never the URL (it may hold a password)
        return f"RedisCrawlState({self.label})"

    def _key(self, kind: str, name: str = "") -> str:
        return f"{self.prefix}{kind}{name}"

    # ---------------------------------------------------------------- urls

    def get(self, url: str) -> UrlState | None:
        url = normalize_url(url)  # URLs are keys in their normalized form, as in SqliteCrawlState
        with self.server.pipeline(transaction=False) as pipe:
            pipe.get(self._key("u:", url))
            pipe.get(self._key("t:", url))
            packed, text = pipe.execute()
        if not packed:
            return None
        data = dict(zip(_URL_FIELDS, json.loads(packed)))
        for name in _INT_FIELDS:
            if data.get(name) is not None:
                data[name] = int(data[name])
        return UrlState(url=url, text=zlib.decompress(text).decode("utf-8") if text else None, **data)

    def _write_state(self, pipe, state: UrlState) -> None:
        values, url = asdict(state), normalize_url(state.url)
        pipe.set(self._key("u:", url), json.dumps([values[name] for name in _URL_FIELDS], separators=(",", ":")))
        if state.text_digest is not None:
            pipe.sadd(self._key("tracked"), url)

    def commit_revision(self, state: UrlState, *, crawl_id: str) -> None:
        url = normalize_url(state.url)
        previous = self.server.get(self._key("u:", url))
        previous_digest = dict(zip(_URL_FIELDS, json.loads(previous))).get("text_digest") if previous else None
        entry = [crawl_id, state.last_changed, state.text_digest, previous_digest, state.capture_filename,
                 state.capture_record_id]
        with self.server.pipeline() as pipe:
            self._write_state(pipe, state)
            if state.text is not None:
                pipe.set(self._key("t:", url), zlib.compress(state.text.encode("utf-8"), 6))
            pipe.hset(self._key("r:", url), str(state.revision), json.dumps(entry, separators=(",", ":")))
            pipe.execute()

    def commit_capture(self, state: UrlState) -> None:
        with self.server.pipeline() as pipe:
            self._write_state(pipe, state)
            pipe.execute()

    def commit_check(self, url: str, fetched_at: str) -> None:
        self._touch(keys=[self._key("u:", normalize_url(url))], args=[fetched_at, _URL_FIELDS.index("last_fetched") + 1])

    def tracked(self) -> Iterator[UrlState]:
        urls = sorted(_text(u) for u in self.server.sscan_iter(self._key("tracked"), count=1000))
        for url in urls:
            state = self.get(url)
            if state is not None and state.text_digest is not None:
                yield state

    def revisions(self, url: str) -> list[RevisionEntry]:
        url = normalize_url(url)
        rows = sorted((int(number), json.loads(row)) for number, row in self.server.hgetall(self._key("r:", url)).items())
        return [RevisionEntry(url, number, *row) for number, row in rows]

    # ---------------------------------------------------------------- payloads

    def lookup_payload(self, digest: str) -> Capture | None:
        packed = self.server.hget(self._key("payloads"), digest)
        if not packed:
            return None
        url, date, record_id, filename, offset = json.loads(packed)
        return _capture(url, date, record_id, filename, offset, digest)

    def add_payload(self, digest: str, capture: Capture) -> None:
        self.server.hsetnx(self._key("payloads"), digest, _pack_capture(capture))

    def payloads(self) -> Iterator[tuple[str, Capture]]:
        for digest, packed in sorted(self.server.hscan_iter(self._key("payloads"), count=1000)):
            url, date, record_id, filename, offset = json.loads(packed)
            capture = _capture(url, date, record_id, filename, offset, _text(digest))
            if capture is not None:
                yield _text(digest), capture

    def claim_payload(self, digest: str, owner: str, ttl_s: float) -> bool:
        """Claim the writing of payload `digest`'s full record; False while another owner holds it."""
        return bool(self.server.set(self._key("claim:", digest), owner, nx=True, px=int(ttl_s * 1000)))

    def release_payload(self, digest: str, owner: str) -> None:
        self._release_claim(keys=[self._key("claim:", digest)], args=[owner])

    def lookup_or_claim_payload(self, digest: str, owner: str, ttl_s: float) -> Capture | bool:
        """In one round trip: the payload's first capture, else True when `owner` now holds its claim,
        else False (another owner is writing it)."""
        answer = self._lookup_or_claim(keys=[self._key("payloads"), self._key("claim:", digest)],
                                       args=[digest, owner, int(ttl_s * 1000)])
        if isinstance(answer, bytes):
            url, date, record_id, filename, offset = json.loads(answer)
            return _capture(url, date, record_id, filename, offset, digest) or False
        return bool(answer)

    def add_payload_and_release(self, digest: str, capture: Capture, owner: str) -> None:
        """add_payload, then give `owner`'s claim back, in one round trip."""
        self._add_and_release(keys=[self._key("payloads"), self._key("claim:", digest)],
                              args=[digest, _pack_capture(capture), owner])

    # ---------------------------------------------------------------- crawls

    def begin_crawl(self, crawl_id: str, started_at: str) -> None:
        self.server.hsetnx(self._key("crawls"), crawl_id, json.dumps({"started_at": started_at}))

    def finish_crawl(self, crawl_id: str, finished_at: str, reason: str) -> None:
        key = self._key("crawls")
        row = json.loads(self.server.hget(key, crawl_id) or "{}")
        row.update(finished_at=finished_at, finish_reason=reason)
        self.server.hset(key, crawl_id, json.dumps(row))

    def last_crawl_started(self, before: str | None = None) -> str | None:
        started = [row["started_at"] for crawl_id, row in
                   ((_text(k), json.loads(v)) for k, v in self.server.hgetall(self._key("crawls")).items())
                   if crawl_id != before and row.get("finished_at") and row.get("started_at")]
        return max(started) if started else None

    def close(self) -> None:
        """The connection is the process's (redis_client): other components still use it."""

    def __enter__(self) -> RedisCrawlState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
