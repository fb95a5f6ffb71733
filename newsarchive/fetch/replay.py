"""Replay mode: answer every request from WARC files instead of the network (REPLAY_WARC = file or folder).

    scrapy check -s REPLAY_WARC=tests/fixtures/contracts/     spider contracts, offline
    scrapy crawl demo -a url=... -s REPLAY_WARC=archive/demo/  re-crawl an archive through the spider

A request is looked up by URL in the CDXJ index beside each WARC (a WARC without one is scanned
once), and the archived response comes back as the live path would have seen it: status, headers,
and the body exactly as stored, Content-Encoding included, so HttpCompressionMiddleware decodes it
as usual and redirects are followed by RedirectMiddleware. Each replayed response carries the flag
"replayed" and, in meta, the original record's pointer and WARC-Date, so a re-crawl's records keep
pointing at the capture they came from.

A URL the archive does not hold fails clearly (ReplayMiss, an IgnoreRequest naming the URL and the
archive; stat newsarchive/replay/miss). robots.txt is answered from the archive when it was
captured, else with an empty (allow-all) file: the archive only holds what the original crawl was
allowed to fetch, so replaying it needs no second permission.

The ReplayMode add-on switches WARC recording, incremental state and conditional requests off when
REPLAY_WARC is set: replayed responses are archived already, and a re-crawl writes new article
records, not new captures or state.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from newsarchive.base import meta
from newsarchive.warc.archive import WarcArchive
from newsarchive.warc.reader import ArchivedResponse

logger = logging.getLogger(__name__)

REPLAYED_FLAG = "replayed"
STAT_PREFIX = "newsarchive/replay/"


class ReplayMiss(IgnoreRequest):
    """The archive holds no capture of the requested URL."""


def build_response(request: Request, archived: ArchivedResponse) -> Response:
    """A Scrapy response for `request` from an archived one, as the download handler would have built it."""
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
    return cls(url=request.url, status=archived.status, headers=headers, body=archived.body,
               flags=[REPLAYED_FLAG], request=request)


def answer_from_archive(request: Request, archived: ArchivedResponse) -> Response:
    """`archived` as the response to `request`, with the meta the WARC recorder gives a live fetch.

    The pointer and WARC-Date are the original capture's, so a record built from the response cites
    it; a revisit is marked so, as in the crawl that wrote it (its target gave the record already).
    """
    request.meta[meta.WARC_POINTER] = archived.pointer
    request.meta[meta.WARC_DATE] = archived.warc_date
    if archived.revisit:
        request.meta[meta.WARC_REVISIT] = True
    else:
        request.meta.pop(meta.WARC_REVISIT, None)  # meta is copied along redirects
    return build_response(request, archived)


def robots_default(request: Request) -> Response:
    """An empty robots.txt: allow all (see the module docstring for why)."""
    return Response(url=request.url, status=200, headers={"Content-Type": "text/plain"}, body=b"",
                    flags=[REPLAYED_FLAG, "robots_default"], request=request)


class ReplayMiddleware:
    """Downloader middleware answering requests from REPLAY_WARC; disabled when the setting is empty."""

    def __init__(self, archive: WarcArchive, source: str, stats):
        self.archive = archive
        self.source = source
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        source = crawler.settings.get("REPLAY_WARC")
        if not source:
            raise NotConfigured
        try:
            archive = WarcArchive(source)
        except FileNotFoundError as exc:
            raise ValueError(f"REPLAY_WARC: {exc}") from None
        if not archive.files:
            raise ValueError(f"REPLAY_WARC: no WARC files in {source}")
        logger.info("replay mode: %d captures from %d WARC files in %s", len(archive), len(archive.files), source)
        return cls(archive, str(source), crawler.stats)

    def process_request(self, request: Request, spider=None) -> Response:
        capture = self.archive.lookup(request.url)
        if capture is None:
            if request.url.endswith("/robots.txt"):
                self.stats.inc_value(f"{STAT_PREFIX}robots_default")
                return robots_default(request)
            self.stats.inc_value(f"{STAT_PREFIX}miss")
            logger.error("replay miss: %s is not in the archive %s", request.url, self.source)
            raise ReplayMiss(f"replay miss: {request.url} is not in the archive {self.source}")
        archived = self.archive.read(capture)
        self.stats.inc_value(f"{STAT_PREFIX}responses")
        return answer_from_archive(request, archived)


class ReplayMode:
    """Add-on: with REPLAY_WARC set, a crawl neither archives nor touches incremental state.

    Replayed responses are archived already, and a re-crawl of old captures must not change what the
    next live crawl considers new or due. A setting given with at least REPLAY_WARC's priority wins.
    """

    OFF_IN_REPLAY = ("WARC_ENABLED", "INCREMENTAL_ENABLED", "CONDITIONAL_REQUESTS_ENABLED")

    def update_settings(self, settings) -> None:
        if not settings.get("REPLAY_WARC"):
            return
        priority = settings.getpriority("REPLAY_WARC")
        for name in self.OFF_IN_REPLAY:
            if (settings.getpriority(name) or 0) < priority:
                settings.set(name, False, priority=priority)
