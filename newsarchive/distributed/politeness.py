"""HostGate: politeness that holds across workers, as a downloader middleware at send time.

Scrapy keeps its delay and concurrency per download slot inside one process, so N workers would hit a
site N times as hard. Here every request, robots.txt included, takes a lease on its host in Redis right
before it goes to the download handler (the last process_request), counts the host's delay again from
the moment the request really leaves (request_reached_downloader), and gives the lease back when the
answer or the error comes (the first process_response / process_exception). A lease is granted only when fewer
than CONCURRENT_REQUESTS_PER_DOMAIN requests to the host are on the wire in the whole cluster and the
host's delay has passed since the previous start anywhere:

    delay = max(DOWNLOAD_DELAY, or AutoThrottle's delay when it is on, robots.txt Crawl-delay)

AutoThrottle's rule (scrapy.extensions.throttle) runs on the shared delay, fed by every worker's
latencies; the robots.txt Crawl-delay (capped at AUTOTHROTTLE_MAX_DELAY) is read from the robots.txt
answers that pass by. The DistributedMode add-on turns the per-process delay and AutoThrottle off and
gives each host its own download slot, so nothing waits between the lease and the wire.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from urllib.parse import urlsplit

from protego import Protego
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsarchive.distributed.connection import redis_from_settings
from newsarchive.distributed.keys import CrawlKeys, host_key

logger = logging.getLogger(__name__)

LEASE_META = "newsarchive_host_lease"  # (host, token, monotonic grant time) of the lease a request holds
MAX_POLL = 1.0  # seconds between two tries while a host is at its concurrency
LAG_S = 0.01  # a request that leaves later than this after its grant counts the delay from then

_DELAY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function host_delay(P, host, base_delay)
  local delay = tonumber(redis.call('HGET', P .. 'delay', host) or base_delay)
  local crawl_delay = tonumber(redis.call('HGET', P .. 'crawldelay', host) or '0')
  if crawl_delay > delay then delay = crawl_delay end
  return delay
end
"""

ACQUIRE = _DELAY + """
-- ARGV: prefix, host, token, concurrency, base delay, lease seconds
local P, host, token = ARGV[1], ARGV[2], ARGV[3]
local conc, base_delay, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local slots = P .. 'slots:' .. host
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
if redis.call('ZCARD', slots) >= conc then return 'busy' end
local nxt = tonumber(redis.call('HGET', P .. 'gate', host) or '0')
if now < nxt then return tostring(nxt - now) end
redis.call('ZADD', slots, now + ttl, token)
redis.call('PEXPIRE', slots, math.floor(ttl * 1000))
redis.call('HSET', P .. 'gate', host, now + host_delay(P, host, base_delay))
return 'ok'
"""

# The request leaves now (request_reached_downloader): the delay counts from here, not from the grant, in
# case this worker's reactor was busy in between (an extraction, a large parse).
STARTED = _DELAY + """
-- ARGV: prefix, host, base delay
local P, host = ARGV[1], ARGV[2]
local nxt = now + host_delay(P, host, tonumber(ARGV[3]))
if nxt > tonumber(redis.call('HGET', P .. 'gate', host) or '0') then redis.call('HSET', P .. 'gate', host, nxt) end
return 1
"""

RELEASE = """
-- ARGV: prefix, host, token, latency (-1: none), status, autothrottle (0/1), target concurrency,
--       min delay, max delay, start delay
local P, host, token = ARGV[1], ARGV[2], ARGV[3]
local latency, status = tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREM', P .. 'slots:' .. host, token)
if ARGV[6] == '1' and latency >= 0 then
  -- scrapy.extensions.throttle.AutoThrottle._adjust_delay, on the delay all workers share
  local old = tonumber(redis.call('HGET', P .. 'delay', host) or ARGV[10])
  local target = latency / tonumber(ARGV[7])
  local new = (old + target) / 2.0
  if target > new then new = target end
  if new < tonumber(ARGV[8]) then new = tonumber(ARGV[8]) end
  if new > tonumber(ARGV[9]) then new = tonumber(ARGV[9]) end
  if not (status ~= 200 and new <= old) then
    redis.call('HSET', P .. 'delay', host, tostring(new))
  end
end
return 1
"""


