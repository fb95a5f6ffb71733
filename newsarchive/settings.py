"""Scrapy settings for newsarchive: the pipeline's wiring diagram, stage by stage.

    discover (spiders, crawl/) -> fetch (downloader middlewares, fetch/) -> record (WARC, warc/)
      -> extract + normalize (spider callback, pure functions) -> export (pipelines, FEEDS, export/)
      with the incremental state (state/) beside fetch and record, and the crawl report at the end.

Every setting the code reads is declared here, once, with why it has its value; components read
them without fallbacks of their own. docs/architecture.md explains the stages and the rooms.
"""
from newsarchive.base.agent import contact_user_agent
from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# Scrapy's default, written out: the asyncio reactor is what `async def start()` spiders run on.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# ===================================================================================== discover
# Contracts that `scrapy check` runs on every site spider's article callback (crawl/contracts.py).
SPIDER_CONTRACTS = {
    "newsarchive.crawl.contracts.AuthorsContract": 10,
    "newsarchive.crawl.contracts.PublishedIsoContract": 10,
    "newsarchive.crawl.contracts.MinWordsContract": 10,
    "newsarchive.crawl.contracts.CopyrightContract": 10,
    "newsarchive.crawl.contracts.NoBoilerplateContract": 10,
}
# Articles younger than 7 days are re-checked daily, younger than 30 weekly ([max_age_days, every_hours]);
# older ones only when a feed or sitemap says they changed (state/policy.py).
RECHECK_POLICY = [[7, 24], [30, 168]]
# At most this many URLs are read from one feed or sitemap (the sitemap protocol's own limit per file),
# and from all feeds and sitemaps of a crawl: a hostile sitemap cannot fill memory (crawl/listings.py).
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_URLS_PER_CRAWL = 500_000
# NewsSpider.start() queues the seeds; a distributed worker joining a running crawl turns it off, since
# the crawl's seeds are in the shared frontier already (distributed/).
SEED_FROM_START = True
# `newsarchive genspider` (crawl/genspider.py): how many article pages it samples, and the most requests its
# look at a site may make (it runs as a crawl, with the address guard, robots.txt and politeness).
GENSPIDER_SAMPLES = 8
GENSPIDER_MAX_PAGES = 60

# ===================================================================================== fetch
# Who we are and how to reach the operator: sites block anonymous bots, and a contact lets them
# complain to a person instead. Overriding only the contact rebuilds USER_AGENT (base/agent.py).
NEWSARCHIVE_CONTACT = "https://github.com/newsarchive/newsarchive"
USER_AGENT = contact_user_agent(NEWSARCHIVE_CONTACT)
ROBOTSTXT_USER_AGENT = "newsarchive"  # the product token robots.txt rules name
ROBOTSTXT_OBEY = True
# Polite by default: AutoThrottle adapts to the site, within these bounds.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False  # news pages need none, and cookies make captures depend on crawl order
# A body is cut at NEWSARCHIVE_MAXSIZE and archived with WARC-Truncated: length (fetch/size_limit.py);
# DOWNLOAD_MAXSIZE stays above it as the hard stop, and also bounds decompressed size (gzip bombs).
NEWSARCHIVE_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = False  # a body cut by a disconnect is archived with WARC-Truncated: disconnect
# "public": contact only public addresses (a feed must not steer the crawler into an internal network),
# checked before a request leaves and again when a name is resolved for a connection; "off": no check.
# ADDRESS_GUARD_ALLOW: addresses or networks allowed besides, e.g. ["127.0.0.1"] for a site on this
# machine (`crawl --allow-address`). fetch/address_guard.py, fetch/resolver.py.
ADDRESS_GUARD = "public"
ADDRESS_GUARD_ALLOW = []
# Scrapy's caching resolver, refusing addresses the address guard refuses, whatever download handler
# connects (fetch/resolver.py).
TWISTED_DNS_RESOLVER = "newsarchive.fetch.resolver.GuardedResolver"
# A WARC file or a folder of them: answer every request from the archive, never the network
# (offline contracts, re-crawls; fetch/replay.py). None: fetch live.
REPLAY_WARC = None
# Known article pages are asked with If-None-Match / If-Modified-Since (state/conditional.py).
CONDITIONAL_REQUESTS_ENABLED = True
# Scrapy's HTTP/1.1 handler, also recording each exchange's request and response head byte for byte,
# which Scrapy's parsing loses and a WARC record must hold (fetch/wire_capture.py; on with WARC_ENABLED).
DOWNLOAD_HANDLERS = {
    "http": "newsarchive.fetch.wire_capture.WireCaptureDownloadHandler",
    "https": "newsarchive.fetch.wire_capture.WireCaptureDownloadHandler",
}
# Page requisites (crawl/requisites_fetch.py): an article's images, stylesheets, fonts and icons are
# archived before it is extracted, so it replays as it looked; its record lists what was archived.
REQUISITES_ENABLED = True
REQUISITES_SCRIPTS = False  # scripts mostly track, advertise or fetch live data that replay cannot serve
REQUISITES_OTHER_HOSTS = True  # the CDN hosts a page names, besides its own site (blocked hosts never)
REQUISITES_BLOCKLIST = None  # a file of tracker/ad hosts never contacted; None: the bundled crawl/blocklist.txt
REQUISITES_BLOCK_HOSTS = []  # more hosts to never contact, on top of the list
# Budgets, each counted when hit (0: no limit). A page naming 500 images gets its first 60.
REQUISITES_MAX_PER_ARTICLE = 60
REQUISITES_MAX_BYTES_PER_ARTICLE = 25 * 1024 * 1024
REQUISITES_MAX_PER_CRAWL = 50_000
REQUISITES_MAX_BYTES_PER_CRAWL = 5 * 1024 * 1024 * 1024
# Requisites of one article in flight at once (per-host politeness still applies); it also bounds how
# far requisites already in flight can overshoot a byte budget.
REQUISITES_CONCURRENCY = 4
# Crawl limits (crawl/limits.py): None = no limit. On reaching one the crawl closes cleanly, crawl.json
# says stopped_by, `newsarchive crawl` exits 4, and --resume continues under the same limits.
CRAWL_MAX_PAGES = None  # requests sent to the network
CRAWL_MAX_BYTES = None  # bytes of WARC written ("500M", "2G")
CRAWL_MAX_TIME = None  # seconds of crawling ("30m", "2h"), all runs of a resumed crawl together
CRAWL_MAX_REQUESTS_PER_HOST = None  # requests sent to any one host (a crawler trap, a runaway site)
CRAWL_MIN_FREE_DISK = None  # stop before the archive's file system has less free space ("10G", "5%")
LIMITS_CHECK_INTERVAL = 1.0  # seconds between checks of the time and disk limits

