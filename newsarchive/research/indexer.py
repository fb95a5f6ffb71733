"""Incremental indexing: read the new lines of every articles.jsonl under an archive into index.sqlite.

Per file the index remembers the byte offset read so far (always just after a newline) and the
file's identity (device, inode, a digest of its first bytes). A re-run reads only what was appended;
a file that was replaced or shrank is dropped from the index and read again from the start. A torn
last line (a crawl still writing, or killed mid-line) is left unread and picked up once it is
complete. Each batch of rows is committed together with its new offset, so an interrupted run
resumes exactly where it stopped, and a compare-and-set on the offset keeps two concurrent indexers
from adding the same lines twice.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from queue import Full, Queue
from pathlib import Path
from typing import Callable, Iterator

from newsarchive.base.layout import WARC_SUBDIR, is_articles_file
from newsarchive.research import records as rec
from newsarchive.research.stories import StoryAssigner, StoryInput, story_input

logger = logging.getLogger(__name__)

HEAD_BYTES = 4096
BATCH_SIZE = 4000  # records per transaction: fewer, bigger FTS segments; memory stays ~150-250 MB


@dataclass
class IndexReport:
    """What one update did; the `index` command prints it and tests check it."""

    files: int = 0
    files_read: int = 0
    files_reset: int = 0
    records_added: int = 0
    bad_lines: int = 0
    torn_files: list[str] = field(default_factory=list)
    bytes_read: int = 0
    records_total: int = 0
    latest_total: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.records_added / self.seconds if self.seconds > 0 else 0.0


class ConcurrentUpdate(RuntimeError):
    """Another indexer moved this file's offset while we were reading it."""


def head_digest(fd: int, length: int) -> str:
    return hashlib.sha1(os.pread(fd, min(length, HEAD_BYTES), 0)).hexdigest()


def find_sources(archive: Path) -> list[Path]:
    """Every articles.jsonl (and a distributed crawl's articles-<worker>.jsonl) under the archive, in a
    stable order; WARC folders are not searched."""
    found = []
    for folder, subfolders, files in os.walk(archive):
        subfolders[:] = sorted(d for d in subfolders if d != WARC_SUBDIR and not d.startswith("."))
        found += [Path(folder) / name for name in sorted(files) if is_articles_file(name)]
    return found


def complete_lines(fh, start: int) -> Iterator[tuple[int, bytes, bool]]:
    """(offset, line, is_last) for each line from `start`; the last line may lack its newline."""
    position = start
    line = fh.readline()
    while line:
        following = fh.readline()
        yield position, line, not following
        position += len(line)
        line = following


def article_row(line_offset: int, record: dict, archive_rel_dir: str) -> dict[str, object]:
    """The `articles` columns of one record, by name (ARTICLE_COLUMNS)."""
    warc = rec.warc_pointer(record)
    warc_path = f"{archive_rel_dir}/{WARC_SUBDIR}/{warc['filename']}" if isinstance(warc["filename"], str) else None
    published = record.get("published")
    section = rec.optional_string(record.get("section"))
    holder = rec.copyright_holder(record)
    return {
        "line_offset": line_offset,
        "url": record["url"],
        "canonical_url": rec.optional_string(record.get("canonical_url")),
        "site": rec.site_of(record),
        "spider": rec.optional_string(record.get("spider")),
        "crawl_id": rec.optional_string(record.get("crawl_id")),
        "fetched_at": rec.optional_string(record.get("fetched_at")),
        "published": rec.optional_string(published),
        "published_day": rec.published_day(published),
        "published_utc": rec.utc_instant(published),
        "title": rec.optional_string(record.get("title")),
        "description": rec.optional_string(record.get("description")),
        "section_key": rec.match_key(section) if section else None,
        "holder_key": rec.match_key(holder) if holder else None,
        "word_count": rec.word_count(record),
        "revision": rec.revision_number(record),
        "has_copyright": int(isinstance(record.get("copyright"), dict)),
        "warc_path": warc_path,
        "warc_offset": warc["offset"] if isinstance(warc["offset"], int) else None,
        "warc_length": warc["length"] if isinstance(warc["length"], int) else None,
        "warc_record_id": rec.optional_string(warc["record_id"]),
        "language": rec.language_code(record),
        "story_id": None,  # given at insert time (research/stories.py)
    }


