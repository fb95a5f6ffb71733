"""The shared frontier: per-host queues in Redis with leases, so no request is lost when a worker dies.

Every change is one Lua script, so it is atomic across workers (docs/distributed.md, "The frontier"):

- push     the dupefilter check and the enqueue together (a fingerprint is never marked seen without its
           request being queued): the request gets an id, its bytes go to `req`, its id to the host's queue
           (priority first, then first in, first out), and the host into `hosts`, the schedule of hosts.
- pop      first returns leases that ran out to their host's queue (or, after DISTRIBUTED_MAX_ATTEMPTS,
           records them as failed); then takes the next request of a host that is due and has fewer
           than its concurrency of requests out, moves it to `inflight` with a lease, and paces the host.
- ack      a request whose response was archived, extracted and exported (or whose follow-up was queued)
           leaves the frontier; only the lease holder can acknowledge it.
- renew    a live worker extends its leases; release hands them back at once on a clean stop.
- fence    the last word before an article's line is written: the lease is still this worker's, for the
           attempt the response came from (a worker can take its own expired entry again), and no worker
           exported the URL's article in this crawl yet; the lease is renewed, so it cannot run out
           between the check and the write (distributed/fence.py calls it).

Times are Redis's own clock (TIME), so the workers' clocks need not agree.
"""
from __future__ import annotations

from dataclasses import dataclass

from newsarchive.distributed.keys import CrawlKeys

_COMMON = """
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function split_info(info)
  local host, score = string.match(info, '^(.*)\\t([^\\t]*)$')
  return host, score
end
local function host_due(host)
  -- the host may be popped again once its pacing time has come (and not before `now`)
  local nxt = tonumber(redis.call('HGET', P .. 'gate', host) or '0')
  if nxt < now then nxt = now end
  return nxt
end
local function release_busy(host)
  local b = redis.call('HINCRBY', P .. 'busy', host, -1)
  if b <= 0 then redis.call('HDEL', P .. 'busy', host) end
  redis.call('ZADD', P .. 'hosts', 'XX', 'LT', host_due(host), host)
end
local function requeue(id)
  local info = redis.call('HGET', P .. 'info', id)
  if not info then return nil end
  local host, score = split_info(info)
  redis.call('ZADD', P .. 'q:' .. host, score, id)
  redis.call('ZADD', P .. 'hosts', 'NX', host_due(host), host)
  redis.call('HINCRBY', P .. 'counts', 'queued', 1)
  return host
end
"""

PUSH = _COMMON + """
-- ARGV: prefix, host, priority, payload, mode ('' | 'set' | 'bloom'), fingerprint, bloom bit offsets...
local host, priority, payload, mode = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if mode == 'set' then
  if redis.call('SADD', P .. 'seen', ARGV[6]) == 0 then
    redis.call('HINCRBY', P .. 'counts', 'duplicates', 1)
    return 0
  end
elseif mode == 'bloom' then
  local new = false
  for i = 7, #ARGV do
    if redis.call('SETBIT', P .. 'bloom', ARGV[i], 1) == 0 then new = true end
  end
  if not new then
    redis.call('HINCRBY', P .. 'counts', 'duplicates', 1)
    return 0
  end
end
local seq = redis.call('INCR', P .. 'seq')
local id = tostring(seq)
-- higher priority first; FIFO within a priority (seq < 1e12 keeps the sum exact in a double)
local score = string.format('%.0f', -priority * 1e12 + seq)
redis.call('HSET', P .. 'req', id, payload)
redis.call('HSET', P .. 'info', id, host .. '\\t' .. score)
redis.call('ZADD', P .. 'q:' .. host, score, id)
redis.call('ZADD', P .. 'hosts', 'NX', host_due(host), host)
redis.call('HINCRBY', P .. 'counts', 'queued', 1)
redis.call('HINCRBY', P .. 'counts', 'pushed', 1)
return 1
"""

