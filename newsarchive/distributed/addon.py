"""DistributedMode: the add-on that turns a crawl into one worker of a distributed crawl (REDIS_URL set).

It swaps in the components of newsarchive/distributed/ and moves politeness from the process to the
cluster (docs/distributed.md):
- SCHEDULER: DistributedScheduler (scrapy-redis's, over the leased per-host frontier) and its dupefilter;
- STATE_BACKEND: RedisCrawlState; WARC_DIGEST_INDEX: ClaimingDigestIndex (one whole record per payload);
- the HostGate downloader middleware, the WorkerLifecycle extension and the ExportFence pipeline (an
  article goes out once across the workers, distributed/fence.py);
- DOWNLOAD_DELAY and AUTOTHROTTLE_ENABLED become HOST_DELAY and HOST_AUTOTHROTTLE, which the gate applies
  per host across all workers; in the process they are turned off, so that nothing waits between the
  gate's lease and the wire;
- the articles feed becomes articles-<WORKER_ID>.jsonl (base/layout.py).
Settings given explicitly keep their value when their priority is above REDIS_URL's.
"""
from __future__ import annotations

from newsarchive.base import layout

GATE = "newsarchive.distributed.politeness.HostGate"
GATE_ORDER = 960  # after every other process_request (robots.txt waits included), right before the wire
FENCE = "newsarchive.distributed.fence.ExportFence"
FENCE_ORDER = 1000
RESUME_MIDDLEWARE = "newsarchive.crawl.resume.ArchivedResponses"
RESUME_EXTENSION = "newsarchive.crawl.resume.ResumableJob"


class DistributedMode:
    def update_settings(self, settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        worker = settings.get("WORKER_ID")
        if not worker or not settings.get("CRAWL_ID"):
            raise ValueError("REDIS_URL needs WORKER_ID and CRAWL_ID (newsarchive crawl/worker --redis set them)")
        priority = settings.getpriority("REDIS_URL")

        def put(name: str, value) -> None:
            if (settings.getpriority(name) or 0) <= priority:
                settings.set(name, value, priority=priority)

        put("HOST_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
        put("HOST_AUTOTHROTTLE", settings.getbool("AUTOTHROTTLE_ENABLED"))
        settings.set("DOWNLOAD_DELAY", 0, priority=max(priority, settings.getpriority("DOWNLOAD_DELAY") or 0))
        settings.set("AUTOTHROTTLE_ENABLED", False,
                     priority=max(priority, settings.getpriority("AUTOTHROTTLE_ENABLED") or 0))
        put("SCHEDULER", "newsarchive.distributed.scheduler.DistributedScheduler")
        put("STATE_BACKEND", "newsarchive.state.redis_store.RedisCrawlState")
        put("WARC_DIGEST_INDEX", "newsarchive.distributed.digest_index.ClaimingDigestIndex")
        # JOBDIR's resume is the one-process answer to a crash; the leased frontier is this mode's.
        middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), RESUME_MIDDLEWARE: None}
        put("DOWNLOADER_MIDDLEWARES", {**middlewares, GATE: GATE_ORDER})
        extensions = {**settings.getdict("EXTENSIONS"), RESUME_EXTENSION: None}
        # After CrawlReport (900) and Progress: on close it reads the worker's finished report.
        put("EXTENSIONS", {**extensions, "newsarchive.distributed.worker.WorkerLifecycle": 980})
        # Last of all pipelines (nothing may come between its check and the feed's write), and added to
        # pipelines given explicitly too: without it, workers export twice what one of them lost.
        settings.set("ITEM_PIPELINES", {**settings.getdict("ITEM_PIPELINES"), FENCE: FENCE_ORDER},
                     priority=max(priority, settings.getpriority("ITEM_PIPELINES") or 0))
        self._per_worker_feed(settings, worker)

    @staticmethod
    def _per_worker_feed(settings, worker: str) -> None:
        suffix = "/" + layout.ARTICLES_FILE
        per_worker = "/" + layout.worker_file(layout.ARTICLES_FILE, worker)
        for name in ("NEWSARCHIVE_ARTICLES_FEED", "FEEDS"):
            feeds = settings.getdict(name)
            renamed = {(uri[: -len(suffix)] + per_worker if isinstance(uri, str) and uri.endswith(suffix) else uri): options
                       for uri, options in feeds.items()}
            if renamed != feeds:
                settings.set(name, renamed, priority=settings.getpriority(name) or "project")
