"""WarcRecorder: the Scrapy extension that archives every downloaded response (docs/architecture.md).

It listens to `response_downloaded`, which fires before any downloader middleware sees the response,
so redirects, errors, retries and still-compressed bodies are archived as they came. Each response
becomes a `response` record (or a `revisit` when its payload was archived before) followed by its
`request`; the response record's pointer goes into `request.meta[meta.WARC_POINTER]` for the spider callback.
"""
from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from newsarchive.base import layout, meta, stats
from newsarchive.base.agent import user_agent
from newsarchive.warc import records
from newsarchive.warc.dedup import InMemoryDigestIndex
from newsarchive.warc.pointer import Capture, WarcPointer
from newsarchive.warc.repair import repair_open_files
from newsarchive.warc.writer import RollingWarcWriter, WarcWriteError

logger = logging.getLogger(__name__)

# Flags Scrapy puts on a response whose body was cut short, and the WARC-Truncated reason for each.
TRUNCATION_FLAGS = {"download_stopped": "length", "dataloss": "disconnect"}


def truncation_reason(flags) -> str | None:
    """WARC-Truncated value for a response's flags, or None for a whole body."""
    for flag, reason in TRUNCATION_FLAGS.items():
        if flag in flags:
            return reason
    return None


def is_dedup_candidate(response, truncated: str | None) -> bool:
    """Only whole, non-empty 200 bodies are worth a revisit: a redirect or an error page is cheap to keep."""
    return truncated is None and response.status == 200 and bool(response.body)