# Ordered by when process_request runs (low first); process_response runs the other way, so the
# components that must see an archived response as a live one sit highest.
DOWNLOADER_MIDDLEWARES = {
    # Lowest: its process_response runs last, on the final decompressed 200 of an article page, after
    # the address guard's peer check; it archives the page's requisites before the spider extracts it.
    "newsarchive.crawl.requisites_fetch.PageRequisitesMiddleware": 30,
    # URL paths in RFC 3986 normal form (%2e%2e, dot segments) before robots.txt rules and the fetch.
    "newsarchive.fetch.path_normalize.PathNormalizeMiddleware": 40,
    "newsarchive.fetch.address_guard.AddressGuardMiddleware": 45,  # before anything else touches the request
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newsarchive.fetch.useragent.ContactUserAgentMiddleware": 500,
    # Adds the validators of the latest capture to known article requests; a redirect to another URL
    # drops them again on its way back through (state/conditional.py).
    "newsarchive.state.conditional.ConditionalRequestMiddleware": 560,
    # A resumed crawl answers what it archived already from its own WARC files (crawl/resume.py), just
    # below replay: every other process_request has shaped the request, every process_response sees
    # the archived response as a live one.
    "newsarchive.crawl.resume.ArchivedResponses": 940,
    # Counts what goes to the network against the crawl limits: after resume's read-back (not a fetch),
    # before replay (a replay re-crawl has pages too) (crawl/limits.py).
    "newsarchive.crawl.limits.CrawlLimits": 945,
    "newsarchive.fetch.replay.ReplayMiddleware": 950,
}

