"""Many workers, one crawl: the distributed mode on scrapy-redis (docs/distributed.md).

  addon         DistributedMode: with REDIS_URL set, wires everything below into a crawl
  keys          the Redis key names; the host a request counts against
  frontier      the leased, per-host frontier in Lua scripts (push, pop, ack, renew, release)
  scheduler     DistributedScheduler (scrapy-redis's Scheduler over the frontier): acknowledges a request
                once the engine is done with it
  dupefilter    scrapy-redis's RFPDupeFilter on Scrapy's fingerprints, and a Bloom filter in a Redis bitmap
  politeness    HostGate: per-host concurrency and delay across all workers (AutoThrottle, Crawl-delay)
  digest_index  ClaimingDigestIndex: one whole record per payload across workers
  worker        WorkerLifecycle: heartbeat, lease renewal, idle exit, the merged report on close
  crawls        which crawl workers join; what `newsarchive status` shows
  report        crawl.json merged from the workers' reports
  connection    the Redis client (shared with state/redis_store), masked URLs
"""