class HostGate:
    def __init__(self, crawler, server, keys: CrawlKeys):
        settings = crawler.settings
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.stats = crawler.stats
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.autothrottle = settings.getbool("HOST_AUTOTHROTTLE")
        self.min_delay = settings.getfloat("HOST_DELAY")
        self.start_delay = max(self.min_delay, settings.getfloat("AUTOTHROTTLE_START_DELAY")) if self.autothrottle \
            else self.min_delay
        self.max_delay = settings.getfloat("AUTOTHROTTLE_MAX_DELAY")
        self.target_concurrency = settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY")
        self.lease = settings.getfloat("DOWNLOAD_TIMEOUT") + 30  # a lost release frees the slot by then
        self.robots_agent = settings.get("ROBOTSTXT_USER_AGENT") or "*"
        self._acquire = server.register_script(ACQUIRE)
        self._started = server.register_script(STARTED)
        self._release = server.register_script(RELEASE)

    @classmethod
    def from_crawler(cls, crawler) -> HostGate:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        keys = CrawlKeys.of_crawler(crawler)
        gate = cls(crawler, redis_from_settings(settings), keys)
        crawler.signals.connect(gate.request_reached_downloader, signal=signals.request_reached_downloader)
        return gate

    def request_reached_downloader(self, request, spider=None) -> None:
        lease = request.meta.get(LEASE_META)
        if lease is None:
            return
        lag = time.monotonic() - lease[2]
        if lag > LAG_S:
            self._started(args=[self.keys.prefix, lease[0], self.start_delay])
            self.stats.inc_value("newsarchive/distributed/gate_restarts")
            self.stats.max_value("newsarchive/distributed/gate_lag_max_ms", round(lag * 1000))

    async def process_request(self, request, spider=None):
        host = host_key(request.url)
        if not host:
            return None
        # One local download slot per host (and port): Scrapy's default slot is the bare hostname.
        request.meta.setdefault("download_slot", host)
        token = uuid.uuid4().hex
        waited = 0.0
        while True:
            answer = self._acquire(args=[self.keys.prefix, host, token, self.concurrency, self.start_delay,
                                         self.lease]).decode()
            if answer == "ok":
                break
            pause = MAX_POLL / 10 if answer == "busy" else min(float(answer), MAX_POLL)
            waited += pause
            await asyncio.sleep(pause)
        if waited:
            self.stats.inc_value("newsarchive/distributed/gate_waits")
        request.meta[LEASE_META] = (host, token, time.monotonic())
        return None

    def process_response(self, request, response, spider=None):
        self._give_back(request, latency=request.meta.get("download_latency", -1), status=response.status)
        if urlsplit(response.url).path == "/robots.txt" and response.status == 200:
            self._note_crawl_delay(response)
        return response

    def process_exception(self, request, exception, spider=None):
        self._give_back(request, latency=-1, status=0)
        return None

    def _give_back(self, request, *, latency: float, status: int) -> None:
        lease = request.meta.pop(LEASE_META, None)  # meta travels on to redirects and retries
        if lease is None:
            return
        host, token, _ = lease
        self._release(args=[self.keys.prefix, host, token, latency, status, int(self.autothrottle),
                            self.target_concurrency, self.min_delay, self.max_delay, self.start_delay])

    def _note_crawl_delay(self, response) -> None:
        try:
            rules = Protego.parse(response.body.decode("utf-8", "replace"))
            delay = rules.crawl_delay(self.robots_agent)
        except Exception as exc:  # a hostile robots.txt must not stop the crawl
            logger.warning("cannot read Crawl-delay from %s: %s", response.url, exc)
            return
        if delay:
            delay = min(float(delay), self.max_delay)
            self.server.hset(self.keys.crawl_delay, host_key(response.url), repr(delay))
            logger.info("robots.txt of %s asks for a Crawl-delay of %s s", host_key(response.url), delay)