POP = _COMMON + """
-- ARGV: prefix, worker, lease seconds, concurrency per host, max attempts, hosts to look at
local worker, lease, conc = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local max_attempts, scan = tonumber(ARGV[5]), tonumber(ARGV[6])
-- 1. leases that ran out: back to their host's queue, or failed after max_attempts
local expired = redis.call('ZRANGEBYSCORE', P .. 'inflight', '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  redis.call('ZREM', P .. 'inflight', id)
  redis.call('HDEL', P .. 'owner', id)
  redis.call('HINCRBY', P .. 'counts', 'expired', 1)
  local info = redis.call('HGET', P .. 'info', id)
  if info then
    local host = split_info(info)
    release_busy(host)
    local tries = tonumber(redis.call('HGET', P .. 'tries', id) or '0')
    if tries >= max_attempts then
      redis.call('ZADD', P .. 'failed', now, id)
      redis.call('HINCRBY', P .. 'counts', 'failed', 1)
    else
      requeue(id)
    end
  end
end
-- 2. the next request of a due host with room under its concurrency
local hosts = redis.call('ZRANGEBYSCORE', P .. 'hosts', '-inf', now, 'LIMIT', 0, scan)
for _, host in ipairs(hosts) do
  local busy = tonumber(redis.call('HGET', P .. 'busy', host) or '0')
  if busy < conc then
    local popped = redis.call('ZPOPMIN', P .. 'q:' .. host)
    if #popped == 0 then
      redis.call('ZREM', P .. 'hosts', host)
    else
      local id = popped[1]
      redis.call('HINCRBY', P .. 'busy', host, 1)
      local tries = redis.call('HINCRBY', P .. 'tries', id, 1)
      redis.call('ZADD', P .. 'inflight', now + lease, id)
      redis.call('HSET', P .. 'owner', id, worker)
      redis.call('HINCRBY', P .. 'counts', 'queued', -1)
      if redis.call('EXISTS', P .. 'q:' .. host) == 0 then
        redis.call('ZREM', P .. 'hosts', host)
      elseif busy + 1 >= conc then
        redis.call('ZADD', P .. 'hosts', 'XX', now + lease, host)  -- full: due again on an ack
      else
        local delay = tonumber(redis.call('HGET', P .. 'delay', host) or ARGV[7])
        local crawl_delay = tonumber(redis.call('HGET', P .. 'crawldelay', host) or '0')
        if crawl_delay > delay then delay = crawl_delay end
        redis.call('ZADD', P .. 'hosts', 'XX', now + delay, host)  -- paced like the gate
      end
      return {id, redis.call('HGET', P .. 'req', id), tries}
    end
  else
    redis.call('ZADD', P .. 'hosts', 'XX', now + lease, host)
  end
end
local first = redis.call('ZRANGE', P .. 'hosts', 0, 0, 'WITHSCORES')
if #first == 0 then return {false, false, '-1'} end
return {false, false, tostring(tonumber(first[2]) - now)}
"""

ACK = _COMMON + """
-- ARGV: prefix, worker, ids...; returns {acknowledged, no longer ours}
local worker = ARGV[2]
local done, lost = 0, 0
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', P .. 'owner', id) == worker then
    redis.call('ZREM', P .. 'inflight', id)
    redis.call('HDEL', P .. 'owner', id)
    local info = redis.call('HGET', P .. 'info', id)
    redis.call('HDEL', P .. 'req', id)
    redis.call('HDEL', P .. 'info', id)
    redis.call('HDEL', P .. 'tries', id)
    if info then release_busy((split_info(info))) end
    done = done + 1
  else
    lost = lost + 1
  end
end
redis.call('HINCRBY', P .. 'counts', 'done', done)
return {done, lost}
"""

RENEW = _COMMON + """
-- ARGV: prefix, worker, lease seconds, ids...; returns the ids that are no longer ours
local worker, lease = ARGV[2], tonumber(ARGV[3])
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', P .. 'owner', id) == worker then
    redis.call('ZADD', P .. 'inflight', 'XX', now + lease, id)
  else
    table.insert(lost, id)
  end
end
return lost
"""

RELEASE = _COMMON + """
-- ARGV: prefix, worker, ids...: a clean stop hands its leases back; the attempt does not count
local worker = ARGV[2]
local released = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', P .. 'owner', id) == worker then
    redis.call('ZREM', P .. 'inflight', id)
    redis.call('HDEL', P .. 'owner', id)
    redis.call('HINCRBY', P .. 'tries', id, -1)
    local host = requeue(id)
    if host then release_busy(host) end
    released = released + 1
  end
end
return released
"""


