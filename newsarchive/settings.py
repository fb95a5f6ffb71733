"""Scrapy settings for newsarchive: polite defaults, and the archive pipeline wired in order.

discover (spiders) -> fetch (downloader middlewares) -> record (WARC extension)
  -> extract + normalize (spider callback, pure functions) -> export (pipelines, FEEDS)
"""
from newsarchive import __version__

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# ---------------------------------------------------------------- politeness
# Who we are and how to reach the operator: sites block anonymous bots, and a contact lets
# them complain to a person instead.
NEWSARCHIVE_CONTACT = "https://github.com/newsarchive/newsarchive"
# Rebuilt from NEWSARCHIVE_CONTACT when only the contact is overridden (newsarchive.fetch.useragent).
USER_AGENT = f"newsarchive/{__version__} (+{NEWSARCHIVE_CONTACT})"
ROBOTSTXT_USER_AGENT = "newsarchive"  # the product token robots.txt rules name
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
# The archive keeps a body cut at NEWSARCHIVE_MAXSIZE (marked WARC-Truncated: length);
# DOWNLOAD_MAXSIZE stays above it as the hard stop, and also bounds decompressed size (gzip bombs).
NEWSARCHIVE_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = False  # a body cut by a disconnect is archived with WARC-Truncated
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False  # news pages need none, and cookies make captures depend on crawl order

# Scrapy's RemoteControl extension opens a code-running endpoint on localhost: never on by default.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# ---------------------------------------------------------------- address guard
# "public": refuse private, loopback and link-local targets (a feed must not steer the crawler
# into an internal network); "loopback": only 127.0.0.0/8 and ::1 (tests, the demo); "off".
ADDRESS_GUARD = "public"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newsarchive.fetch.useragent.ContactUserAgentMiddleware": 500,
    "newsarchive.fetch.address_guard.AddressGuardMiddleware": 50,
}

# ---------------------------------------------------------------- record (WARC)
ARCHIVE_DIR = "archive"
CRAWL_ID = None  # None: the UTC start time (newsarchive.layout.new_crawl_id)
WARC_ENABLED = True
WARC_PREFIX = "NEWSARCHIVE"
WARC_MAX_SIZE = 1_000_000_000
WARC_GZIP_LEVEL = 6
WARC_OPERATOR = None
# Every record is flushed to the OS at once (a killed crawl loses nothing); fsync, which only
# guards against an OS crash or power loss, runs at most this often (seconds; 0 = every record).
WARC_FSYNC_INTERVAL = 1.0

EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "newsarchive.fetch.size_limit.BodySizeLimit": 0,
    "newsarchive.warc.recorder.WarcRecorder": 100,
    "newsarchive.report.CrawlReport": 900,
    "newsarchive.progress.Progress": 950,
}

# ---------------------------------------------------------------- export
ITEM_PIPELINES = {
    "newsarchive.pipelines.CrawlContextPipeline": 100,
    "newsarchive.pipelines.SchemaValidationPipeline": 800,
}
FEED_STORAGES = {"file": "newsarchive.export.DurableFileFeedStorage", "": "newsarchive.export.DurableFileFeedStorage"}
FEED_URI_PARAMS = "newsarchive.layout.feed_uri_params"
FEED_FSYNC_INTERVAL = 1.0  # like WARC_FSYNC_INTERVAL, for articles.jsonl (newsarchive.export)
FEEDS = {
    "%(archive_dir)s/%(name)s/%(crawl_id)s/articles.jsonl": {
        "format": "jsonlines",
        "encoding": "utf8",
        "store_empty": True,
        "item_export_kwargs": {"ensure_ascii": False},
    },
}
FEED_EXPORT_ENCODING = "utf-8"

# ---------------------------------------------------------------- progress and logging
NEWSARCHIVE_PROGRESS = False  # the CLI turns on a progress line on a terminal
LOG_LEVEL = "INFO"

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# ---- issue 4: contracts and replay
# Article-callback contracts (`scrapy check`); see newsarchive/contracts.py.
SPIDER_CONTRACTS = {
    "newsarchive.contracts.AuthorsContract": 10,
    "newsarchive.contracts.PublishedIsoContract": 10,
    "newsarchive.contracts.MinWordsContract": 10,
    "newsarchive.contracts.CopyrightContract": 10,
    "newsarchive.contracts.NoBoilerplateContract": 10,
}
# REPLAY_WARC = a WARC file or a folder of them: answer every request from the archive, never the
# network (offline contracts, re-crawls). Ordered last, so every other middleware's process_request
# has shaped the request as on the live path, and every process_response (decompression,
# redirects) sees the archived response.
REPLAY_WARC = None
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES, "newsarchive.fetch.replay.ReplayMiddleware": 950}
# With REPLAY_WARC set, the add-on turns WARC_ENABLED off: replayed responses are archived already.
ADDONS = {"newsarchive.fetch.replay.ReplayMode": 0}

# ---- issue 5: incremental state
# archive/<spider>/state.sqlite remembers what earlier crawls archived (newsarchive/state/): recurring
# crawls fetch only new, listed-as-changed or due articles, ask known ones conditionally, turn
# repeated payloads into revisit records, and number article revisions. INCREMENTAL_ENABLED = False
# makes every crawl a first crawl (in-crawl dedup only).
INCREMENTAL_ENABLED = True
STATE_BACKEND = "newsarchive.state.store.SqliteCrawlState"
# [max_age_days, every_hours]: articles younger than 7 days re-checked daily, younger than 30 weekly.
RECHECK_POLICY = [[7, 24], [30, 168]]
CONDITIONAL_REQUESTS_ENABLED = True
# Where payload digests are remembered for identical-payload revisits: this crawl in memory, earlier
# crawls through the state (newsarchive.warc.dedup.InMemoryDigestIndex alone when state is off).
WARC_DIGEST_INDEX = "newsarchive.state.digest_index.StateDigestIndex"
EXTENSIONS = {**EXTENSIONS, "newsarchive.state.extension.IncrementalState": 50}
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES, "newsarchive.fetch.conditional.ConditionalRequestMiddleware": 560}
SPIDER_MIDDLEWARES = {**globals().get("SPIDER_MIDDLEWARES", {}), "newsarchive.revisions.RevisionMiddleware": 800}

# ---- issue 5: resume and scrapyd
# Every crawl run by `newsarchive crawl` gets JOBDIR = archive/<spider>/<crawl-id>/job/ (newsarchive.runner),
# so any crawl can be continued with --resume. ResumableJob tells a clean stop from a crash and sets a
# crashed run's stale JOBDIR files aside; ArchivedResponses answers a resumed run's requests for pages
# the crawl archived already from its WARC files, so no URL is fetched twice (see newsarchive/resume.py).
# Last among the extensions: on close it runs after the scheduler, SpiderState, the feeds and the WARC.
EXTENSIONS = {**EXTENSIONS, "newsarchive.resume.ResumableJob": 990}
# Just before ReplayMiddleware (950): every other process_request has shaped the request, and every
# process_response (decompression, redirects, retries) sees the archived response as a live one.
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES, "newsarchive.resume.ArchivedResponses": 940}
# The project's articles feed, kept even when FEEDS is replaced (Scrapyd's items_dir, -s FEEDS=, -o).
NEWSARCHIVE_ARTICLES_FEED = dict(FEEDS)
ADDONS = {**ADDONS, "newsarchive.articles_feed.ArticlesFeed": 10}
