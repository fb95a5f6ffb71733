"""Crawl limits, like Browsertrix's: stop cleanly when a budget is spent, say which, and resume under it.

    CRAWL_MAX_PAGES               requests sent to the network (pages, feeds, sitemaps, robots.txt, redirects)
    CRAWL_MAX_BYTES               bytes of WARC written by the crawl ("500M", "2G" or a number)
    CRAWL_MAX_TIME                seconds of crawling ("90s", "30m", "2h", "1d" or a number)
    CRAWL_MAX_REQUESTS_PER_HOST   requests sent to any one host
    CRAWL_MIN_FREE_DISK           free space on the archive's file system ("10G", or "5%" of its size)

When one is reached, `CrawlLimits` asks the engine to close the spider with the reason
`limit_<name>` (e.g. `limit_max_pages`). That is Scrapy's ordinary clean close: requests in flight
finish and are archived, the WARC files are closed, the feed is flushed, the state store commits,
and JOBDIR keeps the queue, so `newsarchive crawl --resume` continues the crawl. crawl.json says
`stopped_by: {limit, value, used}` and `newsarchive crawl` exits 4 (newsarchive/commands/__init__.py).

Why not Scrapy's CLOSESPIDER_PAGECOUNT / CLOSESPIDER_TIMEOUT alone: they count one process's run,
so a resumed crawl would start its budget afresh, and they count responses a resumed crawl reads back
from its own WARC files (crawl/resume.py). They still work, and `stopped_by` names them too
(`closespider_pagecount`, ...), with exit code 4.

How the budget is kept exact and survives a crash (docs/architecture.md, "Crawl limits"):
- pages and per-host requests are counted where a request is admitted to the network, as a
  downloader middleware placed after crawl/resume.ArchivedResponses (pages a resumed crawl reads
  back from its archive are not fetched, so not counted again) and before fetch/replay (a replay
  re-crawl counts its pages). A request that reaches the middleware after the budget is spent (it
  was taken from the queue before the close began) is handed back to the scheduler, so JOBDIR keeps
  it for the resumed crawl; at most CONCURRENT_REQUESTS of them.
- what was used is journaled in the job folder (`job/limits.log`: a line per request once it has
  been on the network, flushed at once like a WARC record, plus the crawl time every second), so
  after kill -9 the resumed crawl counts what the crashed run sent. Bytes are read off the WARC files.
- the limits a crawl started with are remembered in `job/limits.json`; a resumed crawl keeps them,
  and a limit given again on `--resume` replaces the remembered one (to go further: a higher value).

Time and the disk floor are checked every LIMITS_CHECK_INTERVAL seconds, bytes after each archived
response (so responses in flight can add a little beyond --max-bytes, as in Browsertrix), the disk
floor also at the start: a crawl that would start below it stops before its first request.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.job import job_dir
from twisted.internet import task

from newsarchive.base import layout, meta
from newsarchive.base import stats as stat_names

logger = logging.getLogger(__name__)

#: limit name -> the setting that holds it. The names are what crawl.json and the CLI say.
LIMIT_SETTINGS = {
    "max_pages": "CRAWL_MAX_PAGES",
    "max_bytes": "CRAWL_MAX_BYTES",
    "max_time": "CRAWL_MAX_TIME",
    "max_requests_per_host": "CRAWL_MAX_REQUESTS_PER_HOST",
    "min_free_disk": "CRAWL_MIN_FREE_DISK",
}
REASON_PREFIX = "limit_"
#: Scrapy's own CloseSpider reasons, and the setting whose value they stopped at.
CLOSESPIDER_REASONS = {
    "closespider_pagecount": "CLOSESPIDER_PAGECOUNT",
    "closespider_itemcount": "CLOSESPIDER_ITEMCOUNT",
    "closespider_timeout": "CLOSESPIDER_TIMEOUT",
    "closespider_errorcount": "CLOSESPIDER_ERRORCOUNT",
    "closespider_timeout_no_item": "CLOSESPIDER_TIMEOUT_NO_ITEM",
    "closespider_pagecount_no_item": "CLOSESPIDER_PAGECOUNT_NO_ITEM",
}
#: Limits that are not counts of requests: on reaching one, requests waiting in the downloader are not sent.
UNCOUNTED_LIMITS = ("max_bytes", "max_time", "min_free_disk")
LIMITS_FILE = "limits.json"
JOURNAL_FILE = "limits.log"
STAT_PREFIX = "newsarchive/limits/"

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.I)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.I)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


# ------------------------------------------------------------------ values: pure functions

def parse_size(value) -> int:
    """'500M', '2G', '1.5GB', '10GiB', '4096' or 4096 -> bytes (K, M, G, T are powers of 1024)."""
    if isinstance(value, bool):
        raise ValueError(f"a size is a number of bytes or e.g. 500M, 2G, not {value!r}")
    if isinstance(value, (int, float)):
        number = int(value)
    else:
        match = _SIZE.match(str(value))
        if not match:
            raise ValueError(f"a size is a number of bytes or e.g. 500M, 2G, not {value!r}")
        number = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if number < 1:
        raise ValueError(f"a size must be at least 1 byte, not {value!r}")
    return number


def parse_duration(value) -> float:
    """'90s', '30m', '2h', '1d', '1h30m', '45' or 45 -> seconds."""
    if isinstance(value, bool):
        raise ValueError(f"a duration is e.g. 90s, 30m, 2h, 1d or a number of seconds, not {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        parts = _DURATION_PART.findall(text)
        if not text or "".join(n + u for n, u in parts) != text:
            raise ValueError(f"a duration is e.g. 90s, 30m, 2h, 1d or a number of seconds, not {value!r}")
        seconds = sum(float(number) * _SECONDS[unit.lower()] for number, unit in parts)
    if seconds <= 0:
        raise ValueError(f"a duration must be more than 0 seconds, not {value!r}")
    return seconds


def parse_count(value) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, not {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected a whole number, not {value!r}") from None
    if number < 1:
        raise ValueError(f"expected 1 or more, not {number}")
    return number


def parse_free_disk(value) -> int | str:
    """A disk floor: bytes ('10G') or a share of the file system ('5%', kept as the string)."""
    match = _PERCENT.match(str(value))
    if match and not isinstance(value, (int, float)):
        percent = float(match.group(1))
        if not 0 < percent < 100:
            raise ValueError(f"a disk floor in percent must be between 0 and 100, not {value!r}")
        return f"{percent:g}%"
    return parse_size(value)


PARSERS = {
    "max_pages": parse_count,
    "max_bytes": parse_size,
    "max_time": parse_duration,
    "max_requests_per_host": parse_count,
    "min_free_disk": parse_free_disk,
}


def parse_limits(values: dict) -> dict:
    """{limit name: raw value or None} -> {limit name: parsed value} for the limits that are set."""
    limits = {}
    for name, raw in values.items():
        if raw is None or raw == "":
            continue
        try:
            limits[name] = PARSERS[name](raw)
        except ValueError as exc:
            raise ValueError(f"{LIMIT_SETTINGS[name]}: {exc}") from None
    return limits


def floor_bytes(floor: int | str, total: int) -> int:
    """A disk floor in bytes on a file system of `total` bytes."""
    if isinstance(floor, str) and floor.endswith("%"):
        return int(total * float(floor[:-1]) / 100)
    return int(floor)


def from_scheduler(request) -> bool:
    """Whether the request came through the scheduler (and can go back to it), not from engine.download."""
    return bool(request.meta.get(meta.SCHEDULED)) and request.callback is not NO_CALLBACK


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


# ------------------------------------------------------------------ what was used, kept in the job folder

@dataclass
class Usage:
    pages: int = 0
    seconds: float = 0.0
    hosts: Counter | None = None

    def __post_init__(self):
        self.hosts = Counter(self.hosts or {})


def read_journal(path: Path) -> Usage:
    """What earlier runs of this crawl used: `R <host>` per admitted request, `T <seconds>` for time.

    A torn last line (a crash mid-write) is skipped.
    """
    usage = Usage()
    try:
        fh = open(path, encoding="utf-8")
    except FileNotFoundError:
        return usage
    with fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            kind, _, value = line.rstrip("\n").partition(" ")
            if kind == "R":
                usage.pages += 1
                usage.hosts[value] += 1
            elif kind == "T":
                try:
                    usage.seconds = max(usage.seconds, float(value))
                except ValueError:
                    continue
    return usage


def remembered_limits(jobdir: Path) -> dict:
    try:
        data = json.loads((Path(jobdir) / LIMITS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: value for name, value in (data.get("limits") or {}).items() if name in LIMIT_SETTINGS}


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def warc_bytes_on_disk(warc_dir: Path) -> int:
    total = 0
    for path in warc_dir.glob("*.warc.gz*"):
        if path.name.endswith((".warc.gz", ".warc.gz.open")):
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                continue
    return total


# ------------------------------------------------------------------ the component

class CrawlLimits:
    """Downloader middleware and signal handler that enforces the crawl limits (see the module docstring)."""

    def __init__(self, crawler, limits: dict, jobdir: Path | None, check_interval: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.limits = limits
        self.jobdir = jobdir
        self.check_interval = check_interval
        self.usage = Usage()
        self.started = time.monotonic()
        self.seconds_before = 0.0
        self.bytes_before = 0
        self.warc_bytes_at_open = 0
        self.stopped_by: dict | None = None
        self.journal = None
        self.loop: task.LoopingCall | None = None
        self.warc_dir: Path | None = None
        self.held_back = 0

    @classmethod
    def from_crawler(cls, crawler) -> CrawlLimits:
        settings = crawler.settings
        given = parse_limits({name: settings.get(setting) for name, setting in LIMIT_SETTINGS.items()})
        folder = job_dir(settings)
        jobdir = Path(folder) if folder else None
        remembered = remembered_limits(jobdir) if jobdir else {}
        limits = {**remembered, **given}
        if not limits:
            raise NotConfigured  # bare: nothing to say on every crawl without limits
        for name, value in given.items():
            if name in remembered and remembered[name] != value:
                logger.warning("limit %s: %s on this run, %s when the crawl started", name, value, remembered[name])
        if "max_bytes" in limits and not settings.getbool("WARC_ENABLED"):
            logger.warning("CRAWL_MAX_BYTES counts WARC bytes, and WARC_ENABLED is off: the limit does not apply")
            limits.pop("max_bytes")
        component = cls(crawler, limits, jobdir, settings.getfloat("LIMITS_CHECK_INTERVAL"))
        crawler.signals.connect(component.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(component.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(component.request_left_downloader, signal=signals.request_left_downloader)
        crawler.signals.connect(component.request_scheduled, signal=signals.request_scheduled)
        if "max_bytes" in limits:
            crawler.signals.connect(component.response_downloaded, signal=signals.response_downloaded)
        return component

    # ---------------------------------------------------------------- signals

    def spider_opened(self, spider) -> None:
        self.warc_dir = layout.warc_dir(spider)
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        if self.jobdir is not None:
            self.jobdir.mkdir(parents=True, exist_ok=True)
            self.usage = read_journal(self.jobdir / JOURNAL_FILE)
            _write_json(self.jobdir / LIMITS_FILE, {"limits": self.limits})
            self.journal = open(self.jobdir / JOURNAL_FILE, "a", encoding="utf-8")
        self.seconds_before = self.usage.seconds
        self.warc_bytes_at_open = warc_bytes_on_disk(self.warc_dir)
        self.bytes_before = self.stats.get_value(stat_names.WARC_BYTES, 0)
        for name, value in self.limits.items():
            self.stats.set_value(f"{STAT_PREFIX}{name}", value)
        if self.usage.pages or self.seconds_before:
            logger.info("limits %s; earlier runs of this crawl used %d requests and %.0f s",
                        self.limits, self.usage.pages, self.seconds_before)
        else:
            logger.info("limits %s", self.limits)
        self.started = time.monotonic()
        if self._check_spent(close=False):
            # Scrapy closes a spider whose spider_opened handler raises CloseSpider, before any request.
            raise CloseSpider(REASON_PREFIX + self.stopped_by["limit"])
        self.loop = task.LoopingCall(self._tick)
        self.loop.start(self.check_interval, now=False)

    def spider_closed(self, spider, reason=None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.journal is not None:
            self._journal(f"T {self.seconds_used():.3f}")
            self.journal.close()
            self.journal = None
        self.stats.set_value(STAT_PREFIX + "used", self.used())
        if self.held_back:
            self.stats.set_value(STAT_PREFIX + "held_back", self.held_back)

    def request_scheduled(self, request, spider=None) -> None:
        # Marked before the scheduler stores it (JOBDIR pickles the mark along): see _hold_back.
        request.meta[meta.SCHEDULED] = True

    def request_left_downloader(self, request, spider=None) -> None:
        # Journaled once the request has been on the network (answered or failed), not when admitted: a
        # request admitted and then waiting out DOWNLOAD_DELAY when the crawl is killed was never sent.
        self._journal(f"R {host_of(request.url)}")

    def response_downloaded(self, response, request, spider) -> None:
        if self.stopped_by is None and self.bytes_used() >= self.limits["max_bytes"]:
            self._stop("max_bytes", self.bytes_used())

    # ---------------------------------------------------------------- admission (downloader middleware)

    def process_request(self, request, spider=None):
        if self.stopped_by is not None:
            return self._hold_back(request)
        host = host_of(request.url)
        pages_limit = self.limits.get("max_pages")
        host_limit = self.limits.get("max_requests_per_host")
        if pages_limit is not None and self.usage.pages >= pages_limit:
            self._stop("max_pages", self.usage.pages)
            return self._hold_back(request)
        if host_limit is not None and self.usage.hosts[host] >= host_limit:
            self._stop("max_requests_per_host", self.usage.hosts[host], host=host)
            return self._hold_back(request)
        self.usage.pages += 1
        self.usage.hosts[host] += 1
        # The request that spends a budget is the last one: close now, so nothing more is taken from the queue.
        if pages_limit is not None and self.usage.pages >= pages_limit:
            self._stop("max_pages", self.usage.pages)
        elif host_limit is not None and self.usage.hosts[host] >= host_limit:
            self._stop("max_requests_per_host", self.usage.hosts[host], host=host)
        return None

    def _hold_back(self, request):
        """A request taken from the queue after the budget was spent: back to the scheduler, not the network."""
        self.held_back += 1
        if not from_scheduler(request):
            # Downloaded by a component itself (robots.txt, page requisites), whose caller takes an error;
            # handed back as a Request it would be downloaded again at once, and again.
            raise IgnoreRequest(f"crawl limit reached ({self.stopped_by['limit']}): {request.url} not fetched")
        # Its fingerprint is in the dupefilter already, so it must not be filtered on the way back in.
        return request.replace(dont_filter=True)

    # ---------------------------------------------------------------- checks

    def _tick(self) -> None:
        self._journal(f"T {self.seconds_used():.3f}")
        self._check_spent()

    def _check_spent(self, close: bool = True) -> bool:
        """Check the time, disk and byte budgets; True when one is spent (and, with `close`, the close begun)."""
        if self.stopped_by is not None:
            return True
        max_time = self.limits.get("max_time")
        if max_time is not None and self.seconds_used() >= max_time:
            self._stop("max_time", round(self.seconds_used(), 1), close=close)
        elif "min_free_disk" in self.limits:
            usage = shutil.disk_usage(self.warc_dir)
            floor = floor_bytes(self.limits["min_free_disk"], usage.total)
            if usage.free < floor:
                self._stop("min_free_disk", None, close=close, free_bytes=usage.free, floor_bytes=floor)
        if "max_bytes" in self.limits and self.stopped_by is None and self.bytes_used() >= self.limits["max_bytes"]:
            self._stop("max_bytes", self.bytes_used(), close=close)
        return self.stopped_by is not None

    def seconds_used(self) -> float:
        return self.seconds_before + (time.monotonic() - self.started)

    def bytes_used(self) -> int:
        return self.warc_bytes_at_open + self.stats.get_value(stat_names.WARC_BYTES, 0) - self.bytes_before

    def used(self) -> dict:
        used = {"pages": self.usage.pages, "seconds": round(self.seconds_used(), 1)}
        if self.warc_dir is not None:
            used["bytes"] = self.bytes_used()
        if self.usage.hosts:
            host, count = self.usage.hosts.most_common(1)[0]
            used["most_requests_per_host"] = {"host": host, "requests": count}
        if self.held_back:
            used["held_back"] = self.held_back  # taken from the queue after the stop, put back for --resume
        return used

    def _stop(self, name: str, used, close: bool = True, **detail) -> None:
        if self.stopped_by is not None:
            return
        self.stopped_by = {"limit": name, "value": self.limits[name], **({"used": used} if used is not None else {}),
                           **detail}
        self.stats.set_value(STAT_PREFIX + "stopped_by", name)
        logger.warning("crawl limit reached: %s = %s (%s); closing the crawl cleanly, --resume continues it",
                       name, self.limits[name],
                       ", ".join(f"{key} {value}" for key, value in self.stopped_by.items() if key not in ("limit", "value")))
        engine = self.crawler.engine
        if close and engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=REASON_PREFIX + name))
            if name in UNCOUNTED_LIMITS:
                self._drain_download_queues(engine)

    def _drain_download_queues(self, engine) -> None:
        """Hand requests still waiting out DOWNLOAD_DELAY in the downloader back to the scheduler.

        A clean close lets the downloader send everything it holds, one delay apart: behind a polite
        delay (AutoThrottle reaches 30 s) that would run a time limit over by minutes. A request a
        downloader-slot queue gives back as a Request goes to the scheduler (JOBDIR keeps it), as
        process_request's do. Only for the limits that are not counts of requests: --max-pages and
        --max-requests-per-host let what they admitted go out. Scrapy's Downloader keeps these queues
        in `slots[key].queue` as (request, deferred) pairs; should that change, the delays are waited out.
        """
        slots = getattr(getattr(engine, "downloader", None), "slots", None)
        if not isinstance(slots, dict):
            return
        drained = 0
        for slot in list(slots.values()):
            queue = getattr(slot, "queue", None)
            while queue:
                request, waiting = queue.popleft()
                self.usage.pages -= 1  # admitted, never sent
                self.usage.hosts[host_of(request.url)] -= 1
                drained += 1
                if not from_scheduler(request):
                    waiting.errback(IgnoreRequest(f"crawl limit reached: {request.url} not fetched"))
                else:
                    waiting.callback(request.replace(dont_filter=True))
        if drained:
            self.held_back += drained
            logger.info("%d requests waiting in the downloader went back to the queue", drained)

    def _journal(self, line: str) -> None:
        if self.journal is None:
            return
        try:
            self.journal.write(line + "\n")
            self.journal.flush()  # to the OS at once: a killed crawl's usage survives (like the WARC records)
        except OSError as exc:  # a full disk must not crash the crawl; the limits still hold in memory
            logger.error("cannot write the limits journal %s: %s", self.jobdir / JOURNAL_FILE, exc)
            self.stats.inc_value(STAT_PREFIX + "journal_errors")
            self.journal = None


# ------------------------------------------------------------------ what the report says

def stopped_by(crawler, reason: str | None) -> dict | None:
    """{limit, value, used, ...} when the crawl ended on a limit (ours or Scrapy's CLOSESPIDER_*), else None."""
    reason = str(reason or "")
    if reason.startswith(REASON_PREFIX):
        component = limits_component(crawler)
        if component is not None and component.stopped_by is not None:
            return dict(component.stopped_by)
        return {"limit": reason[len(REASON_PREFIX):], "value": None}
    if reason in CLOSESPIDER_REASONS:
        return {"limit": reason, "value": crawler.settings.get(CLOSESPIDER_REASONS[reason])}
    return None


def limits_component(crawler) -> CrawlLimits | None:
    try:
        return crawler.get_downloader_middleware(CrawlLimits)
    except RuntimeError:  # a report built for a crawler whose engine never started (a crawl that failed to open)
        return None


def limits_report(crawler) -> dict | None:
    """The limits the crawl ran under and what it used of them (all runs of a resumed crawl), or None."""
    component = limits_component(crawler)
    if component is None:
        return None
    return {"limits": dict(component.limits), "used": component.used()}

