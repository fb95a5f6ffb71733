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
USER_AGENT = None  # None: built from the version and NEWSARCHIVE_CONTACT (newsarchive.fetch.useragent)
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
