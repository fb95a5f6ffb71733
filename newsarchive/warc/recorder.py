"""WarcRecorder: the Scrapy extension that archives every downloaded response (docs/architecture.md).

It listens to `response_downloaded`, which fires before any downloader middleware sees the response,
so redirects, errors, retries and still-compressed bodies are archived as they came. Each response
becomes a `response` record (or a `revisit` when its payload was archived before, or when a
conditional request was answered 304) followed by its `request`; the response record's pointer goes
into `request.meta[meta.WARC_POINTER]` for the spider callback. Every exported article adds a
`metadata` record holding its JSON, referring to the response it was extracted from.

HTTP heads are the bytes the wire-capture download handler recorded (`meta.WIRE_EXCHANGE`), and
every record of an exchange is dated when its request was sent; without a recording (HTTP/2, another
handler) the heads are rebuilt in their decoded form and the date is when the request reached the
downloader (warc/http.py).

Two signals tell the incremental state what it may claim (state/extension.py): `warc_repaired`
after leftover `.open` files were cut at the start of a crawl (with the repair reports), and
`warc_durable` each time more of the current file is on disk.
"""
from __future__ import annotations

import logging
import time
import weakref
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from newsarchive.base import layout, meta, stats
from newsarchive.base.agent import user_agent
from newsarchive.warc import http, records
from newsarchive.warc.dedup import InMemoryDigestIndex
from newsarchive.warc.pointer import Capture, WarcPointer
from newsarchive.warc.repair import repair_open_files
from newsarchive.warc.wire import WireExchange
from newsarchive.warc.writer import RollingWarcWriter, WarcWriteError

logger = logging.getLogger(__name__)

# Flags Scrapy puts on a response whose body was cut short, and the WARC-Truncated reason for each.
TRUNCATION_FLAGS = {"download_stopped": "length", "dataloss": "disconnect"}

