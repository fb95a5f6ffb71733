"""`newsarchive export`: write the matching articles to a Parquet, CSV or JSON Lines file."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError
from newsarchive.commands.index import archive_dir, updated_index
from newsarchive.commands.query import add_filter_arguments, filters_from_args


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export matching articles to Parquet, CSV or JSON Lines",
        description="Write the articles that match the filters (the same as `query`) to FILE, in batches so "
        "memory stays flat. Parquet keeps the record's shape (authors/tags list<string>, images "
        "list<struct>, warc/copyright/revision structs); CSV flattens lists with '; ' and objects into "
        "dotted columns (warc.offset). Exit 0 with matches, 1 with none, 2 on a bad filter, 3 when the "
        "archive is missing or pyarrow is not installed.",
        epilog="examples:\n  newsarchive export --format parquet --out articles.parquet\n"
        "  newsarchive export --format csv --site example.com --since 2026-01-01 --out example.csv\n"
        "  newsarchive export --format jsonl --text 'battery' --out - | wc -l",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", required=True, choices=("parquet", "csv", "jsonl"))
    parser.add_argument("--out", required=True, metavar="FILE", help="output file ('-' for stdout; not Parquet)")
    parser.add_argument("--sort", choices=("published", "relevance"), default="published",
                        help="row order: newest published first (default), or best --text match first")
    add_filter_arguments(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from newsarchive.research.exporters import WRITERS
    from newsarchive.research.query import QuerySyntaxError, StaleIndex, build_query, search

    if args.format == "parquet":
        if args.out == "-":
            raise CommandError("Parquet needs a file: --out FILE", EXIT_USAGE)
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CommandError("Parquet export needs pyarrow: pip install 'newsarchive[research]'") from None
    archive = archive_dir(args.archive)
    conn, _ = updated_index(archive, progress=sys.stderr.isatty())
    try:
        total, rows = search(conn, build_query(filters_from_args(args)), sort=args.sort)
        records = (record for _, record in rows)
        if args.out == "-":
            written = WRITERS[args.format](records, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            written = write_file(Path(args.out), WRITERS[args.format], records)
    except QuerySyntaxError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    except StaleIndex as exc:
        raise CommandError(str(exc)) from None
    finally:
        conn.close()
    print(f"exported {written} of {total} matching articles as {args.format} to {args.out}", file=sys.stderr)
    return EXIT_OK if written else EXIT_PROBLEMS


def write_file(path: Path, writer, records) -> int:
    """Write through a temporary file, renamed at the end: a failed export leaves no half file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as out:
            written = writer(records, out)
        os.replace(partial, path)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return written