# ===================================================================================== record (WARC)
ARCHIVE_DIR = DEFAULT_ARCHIVE_DIR  # outputs go to ARCHIVE_DIR/<spider>/<crawl-id>/ (base/layout.py)
CRAWL_ID = None  # None: the UTC start time
WARC_ENABLED = True
WARC_PREFIX = "NEWSARCHIVE"  # file names: <prefix>-<timestamp>-<serial>-<host>-<pid>.warc.gz
WARC_MAX_SIZE = 1_000_000_000  # roll over to a new file at about 1 GB, never splitting an exchange
WARC_GZIP_LEVEL = 6  # level 9 costs twice the CPU for a few percent less disk
WARC_OPERATOR = None  # the warcinfo `operator` field; None: NEWSARCHIVE_CONTACT
# Authorization, Proxy-Authorization and Cookie values are stored as "[redacted]" in request records:
# an archive is shared, credentials are not. True keeps them as sent (with a warning at start).
WARC_KEEP_SECRET_HEADERS = False
# Every record is flushed to the OS at once (a killed crawl loses nothing); fsync, which only guards
# against an OS crash or power loss, runs at most this often (seconds; 0 = after every record).
WARC_FSYNC_INTERVAL = 1.0
# Every exported article also goes into the WARC as a metadata record (JSON, WARC-Refers-To its response),
# so the WARC files alone carry the extraction (warc/recorder.py).
WARC_ARTICLE_METADATA = True
# Where payload digests are remembered for identical-payload revisits: this crawl in memory plus earlier
# crawls through the state (newsarchive.warc.dedup.InMemoryDigestIndex alone keeps it in-crawl).
WARC_DIGEST_INDEX = "newsarchive.state.digest_index.StateDigestIndex"
# archive/<spider>/state.sqlite remembers what earlier crawls archived (state/): False makes every
# crawl a first crawl (in-crawl dedup only).
INCREMENTAL_ENABLED = True
STATE_BACKEND = "newsarchive.state.store.SqliteCrawlState"

# ===================================================================================== extract + normalize
# The article callback extracts (NewsSpider.parse_article); the revision stage sits on its output,
# where each record still has its response: new / changed / unchanged, numbered revisions.
SPIDER_MIDDLEWARES = {
    "newsarchive.state.revisions.RevisionMiddleware": 800,
}

# ===================================================================================== export
ITEM_PIPELINES = {
    # Last line of defence: lone surrogates and control characters replaced, so no record fails to write.
    "newsarchive.export.pipelines.EncodableTextPipeline": 700,
    "newsarchive.export.pipelines.SchemaValidationPipeline": 800,
}
# The articles feed (export/storage.py makes every line durable at once; layout from base/layout.py). Its
# "articles" format (export/exporter.py) keeps an unwritable record in rejected.jsonl and says when each
# line is written: only then is an article counted, and marked archived in the state.
NEWSARCHIVE_ARTICLES_FEED = {
    "%(archive_dir)s/%(name)s/%(crawl_id)s/articles.jsonl": {
        "format": "articles",
        "encoding": "utf8",
        "store_empty": True,
        "item_export_kwargs": {"ensure_ascii": False},
    },
}
FEEDS = dict(NEWSARCHIVE_ARTICLES_FEED)
FEED_STORAGES = {
    "file": "newsarchive.export.storage.DurableFileFeedStorage",
    "": "newsarchive.export.storage.DurableFileFeedStorage",
}
FEED_EXPORTERS = {"articles": "newsarchive.export.exporter.ArticleLinesExporter"}
FEED_URI_PARAMS = "newsarchive.base.layout.feed_uri_params"
FEED_EXPORT_ENCODING = "utf-8"
FEED_FSYNC_INTERVAL = 1.0  # like WARC_FSYNC_INTERVAL, for articles.jsonl
# Log lines name a dropped or scraped record by its URL: Scrapy's own print the whole record.
LOG_FORMATTER = "newsarchive.export.log_formatter.RecordLogFormatter"

# ===================================================================================== report
# Field coverage floors ({"authors": 0.8, ...}): a crawl below one logs an error and exits 1.
FIELD_COVERAGE_MIN = {}
FIELD_COVERAGE_WORDS = 150  # a body counts as present from this many words
# Drift (crawl/drift.py), at the end of every crawl and in `newsarchive report`: each site's field coverage
# and article count against the median of its last DRIFT_WINDOW crawls, flagged below
# median - max(k x MAD, percent % of the median, min). A spider may override them (drift_window, drift_bands).
DRIFT_WINDOW = 5
DRIFT_MIN_HISTORY = 1  # earlier crawls a metric needs before it is compared
DRIFT_BANDS = {
    "coverage": {"k": 3, "min": 0.2},  # a field's share of articles: 20 points below a steady median
    "articles": {"k": 3, "percent": 50},  # the article count: below half of a steady median
}
# Alerts (crawl/alerts.py): where they go, http(s) webhook URLs (Slack, Mattermost or any JSON receiver) and
# mailto: addresses, and on which of failure, coverage, drift, limit, success. A webhook URL holds its token:
# keep it out of settings files others read (`newsarchive crawl --notify URL`, or -s NOTIFY=... from a secret).
NOTIFY = []
NOTIFY_ON = ["failure", "coverage", "drift", "limit"]  # add "success" to hear about every crawl
NOTIFY_TIMEOUT = 10.0  # seconds a notifier may take before it counts as failed (the crawl's outcome stands)
# Email goes through Scrapy's MailSender on MAIL_HOST, MAIL_PORT, MAIL_TLS, MAIL_SSL (Scrapy's defaults:
# localhost:25, plain); the SMTP user and password come from NEWSARCHIVE_SMTP_USER / _PASSWORD only.
MAIL_FROM = "newsarchive@localhost"  # Scrapy's default sender is scrapy@localhost
NEWSARCHIVE_PROGRESS = False  # the CLI turns on a live progress line on a terminal
NEWSARCHIVE_PROGRESS_INTERVAL = 0.5  # seconds between progress lines