# The columns article_row fills, in the order the INSERT names them (after id and source_id).
ARTICLE_COLUMNS = (
    "line_offset", "url", "canonical_url", "site", "spider", "crawl_id", "fetched_at", "published", "published_day",
    "published_utc", "title", "description", "section_key", "holder_key", "word_count", "revision", "has_copyright",
    "warc_path", "warc_offset", "warc_length", "warc_record_id", "language", "story_id",
)
INSERT_ARTICLE = (f"INSERT INTO articles (id, source_id, {', '.join(ARTICLE_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 2))})")


def fts_values(row: dict[str, object], record: dict) -> tuple[object, object, str]:
    """What the FTS index gets for a row; deleting the row from the index needs exactly these again."""
    text = record.get("text")
    return row["title"], row["description"], text if isinstance(text, str) else ""


# The latest capture of each URL in temp.touched: newest fetch first, then highest revision.
MARK_LATEST = (
    # "+is_latest": look rows up by URL, never by scanning every latest row (quadratic over a build).
    "UPDATE articles SET is_latest = 0 WHERE +is_latest = 1 AND url IN (SELECT url FROM temp.touched)",
    "UPDATE articles SET is_latest = 1 WHERE id IN ("
    " SELECT (SELECT a.id FROM articles a WHERE a.url = t.url"
    "         ORDER BY a.fetched_at DESC, a.revision DESC, a.id DESC LIMIT 1)"
    " FROM temp.touched t)",
)


