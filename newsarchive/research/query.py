"""Filters -> SQL over index.sqlite, and running it.

Filters of one kind are ORed (--site a --site b), kinds are ANDed. Names (authors, tags, sections,
copyright holders) match through records.match_key, so case, accents and punctuation do not matter.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Iterator

from newsarchive.research.records import language_code, match_key

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SORTS = ("published", "relevance")
# The messages SQLite gives for a MATCH expression it cannot parse.
FTS_ERROR_RE = re.compile(r"fts5|syntax error|no such column|unterminated|unknown special query", re.I)


class QuerySyntaxError(ValueError):
    """The filters cannot be turned into a query (bad FTS5 expression, bad date, bad sort)."""


@dataclass
class Filters:
    sites: list[str] = field(default_factory=list)
    spiders: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    copyright_holders: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    text: str | None = None
    all_revisions: bool = False

    def check(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not (DAY_RE.match(value) and _is_day(value)):
                raise QuerySyntaxError(f"--{name} takes a day as YYYY-MM-DD, one that exists, not {value!r}")
        if self.since and self.until and self.since > self.until:
            raise QuerySyntaxError(f"--since {self.since} is after --until {self.until}")
        if self.text is not None and not self.text.strip():
            raise QuerySyntaxError("--text is empty")


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass
class Query:
    """A SELECT over `articles a`, driven by `article_fts` when there is a text filter."""

    source: str
    where: str
    params: list

    @property
    def has_text(self) -> bool:
        return "article_fts" in self.source

    def sql(self, columns: str, order: str = "", limit: int | None = None) -> tuple[str, list]:
        sql = f"SELECT {columns} FROM {self.source} WHERE {self.where}"
        params = list(self.params)
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params


def build_query(filters: Filters) -> Query:
    filters.check()
    where: list[str] = []
    params: list = []
    source = "articles a"

    def any_of(column: str, values: list[str]) -> None:
        where.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)

    if not filters.all_revisions:
        where.append("a.is_latest = 1")
    if filters.sites:
        any_of("a.site", [site.lower().removeprefix("www.") for site in filters.sites])
    if filters.spiders:
        any_of("a.spider", filters.spiders)
    if filters.sections:
        any_of("a.section_key", [match_key(s) for s in filters.sections])
    if filters.languages:
        any_of("a.language", [language_key(value) for value in filters.languages])
    if filters.stories:
        any_of("a.story_id", [value.strip().lower() for value in filters.stories])
    if filters.copyright_holders:
        any_of("a.holder_key", [match_key(h) for h in filters.copyright_holders])
    if filters.authors:
        keys = [match_key(a) for a in filters.authors]
        where.append(f"a.id IN (SELECT article_id FROM article_authors WHERE author_key IN "
                     f"({', '.join('?' * len(keys))}))")
        params.extend(keys)
    if filters.tags:
        keys = [match_key(t) for t in filters.tags]
        where.append(f"a.id IN (SELECT article_id FROM article_tags WHERE tag_key IN ({', '.join('?' * len(keys))}))")
        params.extend(keys)
    if filters.since:
        where.append("a.published_day >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("a.published_day <= ?")
        params.append(filters.until)
    if filters.text:
        # CROSS JOIN fixes the loop order: the full-text index finds the matches, then their rows are
        # read. The other way round SQLite would evaluate the MATCH once per article.
        source = "article_fts CROSS JOIN articles a ON a.id = article_fts.rowid"
        where.append("article_fts MATCH ?")
        params.append(filters.text)
    return Query(source, " AND ".join(where) or "1", params)


def language_key(value: str) -> str:
    """--language en-GB matches the 'en' records: the index keeps primary subtags."""
    return language_code({"language": value}) or value.strip().lower()


def order_by(query: Query, sort: str) -> str:
    if sort not in SORTS:
        raise QuerySyntaxError(f"--sort takes one of {', '.join(SORTS)}, not {sort!r}")
    if sort == "relevance":
        if not query.has_text:
            raise QuerySyntaxError("--sort relevance needs --text")
        return "article_fts.rank, a.published_utc DESC, a.id"  # rank: weighted BM25 (schema.py)
    # Newest first; undated records last (SQLite sorts NULL lowest). This order can walk the
    # (is_latest, published_utc) index backwards: no sort for an unfiltered listing.
    return "a.published_utc DESC, a.id DESC"


def syntax_error(exc: sqlite3.OperationalError) -> QuerySyntaxError:
    return QuerySyntaxError(f"bad --text query: {exc} (FTS5 syntax: words, \"phrases\", AND, OR, NOT, "
                            "prefix*, NEAR(a b), title: word)")


def execute(conn: sqlite3.Connection, query: Query, sql: str, params: list) -> sqlite3.Cursor:
    """Run a query; an FTS5 expression SQLite cannot parse becomes QuerySyntaxError."""
    try:
        return conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if query.has_text and FTS_ERROR_RE.search(str(exc)):
            raise syntax_error(exc) from None
        raise






class StaleIndex(RuntimeError):
    """A row points at a line that is no longer there: the file changed after the index was updated."""


class RecordReader:
    """Reads the records of index rows from their articles.jsonl, by byte offset (files kept open)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.root = Path(conn.execute("PRAGMA database_list").fetchone()["file"]).parent
        self.paths: dict[int, Path] = {}
        self.files: dict[int, IO[bytes]] = {}

    def record(self, source_id: int, line_offset: int, url: str) -> dict:
        fh = self.files.get(source_id) or self.open(source_id)
        fh.seek(line_offset)
        line = fh.readline()
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("url") != url:
            raise StaleIndex(f"{self.paths[source_id]} changed at byte {line_offset} since it was indexed; "
                             "run `newsarchive index` again")
        return record

    def open(self, source_id: int) -> IO[bytes]:
        (path,) = self.conn.execute("SELECT path FROM sources WHERE id = ?", (source_id,)).fetchone()
        self.paths[source_id] = self.root / path
        try:
            self.files[source_id] = open(self.paths[source_id], "rb")
        except OSError as exc:
            raise StaleIndex(f"cannot read {self.paths[source_id]}: {exc}") from None
        return self.files[source_id]

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()
        self.files.clear()

    def __enter__(self) -> "RecordReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()