FENCE = _COMMON + """
-- ARGV: prefix, worker, lease seconds, entry id ('' for a record no leased request produced), attempt, url.
-- Returns {'ok'} | {'lost'} (another attempt holds or will take the request) | {'exported', worker}.
local worker, lease, id, attempt, url = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
if id ~= '' and (redis.call('HGET', P .. 'owner', id) ~= worker or redis.call('HGET', P .. 'tries', id) ~= attempt) then
  return {'lost'}
end
local by = redis.call('HGET', P .. 'exported', url)
if by then return {'exported', by} end
if id ~= '' then redis.call('ZADD', P .. 'inflight', 'XX', now + lease, id) end
return {'ok'}
"""


@dataclass(frozen=True)
class Popped:
    """A request taken from the frontier: its id (what ack names), its bytes and its attempt number."""

    entry_id: str
    payload: bytes
    attempt: int


class Frontier:
    """The Lua scripts above bound to one crawl's keys on one Redis connection."""

    def __init__(self, server, keys: CrawlKeys, *, lease: float, concurrency: int, max_attempts: int,
                 base_delay: float, scan_hosts: int = 32):
        self.server = server
        self.keys = keys
        self.lease = lease
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.scan_hosts = scan_hosts
        self._push = server.register_script(PUSH)
        self._pop = server.register_script(POP)
        self._ack = server.register_script(ACK)
        self._renew = server.register_script(RENEW)
        self._release = server.register_script(RELEASE)
        self._fence = server.register_script(FENCE)

    def push(self, host: str, priority: int, payload: bytes, *, mode: str = "", fingerprint: bytes = b"",
             bloom_bits: tuple[int, ...] = ()) -> bool:
        """Queue a request; with a dupefilter mode, only when its fingerprint is new. True when queued."""
        args = [self.keys.prefix, host, int(priority), payload, mode, fingerprint, *bloom_bits]
        return bool(self._push(args=args))

    def pop(self, worker: str) -> tuple[Popped | None, float]:
        """The next due request (leased to `worker`), or None and how many seconds until a host is due
        (negative: nothing is queued)."""
        entry_id, payload, extra = self._pop(args=[
            self.keys.prefix, worker, self.lease, self.concurrency, self.max_attempts, self.scan_hosts,
            self.base_delay,
        ])
        if entry_id is None:
            return None, float(extra)
        return Popped(entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id), payload, int(extra)), 0.0

    def ack(self, worker: str, entry_ids: list[str]) -> tuple[int, int]:
        if not entry_ids:
            return 0, 0
        done, lost = self._ack(args=[self.keys.prefix, worker, *entry_ids])
        return int(done), int(lost)

    def renew(self, worker: str, entry_ids: list[str]) -> list[str]:
        if not entry_ids:
            return []
        lost = self._renew(args=[self.keys.prefix, worker, self.lease, *entry_ids])
        return [i.decode() if isinstance(i, bytes) else str(i) for i in lost]

    def release(self, worker: str, entry_ids: list[str]) -> int:
        if not entry_ids:
            return 0
        return int(self._release(args=[self.keys.prefix, worker, *entry_ids]))

    def fence(self, worker: str, lease: Popped | None, url: str) -> tuple[str, str | None]:
        """May `worker` export the article of `url`, which the request taken as `lease` fetched?
        ("ok", None), ("lost", None), or ("exported", the worker that exported it); "ok" renews the lease."""
        entry_id, attempt = (lease.entry_id, lease.attempt) if lease is not None else ("", 0)
        answer = self._fence(args=[self.keys.prefix, worker, self.lease, entry_id, attempt, url])
        verdict, *by = [part.decode() if isinstance(part, bytes) else str(part) for part in answer]
        return verdict, (by[0] if by else None)

    def mark_exported(self, worker: str, url: str) -> None:
        """The article of `url` is in `worker`'s articles file: no other worker exports it in this crawl."""
        self.server.hset(self.keys.exported, url, worker)

    # ---------------------------------------------------------------- sizes, for idle checks and status

    def counts(self) -> dict[str, int]:
        raw = self.server.hgetall(self.keys.counts)
        return {k.decode(): int(v) for k, v in raw.items()}

    def queued(self) -> int:
        return int(self.server.hget(self.keys.counts, "queued") or 0)

    def in_flight(self) -> int:
        return int(self.server.zcard(self.keys.inflight))