#: Sent once leftover `.open` files were repaired at the start of a crawl: `reports` (warc/repair.py).
warc_repaired = object()
#: Sent when the first `size` bytes of the WARC file `filename` are on disk (fsync'd).
warc_durable = object()


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
    WARC_FSYNC_INTERVAL (0: fsync after every exchange; N: at most every N seconds, and at least
    N seconds after a write), WARC_DIGEST_INDEX (import path of the payload-digest index; in-crawl
    memory by default) and WARC_ARTICLE_METADATA (a metadata record per exported article).
    """

    def __init__(self, crawler, digest_index=None):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.digest_index = digest_index if digest_index is not None else InMemoryDigestIndex()
        self.writer: RollingWarcWriter | None = None
        self.repairs: list[dict] = []
        # When each request in the downloader reached it: the fallback send time, and the floor of
        # the dates a new file's records can carry.
        self._reached: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._in_flight: dict[int, float] = {}
        self._sync_loop = None
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
        crawler.signals.connect(recorder.request_reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(recorder.request_left_downloader, signal=signals.request_left_downloader)
        crawler.signals.connect(recorder.response_downloaded, signal=signals.response_downloaded)
        if crawler.settings.getbool("WARC_ARTICLE_METADATA"):
            crawler.signals.connect(recorder.item_scraped, signal=signals.item_scraped)
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

    def is_durable(self, pointer: WarcPointer) -> bool:
        """Whether the record `pointer` names is on disk (any file but the one being written is)."""
        return self.writer is None or self.writer.is_durable(pointer)

    def sync(self) -> None:
        """Put everything written so far on disk now."""
        if self.writer is not None:
            try:
                self.writer.sync()
            except OSError:
                logger.exception("could not fsync the WARC file %s", self.writer.current_path)
                self.stats.inc_value("warc/write_errors")

    # ---------------------------------------------------------------- signals

    def spider_opened(self, spider) -> None:
        directory = layout.warc_dir(spider)
        # Any earlier crawl of this spider that crashed left .open files: repair them all now,
        # not only this crawl's (a resumed crawl), so no archive stays half-written.
        self.repairs = []
        for warc_dir in sorted(layout.spider_dir(spider).glob(f"*/{layout.WARC_SUBDIR}")):
            try:
                self.repairs += repair_open_files(warc_dir, skip_live_writers=True)
            except OSError:
                # Another crawl's leftovers must not keep this one from archiving: it opens its own file.
                logger.exception("could not repair the leftover WARC files in %s", warc_dir)
                self.stats.inc_value("warc/repair_errors")
        if self.repairs:
            self.crawler.signals.send_catch_log(signal=warc_repaired, reports=self.repairs)
        interval = self.settings.getfloat("WARC_FSYNC_INTERVAL")
        self.writer = RollingWarcWriter(
            directory,
            prefix=self.settings.get("WARC_PREFIX"),
            max_size=self.settings.getint("WARC_MAX_SIZE"),
            gzip_level=self.settings.getint("WARC_GZIP_LEVEL"),
            fsync_interval=interval,
            warcinfo_fields=self.warcinfo_fields(spider),
            date_floor=self._earliest_in_flight,
            on_durable=self._durable,
        )
        if interval > 0:
            from twisted.internet import task

            # Group commit still reaches the disk within `interval` of a write when no write follows.
            self._sync_loop = task.LoopingCall(self.sync)
            self._sync_loop.start(interval, now=False)

    def spider_closed(self, spider, reason=None) -> None:
        if self._sync_loop is not None and self._sync_loop.running:
            self._sync_loop.stop()
        if self.writer is None:
            return
        try:
            self.writer.close()
        except OSError:
            logger.exception("could not close the WARC file %s", self.writer.current_path)
            self.stats.inc_value("warc/write_errors")
        self.stats.set_value(stats.WARC_FILES, len(self.files))

    def request_reached_downloader(self, request, spider=None) -> None:
        now = time.time()
        self._reached[request] = now
        self._in_flight[id(request)] = now

    def request_left_downloader(self, request, spider=None) -> None:
        self._in_flight.pop(id(request), None)

    def response_downloaded(self, response, request, spider) -> None:
        wire = request.meta.pop(meta.WIRE_EXCHANGE, None)
        if "cached" in response.flags:
            self.stats.inc_value("warc/skipped/cached")  # a cache hit is not a fetch
            return
        if self.writer is None or not response.url.startswith(("http://", "https://")):
            return
        truncated = truncation_reason(response.flags)
        try:
            pointer, date, earlier = self._archive(response, request, truncated, wire)
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

    def item_scraped(self, item, response=None, spider=None) -> None:
        """An exported article: its JSON record goes into the WARC, about the response it came from."""
        if self.writer is None:
            return
        fields = ItemAdapter(item).asdict()
        record = records.article_metadata_record(fields)
        if record is None:
            return  # nothing archived to refer to
        bytes_before, records_before = self.writer.bytes_written, self.writer.records_written
        try:
            self.writer.write_record(record)
        except Exception as exc:
            logger.error("could not write the metadata record of %s: %s", fields.get("url"), exc)
            self.stats.inc_value("warc/write_errors" if isinstance(exc, WarcWriteError) else "warc/errors")
            return
        self.stats.inc_value(stats.WARC_METADATA)
        self.stats.inc_value(stats.WARC_RECORDS, self.writer.records_written - records_before)
        self.stats.inc_value(stats.WARC_BYTES, self.writer.bytes_written - bytes_before)
        self.stats.set_value(stats.WARC_FILES, len(self.files))

    # ---------------------------------------------------------------- internals

    def _sent_at(self, request, wire: WireExchange | None) -> str:
        """The exchange's WARC-Date: when its request was sent (see the module docstring)."""
        if wire is not None:
            return records.warc_date_at(wire.sent_at)
        reached = self._reached.get(request)
        return records.warc_date_at(reached) if reached is not None else records.warc_date()

    def _earliest_in_flight(self) -> str | None:
        return records.warc_date_at(min(self._in_flight.values())) if self._in_flight else None

    def _durable(self, filename: str, size: int) -> None:
        self.crawler.signals.send_catch_log(signal=warc_durable, filename=filename, size=size)

    def _heads(self, response, wire: WireExchange | None):
        """(response head, raw response head, request head, request body, peer): recorded, else None for each."""
        if wire is None:
            self.stats.inc_value("warc/heads/rebuilt")
            return None, None, None, None, None
        response_head = http.recorded_response_head(wire.response_head, wire.trailers)
        request_raw, request_body = wire.request_head_and_body()
        request_head = http.recorded_request_head(request_raw, keep_secrets=self.keep_secret_headers)
        if response_head is None or request_head is None or response_head.get_statuscode() != str(response.status):
            self.stats.inc_value("warc/heads/unreadable")
            logger.warning("the HTTP head of %s as received cannot be read back; storing its decoded form",
                           response.url)
            return None, None, None, None, wire.peer
        self.stats.inc_value("warc/heads/recorded")
        return response_head, wire.response_head, request_head, request_body, wire.peer

    def _archive(self, response, request, truncated: str | None,
                 wire: WireExchange | None) -> tuple[WarcPointer, str, Capture | None]:
        date = self._sent_at(request, wire)
        digest = records.payload_digest(response.body)
        head, raw_head, request_head, request_body, peer = self._heads(response, wire)
        # A 304 to a conditional request (newsarchive.state.conditional): the capture it validated.
        not_modified = request.meta.get(meta.REVISIT_OF) if response.status == 304 else None
        earlier = self.digest_index.lookup(digest) if is_dedup_candidate(response, truncated) else None
        related = ()
        if not_modified is not None:
            earlier = not_modified
            record = records.revisit_record(
                response, date=date, ip_address=peer, profile=records.SERVER_NOT_MODIFIED,
                refers_to_uri=earlier.url, refers_to_date=earlier.date, refers_to=earlier.record_id,
            )
            own_head = raw_head if raw_head is not None else http.response_headers(
                response.status, response.headers, b"", response.protocol).to_bytes()
            related = (records.not_modified_record(own_head, refers_to=record.rec_headers.get_header("WARC-Record-ID"),
                                                   date=date),)
        elif earlier is not None:
            record = records.revisit_record(
                response, date=date, head=head, ip_address=peer, payload_digest=digest,
                refers_to_uri=earlier.url, refers_to_date=earlier.date, refers_to=earlier.record_id,
            )
        else:
            record = records.response_record(response, date=date, head=head, ip_address=peer, truncated=truncated,
                                             digest=digest)
        request_record = records.request_record(request, response, date=date, head=request_head, body=request_body,
                                                ip_address=peer, keep_secrets=self.keep_secret_headers)
        bytes_before = self.writer.bytes_written
        records_before = self.writer.records_written
        pointer = self.writer.write_exchange(record, request_record, related)

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