# ===================================================================================== distributed (distributed/)
# A Redis URL turns the distributed mode on (the DistributedMode add-on below): a shared frontier on
# scrapy-redis with leases and per-host politeness, the state in Redis, output files per worker
# (docs/distributed.md). None: one process with Scrapy's scheduler and SQLite state.
REDIS_URL = None
WORKER_ID = None  # this process in a distributed crawl (host-pid): names its articles-/crawl- files
# A worker leaves once the shared frontier is empty and nothing is in flight anywhere for this long
# (seconds; scrapy-redis's name for it, `--idle-exit`).
MAX_IDLE_TIME_BEFORE_CLOSE = 30
# A popped request is leased for this long (seconds) and renewed while its worker lives: the requests of
# a worker that died go back to the frontier when their lease runs out.
DISTRIBUTED_LEASE = 60
# Attempts per request across workers (each lease that ran out is one); then it is recorded as failed.
DISTRIBUTED_MAX_ATTEMPTS = 3
# "set": exact fingerprints in a Redis set; "bloom": a Bloom filter in a Redis bitmap, sized for
# DUPEFILTER_BLOOM_CAPACITY URLs at DUPEFILTER_BLOOM_ERROR_RATE false positives (a false positive is a
# URL never fetched); memory per million of each in docs/distributed.md.
DUPEFILTER_MODE = "set"
DUPEFILTER_BLOOM_CAPACITY = 10_000_000
DUPEFILTER_BLOOM_ERROR_RATE = 0.001
# Filled by the add-on from DOWNLOAD_DELAY and AUTOTHROTTLE_ENABLED, which it turns off in the process:
# the delay between two requests to one host, and AutoThrottle, applied across all workers (politeness.py).
HOST_DELAY = None
HOST_AUTOTHROTTLE = None

# ===================================================================================== extensions and add-ons
EXTENSIONS = {
    # Right after SafeNames: the crawl folder is claimed (a suffix when its id is taken) and locked before
    # anything writes.
    "newsarchive.crawl.claim.CrawlFolderLock": -90,
    "scrapy.extensions.telnet.TelnetConsole": None,
    "newsarchive.fetch.size_limit.BodySizeLimit": 0,
    "newsarchive.state.extension.IncrementalState": 50,
    "newsarchive.export.rejected.RejectedRecords": 60,  # rejected.jsonl: records that could not be saved
    "newsarchive.warc.recorder.WarcRecorder": 100,
    # Crawl id, spider name and WARC prefix checked before any file is opened (base/safe_names.py).
    "newsarchive.crawl.safe_names.SafeNames": -100,
    # Secrets (passwords, tokens, URL credentials) masked in every log line (crawl/log_masking.py).
    "newsarchive.crawl.log_masking.MaskSecretsInLog": 1,
    "newsarchive.crawl.report.CrawlReport": 900,
    "newsarchive.crawl.progress.Progress": 950,
    # After the report (it reads crawl.json's events), before ResumableJob (crawl/alerts.py).
    "newsarchive.crawl.alerts.CrawlAlerts": 960,
    # Last: on close it runs after the scheduler, SpiderState, the feeds and the WARC (crawl/resume.py).
    "newsarchive.crawl.resume.ResumableJob": 990,
}
# Scrapy's RemoteControl extension opens a code-running endpoint on localhost: never on by default.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

ADDONS = {
    # With REDIS_URL set: the scrapy-redis frontier, cluster-wide politeness, Redis state, per-worker files.
    "newsarchive.distributed.addon.DistributedMode": 5,
    # With REPLAY_WARC set: no WARC writing, no state (replayed responses are archived already).
    "newsarchive.fetch.replay.ReplayMode": 0,
    # Adds the articles feed back when FEEDS is replaced (Scrapyd's items_dir, -s FEEDS=, -o).
    "newsarchive.export.articles_feed.ArticlesFeed": 10,
}
