"""Test-only crash points: components that kill their own crawl with SIGKILL at a chosen moment.

Nothing in the project enables them; a test adds them through the settings it passes on the command
line (see `crash_settings`). They make a kill -9 land at one exact point of the data flow, which a
timer-driven kill from outside cannot do:

- KillMidWarcWrite (extension, CRASH_AT_RESPONSE = N): at the Nth downloaded response, append the
  first half of its gzipped WARC record to the open WARC file, as a write cut short by the kill
  leaves it, then SIGKILL. Connected before the WarcRecorder, so the record is never completed.
- KillAtItem (item pipeline, CRASH_AT_ITEM = N, CRASH_MODE):
  "before_export": SIGKILL at the Nth article, after its response was archived and before its JSON
  line is written: the window between the WARC and the feed.
  "torn_export": append the first half of the Nth article's JSON line to articles.jsonl, as a write
  cut short by the kill leaves it, then SIGKILL: a crash inside the feed export.

- KillHoldingClaim (extension, CRASH_AT_CLAIM = N; distributed mode): at the Nth page requisite whose
  payload is new, win that payload's claim (as the WARC recorder does before writing the whole record)
  and SIGKILL, so the claim is left to run out: the next worker to fetch that requisite (every worker
  fetches a site's stylesheet and logo once) waits on it, its reactor blocked, while pages it archived
  wait for their requisites (distributed/digest_index.py).

And one stall: StallAtItem (item pipeline, STALL_AT_ITEM = N, STALL_SECONDS = s) blocks the whole
process for s seconds at the Nth article, before its export, as swapping or a machine too loaded to
schedule the process does: its timers (a distributed worker's lease renewals) do not run meanwhile.
"""
from __future__ import annotations

import json
import os
import signal
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsarchive.base import layout, meta
from newsarchive.warc import records
from newsarchive.warc.recorder import WarcRecorder
from newsarchive.warc.writer import gzip_member


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class AtNthResponse:
    """An extension that counts downloaded responses (those `counts` accepts) and acts from the Nth on,
    N the setting SETTING; below FIRST the crash point is off."""

    SETTING = ""
    FIRST = 1

    def __init__(self, crawler, at: int):
        self.crawler = crawler
        self.at = at
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler):
        at = crawler.settings.getint(cls.SETTING)
        if at < cls.FIRST:
            raise NotConfigured
        hook = cls(crawler, at)
        crawler.signals.connect(hook.response_downloaded, signal=signals.response_downloaded)
        return hook

    def counts(self, response, request) -> bool:
        return True

    def response_downloaded(self, response, request, spider):
        if not self.counts(response, request):
            return
        self.seen += 1
        if self.seen >= self.at:
            self.reached(response)

    def reached(self, response) -> None:
        raise NotImplementedError


class KillMidWarcWrite(AtNthResponse):
    SETTING = "CRASH_AT_RESPONSE"
    FIRST = 2  # the first response opens the WARC file; there must be one to tear

    def reached(self, response) -> None:
        path = self.crawler.get_extension(WarcRecorder).writer.current_path
        record = records.response_record(response, date=records.warc_date(), truncated=None,
                                         digest=records.payload_digest(response.body))
        member = gzip_member(records.RecordSerializer().to_bytes(record), 6)
        with open(path, "ab") as fh:
            fh.write(member[: len(member) // 2])
        die()


class KillHoldingClaim(AtNthResponse):
    SETTING = "CRASH_AT_CLAIM"

    def counts(self, response, request) -> bool:
        return bool(request.meta.get(meta.REQUISITE)) and response.status == 200 and bool(response.body)

    def reached(self, response) -> None:
        index = self.crawler.get_extension(WarcRecorder).digest_index
        if index.lookup(records.payload_digest(response.body)) is None:  # the claim is ours now
            die()


class KillAtItem:
    MODES = ("before_export", "torn_export")

    def __init__(self, crawler, at: int, mode: str):
        self.crawler = crawler
        self.at = at
        self.mode = mode
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler):
        at, mode = crawler.settings.getint("CRASH_AT_ITEM"), crawler.settings.get("CRASH_MODE")
        if at < 1:
            raise NotConfigured
        if mode not in cls.MODES:
            raise ValueError(f"CRASH_MODE must be one of {cls.MODES}, not {mode!r}")
        return cls(crawler, at, mode)

    def process_item(self, item, spider=None):
        self.seen += 1
        if self.seen < self.at:
            return item
        if self.mode == "torn_export":
            line = (json.dumps(dict(item), ensure_ascii=False) + "\n").encode("utf-8")
            articles = layout.crawl_dir(self.crawler.spider) / layout.ARTICLES_FILE
            with open(articles, "ab") as fh:
                fh.write(line[: len(line) // 2])
        die()


class StallAtItem:
    def __init__(self, at: int, seconds: float):
        self.at = at
        self.seconds = seconds
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler):
        at = crawler.settings.getint("STALL_AT_ITEM")
        if at < 1:
            raise NotConfigured
        return cls(at, crawler.settings.getfloat("STALL_SECONDS"))

    def process_item(self, item, spider=None):
        self.seen += 1
        if self.seen == self.at:
            time.sleep(self.seconds)  # blocking on purpose: the reactor stops with it
        return item


def crash_settings(**crash: object) -> list[str]:
    """`--set` arguments that add the crash points to the project's components, with `crash` settings."""
    from newsarchive import settings as project

    extensions = {**project.EXTENSIONS, f"{__name__}.KillMidWarcWrite": 1}
    pipelines = {**project.ITEM_PIPELINES, f"{__name__}.KillAtItem": 850}
    values = {"EXTENSIONS": extensions, "ITEM_PIPELINES": pipelines, **crash}
    return [arg for name, value in values.items() for arg in ("--set", f"{name}={json.dumps(value)}")]
