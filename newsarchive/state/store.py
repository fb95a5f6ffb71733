"""The crawl-state store: what earlier crawls of a spider archived, per URL and per payload digest.

`CrawlState` is the interface every backend implements (SQLite here; Redis for the distributed mode
can implement the same methods). Callers commit to it only what the WARC holds durably already:
the store never learns of a capture before its record was written and fsync'd.

URLs are keys in their normalized form (base.urls.normalize_url, docs/architecture.md "Canonical URLs"):
an article linked with tracking parameters or a fragment is the same article. Capture URIs stay as
fetched, since a revisit must name the exact URI of the record it refers to.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterator, Protocol

from newsarchive.base import layout
from newsarchive.base.urls import normalize_url
from newsarchive.warc.pointer import Capture, WarcPointer


@dataclass
class UrlState:
    """What the archive knows about one URL after its latest committed fetch."""

    url: str
    first_fetched: str | None = None  # ISO 8601 UTC of the first archived capture
    last_fetched: str | None = None  # the latest fetch of any outcome (200, 304, revisit)
    last_changed: str | None = None  # fetch time of the latest revision
    payload_digest: str | None = None  # of the latest full-body capture
    text_digest: str | None = None  # of the latest revision's text
    text: str | None = None  # the latest revision's text: the base of the next diff
    etag: str | None = None  # validators of the latest full-body capture
    last_modified: str | None = None
    revision: int = 0  # 1 for the first capture, +1 per change of text
    published: str | None = None
    capture_uri: str | None = None  # the latest full-body capture (what a 304 revisit refers to)
    capture_date: str | None = None
    capture_record_id: str | None = None
    capture_filename: str | None = None
    capture_offset: int | None = None
    crawl_id: str | None = None  # crawl of the latest full-body capture

    @property
    def capture(self) -> Capture | None:
        return _capture(self.capture_uri, self.capture_date, self.capture_record_id, self.capture_filename,
                        self.capture_offset, self.payload_digest)

    def with_capture(self, capture: Capture) -> UrlState:
        self.capture_uri, self.capture_date, self.capture_record_id = capture.url, capture.date, capture.record_id
        self.capture_filename, self.capture_offset = capture.filename, capture.offset
        return self


def _capture(url, date, record_id, filename, offset, digest=None) -> Capture | None:
    """A capture from stored columns; None when a column it needs is empty."""
    if not (url and date and record_id and filename) or offset is None:
        return None
    return Capture(url=url, date=date, pointer=WarcPointer(filename=filename, offset=offset, length=None,
                                                           record_id=record_id, payload_digest=digest))


@dataclass(frozen=True)
class RevisionEntry:
    """One row of an article's history: a version of its text and where it was archived."""

    url: str
    number: int
    crawl_id: str | None
    fetched_at: str | None
    text_digest: str | None
    previous_text_digest: str | None
    warc_filename: str | None
    warc_record_id: str | None


class CrawlState(Protocol):
    """The incremental state of one spider. Every write is a commit of something already archived."""

    def get(self, url: str) -> UrlState | None:
        """The URL's state, or None when no capture of it was ever committed."""

    def commit_revision(self, state: UrlState, *, crawl_id: str) -> None:
        """A new or changed article: its capture, validators and text, plus a history row."""

    def commit_capture(self, state: UrlState) -> None:
        """A new full-body capture whose text did not change: validators and capture pointer only."""

    def commit_check(self, url: str, fetched_at: str) -> None:
        """A fetch that archived no new payload (304 or identical payload)."""

    def lookup_payload(self, digest: str) -> Capture | None:
        """The first capture of a payload digest, in any crawl."""

    def add_payload(self, digest: str, capture: Capture) -> None:
        """Remember a payload's first capture (ignored when one is known)."""

    def tracked(self) -> Iterator[UrlState]:
        """Every URL with a committed article text (re-check candidates)."""

    def revisions(self, url: str) -> list[RevisionEntry]:
        """The URL's history, oldest first."""

    def begin_crawl(self, crawl_id: str, started_at: str) -> None: ...

    def finish_crawl(self, crawl_id: str, finished_at: str, reason: str) -> None: ...

    def last_crawl_started(self, before: str | None = None) -> str | None:
        """Start time of the latest finished crawl (other than `before`), or None."""

    def close(self) -> None: ...


_URL_COLUMNS = tuple(f.name for f in fields(UrlState))
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS urls ({", ".join(c + (" TEXT PRIMARY KEY" if c == "url" else "") for c in _URL_COLUMNS)});
CREATE TABLE IF NOT EXISTS payloads (
    digest TEXT PRIMARY KEY, url TEXT NOT NULL, date TEXT NOT NULL, record_id TEXT NOT NULL,
    filename TEXT, offset INTEGER);
