"""The shared dupefilters: scrapy-redis's RFPDupeFilter on Scrapy's own fingerprints, and a Bloom filter.

Both hand the frontier's push script what it needs to check and mark a fingerprint in the same atomic
step as the enqueue (`push_arguments`), so a request is never marked seen without being queued, and a
worker's close never deletes the crawl's fingerprints (scrapy-redis's does: it assumes one process).

- RedisDupeFilter (DUPEFILTER_MODE "set"): exact. Scrapy's request fingerprint as 20 raw bytes (scrapy-
  redis keeps 40 hex characters); the memory per million is measured in docs/distributed.md.
- BloomDupeFilter (DUPEFILTER_MODE "bloom"): a classic Bloom filter in one Redis bitmap, m bits and k
  bit positions per fingerprint, sized for DUPEFILTER_BLOOM_CAPACITY at DUPEFILTER_BLOOM_ERROR_RATE:
      m = -n ln p / (ln 2)^2,  k = (m / n) ln 2        (n = capacity, p = error rate)
  A false positive is a new URL taken for a seen one, never fetched: at most p of new URLs while the
  crawl has seen no more than n. Past n the rate grows (docs/distributed.md has the table). Maintained
  Bloom libraries for Python (rbloom, pyprobables) are in-process, so workers could not share one, and
  Debian's Redis has no RedisBloom module: the bitmap and its Lua script are ours, the formulas the
  textbook's (Kirsch and Mitzenmacher's double hashing for the k positions).
"""
from __future__ import annotations

import math

from scrapy_redis.dupefilter import RFPDupeFilter

from newsarchive.distributed.connection import redis_from_settings
from newsarchive.distributed.keys import CrawlKeys

REDIS_BITMAP_MAX_BITS = 2 ** 32  # a Redis string holds at most 512 MB


class RedisDupeFilter(RFPDupeFilter):
    mode = "set"

    def __init__(self, server, key: str, fingerprinter, debug: bool = False):
        super().__init__(server, key, debug=debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_crawler(cls, crawler):
        return cls.build(crawler, CrawlKeys.of_crawler(crawler))

    @classmethod
    def build(cls, crawler, keys: CrawlKeys):
        return cls(redis_from_settings(crawler.settings), keys.seen, crawler.request_fingerprinter,
                   debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))

    def request_fingerprint(self, request) -> bytes:
        return self.fingerprinter.fingerprint(request)

    def push_arguments(self, request) -> dict:
        """What the frontier's push script needs to check and mark this request's fingerprint."""
        return {"mode": self.mode, "fingerprint": self.request_fingerprint(request)}

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: the other workers of the crawl still need them."""

    def seen_count(self) -> int:
        return int(self.server.scard(self.key))


def bloom_size(capacity: int, error_rate: float) -> tuple[int, int]:
    """(bits, hash positions) of a Bloom filter for `capacity` items at `error_rate` false positives."""
    if capacity < 1 or not 0 < error_rate < 1:
        raise ValueError("DUPEFILTER_BLOOM_CAPACITY must be >= 1 and DUPEFILTER_BLOOM_ERROR_RATE in (0, 1)")
    bits = math.ceil(-capacity * math.log(error_rate) / math.log(2) ** 2)
    hashes = max(1, round(bits / capacity * math.log(2)))
    if bits > REDIS_BITMAP_MAX_BITS:
        raise ValueError(f"a Bloom filter of {bits} bits does not fit one Redis string (2^32 bits); "
                         "lower DUPEFILTER_BLOOM_CAPACITY or raise DUPEFILTER_BLOOM_ERROR_RATE")
    return bits, hashes


def expected_error_rate(bits: int, hashes: int, items: int) -> float:
    """The false-positive rate of a Bloom filter of `bits` and `hashes` holding `items`."""
    return (1 - math.exp(-hashes * items / bits)) ** hashes


def bit_offsets(fingerprint: bytes, bits: int, hashes: int) -> tuple[int, ...]:
    """The k bit positions of a fingerprint (a SHA-1 already, so its bytes serve as two hashes)."""
    h1 = int.from_bytes(fingerprint[:8], "big")
    h2 = int.from_bytes(fingerprint[8:16], "big") | 1
    return tuple((h1 + i * h2) % bits for i in range(hashes))


BLOOM_ADD = """
-- KEYS[1]: the bitmap; ARGV: bit offsets. Returns 1 when at least one bit was new (a new fingerprint).
local new = 0
for i = 1, #ARGV do
  if redis.call('SETBIT', KEYS[1], ARGV[i], 1) == 0 then new = 1 end
end
return new
"""


class BloomDupeFilter(RedisDupeFilter):
    mode = "bloom"

    def __init__(self, server, key: str, fingerprinter, *, capacity: int, error_rate: float, debug: bool = False):
        super().__init__(server, key, fingerprinter, debug=debug)
        self.capacity = capacity
        self.error_rate = error_rate
        self.bits, self.hashes = bloom_size(capacity, error_rate)
        self._add = server.register_script(BLOOM_ADD)

    @classmethod
    def build(cls, crawler, keys: CrawlKeys):
        settings = crawler.settings
        return cls(redis_from_settings(settings), keys.bloom, crawler.request_fingerprinter,
                   capacity=settings.getint("DUPEFILTER_BLOOM_CAPACITY"),
                   error_rate=settings.getfloat("DUPEFILTER_BLOOM_ERROR_RATE"),
                   debug=settings.getbool("DUPEFILTER_DEBUG"))

    def offsets(self, fingerprint: bytes) -> tuple[int, ...]:
        return bit_offsets(fingerprint, self.bits, self.hashes)

    def push_arguments(self, request) -> dict:
        fingerprint = self.request_fingerprint(request)
        return {"mode": self.mode, "fingerprint": fingerprint, "bloom_bits": self.offsets(fingerprint)}

    def add_fingerprint(self, fingerprint: bytes) -> bool:
        """Mark a fingerprint; True when it was new (or a false positive said it was not)."""
        return bool(self._add(keys=[self.key], args=list(self.offsets(fingerprint))))

    def request_seen(self, request) -> bool:
        return not self.add_fingerprint(self.request_fingerprint(request))

    def contains(self, fingerprint: bytes) -> bool:
        """Whether the filter says it has this fingerprint (true for false positives too), changing nothing."""
        with self.server.pipeline(transaction=False) as pipe:
            for offset in self.offsets(fingerprint):
                pipe.getbit(self.key, offset)
            return all(pipe.execute())

    def seen_count(self) -> int:
        """An estimate of the items in the filter, from the bits set (Swamidass and Baldi)."""
        ones = int(self.server.bitcount(self.key))
        if ones >= self.bits:
            return self.capacity
        return round(-self.bits / self.hashes * math.log(1 - ones / self.bits))


DUPEFILTERS = {"set": RedisDupeFilter, "bloom": BloomDupeFilter}


def dupefilter_for(crawler, keys: CrawlKeys) -> RedisDupeFilter:
    mode = crawler.settings.get("DUPEFILTER_MODE")
    if mode not in DUPEFILTERS:
        raise ValueError(f"DUPEFILTER_MODE must be one of {sorted(DUPEFILTERS)}, not {mode!r}")
    return DUPEFILTERS[mode].build(crawler, keys)
