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
from dataclasses import dataclass
from pathlib import Path

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator

from newsarchive.warc import cdxj
from newsarchive.warc.reader import find_warc_files
from newsarchive.warc.writer import cdxj_path_for

logger = logging.getLogger(__name__)

REPLAYED_FLAG = "replayed"
STAT_PREFIX = "newsarchive/replay/"


class ReplayMiss(IgnoreRequest):
    """The archive holds no capture of the requested URL."""


@dataclass(frozen=True)
class Capture:
    """Where one archived response (or revisit) record lives."""

    url: str
    timestamp: str  # 14 digits, as in CDXJ
    path: Path
    offset: int
    length: int | None
    revisit: bool


@dataclass
class ArchivedHttpResponse:
    """An archived response: the HTTP message as stored plus the identity of its record."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # as stored: Content-Encoding still applied
    warc_date: str
    pointer: dict
    revisit: bool = False


def url_key(url: str) -> str:
    """Lookup key: the canonical URL, so query-argument order and fragments do not cause misses."""
    return canonicalize_url(url, keep_fragments=False)


def captures_in(warc: Path) -> list[Capture]:
    """The captures of one WARC: from the CDXJ beside it, or by indexing the WARC when it has none."""
    index = cdxj_path_for(warc)
    try:
        entries = cdxj.read_entries(index) if index.exists() else cdxj.index_warc(warc)
    except cdxj.CdxjSyntaxError as exc:
        logger.warning("replay: %s is unreadable (%s); indexing %s instead", index, exc, warc.name)
        entries = cdxj.index_warc(warc)
    return [
        Capture(url=e.url, timestamp=e.timestamp, path=warc, offset=e.offset, length=e.length,
                revisit=e.mime == "warc/revisit")
        for e in entries
    ]


class WarcArchive:
    """URL -> latest capture over a set of WARC files, and reading a capture back as an HTTP response."""

    def __init__(self, paths: str | Path | list[str | Path]):
        self.files = find_warc_files(paths)
        self.captures: dict[str, Capture] = {}
        order: dict[str, tuple] = {}
        for number, warc in enumerate(self.files):  # file names start with their creation time
            for capture in captures_in(warc):
                key = url_key(capture.url)
                # The latest capture wins (a retry's 200 over the 500 before it, in the same second too:
                # offsets order captures within a file), but a revisit never hides a full response of
                # the same URL, whose payload it repeats anyway.
                rank = (not capture.revisit, capture.timestamp, number, capture.offset)
                if key not in order or rank > order[key]:
                    order[key] = rank
                    self.captures[key] = capture

    def __len__(self) -> int:
        return len(self.captures)

    def lookup(self, url: str) -> Capture | None:
        return self.captures.get(url_key(url))

    def read(self, capture: Capture) -> ArchivedHttpResponse:
        """The capture as a response; a revisit gets the payload of the capture it refers to."""
        archived, refers_to = read_response(capture.path, capture.offset, capture.length)
        if refers_to:
            original = self.lookup(refers_to)
            if original is None or original.revisit:
                raise ValueError(f"revisit of {capture.url} refers to {refers_to}, which the archive does not hold")
            archived.body = read_response(original.path, original.offset, original.length)[0].body
        return archived


def read_response(path: Path, offset: int, length: int | None = None) -> tuple[ArchivedHttpResponse, str | None]:
    """The response or revisit record at `offset`, body exactly as stored; plus a revisit's target URI."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)), None)
        if record is None or record.rec_type not in ("response", "revisit") or record.http_headers is None:
            raise ValueError(f"{path}:{offset} is not an HTTP response record")
        body = record.raw_stream.read()
        headers = record.rec_headers
        status = record.http_headers.get_statuscode()
        revisit = record.rec_type == "revisit"
        archived = ArchivedHttpResponse(
            url=headers.get_header("WARC-Target-URI"),
            status=int(status) if status and status.isdigit() else 200,
            headers=list(record.http_headers.headers),
            body=body,
            warc_date=headers.get_header("WARC-Date"),
            pointer={
                "filename": path.name.removesuffix(".open"),
                "offset": offset,
                "length": length,
                "record_id": headers.get_header("WARC-Record-ID"),
                "payload_digest": headers.get_header("WARC-Payload-Digest"),
            },
            revisit=revisit,
        )
    return archived, (headers.get_header("WARC-Refers-To-Target-URI") if revisit else None)


def build_response(request: Request, archived: ArchivedHttpResponse) -> Response:
    """A Scrapy response for `request` from an archived one, as the download handler would have built it."""
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
    return cls(url=request.url, status=archived.status, headers=headers, body=archived.body,
               flags=[REPLAYED_FLAG], request=request)


def answer_from_archive(request: Request, archived: ArchivedHttpResponse) -> Response:
    """`archived` as the response to `request`, with the meta the WARC recorder gives a live fetch.

    The pointer and WARC-Date are the original capture's, so a record built from the response cites
    it; a revisit is marked so, as in the crawl that wrote it (its target gave the record already).
    """
    request.meta["warc"] = archived.pointer
    request.meta["warc_date"] = archived.warc_date
    if archived.revisit:
        request.meta["warc_revisit"] = True
    else:
        request.meta.pop("warc_revisit", None)  # meta is copied along redirects
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