CREATE TABLE IF NOT EXISTS revisions (
    url TEXT NOT NULL, number INTEGER NOT NULL, crawl_id TEXT, fetched_at TEXT, text_digest TEXT,
    previous_text_digest TEXT, warc_filename TEXT, warc_record_id TEXT, PRIMARY KEY (url, number));
CREATE TABLE IF NOT EXISTS crawls (
    crawl_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, finish_reason TEXT);
"""


class SqliteCrawlState:
    """CrawlState in one SQLite file (WAL mode), by default archive/<spider>/state.sqlite.

    Each commit is its own transaction. synchronous=NORMAL is enough: a lost commit only makes the
    state lag behind the WARC (the next crawl fetches again), never run ahead of it.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def from_crawler(cls, crawler) -> SqliteCrawlState:
        return cls(layout.spider_dir(crawler.spider) / layout.STATE_FILE)

    # ---------------------------------------------------------------- urls

    def get(self, url: str) -> UrlState | None:
        row = self._db.execute("SELECT * FROM urls WHERE url = ?", (normalize_url(url),)).fetchone()
        return UrlState(**dict(row)) if row else None

    def _upsert(self, state: UrlState) -> None:
        values = asdict(state)
        values["url"] = normalize_url(state.url)
        placeholders = ", ".join("?" for _ in _URL_COLUMNS)
        self._db.execute(f"INSERT OR REPLACE INTO urls ({', '.join(_URL_COLUMNS)}) VALUES ({placeholders})",
                         [values[c] for c in _URL_COLUMNS])

    def commit_revision(self, state: UrlState, *, crawl_id: str) -> None:
        previous = self.get(state.url)
        with self._transaction():
            self._upsert(state)
            self._db.execute(
                "INSERT OR REPLACE INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (normalize_url(state.url), state.revision, crawl_id, state.last_changed, state.text_digest,
                 previous.text_digest if previous else None, state.capture_filename, state.capture_record_id),
            )

    def commit_capture(self, state: UrlState) -> None:
        with self._transaction():
            self._upsert(state)

    def commit_check(self, url: str, fetched_at: str) -> None:
        self._db.execute("UPDATE urls SET last_fetched = ? WHERE url = ?", (fetched_at, normalize_url(url)))

    def tracked(self) -> Iterator[UrlState]:
        for row in self._db.execute("SELECT * FROM urls WHERE text_digest IS NOT NULL ORDER BY url"):
            yield UrlState(**dict(row))

    def revisions(self, url: str) -> list[RevisionEntry]:
        rows = self._db.execute("SELECT * FROM revisions WHERE url = ? ORDER BY number",
                                (normalize_url(url),)).fetchall()
        return [RevisionEntry(**dict(row)) for row in rows]

    # ---------------------------------------------------------------- payloads

    def lookup_payload(self, digest: str) -> Capture | None:
        row = self._db.execute("SELECT * FROM payloads WHERE digest = ?", (digest,)).fetchone()
        return _capture(row["url"], row["date"], row["record_id"], row["filename"], row["offset"], digest) if row else None

    def add_payload(self, digest: str, capture: Capture) -> None:
        self._db.execute("INSERT OR IGNORE INTO payloads VALUES (?, ?, ?, ?, ?, ?)",
                         (digest, capture.url, capture.date, capture.record_id, capture.filename, capture.offset))

    def payloads(self) -> Iterator[tuple[str, Capture]]:
        for row in self._db.execute("SELECT * FROM payloads ORDER BY digest"):
            capture = _capture(row["url"], row["date"], row["record_id"], row["filename"], row["offset"], row["digest"])
            if capture is not None:
                yield row["digest"], capture

    # ---------------------------------------------------------------- crawls

    def begin_crawl(self, crawl_id: str, started_at: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO crawls (crawl_id, started_at) VALUES (?, ?)", (crawl_id, started_at))

    def finish_crawl(self, crawl_id: str, finished_at: str, reason: str) -> None:
        self._db.execute("UPDATE crawls SET finished_at = ?, finish_reason = ? WHERE crawl_id = ?",
                         (finished_at, reason, crawl_id))

    def last_crawl_started(self, before: str | None = None) -> str | None:
        row = self._db.execute(
            "SELECT started_at FROM crawls WHERE finished_at IS NOT NULL AND crawl_id IS NOT ? "
            "ORDER BY started_at DESC LIMIT 1", (before,)).fetchone()
        return row["started_at"] if row else None

    # ---------------------------------------------------------------- plumbing

    def _transaction(self):
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteCrawlState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _Transaction:
    """BEGIN … COMMIT, or ROLLBACK on error (the connection runs in autocommit mode otherwise)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *exc_info) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