class Indexer:
    """Brings index.sqlite up to date with the articles.jsonl files of one archive."""

    def __init__(self, archive: Path, conn: sqlite3.Connection, *, batch_size: int = BATCH_SIZE,
                 progress: Callable[[int, int], None] | None = None):
        self.archive = Path(archive).absolute()
        self.conn = conn
        self.batch_size = batch_size
        self.progress = progress or (lambda bytes_read, records: None)
        self.stories = StoryAssigner(conn)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched (url TEXT PRIMARY KEY)")

    def pending_bytes(self, sources: list[Path]) -> int:
        """How many bytes an update would read at most: for a progress bar."""
        offsets = {row["path"]: row["offset"] for row in self.conn.execute("SELECT path, offset FROM sources")}
        total = 0
        for path in sources:
            size = path.stat().st_size
            total += max(0, size - offsets.get(self.relative(path), 0))
        return total

    def relative(self, path: Path) -> str:
        return path.relative_to(self.archive).as_posix()

    def update(self, sources: list[Path] | None = None) -> IndexReport:
        started = time.monotonic()
        report = IndexReport()
        for path in find_sources(self.archive) if sources is None else sources:
            report.files += 1
            try:
                self.update_file(path, report)
            except ConcurrentUpdate:
                logger.warning("%s: another indexer is updating it; leaving it to that one", path)
            except OSError as exc:
                logger.error("%s: cannot read: %s", path, exc)
        if report.records_added or report.files_reset:
            # Fresh statistics let the planner see that is_latest filters little and an author a lot.
            self.conn.execute("PRAGMA analysis_limit = 1000")
            self.conn.execute("ANALYZE")
        report.records_total, report.latest_total = self.conn.execute(
            "SELECT count(*), coalesce(sum(is_latest), 0) FROM articles").fetchone()
        report.seconds = time.monotonic() - started
        return report

    # ------------------------------------------------------------------ one file

    def update_file(self, path: Path, report: IndexReport) -> None:
        rel = self.relative(path)
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            source = self.conn.execute("SELECT * FROM sources WHERE path = ?", (rel,)).fetchone()
            if source is not None and self.unchanged(source, st):
                if source["offset"] < source["size"]:
                    report.torn_files.append(rel)
                return
            if source is not None and not self.same_file(source, st, fh.fileno()):
                logger.warning("%s was replaced or truncated; indexing it again from the start", rel)
                self.drop_source(source["id"])
                report.files_reset += 1
                source = None
            if source is None:
                source = self.add_source(rel, st, fh.fileno())
            self.read_new_lines(fh, source, st, Path(rel).parent.as_posix(), report)

    @staticmethod
    def unchanged(source: sqlite3.Row, st: os.stat_result) -> bool:
        return (source["device"], source["inode"], source["size"], source["mtime_ns"]) == (
            st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    @staticmethod
    def same_file(source: sqlite3.Row, st: os.stat_result, fd: int) -> bool:
        return ((source["device"], source["inode"]) == (st.st_dev, st.st_ino)
                and st.st_size >= source["offset"]
                and head_digest(fd, source["offset"]) == source["head_digest"])

    def add_source(self, rel: str, st: os.stat_result, fd: int) -> sqlite3.Row:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                "INSERT OR IGNORE INTO sources (path, device, inode, head_digest, offset, size, mtime_ns) "
                "VALUES (?, ?, ?, ?, 0, -1, 0)", (rel, st.st_dev, st.st_ino, head_digest(fd, 0)))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return self.conn.execute("SELECT * FROM sources WHERE path = ?", (rel,)).fetchone()

    def drop_source(self, source_id: int) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM temp.touched")
            self.conn.execute("INSERT OR IGNORE INTO temp.touched SELECT url FROM articles WHERE source_id = ?",
                              (source_id,))
            # The FTS entries stay: a contentless FTS5 table forgets a row only when given the text it
            # indexed, which went with the replaced file. They match no row any more (ids are never
            # reused); `newsarchive index --rebuild` clears them.
            for table in ("article_authors", "article_tags", "story_signatures", "story_bands"):
                self.conn.execute(f"DELETE FROM {table} WHERE article_id IN "
                                  "(SELECT id FROM articles WHERE source_id = ?)", (source_id,))
            self.conn.execute("DELETE FROM articles WHERE source_id = ?", (source_id,))
            self.conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            for statement in MARK_LATEST:
                self.conn.execute(statement)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def read_new_lines(self, fh, source: sqlite3.Row, st: os.stat_result, rel_dir: str,
                       report: IndexReport) -> None:
        batches = parse_batches(fh, source["offset"], source["path"], rel_dir, self.batch_size)
        offset = source["offset"]
        torn = False
        for batch in prefetched(batches):
            self.commit(source, offset, batch, st, fh.fileno(), report)
            offset, torn = batch.consumed, batch.torn
        report.files_read += 1
        if torn:
            logger.info("%s: last line is incomplete; it will be indexed once complete", source["path"])
            report.torn_files.append(source["path"])

    def commit(self, source: sqlite3.Row, offset: int, batch: "Batch", st: os.stat_result, fd: int,
               report: IndexReport) -> None:
        """Insert one batch and move the file's offset from `offset` past it, in one transaction."""
        conn = self.conn
        # Size and mtime say "read to the end" only after the last batch: a run stopped halfway
        # must not leave the file looking unchanged, or its rest would never be read.
        size, mtime_ns = (st.st_size, st.st_mtime_ns) if batch.final else (-1, 0)
        conn.execute("BEGIN IMMEDIATE")
        try:
            moved = conn.execute(
                "UPDATE sources SET offset = ?, head_digest = ?, size = ?, mtime_ns = ?, records = records + ?, "
                "bad_lines = bad_lines + ? WHERE id = ? AND offset = ?",
                (batch.consumed, head_digest(fd, batch.consumed), size, mtime_ns, len(batch.rows),
                 batch.bad, source["id"], offset)).rowcount
            if not moved:
                raise ConcurrentUpdate(source["path"])
            if batch.rows:
                self.insert(batch, source["id"])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        report.records_added += len(batch.rows)
        report.bad_lines += batch.bad
        report.bytes_read += batch.consumed - offset
        self.progress(batch.consumed - offset, len(batch.rows))

    def insert(self, batch: "Batch", source_id: int) -> None:
        conn = self.conn
        base = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'articles'").fetchone()[0]
        stories = self.stories.assign_batch([StoryInput(base + n, *item) for n, item in enumerate(batch.stories)])
        for row, story in zip(batch.rows, stories):
            row["story_id"] = story
        conn.executemany(INSERT_ARTICLE, [(base + n, source_id, *(row[c] for c in ARTICLE_COLUMNS))
                                          for n, row in enumerate(batch.rows)])
        conn.executemany("INSERT INTO article_fts (rowid, title, description, text) VALUES (?, ?, ?, ?)",
                         [(base + n, *texts) for n, texts in enumerate(batch.texts)])
        conn.executemany("INSERT INTO article_authors (article_id, author, author_key) VALUES (?, ?, ?)",
                         [(base + n, name, key) for n, name, key in batch.authors])
        conn.executemany("INSERT INTO article_tags (article_id, tag_key) VALUES (?, ?)",
                         [(base + n, key) for n, key in batch.tags])
        conn.execute("DELETE FROM temp.touched")
        conn.executemany("INSERT OR IGNORE INTO temp.touched (url) VALUES (?)", [(row["url"],) for row in batch.rows])
        for statement in MARK_LATEST:
            conn.execute(statement)