def search(conn: sqlite3.Connection, query: Query, *, sort: str = "published", limit: int | None = None,
           batch_size: int = 500) -> tuple[int, Iterator[tuple[int, dict]]]:
    """(number of matches, iterator of (index id, record)) from one evaluation of the query.

    The count rides along as a window function, so a full-text expression is evaluated once,
    not once for the count and again for the rows. Syntax errors surface here, not mid-output.
    """
    sql, params = query.sql("a.id, a.source_id, a.line_offset, a.url, a.story_id, count(*) OVER () AS total",
                            order_by(query, sort), limit)
    cursor = execute(conn, query, sql, params)
    first = fetch(cursor, query, batch_size)
    total = first[0]["total"] if first else 0
    return total, read_rows(conn, cursor, query, first, batch_size)


def fetch(cursor: sqlite3.Cursor, query: Query, size: int) -> list[sqlite3.Row]:
    try:
        return cursor.fetchmany(size)
    except sqlite3.OperationalError as exc:
        if query.has_text and FTS_ERROR_RE.search(str(exc)):
            raise syntax_error(exc) from None
        raise


def read_rows(conn: sqlite3.Connection, cursor: sqlite3.Cursor, query: Query, rows: list[sqlite3.Row],
              batch_size: int) -> Iterator[tuple[int, dict]]:
    with RecordReader(conn) as reader:
        while rows:
            for row in rows:
                record = reader.record(row["source_id"], row["line_offset"], row["url"])
                record["story_id"] = row["story_id"]  # from the index: near-duplicates share it
                yield row["id"], record
            rows = fetch(cursor, query, batch_size)


@dataclass
class StoryRow:
    """One story among the matches: its members that match, and where they were published."""

    story_id: str
    articles: int
    sites: list[str]
    first_published: str | None
    last_published: str | None
    title: str | None  # of the earliest published matching member
    url: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def search_stories(conn: sqlite3.Connection, query: Query, *, limit: int | None = None) -> tuple[int, list[StoryRow]]:
    """(number of stories, one row per story) among the matches: biggest stories first, then newest."""
    inner, params = query.sql(
        "a.story_id, a.site, a.published_utc, "
        "first_value(a.title) OVER earliest AS first_title, first_value(a.url) OVER earliest AS first_url")
    inner += (" WINDOW earliest AS (PARTITION BY a.story_id ORDER BY a.published_utc IS NULL, a.published_utc, a.id"
              " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)")
    sql = ("SELECT story_id, count(*) AS articles, group_concat(DISTINCT coalesce(site, '?')) AS sites, "
           "min(published_utc) AS first_published, max(published_utc) AS last_published, "
           "min(first_title) AS title, min(first_url) AS url, count(*) OVER () AS total "
           f"FROM ({inner}) GROUP BY story_id ORDER BY articles DESC, last_published DESC, story_id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = execute(conn, query, sql, params).fetchall()
    total = rows[0]["total"] if rows else 0
    return total, [StoryRow(r["story_id"], r["articles"], sorted((r["sites"] or "").split(",")),
                            r["first_published"], r["last_published"], r["title"], r["url"]) for r in rows]
