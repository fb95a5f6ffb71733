"""The tables of <archive>/index.sqlite, and opening it.

One row per record line of every articles.jsonl (so every revision is kept); `is_latest` marks the
newest capture of each URL. A row holds the columns that filters and sorting need, and where its
line is (source file, byte offset): the record itself is read from articles.jsonl when a query
returns it, so the index never stores a second copy of the archive's text. The FTS5 table is
contentless for the same reason: it holds only the inverted index of title, description and text.
`sources` remembers, per articles.jsonl, how far it has been read and which file it was.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from newsarchive.research.stories import TABLES as STORY_TABLES

INDEX_FILE = "index.sqlite"
# Bump when the tables change: an index of another version is rebuilt, never migrated in place.
SCHEMA_VERSION = 3

TABLES = """
CREATE TABLE IF NOT EXISTS sources (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,     -- articles.jsonl, relative to the archive root
    device        INTEGER NOT NULL,
    inode         INTEGER NOT NULL,
    head_digest   TEXT NOT NULL,            -- sha1 of the first bytes read: catches a replaced file
    offset        INTEGER NOT NULL,         -- bytes consumed: always just after a newline
    size          INTEGER NOT NULL,         -- file size and mtime when last read: unchanged => skip
    mtime_ns      INTEGER NOT NULL,
    records       INTEGER NOT NULL DEFAULT 0,
    bad_lines     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS articles (
    -- AUTOINCREMENT: ids are never reused, so an FTS entry left by a dropped row matches nothing.
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id        INTEGER NOT NULL REFERENCES sources(id),
    line_offset      INTEGER NOT NULL,         -- where the record's line starts in its articles.jsonl
    url              TEXT NOT NULL,
    canonical_url    TEXT,
    site             TEXT,
    spider           TEXT,
    crawl_id         TEXT,
    fetched_at       TEXT,
    published        TEXT,
    published_day    TEXT,                  -- YYYY-MM-DD as the site states it
    published_utc    TEXT,                  -- sortable UTC instant
    title            TEXT,
    description      TEXT,
    section_key      TEXT,
    holder_key       TEXT,
    word_count       INTEGER NOT NULL,
    revision         INTEGER NOT NULL,
    has_copyright    INTEGER NOT NULL,
    warc_path        TEXT,                  -- the WARC file, relative to the archive root
    warc_offset      INTEGER,
    warc_length      INTEGER,
    warc_record_id   TEXT,
    is_latest        INTEGER NOT NULL DEFAULT 0,
    language         TEXT,                  -- primary subtag, lowercase: 'en'
    story_id         TEXT,                  -- near-duplicate texts share one (research/stories.py)
    UNIQUE (source_id, line_offset)
);
-- Only the indexes that filters and the latest-capture marking use: each one costs build time.
-- `show` by canonical URL or WARC record id scans the table instead (milliseconds, once).
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (url, fetched_at, revision, id);
CREATE INDEX IF NOT EXISTS articles_by_site_day ON articles (site, published_day);
CREATE INDEX IF NOT EXISTS articles_by_day ON articles (published_day);
CREATE INDEX IF NOT EXISTS articles_latest_by_published ON articles (is_latest, published_utc);
CREATE INDEX IF NOT EXISTS articles_by_story ON articles (story_id);
CREATE TABLE IF NOT EXISTS article_authors (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    author      TEXT NOT NULL,
    author_key  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_authors_by_key ON article_authors (author_key, article_id);
CREATE TABLE IF NOT EXISTS article_tags (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    tag_key     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_tags_by_key ON article_tags (tag_key, article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5 (
    title, description, text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Merge FTS segments 16 at a time instead of 4: fewer rewrites of the index while it grows
-- (measured on 100,000 records: about 12% less CPU for the build).
INSERT INTO article_fts (article_fts, rank) VALUES ('automerge', 16);
-- Relevance (the `rank` column): BM25 with a word in the headline worth 10 in the body, the summary 3.
INSERT INTO article_fts (article_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0)');
"""


class IndexVersionError(RuntimeError):
    """The file is an index of another schema version (or not an index at all)."""


def index_path(archive: Path) -> Path:
    return Path(archive) / INDEX_FILE


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open an index file; create its tables if the file is new. Raises IndexVersionError on a mismatch."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        # WAL lets `query` read while `index` writes, and NORMAL sync is safe with WAL.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Checkpoint every 64 MB of WAL, not 4 MB: pages that bulk indexing rewrites are copied back once.
        conn.execute("PRAGMA wal_autocheckpoint = 16384")
    conn.execute("PRAGMA cache_size = -65536")
    conn.row_factory = sqlite3.Row
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if version == 0 and not has_tables and not readonly:
        # IF NOT EXISTS and one transaction: two processes creating the same index both succeed.
        conn.executescript(f"BEGIN IMMEDIATE; {TABLES}; {STORY_TABLES}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    elif version != SCHEMA_VERSION:
        conn.close()
        raise IndexVersionError(f"{path} is not a newsarchive index of version {SCHEMA_VERSION} (found {version})")
    return conn


def open_index(path: Path) -> sqlite3.Connection:
    """Open (or create) an index for writing; one of another version is deleted and started afresh.

    The index is derived data: every row can be read again from the articles.jsonl files.
    """
    try:
        return connect(path)
    except (IndexVersionError, sqlite3.DatabaseError):
        delete_index(path)
        return connect(path)


def delete_index(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