class WarcRecorder:
    """Writes each downloaded response and its request to this crawl's rolling WARC files.

    Settings: WARC_ENABLED, WARC_PREFIX, WARC_MAX_SIZE, WARC_GZIP_LEVEL, WARC_OPERATOR,
    WARC_FSYNC_INTERVAL (0: fsync after every exchange; N: at most every N seconds), and
    WARC_DIGEST_INDEX (import path of the payload-digest index; in-crawl memory by default).
    """

    def __init__(self, crawler, digest_index=None):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.digest_index = digest_index if digest_index is not None else InMemoryDigestIndex()
        self.writer: RollingWarcWriter | None = None
        self.repairs: list[dict] = []
        # Credentials in request records are redacted unless the operator asks to keep them (base/secrets.py).
        self.keep_secret_headers = self.settings.getbool("WARC_KEEP_SECRET_HEADERS")
        if self.keep_secret_headers:
            logger.warning("WARC_KEEP_SECRET_HEADERS is on: Authorization, Proxy-Authorization and Cookie values "
                           "are written into WARC request records as sent")

    @classmethod
    def from_crawler(cls, crawler) -> WarcRecorder:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        index_class = load_object(crawler.settings.get("WARC_DIGEST_INDEX"))
        recorder = cls(crawler, digest_index=build_from_crawler(index_class, crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.response_downloaded, signal=signals.response_downloaded)
        return recorder

    @property
    def files(self) -> list[Path]:
        """The WARC files written so far (final names; the one being written included)."""
        if self.writer is None:
            return []
        current = self.writer.current_path
        done = list(self.writer.files)
        if current is not None:
            done.append(current.with_name(current.name.removesuffix(".open")))
        return done

    # ---------------------------------------------------------------- signals

    def spider_opened(self, spider) -> None:
        directory = layout.warc_dir(spider)
        # Any earlier crawl of this spider that crashed left .open files: repair them all now,
        # not only this crawl's (a resumed crawl), so no archive stays half-written.
        self.repairs = []
        for warc_dir in sorted(layout.spider_dir(spider).glob(f"*/{layout.WARC_SUBDIR}")):
            self.repairs += repair_open_files(warc_dir, skip_live_writers=True)
        self.writer = RollingWarcWriter(
            directory,
            prefix=self.settings.get("WARC_PREFIX"),
            max_size=self.settings.getint("WARC_MAX_SIZE"),
            gzip_level=self.settings.getint("WARC_GZIP_LEVEL"),
            fsync_interval=self.settings.getfloat("WARC_FSYNC_INTERVAL"),
            warcinfo_fields=self.warcinfo_fields(spider),
        )

    def spider_closed(self, spider, reason=None) -> None:
        if self.writer is None:
            return
        try:
            self.writer.close()
        except OSError:
            logger.exception("could not close the WARC file %s", self.writer.current_path)
            self.stats.inc_value("warc/write_errors")
        self.stats.set_value(stats.WARC_FILES, len(self.files))

    def response_downloaded(self, response, request, spider) -> None:
        if "cached" in response.flags:
            self.stats.inc_value("warc/skipped/cached")  # a cache hit is not a fetch
            return
        if self.writer is None or not response.url.startswith(("http://", "https://")):
            return
        truncated = truncation_reason(response.flags)
        try:
            pointer, date, earlier = self._archive(response, request, truncated)
        except Exception as exc:
            if isinstance(exc, WarcWriteError):
                logger.error("WARC write failed for %s: %s (earlier records are intact)", response.url, exc)
                self.stats.inc_value("warc/write_errors")
            else:
                logger.exception("could not archive %s", response.url)
                self.stats.inc_value("warc/errors")
            for key in meta.CAPTURE_KEYS:  # a redirect's pointer must not pass for this one
                request.meta.pop(key, None)
            return
        request.meta[meta.WARC_POINTER] = pointer
        request.meta[meta.WARC_DATE] = date
        if earlier is not None:
            request.meta[meta.WARC_REVISIT] = True
        else:
            request.meta.pop(meta.WARC_REVISIT, None)  # meta is copied along redirects and retries

    # ---------------------------------------------------------------- internals

    def _archive(self, response, request, truncated: str | None) -> tuple[WarcPointer, str, Capture | None]:
        date = records.warc_date()
        digest = records.payload_digest(response.body)
        # A 304 to a conditional request (newsarchive.fetch.conditional): the capture it validated.
        not_modified = request.meta.get(meta.REVISIT_OF) if response.status == 304 else None
        earlier = self.digest_index.lookup(digest) if is_dedup_candidate(response, truncated) else None
        if not_modified is not None:
            earlier = not_modified
            record = records.revisit_record(
                response, date=date, profile=records.SERVER_NOT_MODIFIED, refers_to_uri=earlier.url,
                refers_to_date=earlier.date, refers_to=earlier.record_id,
            )
        elif earlier is not None:
            record = records.revisit_record(
                response, date=date, payload_digest=digest, refers_to_uri=earlier.url,
                refers_to_date=earlier.date, refers_to=earlier.record_id,
            )
        else:
            record = records.response_record(response, date=date, truncated=truncated, digest=digest)
        bytes_before = self.writer.bytes_written
        records_before = self.writer.records_written
        pointer = self.writer.write_exchange(record, records.request_record(request, response, date=date,
                                                                                   keep_secrets=self.keep_secret_headers))

        self.stats.inc_value(stats.WARC_RECORDS, self.writer.records_written - records_before)
        self.stats.inc_value(stats.WARC_BYTES, self.writer.bytes_written - bytes_before)
        self.stats.inc_value(stats.WARC_REVISITS if earlier is not None else stats.WARC_RESPONSES)
        self.stats.set_value(stats.WARC_FILES, len(self.files))
        if truncated:
            self.stats.inc_value("warc/truncated")
            logger.warning("archived a truncated body of %s (WARC-Truncated: %s, %d bytes)",
                           response.url, truncated, len(response.body))
        if earlier is None and is_dedup_candidate(response, truncated):
            self.digest_index.add(digest, Capture(url=response.url, date=date, pointer=pointer))
        return pointer, date, earlier

    def warcinfo_fields(self, spider) -> dict:
        """What the warcinfo record of every file says about this crawl."""
        settings = self.settings
        return {
            "operator": settings.get("WARC_OPERATOR") or settings.get("NEWSARCHIVE_CONTACT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": getattr(spider, "user_agent", None) or user_agent(settings),
            "isPartOf": layout.crawl_id_for(spider),
            "crawl-id": layout.crawl_id_for(spider),
            "spider": spider.name,
        }
