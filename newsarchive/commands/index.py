"""`newsarchive index [ARCHIVE]`: build or update the archive's SQLite full-text index."""
from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from pathlib import Path

from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR as DEFAULT_ARCHIVE
from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, CommandError

logger = logging.getLogger("newsarchive.research")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "index",
        help="build or update the full-text index of an archive's articles",
        description="Index every articles.jsonl under ARCHIVE into ARCHIVE/index.sqlite (SQLite + FTS5). "
        "Incremental: only lines appended since the last run are read; a replaced file is read again; "
        "a half-written last line waits until it is complete. Every revision is kept and the latest "
        "capture of each URL is marked. Exit 0 when done, 1 when some lines were bad (skipped, logged), "
        "3 when ARCHIVE is missing.",
        epilog="examples:\n  newsarchive index\n  newsarchive index /data/archive --quiet",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("archive", nargs="?", default=DEFAULT_ARCHIVE, metavar="ARCHIVE",
                        help="archive root (default: %(default)s/)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar (default: on a terminal)")
    parser.add_argument("--rebuild", action="store_true",
                        help="delete the index and build it afresh (after replaced files, to reclaim space)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(func=run)


def archive_dir(value: str | Path) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise CommandError(f"no archive at {path} (run a crawl first, or pass the archive folder)")
    return path.absolute()


class StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time, so a replaced stderr (tests, a wrapper) gets the line."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def log_to_stderr() -> None:
    """Errors and warnings about bad lines reach the user even without Scrapy's logging set up."""
    if not any(isinstance(h, StderrHandler) for h in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def updated_index(archive: Path, *, progress: bool = False):
    """(connection, report) for the archive's index, brought up to date first."""
    from newsarchive.research.indexer import Indexer, find_sources
    from newsarchive.research.schema import index_path, open_index

    log_to_stderr()
    try:
        conn = open_index(index_path(archive))
        indexer = Indexer(archive, conn)
        sources = find_sources(archive)
        if not progress:
            return conn, indexer.update(sources)
        from tqdm import tqdm

        with tqdm(total=indexer.pending_bytes(sources), unit="B", unit_scale=True, file=sys.stderr,
                  desc="indexing", leave=False) as bar:
            added = 0

            def advance(bytes_read: int, records: int) -> None:
                nonlocal added
                added += records
                bar.set_postfix(records=added, refresh=False)
                bar.update(bytes_read)

            indexer.progress = advance
            return conn, indexer.update(sources)
    except sqlite3.OperationalError as exc:
        raise CommandError(f"cannot write the index in {archive}: {exc}") from None


def summary(report, path: Path) -> str:
    lines = [
        f"indexed {report.records_added} new records from {report.files_read} of {report.files} files "
        f"in {report.seconds:.2f}s ({report.rate:,.0f} records/s)",
        f"index: {report.records_total} records, {report.latest_total} latest captures -> {path}",
    ]
    if report.files_reset:
        lines.append(f"re-read {report.files_reset} replaced or truncated files")
    if report.bad_lines:
        lines.append(f"skipped {report.bad_lines} bad lines (see the errors above)")
    for torn in report.torn_files:
        lines.append(f"waiting for an incomplete last line in {torn}")
    return "\n".join(lines)


def run(args) -> int:
    from newsarchive.research.schema import delete_index, index_path

    archive = archive_dir(args.archive)
    if args.rebuild:
        delete_index(index_path(archive))
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    conn, report = updated_index(archive, progress=show_progress and not args.quiet)
    conn.close()
    if not args.quiet:
        print(summary(report, index_path(archive)))
    return EXIT_PROBLEMS if report.bad_lines else EXIT_OK