@dataclass
class Batch:
    """Parsed lines ready to insert; positions in the batch stand in for article ids until commit."""

    rows: list[dict[str, object]] = field(default_factory=list)
    texts: list[tuple[object, object, str]] = field(default_factory=list)
    authors: list[tuple[int, str, str]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    stories: list[tuple] = field(default_factory=list)  # StoryInput fields but the article id
    bad: int = 0
    consumed: int = 0  # the file offset just after the last line this batch accounts for
    torn: bool = False
    final: bool = False  # the last batch of this read: the file was read to its end (or its torn line)

    def add(self, line_offset: int, record: dict, rel_dir: str) -> None:
        position = len(self.rows)
        row = article_row(line_offset, record, rel_dir)
        self.rows.append(row)
        self.texts.append(fts_values(row, record))
        item = story_input(0, record, row)  # the signature is computed here, in the reader thread
        self.stories.append((item.url, item.key_url, item.text_digest, item.signature, item.bands))
        seen = set()
        for name in rec.string_list(record.get("authors")):
            key = cached_key(name)
            if key and key not in seen:
                seen.add(key)
                self.authors.append((position, name, key))
        for key in {cached_key(tag) for tag in rec.string_list(record.get("tags"))} - {""}:
            self.tags.append((position, key))


@lru_cache(maxsize=65536)
def cached_key(name: str) -> str:
    return rec.match_key(name)  # authors and tags repeat across thousands of records


def parse_batches(fh, offset: int, path: str, rel_dir: str, batch_size: int) -> Iterator[Batch]:
    """Batches of parsed records from `offset` on; the last one (maybe empty) says if a torn line is left."""
    fh.seek(offset)
    batch = Batch(consumed=offset)
    for line_offset, line, is_last in complete_lines(fh, offset):
        try:
            record = rec.check_record(json.loads(line.decode("utf-8"))) if line.strip() else None
        except ValueError as exc:
            if is_last and (not line.endswith(b"\n") or not isinstance(exc, rec.BadRecord)):
                # A torn last line: a writer is mid-line, or died there. Not indexed, not skipped:
                # the next update reads it again, whole by then.
                batch.torn = True
                break
            batch.bad += 1
            logger.error("%s: bad line at byte %d skipped: %s", path, line_offset,
                         exc if isinstance(exc, rec.BadRecord) else f"invalid JSON ({exc})")
            batch.consumed = line_offset + len(line)
            continue
        batch.consumed = line_offset + len(line)
        if record is not None:
            batch.add(line_offset, record, rel_dir)
        if len(batch.rows) >= batch_size:
            yield batch
            batch = Batch(consumed=batch.consumed)
    batch.final = True
    yield batch


def prefetched(items: Iterator[Batch], depth: int = 2) -> Iterator[Batch]:
    """Produce items in a thread, `depth` ahead: JSON parsing overlaps SQLite's work (which releases the GIL).

    The bounded queue keeps memory at a few batches however big the file is.
    """
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def offer(item) -> bool:
        """Queue an item unless the consumer has gone; False once it has."""
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(done)
        except BaseException as exc:  # handed to the consumer, raised there
            offer(exc)

    thread = threading.Thread(target=produce, name="newsarchive-index-reader", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def update_index(archive: Path, conn: sqlite3.Connection, **kwargs) -> IndexReport:
    """Bring the index up to date with the archive (see Indexer)."""
    return Indexer(archive, conn, **kwargs).update()
